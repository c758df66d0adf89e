//! Jobs in a throwaway cluster: phases move only as UWS allows, workers claim each queued job
//! once, results keep their order, the list filters work, interrupted jobs are recovered,
//! expired ones destroyed, and one service never sees another's jobs.

use chrono::{Duration, Utc};
use vo_db::testing::TestCluster;
use vo_job_store::{
    job_xml, Adding, JobResult, JobStore, JobUrls, Lease, Limits, ListFilter, NewJob, Phase, Usage,
};

/// The node the tests' jobs run on.
fn node() -> Lease {
    Lease {
        node: "node-a".into(),
        term: std::time::Duration::from_secs(60),
    }
}

const UNLIMITED: Limits = Limits {
    active_jobs: i64::MAX,
    jobs: i64::MAX,
    bytes: i64::MAX,
};

fn new_job<'a>(
    params: &'a [(String, String)],
    owner: Option<&'a str>,
    quota_key: &'a str,
    phase: Phase,
) -> NewJob<'a> {
    NewJob {
        parameters: params,
        run_id: None,
        owner_id: owner,
        anonymous_owner: None,
        quota_key,
        parts_bytes: 100,
        execution_duration: 60,
        destruction: Utc::now() + Duration::days(1),
        phase,
        error_message: None,
    }
}

