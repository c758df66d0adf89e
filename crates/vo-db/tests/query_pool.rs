//! Query sessions: a connection of the query pool is the query role, read only, with the
//! fixed search path and the pool's time limit, from the moment it opens.

use std::time::Duration;
use vo_db::testing::TestCluster;

/// The database's own words for an error.
fn message(e: tokio_postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}

#[tokio::test]
async fn a_query_session_is_the_query_role_read_only_and_time_limited() {
    let db = TestCluster::start().await;
    let sessions = vo_db::make_query_pool(
        &db.params(),
        2,
        1,
        "voarchive_query",
        Duration::from_millis(1500),
    )
    .unwrap();
    let client = sessions.get().await.unwrap();
    let row = client
        .query_one(
            "SELECT current_user::text, current_setting('search_path'), \
             current_setting('default_transaction_read_only'), current_setting('statement_timeout')",
            &[],
        )
        .await
        .unwrap();
    let settings: (String, String, String, String) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    assert_eq!(
        settings,
        (
            "voarchive_query".into(),
            "pg_catalog,public,pg_temp".into(),
            "on".into(),
            "1500ms".into()
        )
    );
    // it reads the published tables, not the archive's own, and writes nothing
    client
        .query_one("SELECT count(*) FROM ivoa.obscore", &[])
        .await
        .unwrap();
    let refused = client
        .query_one("SELECT count(*) FROM archive.project", &[])
        .await
        .map(|_| ())
        .map_err(message)
        .unwrap_err();
    assert!(refused.contains("permission denied"), "{refused}");
    let refused = client
        .batch_execute("CREATE TABLE public.anything (a int)")
        .await
        .map_err(message)
        .unwrap_err();
    assert!(refused.contains("read-only"), "{refused}");
    // and a statement past its time is cancelled
    let slow = client
        .batch_execute("SELECT pg_sleep(5)")
        .await
        .map_err(message)
        .unwrap_err();
    assert!(slow.contains("statement timeout"), "{slow}");
    // a role name that is not plain is refused before any connection
    assert!(
        vo_db::make_query_pool(&db.params(), 1, 1, "x -c fsync=off", Duration::from_secs(1))
            .is_err()
    );
}

/// The server process behind a session.
async fn backend(client: &tokio_postgres::Client) -> i32 {
    let row = client.query_one("SELECT pg_backend_pid()", &[]);
    row.await.unwrap().get(0)
}

#[tokio::test]
async fn a_thread_whose_sessions_are_all_in_use_borrows_another_shards() {
    let db = TestCluster::start().await;
    // two shards of one session each; this test's thread has one of them
    let sessions = vo_db::make_query_pool(
        &db.params(),
        2,
        2,
        "voarchive_query",
        Duration::from_secs(5),
    )
    .unwrap();
    let own = sessions.get().await.unwrap();
    // its own is in use: the other shard's, at once, not after the pool's wait limit
    let borrowed = tokio::time::timeout(Duration::from_secs(4), sessions.get())
        .await
        .expect("a free session of the other shard was not lent")
        .unwrap();
    assert_ne!(backend(&own).await, backend(&borrowed).await);
    // every session in use: the next waits for one to come free
    let third = tokio::spawn({
        let sessions = std::sync::Arc::new(sessions);
        async move { sessions.get().await.map(|_| ()) }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !third.is_finished(),
        "a third session was opened past the pool's size"
    );
    drop(own);
    tokio::time::timeout(Duration::from_secs(4), third)
        .await
        .expect("a session that came free was not given to the one waiting")
        .unwrap()
        .unwrap();
    drop(borrowed);
}
