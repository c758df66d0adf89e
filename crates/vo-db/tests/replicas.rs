//! Reads on a real streaming replica (`pg_basebackup -R` of a throwaway cluster): the watcher
//! puts it in rotation once it follows the primary, reads go to it (seen in its own
//! `pg_stat_activity`), queries that write temporary tables stay on the primary; when the
//! replica stops, reads go to the primary and the state says why; started again, it comes
//! back into rotation by itself. A replica whose replay is paused falls behind the primary's
//! writes, goes out of rotation once it lags more than allowed, and comes back when it
//! catches up.

use std::sync::Arc;
use std::time::Duration;
use vo_db::testing::TestCluster;
use vo_db::Reads;

async fn eventually(what: &str, check: impl FnMut() -> bool) {
    within(what, 10, check).await
}

async fn within(what: &str, seconds: u64, mut check: impl FnMut() -> bool) {
    for _ in 0..seconds * 10 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within {seconds} s");
}

/// Waits up to `seconds` for the replica to be out of rotation, and checks why.
async fn taken_out(
    reads: &Reads,
    what: &str,
    seconds: u64,
    because: &[&str],
) -> vo_db::ReplicaState {
    within(what, seconds, || !reads.replicas()[0].state().in_rotation).await;
    let state = reads.replicas()[0].state();
    assert!(
        state
            .problem
            .as_deref()
            .is_some_and(|p| because.iter().any(|b| p.contains(b))),
        "{state:?}"
    );
    assert_eq!(reads.target(false).name, "primary");
    state
}

#[tokio::test]
async fn reads_go_to_a_replica_in_rotation_and_fall_back_to_the_primary() {
    let primary = TestCluster::start().await;
    let replica = primary.start_replica().await;
    let pool = vo_db::make_pool(&primary.params(), 2).unwrap();
    let reads = Arc::new(
        Reads::primary_only(pool.clone(), None)
            .with_replicas(
                &[replica.params()],
                2,
                1,
                "voarchive_query",
                Duration::from_secs(5),
            )
            .unwrap(),
    );
    let name = reads.replicas()[0].target.name.clone();
    // not yet checked: reads go to the primary
    assert!(!reads.replicas()[0].state().in_rotation);
    assert_eq!(reads.target(false).name, "primary");
    tokio::spawn(vo_db::watch_replicas(
        reads.clone(),
        Duration::from_millis(200),
        Duration::from_secs(5),
    ));
    eventually("the replica in rotation", || {
        reads.replicas()[0].state().in_rotation
    })
    .await;
    let state = reads.replicas()[0].state();
    assert!(
        state.lag.is_some_and(|l| l < Duration::from_secs(5)),
        "{state:?}"
    );

    // a write on the primary is read back on the replica
    let admin = primary.client().await;
    admin
        .batch_execute("CREATE TABLE public.marker (note text); INSERT INTO public.marker VALUES ('written on the primary')")
        .await
        .unwrap();
    let target = reads.target(false);
    assert_eq!(target.name, name);
    let on_replica = target.pool.get().await.unwrap();
    on_replica
        .batch_execute("SET application_name = 'replica read'")
        .await
        .unwrap();
    let mut seen = None;
    for _ in 0..50 {
        if let Ok(row) = on_replica
            .query_one("SELECT note FROM public.marker", &[])
            .await
        {
            seen = Some(row.get::<_, String>(0));
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen.as_deref(), Some("written on the primary"));
    let replica_admin = replica.client().await;
    let reading: i64 = replica_admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'replica read'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(reading, 1, "the read is a session of the replica");
    let in_recovery: bool = on_replica
        .query_one("SELECT pg_is_in_recovery()", &[])
        .await
        .unwrap()
        .get(0);
    assert!(in_recovery);
    drop(on_replica);
    drop(replica_admin);
    // temporary tables (uploads) cannot be written on a standby: the primary
    assert_eq!(reads.target(true).name, "primary");

    // the replica stops: out of rotation with the reason, reads on the primary
    replica.cluster.stop(true).unwrap();
    taken_out(
        &reads,
        "the stopped replica out of rotation",
        10,
        &["does not answer", "did not answer"],
    )
    .await;

    // started again, it is back by itself
    replica.cluster.start().unwrap();
    eventually("the replica back in rotation", || {
        reads.replicas()[0].state().in_rotation
    })
    .await;
    assert_eq!(reads.target(false).name, name);

    // its replay paused while the primary writes: behind, out of rotation past the limit
    let replica_admin = replica.client().await;
    replica_admin
        .batch_execute("SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    admin
        .batch_execute("INSERT INTO public.marker VALUES ('not yet replayed')")
        .await
        .unwrap();
    let state = taken_out(
        &reads,
        "the paused replica out of rotation",
        20,
        &["behind the primary"],
    )
    .await;
    assert!(
        state.lag.is_some_and(|l| l > Duration::from_secs(5)),
        "{state:?}"
    );
    // replaying again, it catches up and is back
    replica_admin
        .batch_execute("SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
    eventually("the caught-up replica back in rotation", || {
        reads.replicas()[0].state().in_rotation
    })
    .await;
    assert!(reads.replicas()[0]
        .state()
        .lag
        .is_some_and(|l| l < Duration::from_secs(5)));
}
