//! Whether a named file can be delivered now, and where it is.

use crate::holdings::{find_file, ArchivedFile};
use crate::{HoldingsError, Identifier};
use std::path::{Path, PathBuf};

/// Why a file cannot be delivered.
#[derive(Debug, Clone, PartialEq)]
pub enum Unavailable {
    /// No file has that name (or the name cannot be one).
    NotFound(String),
    /// The data are in their proprietary period.
    Proprietary {
        name: String,
        release_date: Option<String>,
    },
    /// The file is only delivered inside its package.
    OnlyInPackage { name: String, package: String },
}

impl Unavailable {
    pub fn message(&self) -> String {
        match self {
            Unavailable::NotFound(name) => format!(
                "NotFoundFault: no file is called {name}; DataLink (/datalink/sync?ID=…) lists a dataset's files"
            ),
            Unavailable::Proprietary { name, release_date: Some(date) } => format!(
                "AuthorizationFault: {name} is proprietary until {date}; only its PI and the people the PI delegated may fetch it"
            ),
            Unavailable::Proprietary { name, release_date: None } => format!(
                "AuthorizationFault: {name} is proprietary (its release date is not set yet); only its PI and the people the PI delegated may fetch it"
            ),
            Unavailable::OnlyInPackage { name, package } => format!(
                "NotFoundFault: {name} is delivered only inside {package}; download that package"
            ),
        }
    }
}

/// The file called `name` and its path under `data_dir`, if it may be delivered.
pub async fn deliverable_file(
    client: &tokio_postgres::Client,
    data_dir: &Path,
    name: &str,
) -> Result<Result<(ArchivedFile, PathBuf), Unavailable>, HoldingsError> {
    // a name that cannot be a file never reaches the database or a path
    if !matches!(Identifier::parse(name), Ok(Identifier::FileName(ref n)) if n == name) {
        return Ok(Err(Unavailable::NotFound(name.to_string())));
    }
    let Some(file) = find_file(client, name).await? else {
        return Ok(Err(Unavailable::NotFound(name.to_string())));
    };
    if !file.released {
        return Ok(Err(Unavailable::Proprietary {
            name: file.record.name,
            release_date: file.release_date,
        }));
    }
    match &file.path {
        Some(path) => {
            let path = data_dir.join(path);
            Ok(Ok((file, path)))
        }
        None => Ok(Err(Unavailable::OnlyInPackage {
            package: file.package_name.clone().unwrap_or_default(),
            name: file.record.name,
        })),
    }
}
