//! Throwaway clusters for integration tests: a fresh cluster in a temporary directory,
//! reachable only through its Unix socket, migrated, and removed when dropped.

use crate::PrivateCluster;
use std::sync::atomic::{AtomicU16, Ordering};
use vo_catalogue::Catalogue;

pub struct TestCluster {
    pub cluster: PrivateCluster,
    _dir: tempfile::TempDir,
}

static NEXT_PORT: AtomicU16 = AtomicU16::new(0);

/// A temporary directory for a cluster (named `prefix…`, removed when dropped) and a port
/// from `base` on, distinct per process and per cluster (with sockets only, the port merely
/// names the socket file).
fn place(prefix: &str, base: u16) -> (tempfile::TempDir, u16) {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in("/tmp")
        .expect("temporary directory");
    let port =
        base + (std::process::id() % 20000) as u16 + NEXT_PORT.fetch_add(1, Ordering::SeqCst);
    (dir, port)
}

impl TestCluster {
    /// Starts a new cluster with database `vo`, migrated to the current schema.
    pub async fn start() -> TestCluster {
        let (dir, port) = place("vo-test-pg", 20000);
        let cluster = PrivateCluster::new(dir.path().join("pg"), port, false);
        cluster.init().expect("initdb for a test cluster");
        cluster.start().expect("start a test cluster");
        cluster
            .ensure_database("vo")
            .await
            .expect("create the test database");
        let mut client = crate::connect(&cluster.connection_string("vo"))
            .await
            .expect("connect to the test cluster");
        crate::migrate(&mut client, &Catalogue::builtin())
            .await
            .expect("migrate the test database");
        TestCluster { cluster, _dir: dir }
    }

    /// A streaming replica of this cluster, started; removed when dropped.
    pub async fn start_replica(&self) -> TestCluster {
        let dir = tempfile::Builder::new()
            .prefix("vo-test-replica")
            .tempdir_in("/tmp")
            .expect("temporary directory");
        let port =
            40000 + (std::process::id() % 20000) as u16 + NEXT_PORT.fetch_add(1, Ordering::SeqCst);
        let cluster = PrivateCluster::new(dir.path().join("pg"), port, false);
        cluster
            .init_replica_of(&self.cluster)
            .expect("a base backup of the test cluster");
        cluster.start().expect("start the replica");
        TestCluster { cluster, _dir: dir }
    }

    pub fn params(&self) -> String {
        self.cluster.connection_string("vo")
    }

    pub async fn client(&self) -> tokio_postgres::Client {
        crate::connect(&self.params())
            .await
            .expect("connect to the test cluster")
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        if let Err(e) = self.cluster.stop(false) {
            eprintln!("stopping the test cluster: {e}");
        }
    }
}

/// The first column of every row of a query, as text.
pub async fn strings(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The single bigint (usually a count) a query returns.
pub async fn scalar(client: &tokio_postgres::Client, sql: &str) -> i64 {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}
