//! Similar projects and images over HTTP: `/similar/projects` finds the demo's planted
//! relatives (resubmissions of one programme, in its test-only manifest), and ADQL finds
//! the same in `alma.similar_project`; `/similar/images` ranks the demo's released images
//! by shape (its manifest's classes), re-ranks by several, groups them and draws their
//! thumbnails; both answer JSON and VOTable and say what is wrong with a bad request.

use crate::common;

use common::DemoServer;

#[test]
fn similar_projects_find_the_planted_relatives() {
    let server = DemoServer::start(5000, 0, "");
    let manifest = std::fs::read_to_string(server.dir.path().join("demo-project-families.tsv"))
        .expect("the demo writes its families' manifest");
    let families: Vec<Vec<String>> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            l.split('\t')
                .nth(1)
                .unwrap()
                .split(',')
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert!(!families.is_empty(), "{manifest}");
    let similar = |code: &str| -> (u16, serde_json::Value) {
        let started = std::time::Instant::now();
        loop {
            let (status, body) = server.get(&format!("/similar/projects?code={code}&n=10"));
            // the index is built in the background when the server starts
            if status != 503 || started.elapsed().as_secs() > 30 {
                return (status, serde_json::from_str(&body).unwrap());
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };
    let (mut wanted, mut found) = (0, 0);
    for family in &families {
        for code in family {
            let (status, answer) = similar(code);
            assert_eq!(status, 200, "{answer}");
            let codes: Vec<&str> = answer["similar"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["code"].as_str().unwrap())
                .collect();
            assert!(
                !codes.contains(&code.as_str()),
                "{code} is not its own relative"
            );
            assert!(codes.len() <= 10);
            for relative in family.iter().filter(|c| *c != code) {
                wanted += 1;
                found += usize::from(codes.contains(&relative.as_str()));
            }
            assert!(answer["query_link"]
                .as_str()
                .unwrap()
                .starts_with("/#project="));
        }
    }
    assert!(
        found as f64 >= 0.9 * wanted as f64,
        "{found} of {wanted} relatives"
    );
    // VOTable, for TOPCAT and pyvo
    let code = &families[0][0];
    let (status, votable) = server.get(&format!(
        "/similar/projects?code={code}&n=5&RESPONSEFORMAT=votable"
    ));
    assert_eq!(status, 200, "{votable}");
    assert!(
        votable.contains("<FIELD name=\"proposal_id\"") && votable.matches("<TR>").count() == 5,
        "{votable}"
    );
    // the same ranking from ADQL, once the server has written every project's list
    let started = std::time::Instant::now();
    while server.psql("SELECT count(DISTINCT proposal_code) = (SELECT count(*) FROM archive.project) FROM alma.similar_project").trim() != "t" {
        assert!(started.elapsed().as_secs() < 60, "alma.similar_project is not filled");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let (status, body) = server.post(
        "/tap/sync",
        &[
            ("LANG", "ADQL"),
            ("FORMAT", "csv"),
            (
                "QUERY",
                &format!("SELECT similar_proposal_code FROM alma.similar_project WHERE proposal_code = '{code}' ORDER BY similar_rank"),
            ),
        ],
    );
    assert_eq!(status, 200, "{body}");
    let from_adql: Vec<&str> = body.lines().skip(1).map(str::trim).collect();
    let (_, answer) = similar(code);
    let from_endpoint: Vec<&str> = answer["similar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(from_adql, from_endpoint);
    // what is wrong, said
    let (status, body) = server.get("/similar/projects?code=1999.1.00000.S");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("no project is called"), "{body}");
    let (status, body) = server.get(&format!("/similar/projects?code={code}&n=0"));
    assert_eq!(status, 400, "{body}");
    let (status, body) = server.get("/similar/projects");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("code="), "{body}");
}

fn dot(a: &serde_json::Value, b: &serde_json::Value) -> f64 {
    a.as_array()
        .unwrap()
        .iter()
        .zip(b.as_array().unwrap())
        .map(|(x, y)| x.as_f64().unwrap() * y.as_f64().unwrap())
        .sum()
}

#[test]
fn similar_images_rank_the_demo_by_shape() {
    let server = DemoServer::start_full(1500, 0, "[similarity]\nrefresh_seconds = 1\n");
    // every released science image is measured in the background when the server starts
    let ranked = server.images_measured();
    assert!(ranked > 500, "{ranked}");
    // proprietary images are not measured (their pixels are the PI's), though there are some
    let proprietary = server.psql(
        "SELECT count(*) FROM archive.image_feature i JOIN archive.member_ous m ON m.uid = i.member_ous_uid \
         WHERE NOT (m.release_date <= now())",
    );
    assert_eq!(proprietary.trim(), "0");
    let unreleased_files = server.psql(
        "SELECT count(*) FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
         WHERE f.kind = 'product' AND f.content_type = 'application/fits' AND NOT (m.release_date <= now())",
    );
    assert_ne!(unreleased_files.trim(), "0");
    let ask = |query: &str| -> serde_json::Value {
        let started = std::time::Instant::now();
        loop {
            let (status, body) = server.get(&format!("/similar/images?{query}"));
            let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
            // the index is reloaded once the last images are recorded
            if status == 200 && answer["indexed"].as_u64() == Some(ranked as u64) {
                return answer;
            }
            assert!(
                (status == 503 || status == 200) && started.elapsed().as_secs() < 60,
                "{status} {body}"
            );
            std::thread::sleep(std::time::Duration::from_millis(300));
        }
    };
    let manifest = std::fs::read_to_string(server.dir.path().join("demo-morphology.tsv"))
        .expect("the demo writes its morphology manifest");
    let class_of: std::collections::HashMap<String, String> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[3].to_string())
        })
        .collect();
    // member.uid___….<source>_sci.spw….fits → the manifest's key
    let source_of = |name: &str| name.split("_sci.").next().unwrap().to_string() + "_sci";
    let continuum: Vec<String> = server
        .psql(
            "SELECT name FROM archive.image_feature WHERE features IS NOT NULL AND plane = 'continuum' \
             ORDER BY md5(name) LIMIT 60",
        )
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    let (mut hits, mut asked) = (0, 0);
    for name in &continuum {
        let answer = ask(&format!("id={name}&n=60"));
        let images = answer["images"].as_array().unwrap();
        assert_eq!(images.len(), 61, "the selected image and 60 ranked");
        assert_eq!(images[0]["name"], name.as_str());
        assert_eq!(images[0]["selected"], true);
        let scores: Vec<f64> = images[1..]
            .iter()
            .map(|i| i["score"].as_f64().unwrap())
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        // the ten best from other sources (a source's own cubes share its shape)
        let mine = &class_of[&source_of(name)];
        let others: Vec<&serde_json::Value> = images[1..]
            .iter()
            .filter(|i| source_of(i["name"].as_str().unwrap()) != source_of(name))
            .take(10)
            .collect();
        asked += others.len();
        hits += others
            .iter()
            .filter(|i| &class_of[&source_of(i["name"].as_str().unwrap())] == mine)
            .count();
    }
    let precision = hits as f64 / asked as f64;
    println!(
        "precision@10 over {} continuum images of the demo: {precision:.3}",
        continuum.len()
    );
    // measured: 0.985 (the target is 0.8; see the README's figures)
    assert!(precision >= 0.9, "precision@10 {precision}");

    // several selected: ranked by the mean of their cosines, in the answer's own vectors
    let (a, b) = (&continuum[0], &continuum[1]);
    let joint = ask(&format!("id={a}&id={b}&n=1000"));
    let images = joint["images"].as_array().unwrap();
    assert_eq!(images.len(), 2 + 1000.min(ranked - 2));
    assert!(images[0]["selected"] == true && images[1]["selected"] == true);
    for image in &images[2..12] {
        let mean = (dot(&images[0]["vector"], &image["vector"])
            + dot(&images[1]["vector"], &image["vector"]))
            / 2.0;
        assert!(
            (mean - image["score"].as_f64().unwrap()).abs() < 2e-3,
            "{mean} {}",
            image["score"]
        );
    }
    let single = ask(&format!("id={a}&n=1000"));
    assert_ne!(
        single["images"][1]["name"], joint["images"][2]["name"],
        "selecting a second image changes the order"
    );
    // the five largest groups: disjoint, biggest first, each shown by one of its members
    let groups = joint["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 5);
    let sizes: Vec<u64> = groups.iter().map(|g| g["size"].as_u64().unwrap()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    let mut seen = std::collections::HashSet::new();
    for (k, g) in groups.iter().enumerate() {
        let members = g["members"].as_array().unwrap();
        assert_eq!(members.len() as u64, g["size"].as_u64().unwrap());
        assert_eq!(members[0], g["representative"]);
        for m in members {
            let m = m.as_u64().unwrap() as usize;
            assert!(seen.insert(m) && m >= 2, "{m}");
            assert_eq!(images[m]["group"].as_u64(), Some(k as u64 + 1));
        }
    }
    // the thumbnails, in the answer's order on one sheet
    let (status, png) = server.get_bytes(joint["sheet"].as_str().unwrap());
    assert_eq!(status, 200);
    let artifacts =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    std::fs::write(artifacts.join("similar-images-sheet.png"), &png).unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let (columns, side) = (
        joint["sheet_columns"].as_u64().unwrap() as u32,
        joint["thumbnail_pixels"].as_u64().unwrap() as u32,
    );
    assert_eq!(reader.info().width, columns * side);
    assert_eq!(
        reader.info().height,
        (images.len() as u32).div_ceil(columns) * side
    );
    // every tile shows its image: something other than the blank grey in each
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.line_size / frame.width as usize;
    let drawn = (0..images.len())
        .filter(|k| {
            let (left, top) = ((*k as u32 % columns) * side, (*k as u32 / columns) * side);
            (0..side * side).any(|p| {
                let (x, y) = (left + p % side, top + p / side);
                let at = y as usize * frame.line_size + x as usize * channels;
                pixels[at..at + 3] != [128, 128, 128]
            })
        })
        .count();
    assert_eq!(drawn, images.len(), "tiles with their image drawn");
    assert!(joint["query_link"].as_str().unwrap().starts_with("/#mous="));
    // VOTable, for TOPCAT and pyvo
    let (status, votable) = server.get(&format!(
        "/similar/images?id={a}&n=5&RESPONSEFORMAT=votable"
    ));
    assert_eq!(status, 200, "{votable}");
    assert!(
        votable.contains("<FIELD name=\"similarity\"") && votable.matches("<TR>").count() == 6,
        "{votable}"
    );
    // what is wrong, said
    let (status, body) = server.get("/similar/images");
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("id="), "{body}");
    let (status, body) =
        server.get("/similar/images?id=member.uid___A001_X0_X0.nothing_sci.spw1.cont.I.pbcor.fits");
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("similarity index"), "{body}");
    let (status, body) = server.get(&format!("/similar/images?id={a}&n=1001"));
    assert_eq!(status, 400, "{body}");
    // an observation, as the page's rows know it (member OUS and source): its continuum image
    let (mous, source) = (
        single["images"][0]["member_ous_uid"].as_str().unwrap(),
        single["images"][0]["source"].as_str().unwrap(),
    );
    let by_observation = ask(&format!(
        "mous={}&source={}&n=5",
        mous.replace('/', "%2F").replace(':', "%3A"),
        source.replace('+', "%2B")
    ));
    assert_eq!(by_observation["selected"][0], a.as_str());
    let (status, body) =
        server.get("/similar/images?mous=uid%3A%2F%2FA001%2FX0%2FX0&source=nothing");
    assert_eq!(status, 404, "{body}");
}
