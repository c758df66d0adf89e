//! Who is calling: the `Authorization` header read as HTTP Basic (user name and password,
//! as astroquery sends with every download) or a bearer token (from the token endpoint), and
//! what that user may read. No header: anonymous. Wrong credentials: 401 saying so — never
//! silently anonymous, so a mistyped password is noticed.
//!
//! Checking a password is deliberately slow (argon2), and a download client sends the same
//! Basic credentials with every request; a successful check is therefore remembered for a
//! minute, keyed by a SHA-256 of the credentials (never the password itself), and trusted
//! only while the account's password has not changed since (one cheap query). The database
//! connection is given back before a password is verified.

use crate::{connect, Failure};
use actix_web::http::{header, StatusCode};
use actix_web::HttpRequest;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use vo_archive::Reader;

/// The challenge sent with every 401.
pub const AUTHENTICATE_CHALLENGE: &str = "Basic realm=\"ALMA\", Bearer realm=\"ALMA\"";

/// How long a verified password is remembered.
const REMEMBER: Duration = Duration::from_secs(60);
/// The most credentials remembered at once (the memory is cleared when full).
const REMEMBER_AT_MOST: usize = 10_000;

/// Verified credentials (by their SHA-256) → the user, when they were verified, and when
/// the account's password had last changed then.
type Remembered = Mutex<HashMap<[u8; 32], (String, Instant, Changed)>>;
type Changed = Option<chrono::DateTime<chrono::Utc>>;

fn lock(
    cache: &Remembered,
) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], (String, Instant, Changed)>> {
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn remembered() -> &'static Remembered {
    static CACHE: OnceLock<Remembered> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

fn credentials_key(user: &str, password: &str) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(user.as_bytes());
    hash.update([0]);
    hash.update(password.as_bytes());
    hash.finalize().into()
}

fn unauthorized(message: impl Into<String>) -> Failure {
    Failure::new(StatusCode::UNAUTHORIZED, message)
}

/// The credentials of a request, if it has any.
#[derive(Debug, Clone, PartialEq)]
pub enum Credentials {
    Basic { user: String, password: String },
    Bearer(String),
}

/// Reads the `Authorization` header; a header that is there but cannot be read is an error.
pub fn credentials(request: &HttpRequest) -> Result<Option<Credentials>, Failure> {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| unauthorized("the Authorization header is not readable text"))?;
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if scheme.eq_ignore_ascii_case("Bearer") {
        return Ok(Some(Credentials::Bearer(rest.trim().to_string())));
    }
    if scheme.eq_ignore_ascii_case("Basic") {
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| {
                unauthorized("the Basic credentials are not base64 of UTF-8 user:password")
            })?;
        let (user, password) = decoded.split_once(':').ok_or_else(|| {
            unauthorized("the Basic credentials have no ':' between user name and password")
        })?;
        return Ok(Some(Credentials::Basic {
            user: user.to_string(),
            password: password.to_string(),
        }));
    }
    Err(unauthorized(format!(
        "the Authorization scheme '{scheme}' is not supported; use Basic or Bearer"
    )))
}

/// The signed-in user's id, or `None` for an anonymous request.
pub async fn authenticate(
    request: &HttpRequest,
    pool: &vo_db::Pool,
) -> Result<Option<String>, Failure> {
    let Some(credentials) = credentials(request)? else {
        return Ok(None);
    };
    match credentials {
        Credentials::Basic { user, password } => {
            let key = credentials_key(&user, &password);
            let remembered_check = lock(remembered())
                .get(&key)
                .filter(|(_, when, _)| when.elapsed() < REMEMBER)
                .map(|(id, _, changed)| (id.clone(), *changed));
            let client = connect(pool).await?;
            let unavailable = |e: vo_auth::AuthError| {
                Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string())
            };
            let changed = vo_auth::password_changed_at(&client, &user)
                .await
                .map_err(unavailable)?;
            if let Some((id, then)) = remembered_check {
                if changed.is_some() && then == changed {
                    return Ok(Some(id));
                }
            }
            let record = vo_auth::password_record(&client, &user)
                .await
                .map_err(unavailable)?;
            drop(client);
            match record.verify(&password).await {
                Some(account) => {
                    let mut cache = lock(remembered());
                    if cache.len() >= REMEMBER_AT_MOST {
                        cache.clear();
                    }
                    cache.insert(key, (account.user_id.clone(), Instant::now(), changed));
                    Ok(Some(account.user_id))
                }
                None => Err(unauthorized(
                    "Invalid user credentials: the user name or password is wrong",
                )),
            }
        }
        Credentials::Bearer(token) => {
            let client = connect(pool).await?;
            match vo_auth::resolve_token(&client, &token).await {
                Ok(Some(account)) => Ok(Some(account.user_id)),
                Ok(None) => Err(unauthorized(
                    "the bearer token is unknown or has expired; get a new one from /auth/realms/ALMA/protocol/openid-connect/token",
                )),
                Err(e) => Err(Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
            }
        }
    }
}

/// Who is calling and what they may read.
pub async fn reader(request: &HttpRequest, pool: &vo_db::Pool) -> Result<Reader, Failure> {
    match authenticate(request, pool).await? {
        None => Ok(Reader::anonymous()),
        Some(user) => {
            let client = connect(pool).await?;
            Reader::load(&client, &user)
                .await
                .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn read(value: &str) -> Result<Option<Credentials>, Failure> {
        credentials(
            &TestRequest::default()
                .insert_header((header::AUTHORIZATION, value))
                .to_http_request(),
        )
    }

    #[test]
    fn basic_and_bearer_are_read_and_anything_else_is_refused() {
        assert_eq!(
            read("Basic YWxpY2U6czNjcjN0OndpdGg6Y29sb25z").unwrap(),
            Some(Credentials::Basic {
                user: "alice".into(),
                password: "s3cr3t:with:colons".into()
            })
        );
        assert_eq!(
            read("bearer abc123").unwrap(),
            Some(Credentials::Bearer("abc123".into()))
        );
        assert!(credentials(&TestRequest::default().to_http_request())
            .unwrap()
            .is_none());
        for bad in ["Basic !!!", "Basic YWxpY2U=", "Digest x=1"] {
            let failure = read(bad).unwrap_err();
            assert_eq!(failure.status, StatusCode::UNAUTHORIZED, "{bad}");
        }
    }
}
