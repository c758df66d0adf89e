//! Delegations (manual §2.2): a project's PI — or the archive operator — grants a user access
//! to the whole project, and can revoke it. Delegees cannot delegate further. Revoked
//! delegations stay as history.

use crate::error::AuthError;
use chrono::{DateTime, Utc};
use tokio_postgres::{Client, Row};

/// Who asks to grant or revoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granter<'a> {
    /// A user, who must be the project's PI.
    User(&'a str),
    /// The archive operator, who may act for any project.
    Operator,
}

impl Granter<'_> {
    /// What `granted_by` records.
    pub fn name(&self) -> &str {
        match self {
            Granter::User(user) => user,
            Granter::Operator => "operator",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegation {
    pub project_code: String,
    pub delegee: String,
    pub granted_by: String,
    pub granted_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Delegation {
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }

    fn from_row(row: &Row) -> Delegation {
        Delegation {
            project_code: row.get("project_code"),
            delegee: row.get("delegee"),
            granted_by: row.get("granted_by"),
            granted_at: row.get("granted_at"),
            revoked_at: row.get("revoked_at"),
        }
    }
}

const DELEGATION_COLUMNS: &str =
    "d.project_code, d.delegee, d.granted_by, d.granted_at, d.revoked_at";

/// The project's PI user id (None when it records none), after checking that the project
/// exists and that `granter` may delegate for it.
async fn authorise(
    client: &Client,
    granter: &Granter<'_>,
    project: &str,
) -> Result<Option<String>, AuthError> {
    let row = client
        .query_opt(
            "SELECT pi_userid FROM archive.project WHERE code = $1",
            &[&project],
        )
        .await?
        .ok_or_else(|| AuthError::NoSuchProject(project.to_string()))?;
    let pi: Option<String> = row.get(0);
    if let Granter::User(user) = granter {
        if pi.as_deref() != Some(*user) {
            return Err(AuthError::NotPi {
                user: user.to_string(),
                project: project.to_string(),
            });
        }
    }
    Ok(pi)
}

/// Grants `delegee` access to `project`; an already active delegation is returned unchanged.
pub async fn grant(
    client: &Client,
    granter: &Granter<'_>,
    project: &str,
    delegee: &str,
) -> Result<Delegation, AuthError> {
    let pi = authorise(client, granter, project).await?;
    if pi.as_deref() == Some(delegee) {
        return Err(AuthError::SelfDelegation);
    }
    let delegee_exists = client
        .query_opt("SELECT 1 FROM auth.account WHERE user_id = $1", &[&delegee])
        .await?
        .is_some();
    if !delegee_exists {
        return Err(AuthError::NoSuchUser(delegee.to_string()));
    }
    let insert = format!(
        "INSERT INTO archive.delegation AS d (project_code, delegee, granted_by) \
         VALUES ($1, $2, $3) ON CONFLICT (project_code, delegee) WHERE revoked_at IS NULL \
         DO NOTHING RETURNING {DELEGATION_COLUMNS}"
    );
    let active = format!(
        "SELECT {DELEGATION_COLUMNS} FROM archive.delegation d \
         WHERE d.project_code = $1 AND d.delegee = $2 AND d.revoked_at IS NULL"
    );
    // Either the insert or the look-up finds a row, unless a concurrent revoke or grant slips
    // in between them; then try again.
    loop {
        if let Some(row) = client
            .query_opt(&insert, &[&project, &delegee, &granter.name()])
            .await?
        {
            return Ok(Delegation::from_row(&row));
        }
        if let Some(row) = client.query_opt(&active, &[&project, &delegee]).await? {
            return Ok(Delegation::from_row(&row));
        }
    }
}

/// Revokes the active delegation of `project` to `delegee`; false when there was none.
pub async fn revoke(
    client: &Client,
    granter: &Granter<'_>,
    project: &str,
    delegee: &str,
) -> Result<bool, AuthError> {
    authorise(client, granter, project).await?;
    let revoked = client
        .execute(
            "UPDATE archive.delegation SET revoked_at = now() \
             WHERE project_code = $1 AND delegee = $2 AND revoked_at IS NULL",
            &[&project, &delegee],
        )
        .await?;
    Ok(revoked > 0)
}

async fn select(
    client: &Client,
    condition: &str,
    value: Option<&str>,
) -> Result<Vec<Delegation>, AuthError> {
    let sql = format!(
        "SELECT {DELEGATION_COLUMNS} FROM archive.delegation d WHERE {condition} \
         ORDER BY d.project_code, d.delegee, d.granted_at"
    );
    let rows = client.query(&sql, &[&value]).await?;
    Ok(rows.iter().map(Delegation::from_row).collect())
}

/// Every delegation, active and revoked, of the projects whose PI is `pi_user`.
pub async fn delegations_granted_by_pi(
    client: &Client,
    pi_user: &str,
) -> Result<Vec<Delegation>, AuthError> {
    let condition = "d.project_code IN (SELECT code FROM archive.project WHERE pi_userid = $1)";
    select(client, condition, Some(pi_user)).await
}

/// The active delegations to `delegee`.
pub async fn delegations_of(client: &Client, delegee: &str) -> Result<Vec<Delegation>, AuthError> {
    select(
        client,
        "d.delegee = $1 AND d.revoked_at IS NULL",
        Some(delegee),
    )
    .await
}

/// For the operator: every delegation, active and revoked, of one project or of all.
pub async fn list_delegations(
    client: &Client,
    project: Option<&str>,
) -> Result<Vec<Delegation>, AuthError> {
    select(client, "($1::text IS NULL OR d.project_code = $1)", project).await
}
