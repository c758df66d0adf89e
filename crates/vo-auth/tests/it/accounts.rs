//! Accounts in a throwaway cluster: creation and its refusals, password checks, password
//! changes that end sessions, the staff flag, listing.

use vo_auth::{
    check_password, create_account, get_account, issue_token, list_accounts, resolve_token,
    set_password, set_staff, Account, AuthError,
};
use vo_db::testing::{scalar, TestCluster};

#[tokio::test]
async fn create_and_refuse() {
    let db = TestCluster::start().await;
    let client = db.client().await;

    let alice = create_account(
        &client,
        "alice",
        "s3cret-pw",
        "Alice A.",
        "alice@example.org",
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        alice,
        Account {
            user_id: "alice".into(),
            full_name: "Alice A.".into(),
            email: "alice@example.org".into(),
            is_staff: false,
        }
    );
    assert_eq!(
        get_account(&client, "alice").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(get_account(&client, "nobody").await.unwrap(), None);
    let stored: String = client
        .query_one(
            "SELECT password_hash FROM auth.account WHERE user_id = 'alice'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("s3cret-pw"));

    let again = create_account(&client, "alice", "another-pw", "", "", true).await;
    assert!(
        matches!(again, Err(AuthError::UserExists(ref name)) if name == "alice"),
        "{again:?}"
    );

    for bad in ["", ".alice", "al ice", "alice/x", "ålice", &"x".repeat(65)] {
        let refused = create_account(&client, bad, "long-enough", "", "", false).await;
        assert!(
            matches!(refused, Err(AuthError::InvalidUserName(_))),
            "{bad}: {refused:?}"
        );
    }
    let weak = create_account(&client, "bob", "1234567", "", "", false).await;
    assert!(matches!(weak, Err(AuthError::WeakPassword)), "{weak:?}");
    assert!(weak
        .unwrap_err()
        .to_string()
        .contains("at least 8 characters"));
    assert_eq!(
        scalar(&client, "SELECT count(*) FROM auth.account").await,
        1,
        "nothing refused was stored"
    );

    create_account(
        &client,
        "carol.staff@eso.org",
        "staff-pw-1",
        "Carol",
        "",
        true,
    )
    .await
    .unwrap();
    let names: Vec<String> = list_accounts(&client)
        .await
        .unwrap()
        .into_iter()
        .map(|account| account.user_id)
        .collect();
    assert_eq!(names, ["alice", "carol.staff@eso.org"]);

    set_staff(&client, "alice", true).await.unwrap();
    assert!(
        get_account(&client, "alice")
            .await
            .unwrap()
            .unwrap()
            .is_staff
    );
    set_staff(&client, "alice", false).await.unwrap();
    assert!(
        !get_account(&client, "alice")
            .await
            .unwrap()
            .unwrap()
            .is_staff
    );
    assert!(matches!(
        set_staff(&client, "nobody", true).await,
        Err(AuthError::NoSuchUser(_))
    ));
}

#[tokio::test]
async fn passwords() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    create_account(&client, "alice", "first-password", "", "", false)
        .await
        .unwrap();

    let right = check_password(&client, "alice", "first-password")
        .await
        .unwrap();
    assert_eq!(
        right.map(|account| account.user_id).as_deref(),
        Some("alice")
    );
    assert_eq!(
        check_password(&client, "alice", "first-passworD")
            .await
            .unwrap(),
        None
    );
    assert_eq!(check_password(&client, "alice", "").await.unwrap(), None);
    assert_eq!(
        check_password(&client, "nobody", "first-password")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        check_password(&client, "no such/name", "x").await.unwrap(),
        None
    );

    let token = issue_token(&client, "alice", std::time::Duration::from_secs(3600))
        .await
        .unwrap();
    assert!(resolve_token(&client, &token.token)
        .await
        .unwrap()
        .is_some());
    let changed_before: chrono::DateTime<chrono::Utc> = client
        .query_one(
            "SELECT password_changed_at FROM auth.account WHERE user_id = 'alice'",
            &[],
        )
        .await
        .unwrap()
        .get(0);

    assert!(matches!(
        set_password(&client, "alice", "short").await,
        Err(AuthError::WeakPassword)
    ));
    assert!(
        resolve_token(&client, &token.token)
            .await
            .unwrap()
            .is_some(),
        "nothing changed"
    );
    set_password(&client, "alice", "second-password")
        .await
        .unwrap();
    assert_eq!(
        resolve_token(&client, &token.token).await.unwrap(),
        None,
        "a new password ends the sessions"
    );
    assert_eq!(scalar(&client, "SELECT count(*) FROM auth.token").await, 0);
    let changed_after: chrono::DateTime<chrono::Utc> = client
        .query_one(
            "SELECT password_changed_at FROM auth.account WHERE user_id = 'alice'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(changed_after > changed_before);
    assert_eq!(
        check_password(&client, "alice", "first-password")
            .await
            .unwrap(),
        None
    );
    assert!(check_password(&client, "alice", "second-password")
        .await
        .unwrap()
        .is_some());
    assert!(matches!(
        set_password(&client, "nobody", "long-enough").await,
        Err(AuthError::NoSuchUser(_))
    ));
}
