//! A fleet on loopback, as `deploy/fleet` makes it — a primary with the demo, a streaming
//! replica, two nodes of this build, job results in an S3 bucket (moto's server), HAProxy in
//! front — tried by `conformance/fleet/fleet.py`: metrics parsed by Prometheus' parser, a
//! job made on one node fetched on the other from the bucket (Range, ETag), a preview made on
//! one node kept in the bucket and served by the other, reads on the
//! replica and without it, a node killed while it executes 20 jobs, a node restarted while
//! the other runs.

use std::path::Path;
use std::process::Command;

/// `deploy/fleet stop` when the test ends, however it ends.
struct Fleet<'a> {
    script: &'a Path,
    dir: &'a Path,
    port: u16,
}

impl Drop for Fleet<'_> {
    fn drop(&mut self) {
        let _ = Command::new(self.script)
            .arg("stop")
            .env("FLEET_DIR", self.dir)
            .env("FLEET_PORT", self.port.to_string())
            .env("FLEET_BIN", env!("CARGO_BIN_EXE_voarchive"))
            .output();
    }
}

/// A port such that it and the five after it are free on loopback now.
fn six_free_ports() -> u16 {
    let free = |p: u16| std::net::TcpListener::bind(("127.0.0.1", p)).is_ok();
    let mut base = 20000 + (std::process::id() % 20000) as u16;
    while !(0..6).all(|i| free(base + i)) {
        base += 7;
    }
    base
}

#[test]
fn a_fleet_survives_a_killed_node_a_stopped_replica_and_a_restart() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let script = root.join("deploy/fleet");
    // short paths: the clusters' sockets live in the fleet's directory
    let dir = tempfile::Builder::new()
        .prefix("fleet")
        .tempdir_in("/tmp")
        .unwrap();
    let port = six_free_ports();
    let settings = "[tap.async]\nworkers = 20\nworkers_per_client = 40\n\
                    [quotas.anonymous]\nactive_jobs = 200\njobs = 1000\n";
    let fleet_env = |c: &mut Command| {
        c.env("FLEET_DIR", dir.path())
            .env("FLEET_PORT", port.to_string())
            .env("FLEET_BIN", env!("CARGO_BIN_EXE_voarchive"))
            .env(
                "FLEET_DEMO",
                "--rows 1000 --files 0 --small-files on-first-access",
            )
            .env("FLEET_STORAGE", "bucket")
            .env("FLEET_NODE_SETTINGS", settings);
    };
    let _fleet = Fleet {
        script: &script,
        dir: dir.path(),
        port,
    };
    let mut start = Command::new(&script);
    fleet_env(&mut start);
    let started = start.output().unwrap();
    assert!(
        started.status.success(),
        "deploy/fleet failed:\n{}{}",
        String::from_utf8_lossy(&started.stdout),
        String::from_utf8_lossy(&started.stderr)
    );
    let mut check = Command::new(crate::common::python());
    check
        .arg(root.join("conformance/fleet/fleet.py"))
        .arg(dir.path())
        .arg(port.to_string())
        .arg(&script);
    fleet_env(&mut check);
    let out = check.output().unwrap();
    let logs = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap_or_default();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{said}");
    assert!(
        out.status.success(),
        "fleet.py failed:\n{said}\n--- node-a ---\n{}\n--- node-b ---\n{}",
        logs("node-a.log"),
        logs("node-b.log")
    );
}
