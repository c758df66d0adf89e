//! Bearer tokens: 32 random bytes written as 64 lowercase hex digits, handed to the user once
//! and stored only as their SHA-256, with an expiry.

use crate::account::{Account, ACCOUNT_COLUMNS};
use crate::error::AuthError;
use chrono::{DateTime, Utc};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::Duration;
use tokio_postgres::Client;

const TOKEN_BYTES: usize = 32;
const TOKEN_CHARS: usize = TOKEN_BYTES * 2;

/// A token just issued: the only time its text is known.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl fmt::Debug for IssuedToken {
    /// Leaves the token out, so it does not end up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A new secret of a token's shape (32 random bytes from the operating system, as hex):
/// bearer tokens, and the job-owner cookies of anonymous callers.
pub fn new_token_text() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    OsRng.fill_bytes(&mut bytes);
    to_hex(&bytes)
}

/// Whether `token` could be one this crate issued.
pub fn has_token_shape(token: &str) -> bool {
    token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The SHA-256 of a token as lowercase hex: what the database stores.
pub fn token_sha256(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

/// Issues a token for `user_id` valid for `lifetime` (by the database's clock).
pub async fn issue_token(
    client: &Client,
    user_id: &str,
    lifetime: Duration,
) -> Result<IssuedToken, AuthError> {
    let token = new_token_text();
    let row = client
        .query_opt(
            "INSERT INTO auth.token (token_sha256, user_id, expires_at) \
             SELECT $1, user_id, now() + make_interval(secs => $3) \
             FROM auth.account WHERE user_id = $2 \
             RETURNING expires_at",
            &[&token_sha256(&token), &user_id, &lifetime.as_secs_f64()],
        )
        .await?;
    match row {
        Some(row) => Ok(IssuedToken {
            token,
            expires_at: row.get(0),
        }),
        None => Err(AuthError::NoSuchUser(user_id.to_string())),
    }
}

/// The account a token belongs to; `None` when it is unknown, expired or not shaped like a
/// token (then the database is not asked).
pub async fn resolve_token(client: &Client, token: &str) -> Result<Option<Account>, AuthError> {
    if !has_token_shape(token) {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM auth.token t JOIN auth.account a USING (user_id) \
         WHERE t.token_sha256 = $1 AND t.expires_at > now()"
    );
    let row = client.query_opt(&sql, &[&token_sha256(token)]).await?;
    Ok(row.as_ref().map(Account::from_row))
}

/// Deletes every token of `user_id` (logs them out everywhere); returns how many there were.
pub async fn revoke_tokens(client: &Client, user_id: &str) -> Result<u64, AuthError> {
    Ok(client
        .execute("DELETE FROM auth.token WHERE user_id = $1", &[&user_id])
        .await?)
}

/// Deletes the tokens that have expired; returns how many.
pub async fn delete_expired_tokens(client: &Client) -> Result<u64, AuthError> {
    // on one node of the service at a time
    Ok(client
        .execute(
            "WITH duty AS (SELECT archive.take_duty('expired tokens') AS mine) \
             DELETE FROM auth.token WHERE expires_at <= now() AND (SELECT mine FROM duty)",
            &[],
        )
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_tokens_have_the_shape_and_differ() {
        let (one, two) = (new_token_text(), new_token_text());
        assert!(has_token_shape(&one) && has_token_shape(&two));
        assert_ne!(one, two);
    }

    #[test]
    fn shape() {
        assert!(!has_token_shape(""));
        assert!(!has_token_shape(&"a".repeat(63)));
        assert!(!has_token_shape(&"a".repeat(65)));
        assert!(
            !has_token_shape(&"A".repeat(64)),
            "upper case is not issued"
        );
        assert!(!has_token_shape(&"g".repeat(64)));
        assert!(has_token_shape(&"0f".repeat(32)));
    }

    #[test]
    fn sha256_hex() {
        assert_eq!(
            token_sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn debug_hides_the_token() {
        let issued = IssuedToken {
            token: "secret".repeat(10),
            expires_at: Utc::now(),
        };
        assert!(!format!("{issued:?}").contains("secret"));
    }
}
