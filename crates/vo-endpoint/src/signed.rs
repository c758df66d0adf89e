//! Download URLs signed for a reader (`?user=…&expires=…&signature=…`): what a request's
//! download script carries instead of credentials. The archive's key is read from the
//! database once per process.

use crate::{connect, Failure, Params};
use actix_web::http::StatusCode;
use actix_web::HttpRequest;
use vo_archive::Reader;
use vo_auth::UrlSigner;

static SIGNER: tokio::sync::OnceCell<UrlSigner> = tokio::sync::OnceCell::const_new();

/// The archive's URL signer.
pub async fn url_signer(pool: &vo_db::Pool) -> Result<&'static UrlSigner, Failure> {
    SIGNER
        .get_or_try_init(|| async {
            let client = connect(pool).await?;
            vo_auth::url_signer(&client)
                .await
                .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))
        })
        .await
}

/// The query string that signs `name` for `user` for `seconds` from now.
pub async fn signed_query(
    pool: &vo_db::Pool,
    name: &str,
    user: &str,
    seconds: u64,
) -> Result<String, Failure> {
    let expires = chrono::Utc::now().timestamp() + seconds as i64;
    let signature = url_signer(pool).await?.sign(name, user, expires);
    Ok(format!(
        "user={user}&expires={expires}&signature={signature}"
    ))
}

/// The reader a download of `name` is for: the user its URL is signed for (the signature and
/// time checked, and refused to another signed-in user), else whoever the request's
/// credentials say.
pub async fn download_reader(
    request: &HttpRequest,
    pool: &vo_db::Pool,
    name: &str,
) -> Result<Reader, Failure> {
    let params = Params::from_query(request.query_string()).map_err(Failure::from)?;
    let Some(signature) = params.get("signature") else {
        return crate::reader(request, pool).await;
    };
    let forbidden = |message: String| Failure::new(StatusCode::FORBIDDEN, message);
    let user = params
        .get("user")
        .ok_or_else(|| forbidden("a signed URL names its user (user=…)".into()))?;
    let expires: i64 = params
        .get("expires")
        .and_then(|e| e.parse().ok())
        .ok_or_else(|| forbidden("a signed URL gives its expiry (expires=Unix seconds)".into()))?;
    url_signer(pool)
        .await?
        .verify(
            name,
            user,
            expires,
            signature,
            chrono::Utc::now().timestamp(),
        )
        .map_err(|problem| forbidden(format!("{name}: {problem}")))?;
    // a URL signed for one user is not another signed-in user's
    if let Some(caller) = crate::identity::authenticate(request, pool).await? {
        if caller != user {
            return Err(forbidden(format!(
                "{name}: this URL is signed for {user}, and you are signed in as {caller}: \
                 use the download script of your own request"
            )));
        }
    }
    let client = connect(pool).await?;
    Reader::load(&client, user)
        .await
        .map_err(|e| Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()))
}
