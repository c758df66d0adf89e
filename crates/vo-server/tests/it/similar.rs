//! Similar projects over HTTP: `/similar/projects` finds the demo's planted relatives
//! (resubmissions of one programme, in its test-only manifest), answers JSON and VOTable,
//! and says what is wrong with a bad request.

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
