//! DataLink and downloads over HTTP against a demo archive with files: the real clients
//! (pyvo, astroquery.alma, the download script) in conformance/datalink/clients.py,
//! `stilts datalinklint` over IDs of every kind, and the download headers byte for byte.

use crate::common;

use common::{run_script, DemoServer};
use std::process::Command;

/// stilts 3.4.7 (Debian 12's) checks semantics against a list of DataLink core terms fixed in
/// its code before `documentation` joined the vocabulary (VEP-002, 2019); ALMA labels the
/// README `#documentation`, so that one report is the tool's, not the document's.
fn is_stale_vocabulary_report(line: &str) -> bool {
    line.starts_with("E-SMCO-")
        && line.contains(" Unknown predicate 'documentation' from core DataLink vocabulary")
}

fn datalinklint(url: &str) -> (Vec<String>, String) {
    let out = Command::new("stilts")
        .arg("datalinklint")
        .arg(format!("votable={url}"))
        .output()
        .expect("stilts (Debian package stilts) is needed for the conformance tests");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let problems = text
        .lines()
        .filter(|l| l.starts_with("E-") || l.starts_with("W-") || l.starts_with("F-"))
        .filter(|l| !is_stale_vocabulary_report(l))
        .map(String::from)
        .collect();
    (problems, text)
}

