//! Accounts: user names, creation, passwords and the staff flag.

use crate::error::AuthError;
use crate::password::{self, off_runtime, DUMMY_HASH};
use tokio_postgres::{Client, Row};

/// The longest user name, in characters.
pub const MAX_USER_NAME_CHARS: usize = 64;

/// An archive account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub user_id: String,
    pub full_name: String,
    pub email: String,
    /// Staff may read every project's proprietary data.
    pub is_staff: bool,
}

impl Account {
    /// From a row with the columns of [`ACCOUNT_COLUMNS`].
    pub(crate) fn from_row(row: &Row) -> Account {
        Account {
            user_id: row.get("user_id"),
            full_name: row.get("full_name"),
            email: row.get("email"),
            is_staff: row.get("is_staff"),
        }
    }
}

/// The columns [`Account::from_row`] reads, qualified by the table alias `a`.
pub(crate) const ACCOUNT_COLUMNS: &str = "a.user_id, a.full_name, a.email, a.is_staff";

/// Whether `user_id` is a valid user name: letters, digits, `.`, `_`, `@` and `-`, at most 64,
/// starting with a letter or digit (the same rule as the table's CHECK constraint).
pub fn is_valid_user_name(user_id: &str) -> bool {
    let mut chars = user_id.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    starts_well
        && user_id.len() <= MAX_USER_NAME_CHARS
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-'))
}

fn require_valid_user_name(user_id: &str) -> Result<(), AuthError> {
    if is_valid_user_name(user_id) {
        Ok(())
    } else {
        Err(AuthError::InvalidUserName(user_id.to_string()))
    }
}

fn require_strong_password(password: &str) -> Result<(), AuthError> {
    if password::is_strong_enough(password) {
        Ok(())
    } else {
        Err(AuthError::WeakPassword)
    }
}

async fn hash_off_runtime(password: &str) -> String {
    let password = password.to_string();
    off_runtime(move || password::hash_password(&password)).await
}

/// Creates an account; the name and password are checked before the database is asked.
pub async fn create_account(
    client: &Client,
    user_id: &str,
    password: &str,
    full_name: &str,
    email: &str,
    is_staff: bool,
) -> Result<Account, AuthError> {
    require_valid_user_name(user_id)?;
    require_strong_password(password)?;
    let hash = hash_off_runtime(password).await;
    let row = client
        .query_opt(
            "INSERT INTO auth.account AS a (user_id, password_hash, full_name, email, is_staff) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO NOTHING \
             RETURNING a.user_id, a.full_name, a.email, a.is_staff",
            &[&user_id, &hash, &full_name, &email, &is_staff],
        )
        .await?;
    match row {
        Some(row) => Ok(Account::from_row(&row)),
        None => Err(AuthError::UserExists(user_id.to_string())),
    }
}

/// Replaces a user's password; their tokens are deleted, so every session must log in again.
pub async fn set_password(client: &Client, user_id: &str, password: &str) -> Result<(), AuthError> {
    require_strong_password(password)?;
    let hash = hash_off_runtime(password).await;
    // one statement, so the new password and the end of the old sessions are one change
    let changed: i64 = client
        .query_one(
            "WITH changed AS ( \
                 UPDATE auth.account SET password_hash = $2, password_changed_at = now() \
                 WHERE user_id = $1 RETURNING user_id), \
             dropped AS ( \
                 DELETE FROM auth.token WHERE user_id IN (SELECT user_id FROM changed)) \
             SELECT count(*) FROM changed",
            &[&user_id, &hash],
        )
        .await?
        .get(0);
    if changed == 0 {
        return Err(AuthError::NoSuchUser(user_id.to_string()));
    }
    Ok(())
}

/// Grants or withdraws staff rights.
pub async fn set_staff(client: &Client, user_id: &str, is_staff: bool) -> Result<(), AuthError> {
    let changed = client
        .execute(
            "UPDATE auth.account SET is_staff = $2 WHERE user_id = $1",
            &[&user_id, &is_staff],
        )
        .await?;
    if changed == 0 {
        return Err(AuthError::NoSuchUser(user_id.to_string()));
    }
    Ok(())
}

