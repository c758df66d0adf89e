//! Delegations in a throwaway cluster: only the PI (or the operator) grants and revokes,
//! delegees cannot delegate further, granting is idempotent, revoked delegations stay as
//! history, and `may_read` follows them.

use vo_auth::{
    create_account, delegations_granted_by_pi, delegations_of, grant, list_delegations, revoke,
    AuthError, Granter,
};
use vo_db::testing::TestCluster;

const PROJECT: &str = "2017.1.00123.S";
const OTHER_PROJECT: &str = "2018.1.00456.L";

async fn add_project(client: &tokio_postgres::Client, code: &str, pi: Option<&str>) {
    client
        .execute(
            "INSERT INTO archive.project (code, title, pi_name, pi_userid, proposal_type, \
             proposal_cycle) VALUES ($1, 'A project', 'Some PI', $2, 'S', '2017.1')",
            &[&code, &pi],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn grant_and_revoke() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    for user in ["pi", "dele", "other"] {
        create_account(&client, user, "password-of-8", "", "", false)
            .await
            .unwrap();
    }
    add_project(&client, PROJECT, Some("pi")).await;
    add_project(&client, OTHER_PROJECT, Some("other")).await;
    let pi = Granter::User("pi");

    let granted = grant(&client, &pi, PROJECT, "dele").await.unwrap();
    assert_eq!(
        (
            granted.project_code.as_str(),
            granted.delegee.as_str(),
            granted.granted_by.as_str()
        ),
        (PROJECT, "dele", "pi")
    );
    assert!(granted.is_active());
    let again = grant(&client, &pi, PROJECT, "dele").await.unwrap();
    assert_eq!(again, granted, "granting twice changes nothing");

    let further = grant(&client, &Granter::User("dele"), PROJECT, "other").await;
    assert!(
        matches!(further, Err(AuthError::NotPi { ref user, ref project }) if user == "dele" && project == PROJECT),
        "{further:?}"
    );
    assert!(further
        .unwrap_err()
        .to_string()
        .contains("delegees cannot delegate further"));
    assert!(matches!(
        grant(&client, &pi, OTHER_PROJECT, "dele").await,
        Err(AuthError::NotPi { .. })
    ));
    assert!(matches!(
        revoke(&client, &Granter::User("dele"), PROJECT, "dele").await,
        Err(AuthError::NotPi { .. })
    ));
    assert!(matches!(
        grant(&client, &pi, "2099.1.99999.S", "dele").await,
        Err(AuthError::NoSuchProject(_))
    ));
    assert!(matches!(
        grant(&client, &pi, PROJECT, "ghost").await,
        Err(AuthError::NoSuchUser(_))
    ));
    assert!(matches!(
        grant(&client, &pi, PROJECT, "pi").await,
        Err(AuthError::SelfDelegation)
    ));
    assert!(matches!(
        grant(&client, &Granter::Operator, PROJECT, "pi").await,
        Err(AuthError::SelfDelegation)
    ));

    let by_operator = grant(&client, &Granter::Operator, OTHER_PROJECT, "dele")
        .await
        .unwrap();
    assert_eq!(by_operator.granted_by, "operator");
    let active: Vec<_> = delegations_of(&client, "dele")
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.project_code)
        .collect();
    assert_eq!(active, [PROJECT, OTHER_PROJECT]);

    assert!(revoke(&client, &pi, PROJECT, "dele").await.unwrap());
    assert!(
        !revoke(&client, &pi, PROJECT, "dele").await.unwrap(),
        "nothing left to revoke"
    );
    assert!(
        !revoke(&client, &pi, PROJECT, "other").await.unwrap(),
        "never granted"
    );
    let active: Vec<_> = delegations_of(&client, "dele")
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.project_code)
        .collect();
    assert_eq!(active, [OTHER_PROJECT]);

    // granting after a revoke starts a new delegation; the revoked one stays as history
    let renewed = grant(&client, &pi, PROJECT, "dele").await.unwrap();
    assert!(renewed.granted_at > granted.granted_at);
    let history = delegations_granted_by_pi(&client, "pi").await.unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(history
        .iter()
        .all(|d| d.project_code == PROJECT && d.delegee == "dele"));
    assert!(history[0].revoked_at.is_some() && history[1].revoked_at.is_none());
    assert!(delegations_granted_by_pi(&client, "dele")
        .await
        .unwrap()
        .is_empty());

    let all = list_delegations(&client, None).await.unwrap();
    let keys: Vec<_> = all
        .iter()
        .map(|d| (d.project_code.as_str(), d.delegee.as_str(), d.is_active()))
        .collect();
    assert_eq!(
        keys,
        [
            (PROJECT, "dele", false),
            (PROJECT, "dele", true),
            (OTHER_PROJECT, "dele", true)
        ]
    );
    assert_eq!(
        list_delegations(&client, Some(OTHER_PROJECT))
            .await
            .unwrap(),
        [by_operator]
    );
    assert!(list_delegations(&client, Some("2099.1.99999.S"))
        .await
        .unwrap()
        .is_empty());

    assert!(revoke(&client, &Granter::Operator, OTHER_PROJECT, "dele")
        .await
        .unwrap());
}

/// Whether `user` may read `project`'s proprietary data, asked of the database's rule both
/// ways the service asks it (`archive.may_read`, and the grants a request's reader loads),
/// which must agree.
async fn may_read(
    client: &tokio_postgres::Client,
    project: &str,
    user: Option<&str>,
) -> Result<bool, tokio_postgres::Error> {
    let in_sql: Option<bool> = client
        .query_one("SELECT archive.may_read($1, $2)", &[&project, &user])
        .await?
        .get(0);
    let reader = match user {
        Some(user) => vo_archive::Reader::load(client, user).await.unwrap(),
        None => vo_archive::Reader::anonymous(),
    };
    assert_eq!(
        in_sql.unwrap_or(false),
        reader.may_read_project(project),
        "archive.may_read and the reader's grants disagree for {user:?} on {project}"
    );
    Ok(reader.may_read_project(project))
}

#[tokio::test]
async fn who_may_read() {
    let db = TestCluster::start().await;
    let client = db.client().await;
    for (user, staff) in [
        ("pi", false),
        ("dele", false),
        ("revoked", false),
        ("nobody", false),
        ("staff", true),
    ] {
        create_account(&client, user, "password-of-8", "", "", staff)
            .await
            .unwrap();
    }
    add_project(&client, PROJECT, Some("pi")).await;
    add_project(&client, OTHER_PROJECT, None).await;
    let pi = Granter::User("pi");
    grant(&client, &pi, PROJECT, "dele").await.unwrap();
    grant(&client, &pi, PROJECT, "revoked").await.unwrap();
    revoke(&client, &pi, PROJECT, "revoked").await.unwrap();

    for (user, expected) in [
        (Some("pi"), true),
        (Some("dele"), true),
        (Some("staff"), true),
        (Some("revoked"), false),
        (Some("nobody"), false),
        (Some("no-account"), false),
        (None, false),
    ] {
        assert_eq!(
            may_read(&client, PROJECT, user).await.unwrap(),
            expected,
            "{user:?}"
        );
    }
    assert!(
        !may_read(&client, OTHER_PROJECT, Some("pi")).await.unwrap(),
        "not its PI"
    );
    assert!(
        !may_read(&client, OTHER_PROJECT, Some("dele"))
            .await
            .unwrap(),
        "not delegated"
    );
    assert!(may_read(&client, OTHER_PROJECT, Some("staff"))
        .await
        .unwrap());
    assert!(!may_read(&client, OTHER_PROJECT, None).await.unwrap());
}
