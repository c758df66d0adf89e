//! The cube viewer's reads over HTTP: `/cube/{name}` describes a product, its tiles are the
//! channel's pixels (the same values the spectrum under a pixel gives), region statistics
//! agree with the tiles, the cutout link of a box cuts exactly that box and those channels
//! with SODA, bad parameters get errors that name them, and a proprietary cube is not shown
//! to an anonymous caller.

use crate::common;

use common::DemoServer;

/// GET with the response's headers: (status, content type, X-Tiles, body, Cache-Control).
fn fetch(server: &DemoServer, path: &str) -> (u16, String, Option<usize>, Vec<u8>, Option<String>) {
    let response = match ureq::get(&server.url(path)).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("GET {path}: {e}"),
    };
    let status = response.status();
    let content_type = response.content_type().to_string();
    let count = response.header("X-Tiles").map(|n| n.parse().unwrap());
    let cache = response.header("Cache-Control").map(str::to_string);
    let mut body = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut body).unwrap();
    (status, content_type, count, body, cache)
}

/// The tiles of a `/tiles` answer: ((column, row), width, height, values).
fn tiles_of(bytes: &[u8]) -> Vec<((u32, u32), usize, usize, Vec<f32>)> {
    let mut out = Vec::new();
    let mut at = 0;
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    while at < bytes.len() {
        let (tx, ty, w, h) = (
            u32_at(at),
            u32_at(at + 4),
            u32_at(at + 8) as usize,
            u32_at(at + 12) as usize,
        );
        at += 16;
        let values = bytes[at..at + w * h * 4]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        at += w * h * 4;
        out.push(((tx, ty), w, h, values));
    }
    out
}

fn json(server: &DemoServer, path: &str) -> (u16, serde_json::Value) {
    let (status, body) = server.get(path);
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
    )
}

/// The integer value of a FITS header card in the first 2880-byte blocks.
fn card(fits: &[u8], keyword: &str) -> Option<i64> {
    fits.chunks(80).take(36 * 4).find_map(|c| {
        let text = String::from_utf8_lossy(c);
        let (key, value) = text.split_once('=')?;
        (key.trim() == keyword).then(|| value.split('/').next().unwrap().trim().parse().ok())?
    })
}