fn encode(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

#[test]
fn clients_and_datalinklint() {
    let server = DemoServer::start(2000, 6, "");
    // outside the data directory, where the script looks for the originals
    let work = tempfile::tempdir().unwrap();
    let work = work.path().join("clients");
    let out = run_script(
        &server,
        "datalink/clients.py",
        &[server.dir.path().to_str().unwrap(), work.to_str().unwrap()],
    );
    println!("{out}");
    // the resumed download was a 206 for the rest of the file, appended by astroquery
    let resumed = out
        .lines()
        .find_map(|l| l.strip_prefix("RESUMED "))
        .expect("the script reports what it resumed");
    let name = resumed.split(' ').next().unwrap();
    assert!(
        server
            .log()
            .lines()
            .any(|l| l.contains(&format!("/dataPortal/{name}")) && l.contains("status=206")),
        "no 206 for {name} in the server log"
    );

    let ids: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    let mut urls = Vec::new();
    for (kind, list) in ids.as_object().unwrap() {
        for id in list.as_array().unwrap() {
            let id = id.as_str().unwrap();
            urls.push((
                format!("{kind} {id}"),
                server.url(&format!("/datalink/sync?ID={}", encode(id))),
            ));
        }
    }
    let all: Vec<String> = ids
        .as_object()
        .unwrap()
        .values()
        .flat_map(|l| {
            l.as_array()
                .unwrap()
                .iter()
                .map(|i| encode(i.as_str().unwrap()))
        })
        .collect();
    urls.push((
        "every ID in one request".into(),
        server.url(&format!("/datalink/sync?ID={}", all.join("&ID="))),
    ));
    assert!(urls.len() >= 16, "IDs of every kind: {urls:?}");
    let mut failures = Vec::new();
    for (what, url) in &urls {
        let (problems, text) = datalinklint(url);
        assert!(
            text.contains("Totals:"),
            "datalinklint did not finish for {what}:\n{text}"
        );
        if !problems.is_empty() {
            failures.push(format!("{what}:\n{}", problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "datalinklint:\n{}",
        failures.join("\n")
    );
}

#[test]
fn download_headers_ranges_and_refusals() {
    let server = DemoServer::start(600, 3, "");
    // a released README and its size, through DataLink
    let (status, body) = server.get("/tap/sync?LANG=ADQL&QUERY=SELECT%20DISTINCT%20member_ous_uid%20FROM%20ivoa.obscore%20WHERE%20data_rights%3D%27Public%27");
    assert_eq!(status, 200, "{body}");
    let uids: Vec<&str> = body
        .split("<TD>")
        .skip(1)
        .map(|c| c.split("</TD>").next().unwrap())
        .collect();
    let readme = uids
        .iter()
        .find_map(|uid| {
            let (_, links) = server.get(&format!("/datalink/sync?ID={}", encode(uid)));
            links
                .split("<TD>")
                .filter_map(|c| c.split("</TD>").next())
                .find(|c| c.ends_with(".README.txt"))
                .map(String::from)
        })
        .expect("a released member OUS with files");
    let name = readme.rsplit('/').next().unwrap().to_string();
    let original = walk(server.dir.path(), &name).expect("the README is on disk");
    let bytes = std::fs::read(&original).unwrap();

    let head = ureq::head(&readme).call().unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.header("Content-Disposition").unwrap(),
        format!("attachment; filename={name}")
    );
    assert_eq!(
        head.header("Content-Length").unwrap(),
        bytes.len().to_string()
    );
    assert_eq!(head.header("Accept-Ranges").unwrap(), "bytes");
    assert_eq!(head.header("Content-Type").unwrap(), "text/plain");
    let etag = head.header("ETag").unwrap().to_string();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");

    let part = ureq::get(&readme)
        .set("Range", "bytes=10-19")
        .call()
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.header("Content-Range").unwrap(),
        format!("bytes 10-19/{}", bytes.len())
    );
    let mut got = Vec::new();
    std::io::Read::read_to_end(&mut part.into_reader(), &mut got).unwrap();
    assert_eq!(got, &bytes[10..20]);

    let tail = ureq::get(&readme).set("Range", "bytes=-5").call().unwrap();
    assert_eq!(
        tail.into_string().unwrap().as_bytes(),
        &bytes[bytes.len() - 5..]
    );

    match ureq::get(&readme)
        .set("Range", &format!("bytes={}-", bytes.len()))
        .call()
    {
        Err(ureq::Error::Status(416, r)) => {
            assert_eq!(
                r.header("Content-Range").unwrap(),
                format!("bytes */{}", bytes.len())
            )
        }
        other => panic!("a range past the end is 416: {other:?}"),
    }
    // a range for another version of the file is answered with the whole file
    let whole = ureq::get(&readme)
        .set("Range", "bytes=0-4")
        .set("If-Range", "\"another-version\"")
        .call()
        .unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.into_string().unwrap().as_bytes(), &bytes[..]);
    let cached = ureq::get(&readme)
        .set("If-None-Match", &etag)
        .call()
        .unwrap();
    assert_eq!(cached.status(), 304);

    // what a request sends cannot become a command in the script
    let uid = uids
        .iter()
        .find(|uid| {
            server
                .get(&format!("/dataPortal/script?ID={}", encode(uid)))
                .0
                == 200
        })
        .expect("a released member OUS with files");
    let (status, script) = server.get(&format!(
        "/dataPortal/script?ID={}&ID=x%0Aecho%20injected",
        encode(uid)
    ));
    assert_eq!(status, 200, "{script}");
    assert!(script.starts_with("#!/usr/bin/env bash\n"));
    assert!(script.contains("x?echo injected"), "{script}");
    assert!(
        !script
            .lines()
            .any(|l| l.trim_start().starts_with("echo injected")),
        "{script}"
    );
    match ureq::get(&server.url(&format!("/dataPortal/script?ID={}", encode(uid))))
        .set("Host", "x$(touch${IFS}oops)")
        .call()
    {
        // refused before the script is written: the service answers only to its own names
        Err(ureq::Error::Status(400, r)) => {
            assert!(r
                .into_string()
                .unwrap()
                .contains("is not a host name with an optional port"))
        }
        other => panic!("a Host that is not a plain address is refused: {other:?}"),
    }

    for (path, status, words) in [
        (
            "/dataPortal/..%2F..%2Fetc%2Fpasswd",
            404,
            "no file is called",
        ),
        ("/dataPortal/nothing.fits", 404, "no file is called"),
        ("/dataPortal/script", 400, "give 1 to"),
    ] {
        let (got, body) = server.get(path);
        assert_eq!(got, status, "{path}: {body}");
        assert!(
            body.contains(words) && body.contains("QUERY_STATUS"),
            "{path}: {body}"
        );
    }
}

fn walk(dir: &std::path::Path, name: &str) -> Option<std::path::PathBuf> {
    for entry in std::fs::read_dir(dir).ok()? {
        let path = entry.ok()?.path();
        if path.is_dir() {
            if let Some(found) = walk(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

/// The cells of one column, by position, in a TABLEDATA document's rows.
fn cells(document: &str, column: usize) -> Vec<String> {
    document
        .split("<TR>")
        .skip(1)
        .filter_map(|row| {
            let cell = row.split("<TD").nth(column + 1)?;
            let text = cell.strip_prefix('>')?.split("</TD>").next()?;
            Some(text.to_string())
        })
        .collect()
}

#[test]
fn previews_are_made_once_and_served_as_png() {
    let server = DemoServer::start(600, 3, "");
    let (_, body) = server.get("/tap/sync?LANG=ADQL&QUERY=SELECT%20DISTINCT%20member_ous_uid%20FROM%20ivoa.obscore%20WHERE%20data_rights%3D%27Public%27");
    let preview = cells(&body, 0)
        .iter()
        .find_map(|uid| {
            let (_, top) = server.get(&format!("/datalink/sync?ID={}", encode(uid)));
            let package = cells(&top, 1)
                .into_iter()
                .find(|u| u.ends_with("_001_of_001.tar"))?;
            let name = package.rsplit('/').next()?.to_string();
            let (_, listing) = server.get(&format!("/datalink/sync?ID={name}"));
            let urls = cells(&listing, 1);
            let peak = urls
                .iter()
                .find(|u| u.contains(".cube.") && u.ends_with("/peak.png"))?;
            let image = urls
                .iter()
                .find(|u| u.contains(".cont.") && u.ends_with(".fits"))?;
            Some((peak.clone(), image.rsplit('/').next()?.to_string()))
        })
        .expect("a released cube and continuum image with previews listed in DataLink");
    let (preview, image) = preview;
    let cube = preview
        .split("/preview/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    for kind in ["peak", "continuum", "spectrum"] {
        let url = server.url(&format!("/preview/{cube}/{kind}.png"));
        let response = ureq::get(&url).call().unwrap();
        assert_eq!(response.header("Content-Type"), Some("image/png"));
        let mut png = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut png).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{kind}");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert!(width >= 256 && height >= 200, "{kind}: {width}x{height}");
        let cached = server
            .dir
            .path()
            .join("previews")
            .join(&cube)
            .join(format!("{kind}.png"));
        assert_eq!(
            std::fs::read(&cached).unwrap(),
            png,
            "{kind} is cached as served"
        );
        let mut again = Vec::new();
        std::io::Read::read_to_end(
            &mut ureq::get(&url).call().unwrap().into_reader(),
            &mut again,
        )
        .unwrap();
        assert_eq!(again, png);
    }
    let (status, body) = server.get(&format!("/preview/{cube}/moment8.png"));
    assert_eq!(status, 404);
    assert!(
        body.contains("peak.png, continuum.png and spectrum.png"),
        "{body}"
    );
    // a single-channel image has no spectrum; the message says why and names no server path
    let (status, body) = server.get(&format!("/preview/{image}/spectrum.png"));
    assert_eq!(status, 404);
    assert!(
        body.contains("one channel") && !body.contains(server.dir.path().to_str().unwrap()),
        "{body}"
    );
    let (status, _) = server.get(&format!("/preview/{image}/continuum.png"));
    assert_eq!(status, 200);
}
