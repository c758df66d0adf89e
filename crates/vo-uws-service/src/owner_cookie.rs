//! How an anonymous caller finds their own jobs: the job-owner cookie. Creating a job
//! without signing in hands out (or keeps) `vo_jobs`, a secret of a bearer token's shape; the
//! job stores only its SHA-256, and the job list shows an anonymous caller the jobs made with
//! the secret their cookie holds — nobody else's, whatever their address. pyvo and TOPCAT
//! keep cookies for a session, so `get_job_list` finds the jobs that session made; a job
//! stays reachable by its URL too, as UWS has it.

use actix_web::http::header;
use actix_web::HttpRequest;

pub const COOKIE: &str = "vo_jobs";

/// The caller's job-owner secret, when their cookie holds one of the right shape.
pub fn secret_of(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_string())
        .filter(|secret| vo_auth::has_token_shape(secret))
}

/// The secret a new anonymous job is owned by: the caller's, else a new one.
pub fn secret_for(request: &HttpRequest) -> String {
    secret_of(request).unwrap_or_else(vo_auth::new_token_text)
}

/// What a job stores of the secret.
pub fn digest(secret: &str) -> String {
    vo_auth::token_sha256(secret)
}

/// The Set-Cookie value handing the secret out for `seconds`: only to this service's paths,
/// never to scripts, and only over https when the service is reached that way.
pub fn set_cookie(secret: &str, seconds: u64, secure: bool) -> String {
    format!(
        "{COOKIE}={secret}; Path=/; Max-Age={seconds}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn the_secret_is_read_from_the_cookie_header_and_checked() {
        let secret = vo_auth::new_token_text();
        let request = TestRequest::default()
            .insert_header((header::COOKIE, format!("a=b; {COOKIE}={secret}; c=d")))
            .to_http_request();
        assert_eq!(secret_of(&request), Some(secret.clone()));
        assert_eq!(secret_for(&request), secret);
        let forged = TestRequest::default()
            .insert_header((header::COOKIE, format!("{COOKIE}=../../etc")))
            .to_http_request();
        assert_eq!(secret_of(&forged), None);
        let fresh = secret_for(&forged);
        assert!(vo_auth::has_token_shape(&fresh) && fresh != secret);
        assert_eq!(digest(&secret).len(), 64);
        assert!(set_cookie(&secret, 60, true).ends_with("HttpOnly; SameSite=Lax; Secure"));
    }
}