#[test]
fn the_viewer_reads_tiles_spectra_and_regions_of_a_cube_and_cuts_out_the_view() {
    let server = DemoServer::start_full(300, 0, "");
    let cube = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.name LIKE '%\\_sci.spw%.cube.I.pbcor.fits' AND m.release_date <= now() ORDER BY f.name LIMIT 1",
    );
    let cube = cube.trim();
    let (status, info) = json(&server, &format!("/cube/{cube}"));
    assert_eq!(status, 200, "{info}");
    let (nx, ny, channels) = (
        info["nx"].as_u64().unwrap() as usize,
        info["ny"].as_u64().unwrap() as usize,
        info["channels"].as_u64().unwrap() as usize,
    );
    assert!(channels >= 8, "{info}");
    assert_eq!(info["frequency_ghz"].as_array().unwrap().len(), channels);
    assert_eq!(
        info["velocity_kms"].as_array().unwrap().len(),
        channels,
        "the demo's cubes carry RESTFRQ"
    );
    assert_eq!(info["unit"], "Jy/beam");
    assert!(info["beam"]["major_arcsec"].as_f64().unwrap() > 0.0);
    assert_eq!(info["levels"].as_u64().unwrap() as usize, vo_levels(nx, ny));
    assert!(info["download"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/dataPortal/{cube}")));

    // a tile: the channel's pixels, the same values as the spectra through them
    let channel = channels / 2;
    let (status, content_type, count, bytes, cache) = fetch(
        &server,
        &format!("/cube/{cube}/tiles?channel={channel}&level=0&x0=0&y0=0"),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(content_type, "application/octet-stream");
    assert_eq!(cache.as_deref(), Some("public, max-age=86400"));
    assert_eq!(count, Some(1));
    let mut answer = tiles_of(&bytes);
    assert_eq!(answer.len(), 1);
    let ((tx, ty), width, height, tile) = answer.remove(0);
    assert_eq!((tx, ty), (0, 0));
    assert_eq!((width, height), (nx.min(256), ny.min(256)));
    assert_eq!(bytes.len(), 16 + width * height * 4);
    for (x, y) in [(0, 0), (nx / 2, ny / 3), (nx - 1, ny - 1)] {
        let (status, spectrum) = json(&server, &format!("/cube/{cube}/spectrum?x={x}&y={y}"));
        assert_eq!(status, 200, "{spectrum}");
        let values = spectrum["values"].as_array().unwrap();
        assert_eq!(values.len(), channels);
        let from_tile = tile[y * width + x];
        match values[channel].as_f64() {
            Some(v) => assert_eq!(v as f32, from_tile, "pixel ({x}, {y})"),
            None => assert!(
                from_tile.is_nan(),
                "pixel ({x}, {y}) is blank in the spectrum"
            ),
        }
        assert!(spectrum["ra"].as_f64().is_some() && spectrum["dec"].as_f64().is_some());
    }
    // the overview level (when there is one) averages the same pixels
    let (status, _, _, bytes, _) = fetch(
        &server,
        &format!(
            "/cube/{cube}/tiles?channel=0&level={}&x0=0&y0=0",
            vo_levels(nx, ny) - 1
        ),
    );
    assert_eq!(status, 200);
    assert!(tiles_of(&bytes)[0].1 <= 256);

    // statistics of a box agree with the tile's values
    let (x0, y0, x1, y1) = (nx / 4, ny / 4, nx / 2, ny / 2);
    let (status, stats) = json(
        &server,
        &format!(
            "/cube/{cube}/stats?channel={channel}&x0={x0}&y0={y0}&x1={x1}&y1={y1}&first=2&last=5"
        ),
    );
    assert_eq!(status, 200, "{stats}");
    let inside: Vec<f64> = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| tile[y * width + x] as f64)
        .filter(|v| v.is_finite())
        .collect();
    assert_eq!(
        stats["pixels"].as_u64().unwrap() as usize,
        (x1 - x0) * (y1 - y0)
    );
    let mean = inside.iter().sum::<f64>() / inside.len() as f64;
    assert!(
        (stats["mean"].as_f64().unwrap() - mean).abs() < 1e-6 * mean.abs().max(1e-6),
        "{stats} vs {mean}"
    );
    let max = inside.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    assert!((stats["max"].as_f64().unwrap() - max).abs() < 1e-6);
    assert!(
        stats["flux_jy"].as_f64().is_some(),
        "Jy/beam with a beam: a flux density"
    );

    // the cutout of that box, channels 2 to 5: exactly those pixels and channels
    let cutout = stats["cutout"].as_str().unwrap();
    let path = cutout
        .strip_prefix(&server.base())
        .unwrap_or_else(|| panic!("{cutout}"));
    assert!(
        path.starts_with(&format!("/soda/sync?ID={cube}&POLYGON=")),
        "{path}"
    );
    let (status, fits) = server.get_bytes(path);
    assert_eq!(
        status,
        200,
        "{}",
        String::from_utf8_lossy(&fits[..fits.len().min(400)])
    );
    assert!(fits.starts_with(b"SIMPLE"));
    assert_eq!(card(&fits, "NAXIS1"), Some((x1 - x0) as i64), "{path}");
    assert_eq!(card(&fits, "NAXIS2"), Some((y1 - y0) as i64), "{path}");
    assert_eq!(card(&fits, "NAXIS3"), Some(4), "channels 2..=5: {path}");
    // without a channel range the cutout keeps every channel
    let (_, whole_band) = json(
        &server,
        &format!("/cube/{cube}/stats?channel=0&x0={x0}&y0={y0}&x1={x1}&y1={y1}"),
    );
    assert!(
        !whole_band["cutout"].as_str().unwrap().contains("BAND="),
        "{whole_band}"
    );

    // bad parameters are named, with the valid range
    let (status, error) = json(
        &server,
        &format!("/cube/{cube}/tiles?channel={channels}&level=0&x0=0&y0=0"),
    );
    assert_eq!(status, 400);
    assert_eq!(
        error["error"],
        format!(
            "channel={channels} is out of range: the cube has {channels} channels, 0 to {}",
            channels - 1
        )
    );
    let (status, error) = json(&server, &format!("/cube/{cube}/tiles?channel=0&x0=0&y0=0"));
    assert_eq!(status, 400);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .starts_with("level is missing"),
        "{error}"
    );
    let (status, error) = json(
        &server,
        &format!("/cube/{cube}/tiles?channel=0&level=0&x0=1&x1=0&y0=0"),
    );
    assert_eq!(status, 400);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("x0=1 is above x1=0"),
        "{error}"
    );
    let (status, error) = json(&server, &format!("/cube/{cube}/spectrum?x=a&y=0"));
    assert_eq!(status, 400);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("x=\"a\" is not a whole number"),
        "{error}"
    );
    let (status, error) = json(
        &server,
        &format!(
            "/cube/{cube}/stats?channel=0&x0={}&y0=0&x1={}&y1=5",
            nx + 10,
            nx + 20
        ),
    );
    assert_eq!(status, 400);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("no pixel of the image"),
        "{error}"
    );
    let (status, _) = json(&server, "/cube/no-such-file.fits");
    assert_eq!(status, 404);
    let package = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.content_type <> 'application/fits' AND f.path IS NOT NULL AND m.release_date <= now() ORDER BY f.name LIMIT 1",
    );
    let (status, error) = json(&server, &format!("/cube/{}", package.trim()));
    assert_eq!(status, 404, "{error}");

    // a proprietary cube is not shown to an anonymous caller (the access matrix tries every
    // kind of caller)
    let proprietary = server.psql(
        "SELECT f.name FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.name LIKE '%.cube.I.pbcor.fits' AND f.path IS NOT NULL AND m.release_date > now() ORDER BY f.name LIMIT 1",
    );
    let proprietary = proprietary.trim();
    assert!(!proprietary.is_empty(), "the demo has proprietary cubes");
    for path in [
        format!("/cube/{proprietary}"),
        format!("/cube/{proprietary}/tiles?channel=0&level=0&x0=0&y0=0"),
        format!("/cube/{proprietary}/spectrum?x=0&y=0"),
    ] {
        let (status, _, _, body, _) = fetch(&server, &path);
        assert_eq!(status, 401, "{path}");
        assert!(
            String::from_utf8_lossy(&body).contains("proprietary"),
            "{path}"
        );
    }
}

/// The tile levels of an `nx` × `ny` plane, worked out here independently.
fn vo_levels(nx: usize, ny: usize) -> usize {
    let mut side = nx.max(ny);
    let mut levels = 1;
    while side > 256 {
        side = side.div_ceil(2);
        levels += 1;
    }
    levels
}
