//! Compression on the wire: text answers (the page, its scripts, JSON, TAP's CSV and
//! VOTable, streamed) come gzip- or brotli-encoded when the client asks and decode to the
//! same bytes as without; files, previews, FITS and byte ranges never are, so a download
//! keeps its exact length and resumes.

use crate::common;

use common::{raw_answer, Answer, DemoServer};

fn get(server: &DemoServer, path: &str, accept_encoding: Option<&str>, extra: &str) -> Answer {
    let stream = std::net::TcpStream::connect(("127.0.0.1", server.http_port)).unwrap();
    let encoding = accept_encoding
        .map(|e| format!("Accept-Encoding: {e}\r\n"))
        .unwrap_or_default();
    raw_answer(
        stream,
        format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{encoding}{extra}Connection: close\r\n\r\n"
        )
        .as_bytes(),
    )
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(
        &mut brotli_decompressor::Decompressor::new(bytes, 4096),
        &mut out,
    )
    .unwrap();
    out
}

#[test]
fn text_is_compressed_when_asked_and_files_never() {
    let server = DemoServer::start_full(300, 1, "");
    let query = "/tap/sync?LANG=ADQL&FORMAT=csv&QUERY=SELECT%20*%20FROM%20ivoa.obscore";
    for path in [
        "/",
        "/web/js/main.js",
        "/web/style.css",
        query,
        "/tap/tables",
        "/reference/lines",
    ] {
        let plain = get(&server, path, None, "");
        assert_eq!(plain.status, 200, "{path}");
        assert_eq!(
            plain.header("content-encoding"),
            None,
            "{path}: not asked, not compressed"
        );
        let gzipped = get(&server, path, Some("gzip"), "");
        assert_eq!(gzipped.header("content-encoding"), Some("gzip"), "{path}");
        assert_eq!(
            gunzip(&gzipped.body),
            plain.body,
            "{path}: gzip decodes to the same bytes"
        );
        assert!(
            gzipped.body.len() * 2 < plain.body.len(),
            "{path}: {} of {} bytes",
            gzipped.body.len(),
            plain.body.len()
        );
        let brotli = get(&server, path, Some("br"), "");
        assert_eq!(brotli.header("content-encoding"), Some("br"), "{path}");
        assert_eq!(
            unbrotli(&brotli.body),
            plain.body,
            "{path}: brotli decodes to the same bytes"
        );
        assert!(
            gzipped
                .header("vary")
                .unwrap_or("")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{path}"
        );
    }
    // a TAP answer is still streamed: chunked, no length announced
    let streamed = get(&server, query, Some("gzip"), "");
    assert_eq!(streamed.header("transfer-encoding"), Some("chunked"));
    assert_eq!(streamed.header("content-length"), None);

    // files, previews and ranges are sent as they are, whatever the client accepts
    let fits = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.name LIKE '%.cube.I.pbcor.fits' AND m.release_date <= now() ORDER BY f.name LIMIT 1",
    );
    let fits = fits.trim();
    for path in [
        format!("/dataPortal/{fits}"),
        format!("/preview/{fits}/peak.png"),
        format!("/cube/{fits}/tiles?channel=0&level=0&x0=0&y0=0"),
    ] {
        let answer = get(&server, &path, Some("gzip, deflate, br"), "");
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header("content-encoding"), None, "{path}");
        assert_eq!(
            answer
                .header("content-length")
                .map(|n| n.parse::<usize>().unwrap()),
            Some(answer.body.len()),
            "{path}: the exact length"
        );
    }
    // a text file is a file: sent as it is
    let readme = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.content_type = 'text/plain' AND f.path IS NOT NULL AND m.release_date <= now() ORDER BY f.name LIMIT 1",
    );
    let text_file = get(
        &server,
        &format!("/dataPortal/{}", readme.trim()),
        Some("gzip, br"),
        "",
    );
    assert_eq!(text_file.status, 200, "{readme}");
    assert_eq!(text_file.header("content-encoding"), None, "{readme}");
    assert_eq!(
        text_file
            .header("content-length")
            .map(|n| n.parse::<usize>().unwrap()),
        Some(text_file.body.len())
    );
    let part = get(
        &server,
        &format!("/dataPortal/{fits}"),
        Some("gzip"),
        "Range: bytes=100-199\r\n",
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-encoding"), None);
    assert_eq!(part.body.len(), 100);
}
