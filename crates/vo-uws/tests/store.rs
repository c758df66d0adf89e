//! Jobs in a throwaway cluster: phases move only as UWS allows, workers claim each queued job
//! once, the list filters work, interrupted jobs are recovered, expired ones destroyed.

use chrono::{Duration, Utc};
use vo_db::testing::TestCluster;
use vo_uws::{job_xml, JobStore, JobUrls, ListFilter, Phase};

#[tokio::test]
async fn job_lifecycle() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    let store = JobStore::new(&client);
    let later = Utc::now() + Duration::days(1);
    let params = vec![
        ("LANG".to_string(), "ADQL".to_string()),
        ("QUERY".into(), "SELECT 1 <x>".into()),
    ];

    let pending = store
        .create(&params, Some("mine"), None, 60, later, Phase::Pending)
        .await
        .unwrap();
    assert_eq!(pending.phase, Phase::Pending);
    assert_eq!(pending.parameter("query"), Some("SELECT 1 <x>"));
    assert!(
        store.claim_next().await.unwrap().is_none(),
        "a PENDING job is not run"
    );
    assert_eq!(
        store.queue(&pending.job_id).await.unwrap(),
        Some(Phase::Queued)
    );
    assert!(
        !store
            .set_execution_duration(&pending.job_id, 5)
            .await
            .unwrap(),
        "only while PENDING"
    );

    let claimed = store.claim_next().await.unwrap().unwrap();
    assert_eq!(
        (claimed.job_id.as_str(), claimed.phase),
        (pending.job_id.as_str(), Phase::Executing)
    );
    assert!(store.claim_next().await.unwrap().is_none(), "claimed once");
    store
        .complete(&claimed.job_id, "text/csv", 10, 2)
        .await
        .unwrap();
    let done = store.get(&claimed.job_id).await.unwrap().unwrap();
    assert_eq!((done.phase, done.result_rows), (Phase::Completed, Some(2)));
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
        "xlink:href=\"http://h/tap/async/{}/results/result\"",
        done.job_id
    )));

    // a job interrupted by a stop runs again; one interrupted too often ends in ERROR
    let second = store
        .create(&params, None, None, 60, later, Phase::Queued)
        .await
        .unwrap();
    store.claim_next().await.unwrap().unwrap();
    assert_eq!(store.recover(3).await.unwrap(), (1, 0));
    assert_eq!(
        store.get(&second.job_id).await.unwrap().unwrap().phase,
        Phase::Queued
    );
    store.claim_next().await.unwrap().unwrap();
    assert_eq!(store.recover(3).await.unwrap(), (1, 0));
    store.claim_next().await.unwrap().unwrap();
    assert_eq!(store.recover(3).await.unwrap(), (0, 1));
    let failed = store.get(&second.job_id).await.unwrap().unwrap();
    assert_eq!(failed.phase, Phase::Error);
    assert!(failed
        .error_message
        .unwrap()
        .contains("restarted while this job was executing"));

    // list filters
    let all = store.list(&ListFilter::default()).await.unwrap();
    assert_eq!(all.len(), 2);
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
    assert_eq!(last[0].job_id, second.job_id, "LAST gives the most recent");
    let after = store
        .list(&ListFilter {
            after: Some(Utc::now() + Duration::hours(1)),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(after.is_empty());

    // destruction
    store
        .set_destruction(&done.job_id, Utc::now() - Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(
        store.delete_expired().await.unwrap(),
        vec![done.job_id.clone()]
    );
    assert!(store.get(&done.job_id).await.unwrap().is_none());
}