#[tokio::test]
async fn job_lifecycle() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    let store = JobStore::new(&client, "tap");
    let other = JobStore::new(&client, "soda");
    let params = vec![
        ("LANG".to_string(), "ADQL".to_string()),
        ("QUERY".into(), "SELECT 1 <x>".into()),
    ];

    let pending = store
        .create(
            &new_job(&params, Some("mine"), "account mine", Phase::Pending),
            &UNLIMITED,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pending.phase, Phase::Pending);
    assert_eq!(pending.parameter("query"), Some("SELECT 1 <x>"));
    assert!(
        store.claim_next(1, &node()).await.unwrap().is_none(),
        "a PENDING job is not run"
    );
    assert_eq!(
        store
            .queue(&pending.job_id, &params, &UNLIMITED)
            .await
            .unwrap(),
        Ok(Some(Phase::Queued))
    );
    assert!(
        !store
            .set_execution_duration(&pending.job_id, 5)
            .await
            .unwrap(),
        "only while PENDING"
    );

    assert!(
        other.claim_next(1, &node()).await.unwrap().is_none(),
        "another service's workers do not take it"
    );
    assert!(other.get(&pending.job_id).await.unwrap().is_none());
    assert!(!other.abort(&pending.job_id).await.unwrap());
    let claimed = store.claim_next(1, &node()).await.unwrap().unwrap();
    assert_eq!(
        (claimed.job_id.as_str(), claimed.phase),
        (pending.job_id.as_str(), Phase::Executing)
    );
    assert!(
        store.claim_next(1, &node()).await.unwrap().is_none(),
        "claimed once"
    );
    let results = vec![
        JobResult {
            id: "result".into(),
            content_type: "text/csv".into(),
            size: 10,
            rows: Some(2),
        },
        JobResult {
            id: "b-2".into(),
            content_type: "application/fits".into(),
            size: 2880,
            rows: None,
        },
    ];
    assert!(store
        .complete(&claimed.job_id, &results, i64::MAX, &node())
        .await
        .unwrap());
    let done = store.get(&claimed.job_id).await.unwrap().unwrap();
    assert_eq!((done.phase, &done.results), (Phase::Completed, &results));
    assert!(
        !store
            .complete(&claimed.job_id, &results, i64::MAX, &node())
            .await
            .unwrap(),
        "completes once"
    );
    assert!(
        !store.abort(&done.job_id).await.unwrap(),
        "a final job stays final"
    );

    // the document: escaped parameters, absolute result link
    let xml = job_xml(
        &done,
        &JobUrls {
            list: "http://h/tap/async".into(),
        },
    );
    assert!(xml.contains("<uws:phase>COMPLETED</uws:phase>") && xml.contains("SELECT 1 &lt;x&gt;"));
    assert!(xml.contains(&format!(
        "<uws:result id=\"result\" xlink:type=\"simple\" xlink:href=\"http://h/tap/async/{id}/results/result\" \
         mime-type=\"text/csv\" size=\"10\"/><uws:result id=\"b-2\" xlink:type=\"simple\" \
         xlink:href=\"http://h/tap/async/{id}/results/b-2\" mime-type=\"application/fits\" size=\"2880\"/>",
        id = done.job_id
    )), "{xml}");

    // a job interrupted by a stop runs again; one interrupted too often ends in ERROR
    let second = store
        .create(
            &new_job(&params, None, "address 192.0.2.7", Phase::Queued),
            &UNLIMITED,
        )
        .await
        .unwrap()
        .unwrap();
    store.claim_next(1, &node()).await.unwrap().unwrap();
    assert_eq!(store.recover("node-a", 3).await.unwrap(), (1, 0));
    assert_eq!(
        store.get(&second.job_id).await.unwrap().unwrap().phase,
        Phase::Queued
    );
    store.claim_next(1, &node()).await.unwrap().unwrap();
    assert_eq!(store.recover("node-a", 3).await.unwrap(), (1, 0));
    store.claim_next(1, &node()).await.unwrap().unwrap();
    assert_eq!(store.recover("node-a", 3).await.unwrap(), (0, 1));
    let failed = store.get(&second.job_id).await.unwrap().unwrap();
    assert_eq!(failed.phase, Phase::Error);
    assert!(failed
        .error_message
        .unwrap()
        .contains("restarted while this job was executing"));

    // what each client's jobs take, over every service: parameters, parts and results
    // as PostgreSQL writes the jsonb
    let parameter_bytes = r#"[["LANG", "ADQL"], ["QUERY", "SELECT 1 <x>"]]"#.len() as i64;
    let usage = |key: &'static str| {
        let store = &store;
        async move {
            store
                .admit(key, Adding::default(), &UNLIMITED)
                .await
                .unwrap()
                .usage
        }
    };
    assert_eq!(
        usage("account mine").await,
        Usage {
            active_jobs: 0,
            jobs: 1,
            bytes: parameter_bytes + 100 + 10 + 2880
        }
    );
    other
        .create(
            &new_job(&params, Some("mine"), "account mine", Phase::Queued),
            &UNLIMITED,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(usage("account mine").await.active_jobs, 1);
    // a quota is checked as the job is stored, and says which it is
    let tight = Limits {
        active_jobs: 1,
        jobs: 10,
        bytes: i64::MAX,
    };
    let over = store
        .create(
            &new_job(&params, Some("mine"), "account mine", Phase::Queued),
            &tight,
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(
        (over.quota.as_str(), over.usage.active_jobs),
        ("active_jobs", 1)
    );
    let few_bytes = Limits {
        bytes: 1000,
        ..UNLIMITED
    };
    let over = store
        .create(
            &new_job(&params, Some("mine"), "account mine", Phase::Pending),
            &few_bytes,
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(over.quota, "job_bytes");
    assert!(!store.results_fit("account mine", 1, 1000).await.unwrap());
    let refused = NewJob {
        error_message: Some("QUERY is missing"),
        anonymous_owner: Some("digest-of-a-secret"),
        ..new_job(&params, None, "address 192.0.2.7", Phase::Error)
    };
    let refused = store.create(&refused, &UNLIMITED).await.unwrap().unwrap();
    assert_eq!(refused.phase, Phase::Error);
    assert!(refused.end_time.is_some());
    assert!(
        store.claim_next(1, &node()).await.unwrap().is_none(),
        "an ERROR job is not run"
    );

    // list filters
    let all = store.list(&ListFilter::default()).await.unwrap();
    assert_eq!(all.len(), 3);
    let completed = store
        .list(&ListFilter {
            phases: vec![Phase::Completed],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(completed.len(), 1);
    let last = store
        .list(&ListFilter {
            last: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(last[0].job_id, refused.job_id, "LAST gives the most recent");
    let after = store
        .list(&ListFilter {
            after: Some(Utc::now() + Duration::hours(1)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(after.is_empty());
    // an anonymous caller lists the jobs made with their secret, and only those
    let theirs = store
        .list(&ListFilter {
            anonymous_owner: Some("digest-of-a-secret".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        theirs.iter().map(|j| &j.job_id).collect::<Vec<_>>(),
        [&refused.job_id]
    );
    let nobody = store
        .list(&ListFilter {
            anonymous_owner: Some("another-digest".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(nobody.is_empty());
    assert_eq!(other.list(&ListFilter::default()).await.unwrap().len(), 1);
    assert_eq!(other.recover("node-a", 3).await.unwrap(), (0, 0));

    // destruction
    store
        .set_destruction(&done.job_id, Utc::now() - Duration::seconds(1))
        .await
        .unwrap();
    assert!(other.delete_expired().await.unwrap().is_empty());
    assert_eq!(
        store.delete_expired().await.unwrap(),
        vec![done.job_id.clone()]
    );
    assert!(store.get(&done.job_id).await.unwrap().is_none());
}

#[tokio::test]
async fn the_next_job_goes_to_the_client_with_the_fewest_running() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    let store = JobStore::new(&client, "tap");
    let params = vec![("LANG".to_string(), "ADQL".to_string())];
    let mut ids = Vec::new();
    for key in ["address a", "address a", "address a", "address b"] {
        let job = store
            .create(&new_job(&params, None, key, Phase::Queued), &UNLIMITED)
            .await
            .unwrap()
            .unwrap();
        ids.push(job.job_id);
    }
    let claim = |per_client: i32| {
        let store = &store;
        async move {
            store
                .claim_next(per_client, &node())
                .await
                .unwrap()
                .map(|j| j.job_id)
        }
    };
    // a's first, then b's (a has one running), then a's second; a's third waits at 2
    assert_eq!(claim(2).await.as_ref(), Some(&ids[0]));
    assert_eq!(claim(2).await.as_ref(), Some(&ids[3]));
    assert_eq!(claim(2).await.as_ref(), Some(&ids[1]));
    assert_eq!(claim(2).await, None, "a has two running, its limit");
    assert_eq!(claim(3).await.as_ref(), Some(&ids[2]));
}

/// Two nodes on one database: a node that stops renewing loses its jobs once its lease runs
/// out, to whichever node looks (queued again, then ERROR after too many starts, saying
/// which node stopped); a node that starts again ends its own jobs at once and no other's;
/// a node that lost a job can no longer record its end; the periodic duties run on one node
/// at a time.
#[tokio::test]
async fn jobs_of_a_stopped_node_end_and_a_restarted_node_touches_only_its_own() {
    let db = TestCluster::start().await;
    let (client_a, client_b) = (db.client().await, db.client().await);
    let (on_a, on_b) = (
        JobStore::new(&client_a, "tap"),
        JobStore::new(&client_b, "tap"),
    );
    let short = |node: &str| Lease {
        node: node.into(),
        term: std::time::Duration::from_millis(300),
    };
    let (a, b) = (short("node-a"), short("node-b"));
    let params = vec![("LANG".to_string(), "ADQL".to_string())];
    let mut queued = Vec::new();
    for n in 0..4 {
        let key = format!("address {n}");
        queued.push(
            on_a.create(&new_job(&params, None, &key, Phase::Queued), &UNLIMITED)
                .await
                .unwrap()
                .unwrap()
                .job_id,
        );
    }
    let mine = on_a.claim_next(4, &a).await.unwrap().unwrap().job_id;
    let also_mine = on_a.claim_next(4, &a).await.unwrap().unwrap().job_id;
    let theirs = on_b.claim_next(4, &b).await.unwrap().unwrap().job_id;
    let held_by = |id: String| {
        let client = &client_a;
        async move {
            client
                .query_one(
                    "SELECT phase, lease_node FROM uws.job WHERE job_id = $1",
                    &[&id],
                )
                .await
                .map(|r| (r.get::<_, String>(0), r.get::<_, Option<String>>(1)))
                .unwrap()
        }
    };
    assert_eq!(
        held_by(theirs.clone()).await,
        ("EXECUTING".into(), Some("node-b".into()))
    );

    // node a starts again: its two jobs are queued again at once, b's runs on
    assert_eq!(on_a.recover("node-a", 3).await.unwrap(), (2, 0));
    assert_eq!(held_by(mine.clone()).await, ("QUEUED".into(), None));
    assert_eq!(held_by(also_mine.clone()).await, ("QUEUED".into(), None));
    assert_eq!(
        held_by(theirs.clone()).await,
        ("EXECUTING".into(), Some("node-b".into()))
    );
    // while b renews, nothing of b's is lost
    for _ in 0..4 {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        assert!(on_b.renew(&theirs, &b).await.unwrap());
        assert_eq!(on_a.end_expired_leases(3).await.unwrap(), (0, 0));
    }
    // a renews only what it holds
    assert!(!on_a.renew(&theirs, &a).await.unwrap());

    // b stops renewing (killed): after its lease, a queues its job again
    tokio::time::sleep(std::time::Duration::from_millis(450)).await;
    assert_eq!(on_a.end_expired_leases(3).await.unwrap(), (1, 0));
    assert_eq!(held_by(theirs.clone()).await, ("QUEUED".into(), None));
    // b, back from a pause, finds it no longer holds the job and cannot end it
    assert!(!on_b.renew(&theirs, &b).await.unwrap());
    let results = vec![JobResult {
        id: "result".into(),
        content_type: "text/csv".into(),
        size: 1,
        rows: Some(0),
    }];
    assert!(!on_b
        .complete(&theirs, &results, i64::MAX, &b)
        .await
        .unwrap());
    on_b.fail_held(&theirs, "late", &b).await.unwrap();
    assert_eq!(held_by(theirs.clone()).await, ("QUEUED".into(), None));

    // started and lost twice more: ERROR, naming the node that stopped
    for _ in 0..2 {
        let mut claimed = on_b.claim_next(4, &b).await.unwrap().unwrap().job_id;
        while claimed != theirs {
            on_b.complete(&claimed, &results, i64::MAX, &b)
                .await
                .unwrap();
            claimed = on_b.claim_next(4, &b).await.unwrap().unwrap().job_id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(350)).await;
        on_a.end_expired_leases(3).await.unwrap();
    }
    let failed = on_a.get(&theirs).await.unwrap().unwrap();
    assert_eq!(failed.phase, Phase::Error);
    let message = failed.error_message.unwrap();
    assert!(
        message.contains("the node 'node-b' stopped while this job was executing")
            && message.contains("3 times"),
        "{message}"
    );

    // a job executing with no lease (left by a release before leases) counts as lost
    let old = queued
        .iter()
        .find(|id| **id != mine && **id != also_mine && **id != theirs)
        .unwrap();
    client_a
        .execute(
            "UPDATE uws.job SET phase = 'EXECUTING', lease_node = NULL, lease_expires = NULL WHERE job_id = $1",
            &[old],
        )
        .await
        .unwrap();
    assert_eq!(on_b.end_expired_leases(3).await.unwrap(), (1, 0));

    // a duty taken in one open transaction is refused to every other session until it ends
    client_a.batch_execute("BEGIN").await.unwrap();
    let taken = client_a
        .query_one("SELECT archive.take_duty('lost jobs tap')", &[])
        .await
        .unwrap()
        .get::<_, bool>(0);
    assert!(taken);
    client_b
        .execute(
            "UPDATE uws.job SET phase = 'EXECUTING', lease_expires = now() - interval '1 s' WHERE job_id = $1",
            &[old],
        )
        .await
        .unwrap();
    assert_eq!(
        on_b.end_expired_leases(3).await.unwrap(),
        (0, 0),
        "another node is on that duty"
    );
    client_a.batch_execute("COMMIT").await.unwrap();
    assert_eq!(on_b.end_expired_leases(3).await.unwrap(), (1, 0));
}
