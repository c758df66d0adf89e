//! Whether a named file can be delivered now, and where its bytes are.

use crate::holdings::{contents_of, find_file, ArchivedFile};
use crate::package::{PackageEntry, PackageLayout};
use crate::{DataDir, HoldingsError, Identifier, Reader};
use std::path::PathBuf;

/// Where a deliverable file's bytes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A file stored as it is delivered (its full path).
    Stored(PathBuf),
    /// A package tar assembled from the files it holds (paths relative to the data
    /// directory).
    Assembled(PackageLayout),
}

/// Why a file cannot be delivered.
#[derive(Debug, Clone, PartialEq)]
pub enum Unavailable {
    /// No file has that name (or the name cannot be one).
    NotFound(String),
    /// The data are in their proprietary period and the caller has not signed in.
    Proprietary {
        name: String,
        release_date: Option<String>,
    },
    /// The data are in their proprietary period and the signed-in caller is neither staff,
    /// nor the project's PI, nor one of the PI's delegees.
    NotPermitted {
        name: String,
        release_date: Option<String>,
        project: String,
        user: String,
    },
    /// The file is only delivered inside its package.
    OnlyInPackage { name: String, package: String },
}

impl Unavailable {
    pub fn message(&self) -> String {
        match self {
            Unavailable::NotFound(name) => format!(
                "NotFoundFault: no file is called {name}; DataLink ({}{}?ID=…) lists a dataset's files",
                vo_catalogue::routes::DATALINK,
                vo_catalogue::routes::SYNC
            ),
            Unavailable::Proprietary { name, release_date } => format!(
                "AuthorizationFault: {name} is proprietary {}; only its PI, the people the PI delegated and archive staff may fetch it: sign in (HTTP Basic, or a bearer token from /auth/realms/ALMA/protocol/openid-connect/token)",
                until(release_date)
            ),
            Unavailable::NotPermitted { name, release_date, project, user } => format!(
                "AuthorizationFault: {name} is proprietary {}; {user} is not the PI of {project} nor one of its delegees: ask the PI to delegate access (manual §2.2)",
                until(release_date)
            ),
            Unavailable::OnlyInPackage { name, package } => format!(
                "NotFoundFault: {name} is delivered only inside {package}; download that package"
            ),
        }
    }
}

fn until(release_date: &Option<String>) -> String {
    match release_date {
        Some(date) => format!("until {date}"),
        None => "(its release date is not set yet)".into(),
    }
}

/// The file called `name` and where its bytes are under `data_dir`, if `reader` may have it
/// now.
pub async fn deliverable_file(
    client: &tokio_postgres::Client,
    data_dir: &DataDir,
    name: &str,
    reader: &Reader,
) -> Result<Result<(ArchivedFile, Content), Unavailable>, HoldingsError> {
    // a name that cannot be a file never reaches the database or a path
    if !matches!(Identifier::parse(name), Ok(Identifier::FileName(ref n)) if n == name) {
        return Ok(Err(Unavailable::NotFound(name.to_string())));
    }
    let Some(file) = find_file(client, name).await? else {
        return Ok(Err(Unavailable::NotFound(name.to_string())));
    };
    if !reader.may_read(&file) {
        return Ok(Err(match reader.user() {
            None => Unavailable::Proprietary {
                name: file.record.name,
                release_date: file.release_date,
            },
            Some(user) => Unavailable::NotPermitted {
                name: file.record.name,
                release_date: file.release_date,
                project: file.project_code,
                user: user.to_string(),
            },
        }));
    }
    // files made on first access are made now, for a reader who may have them
    let file = match data_dir.ensure_made(client, &file.member_ous_uid).await? {
        true => find_file(client, name).await?.unwrap_or(file),
        false => file,
    };
    match &file.path {
        Some(path) => {
            let path = data_dir.join(path);
            Ok(Ok((file, Content::Stored(path))))
        }
        None if file.is_assembled_package() => {
            let entries = contents_of(client, &file.name)
                .await?
                .into_iter()
                .filter_map(|member| {
                    Some(PackageEntry {
                        path: PathBuf::from(member.path.clone()?),
                        size: u64::try_from(member.size_bytes).ok()?,
                    })
                })
                .collect();
            Ok(Ok((file, Content::Assembled(PackageLayout::new(entries)))))
        }
        None => Ok(Err(Unavailable::OnlyInPackage {
            package: file.package_name.clone().unwrap_or_default(),
            name: file.record.name,
        })),
    }
}
