//! Asynchronous jobs survive a crash: the server is killed with SIGKILL while jobs are
//! queued and executing; after a restart every job ends COMPLETED or ERROR (with its
//! reason), none is lost and none stays QUEUED or EXECUTING.

mod common;

use common::DemoServer;
use std::time::{Duration, Instant};

/// A query that keeps a worker busy for a few seconds on the demo archive.
const SLOW: &str =
    "SELECT COUNT(*) AS n FROM ivoa.obscore AS a, ivoa.obscore AS b, ivoa.obscore AS c \
                    WHERE a.s_ra < b.s_ra AND b.s_dec < c.s_dec AND c.t_min > a.t_min";
const QUICK: &str = "SELECT TOP 5 obs_id FROM ivoa.obscore ORDER BY obs_id";

/// Creates a job with PHASE=RUN and returns its id (from the 303's Location).
fn submit(server: &DemoServer, query: &str, seconds: u32) -> String {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let response = agent
        .post(&server.url("/tap/async"))
        .send_form(&[
            ("LANG", "ADQL"),
            ("QUERY", query),
            ("PHASE", "RUN"),
            ("EXECUTIONDURATION", &seconds.to_string()),
        ])
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.header("Location").unwrap().to_string();
    location.rsplit('/').next().unwrap().to_string()
}

fn phase(server: &DemoServer, job: &str) -> String {
    let (status, body) = server.get(&format!("/tap/async/{job}/phase"));
    assert_eq!(status, 200, "job {job} is gone: {body}");
    body.trim().to_string()
}

#[test]
fn jobs_end_after_the_server_is_killed_and_restarted() {
    let mut server = DemoServer::start(1500, 0, "[tap.async]\nworkers = 2\n");
    let mut jobs: Vec<(String, &str)> = Vec::new();
    for i in 0..12 {
        let (query, seconds) = if i % 3 == 0 { (SLOW, 8) } else { (QUICK, 60) };
        jobs.push((submit(&server, query, seconds), query));
    }
    // wait until the workers are busy with something
    let started = Instant::now();
    while !jobs.iter().any(|(j, _)| phase(&server, j) == "EXECUTING") {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no job started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let before: Vec<String> = jobs.iter().map(|(j, _)| phase(&server, j)).collect();
    server.kill();
    server.serve();

    let deadline = Instant::now() + Duration::from_secs(180);
    let mut finals = Vec::new();
    for (job, query) in &jobs {
        let end = loop {
            let p = phase(&server, job);
            if matches!(p.as_str(), "COMPLETED" | "ERROR") {
                break p;
            }
            assert!(
                Instant::now() < deadline,
                "job {job} still {p} after the restart\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        };
        if end == "ERROR" {
            let (status, body) = server.get(&format!("/tap/async/{job}/error"));
            assert_eq!(status, 200);
            assert!(
                body.contains("QUERY_STATUS") && body.contains("ERROR\">") && body.len() > 200,
                "an error job says why: {body}"
            );
        } else {
            let (status, body) = server.get(&format!("/tap/async/{job}/results/result"));
            assert_eq!(status, 200, "{body}");
            if *query == QUICK {
                assert_eq!(body.matches("<TR>").count(), 5, "{body}");
            }
        }
        finals.push(end);
    }
    println!("phases before the kill: {before:?}\nafter the restart: {finals:?}");
    // every quick job was either done before the kill or run after it
    for ((_, query), end) in jobs.iter().zip(&finals) {
        if *query == QUICK {
            assert_eq!(end, "COMPLETED");
        }
    }
    assert!(
        server.log().contains("jobs interrupted by the last stop"),
        "the restart recovered the interrupted jobs\n{}",
        server.log()
    );
}
