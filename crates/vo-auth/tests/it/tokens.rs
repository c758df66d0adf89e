//! Bearer tokens in a throwaway cluster: they resolve to their account, expire, are stored
//! only as hashes, and can be revoked and cleaned up.

use std::time::Duration;
use vo_auth::{
    create_account, delete_expired_tokens, issue_token, resolve_token, revoke_tokens, AuthError,
};
use vo_db::testing::{scalar, strings, TestCluster};

#[tokio::test]
async fn tokens() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    create_account(&client, "alice", "alice-password", "", "", false)
        .await
        .unwrap();
    create_account(&client, "bob", "bob-password", "", "", false)
        .await
        .unwrap();

    let before = chrono::Utc::now();
    let alice = issue_token(&client, "alice", Duration::from_secs(3600))
        .await
        .unwrap();
    let expected_expiry = before + chrono::Duration::seconds(3600);
    assert!(
        (alice.expires_at - expected_expiry).num_seconds().abs() < 60,
        "{alice:?}"
    );
    assert!(alice.token.len() >= 43 && alice.token.chars().all(|c| c.is_ascii_alphanumeric()));
    let bob = issue_token(&client, "bob", Duration::from_secs(3600))
        .await
        .unwrap();
    assert_ne!(alice.token, bob.token);

    let resolved = resolve_token(&client, &alice.token).await.unwrap().unwrap();
    assert_eq!(resolved.user_id, "alice");
    assert_eq!(
        resolve_token(&client, &bob.token)
            .await
            .unwrap()
            .unwrap()
            .user_id,
        "bob"
    );

    let stored = strings(
        &client,
        "SELECT token_sha256 || ' ' || user_id FROM auth.token",
    )
    .await;
    assert_eq!(stored.len(), 2);
    for row in &stored {
        assert!(
            !row.contains(&alice.token) && !row.contains(&bob.token),
            "{row}"
        );
    }

    // unknown, mis-shaped or tampered tokens resolve to nobody
    assert_eq!(resolve_token(&client, &"0".repeat(64)).await.unwrap(), None);
    assert_eq!(resolve_token(&client, "").await.unwrap(), None);
    assert_eq!(resolve_token(&client, "' OR 1=1 --").await.unwrap(), None);
    assert_eq!(
        resolve_token(&client, &alice.token.to_uppercase())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        resolve_token(&client, &alice.token[1..]).await.unwrap(),
        None
    );

    assert!(matches!(
        issue_token(&client, "nobody", Duration::from_secs(60)).await,
        Err(AuthError::NoSuchUser(_))
    ));

    // expiry: a short-lived token, and one made to expire with SQL
    let brief = issue_token(&client, "alice", Duration::from_secs(1))
        .await
        .unwrap();
    assert!(resolve_token(&client, &brief.token)
        .await
        .unwrap()
        .is_some());
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(resolve_token(&client, &brief.token).await.unwrap(), None);
    client
        .execute(
            "UPDATE auth.token SET expires_at = now() - interval '1 minute' \
             WHERE user_id = 'bob'",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(resolve_token(&client, &bob.token).await.unwrap(), None);
    assert!(resolve_token(&client, &alice.token)
        .await
        .unwrap()
        .is_some());

    assert_eq!(
        delete_expired_tokens(&client).await.unwrap(),
        2,
        "brief and bob's"
    );
    assert_eq!(scalar(&client, "SELECT count(*) FROM auth.token").await, 1);

    issue_token(&client, "alice", Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(revoke_tokens(&client, "alice").await.unwrap(), 2);
    assert_eq!(resolve_token(&client, &alice.token).await.unwrap(), None);
    assert_eq!(revoke_tokens(&client, "alice").await.unwrap(), 0);
}
