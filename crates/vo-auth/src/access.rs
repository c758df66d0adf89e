//! Whether a user may read a project's proprietary data, as the database decides it
//! (`archive.may_read`: staff, the project's PI, or an active delegee).

use crate::error::AuthError;
use tokio_postgres::Client;

/// Whether `user` (None: anonymous) may read `project`'s proprietary data.
pub async fn may_read(
    client: &Client,
    project: &str,
    user: Option<&str>,
) -> Result<bool, AuthError> {
    let allowed: Option<bool> = client
        .query_one("SELECT archive.may_read($1, $2)", &[&project, &user])
        .await?
        .get(0);
    Ok(allowed.unwrap_or(false))
}
