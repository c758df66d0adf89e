//! Files registered with their names and sizes but made when first asked for (a generated
//! archive too large to write at load): the data directory with the maker of such files,
//! and the step that makes a member OUS's files before anything reads them.

use crate::holdings::{FileRecord, HoldingsError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Makes the files of one member OUS that were registered but not written.
pub trait MakeFiles: Send + Sync + 'static {
    /// Writes the files of member OUS `member` (of project `project`) under `data_dir`, the
    /// same bytes as registered, and returns their records with their checksums.
    fn make(
        &self,
        project: &str,
        member: &str,
        data_dir: &Path,
    ) -> std::io::Result<Vec<FileRecord>>;
}

/// The directory the archive's files are under (`archive.file.path` is relative to it),
/// and who makes the ones registered in `archive.files_on_access` on first access.
#[derive(Clone)]
pub struct DataDir {
    path: PathBuf,
    maker: Option<Arc<dyn MakeFiles>>,
    /// One member OUS is made at a time per process: making is CPU work that no burst of
    /// requests may multiply.
    making: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for DataDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataDir")
            .field("path", &self.path)
            .field("makes_on_access", &self.maker.is_some())
            .finish()
    }
}

impl std::ops::Deref for DataDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl DataDir {
    /// A directory whose registered files are all there.
    pub fn new(path: impl Into<PathBuf>) -> DataDir {
        DataDir {
            path: path.into(),
            maker: None,
            making: Arc::default(),
        }
    }

    /// The same directory, its files made on first access by `maker` where the archive
    /// says so.
    pub fn making_with(mut self, maker: Arc<dyn MakeFiles>) -> DataDir {
        self.maker = Some(maker);
        self
    }

    /// Makes the files of `member` if they are registered to be made on first access and
    /// are not made yet; their checksums are recorded then. Concurrent callers wait for one
    /// maker; another node making the same files writes the same bytes. True if the
    /// files (and their records' checksums) changed since the caller read them.
    pub async fn ensure_made(
        &self,
        client: &tokio_postgres::Client,
        member: &str,
    ) -> Result<bool, HoldingsError> {
        let Some(maker) = &self.maker else {
            return Ok(false);
        };
        if pending_project(client, member).await?.is_none() {
            return Ok(false);
        }
        let _one_at_a_time = self.making.lock().await;
        // made meanwhile by the request this one waited for?
        let Some(project) = pending_project(client, member).await? else {
            return Ok(true);
        };
        let making = |why: String| HoldingsError::Making {
            member: member.to_string(),
            why,
        };
        let (maker, dir, owned_member) = (maker.clone(), self.path.clone(), member.to_string());
        let made = tokio::task::spawn_blocking(move || maker.make(&project, &owned_member, &dir))
            .await
            .map_err(|e| making(e.to_string()))?
            .map_err(|e| making(e.to_string()))?;
        let registered: HashMap<String, i64> = client
            .query(
                "SELECT name, size_bytes FROM archive.file WHERE member_ous_uid = $1",
                &[&member],
            )
            .await?
            .iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        let mut names = Vec::with_capacity(made.len());
        let mut sums = Vec::with_capacity(made.len());
        for record in &made {
            if registered.get(&record.name) != Some(&record.size_bytes) {
                return Err(making(format!(
                    "{} came out {} bytes long, but {} are registered: the archive was loaded from another generator",
                    record.name,
                    record.size_bytes,
                    registered
                        .get(&record.name)
                        .map_or("none".to_string(), |size| size.to_string())
                )));
            }
            if let Some(sum) = &record.sha256 {
                names.push(record.name.as_str());
                sums.push(sum.as_str());
            }
        }
        client
            .execute(
                "UPDATE archive.file f SET sha256 = made.sum \
                 FROM unnest($1::text[], $2::text[]) AS made(name, sum) WHERE f.name = made.name",
                &[&names, &sums],
            )
            .await?;
        client
            .execute(
                "UPDATE archive.files_on_access SET made_at = now() WHERE member_ous_uid = $1",
                &[&member],
            )
            .await?;
        Ok(true)
    }
}

/// The project of `member` if its files are to be made on first access and are not yet.
async fn pending_project(
    client: &tokio_postgres::Client,
    member: &str,
) -> Result<Option<String>, HoldingsError> {
    Ok(client
        .query_opt(
            "SELECT m.project_code FROM archive.files_on_access a \
             JOIN archive.member_ous m ON m.uid = a.member_ous_uid \
             WHERE a.member_ous_uid = $1 AND a.made_at IS NULL",
            &[&member],
        )
        .await?
        .map(|row| row.get(0)))
}
