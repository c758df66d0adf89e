//! What a download request for an identifier fetches: a member OUS's (or group's, goal's,
//! project's members') README, package tars and raw-data tars, or the one file named.

use crate::holdings::{deliveries_of, find_file, members_under, ArchivedFile};
use crate::{HoldingsError, Identifier};

/// The files to download for `id`, or why there are none (a message for the user).
pub async fn deliveries_for(
    client: &tokio_postgres::Client,
    id: &str,
) -> Result<Result<Vec<ArchivedFile>, String>, HoldingsError> {
    match Identifier::parse(id) {
        Err(e) => Ok(Err(e.to_string())),
        Ok(Identifier::Uid(key)) | Ok(Identifier::Project(key)) => {
            let mut files = Vec::new();
            for member in members_under(client, &key).await? {
                files.extend(deliveries_of(client, &member).await?);
            }
            Ok(if files.is_empty() {
                Err(format!("no data files are archived for {key}"))
            } else {
                Ok(files)
            })
        }
        Ok(Identifier::FileName(name)) => Ok(match find_file(client, &name).await? {
            Some(file) if file.path.is_some() || file.is_assembled_package() => Ok(vec![file]),
            Some(file) => Err(format!(
                "{name} is delivered only inside {}",
                file.record.package_name.unwrap_or_default()
            )),
            None => Err(format!("no package or file is called {name}")),
        }),
    }
}