/// Deletes an account; its tokens and delegations go with it (and a PI account's projects
/// keep their `pi_userid`, naming an account that no longer exists, so nobody inherits
/// them by re-creating the name without the operator recording the PI again).
pub async fn delete_account(client: &Client, user_id: &str) -> Result<(), AuthError> {
    let deleted: i64 = client
        .query_one(
            "WITH gone AS (DELETE FROM auth.account WHERE user_id = $1 RETURNING user_id), \
                  unlinked AS (UPDATE archive.project SET pi_userid = NULL \
                               WHERE pi_userid IN (SELECT user_id FROM gone) RETURNING 1) \
             SELECT count(*) FROM gone",
            &[&user_id],
        )
        .await?
        .get(0);
    if deleted == 0 {
        return Err(AuthError::NoSuchUser(user_id.to_string()));
    }
    Ok(())
}

/// The account named `user_id`, if there is one.
pub async fn get_account(client: &Client, user_id: &str) -> Result<Option<Account>, AuthError> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM auth.account a WHERE a.user_id = $1");
    let row = client.query_opt(&sql, &[&user_id]).await?;
    Ok(row.as_ref().map(Account::from_row))
}

/// Every account, by user name.
pub async fn list_accounts(client: &Client) -> Result<Vec<Account>, AuthError> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM auth.account a ORDER BY a.user_id");
    let rows = client.query(&sql, &[]).await?;
    Ok(rows.iter().map(Account::from_row).collect())
}

/// What checking a user's password needs from the database: read first, so a caller can
/// give its connection back before the (slow) verification.
pub struct PasswordRecord {
    account: Option<Account>,
    hash: String,
}

/// The stored password hash of `user_id` (a dummy one for an unknown user).
pub async fn password_record(client: &Client, user_id: &str) -> Result<PasswordRecord, AuthError> {
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS}, a.password_hash FROM auth.account a WHERE a.user_id = $1"
    );
    let row = client.query_opt(&sql, &[&user_id]).await?;
    Ok(match row {
        Some(row) => PasswordRecord {
            account: Some(Account::from_row(&row)),
            hash: row.get("password_hash"),
        },
        None => PasswordRecord {
            account: None,
            hash: DUMMY_HASH.to_string(),
        },
    })
}

impl PasswordRecord {
    /// The account when `password` is its password; `None` for a wrong password or an
    /// unknown user, which take the same time (an unknown user is verified against a dummy
    /// hash).
    pub async fn verify(self, password: &str) -> Option<Account> {
        let (hash, password) = (self.hash, password.to_string());
        let matches = off_runtime(move || password::verify_password(&hash, &password)).await;
        self.account.filter(|_| matches)
    }
}

/// The account when `password` is its password (see [`PasswordRecord::verify`]).
pub async fn check_password(
    client: &Client,
    user_id: &str,
    password: &str,
) -> Result<Option<Account>, AuthError> {
    Ok(password_record(client, user_id)
        .await?
        .verify(password)
        .await)
}

/// When `user_id`'s password last changed (`None`: no such account) — to tell whether a
/// remembered password check still holds.
pub async fn password_changed_at(
    client: &Client,
    user_id: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, AuthError> {
    Ok(client
        .query_opt(
            "SELECT password_changed_at FROM auth.account WHERE user_id = $1",
            &[&user_id],
        )
        .await?
        .map(|row| row.get(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names() {
        for good in [
            "alice",
            "A",
            "0pi",
            "j.smith@eso.org",
            "a_b-c",
            &"x".repeat(64),
        ] {
            assert!(is_valid_user_name(good), "{good}");
        }
        let too_long = "x".repeat(65);
        for bad in [
            "", ".alice", "-a", "@a", "al ice", "alice/", "ålice", "a'b", &too_long,
        ] {
            assert!(!is_valid_user_name(bad), "{bad}");
        }
    }
}
