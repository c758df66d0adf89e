//! Where the files the service makes are kept, so that any node reads what another wrote:
//! asynchronous jobs' uploads and results, and the previews made of the products. A
//! directory (the default; nodes share it through a shared file system) or an area of a
//! bucket of an S3-compatible object store.
//!
//! Owns: the two backends behind one [`Storage`], the keys (`<folder>/<name>`: a job id or a
//! product's name, then the file), moving a finished file into storage or writing bytes
//! there (never half seen), reading an object whole or a byte range of it with its size,
//! ETag and modification time, and deleting a folder's objects.
//!
//! Does not own: HTTP (the UWS crate answers Range and conditional requests from what this
//! gives), the jobs themselves (vo-job-store), or which files are made.

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{GetOptions, GetRange, ObjectStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where to keep jobs' files (`[storage]` in the configuration).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketConfig {
    /// The store's URL, e.g. `http://127.0.0.1:9000` (any S3-compatible server).
    pub endpoint: String,
    pub bucket: String,
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Keys start with this (several archives may share a bucket); then `jobs/` or
    /// `previews/`.
    #[serde(default)]
    pub prefix: String,
}

fn default_region() -> String {
    "us-east-1".into()
}

/// A stored object's size, ETag and modification time.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub size: u64,
    pub etag: Option<String>,
    pub modified: chrono::DateTime<chrono::Utc>,
}

/// A storage problem, said in words.
#[derive(Debug)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StorageError {}

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        StorageError(format!("the object store: {e}"))
    }
}

impl From<std::io::Error> for StorageError {
    fn from(e: std::io::Error) -> Self {
        StorageError(e.to_string())
    }
}

/// Where one kind of file is kept.
#[derive(Debug, Clone)]
pub enum Storage {
    /// `<dir>/<folder>/<name>`.
    Directory(PathBuf),
    /// `<prefix><area>/<folder>/<name>` in a bucket.
    Bucket {
        store: Arc<AmazonS3>,
        prefix: String,
        /// Where files are written before they are uploaded.
        scratch: PathBuf,
    },
}

impl Storage {
    /// The area `area` (`jobs`, `previews`) of a bucket; `scratch` is a local directory for
    /// files being written.
    pub fn bucket(
        config: &BucketConfig,
        area: &str,
        scratch: PathBuf,
    ) -> Result<Storage, StorageError> {
        let store = AmazonS3Builder::new()
            .with_endpoint(&config.endpoint)
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(&config.secret_access_key)
            .with_allow_http(config.endpoint.starts_with("http://"))
            .with_virtual_hosted_style_request(false)
            .build()?;
        Ok(Storage::Bucket {
            store: Arc::new(store),
            prefix: format!("{}{area}/", config.prefix),
            scratch,
        })
    }

    /// The local directory of a job: where its files are kept (a directory), or written
    /// before they are kept (a bucket).
    pub fn job_dir(&self, job_id: &str) -> PathBuf {
        match self {
            Storage::Directory(dir) => dir.join(job_id),
            Storage::Bucket { scratch, .. } => scratch.join(job_id),
        }
    }

    /// Where the object is as a local file, when the storage is a directory.
    pub fn local_file(&self, job_id: &str, name: &str) -> Option<PathBuf> {
        match self {
            Storage::Directory(dir) => Some(dir.join(job_id).join(name)),
            Storage::Bucket { .. } => None,
        }
    }

    fn key(prefix: &str, job_id: &str, name: &str) -> ObjectPath {
        ObjectPath::from(format!("{prefix}{job_id}/{name}"))
    }

    /// Writes `bytes` as the folder's `name`, whole: a reader sees the old object or the new
    /// one, never a part (in a directory, written aside and renamed).
    pub async fn put(&self, folder: &str, name: &str, bytes: Bytes) -> Result<(), StorageError> {
        match self {
            Storage::Directory(dir) => {
                let target = dir.join(folder).join(name);
                let parent = dir.join(folder);
                tokio::fs::create_dir_all(&parent).await?;
                let aside = parent.join(format!(
                    ".{name}.{}.{}",
                    std::process::id(),
                    WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                ));
                tokio::fs::write(&aside, &bytes).await?;
                if let Err(e) = tokio::fs::rename(&aside, &target).await {
                    let _ = tokio::fs::remove_file(&aside).await;
                    return Err(e.into());
                }
                Ok(())
            }
            Storage::Bucket { store, prefix, .. } => {
                store
                    .put(&Self::key(prefix, folder, name), bytes.into())
                    .await?;
                Ok(())
            }
        }
    }

    /// Keeps the finished local file `file` as the job's `name`: moved into place in a
    /// directory, uploaded (in parts, never whole in memory) and removed locally in a bucket.
    pub async fn keep(&self, job_id: &str, name: &str, file: &Path) -> Result<(), StorageError> {
        match self {
            Storage::Directory(dir) => {
                let target = dir.join(job_id).join(name);
                if target != file {
                    tokio::fs::rename(file, &target).await?;
                }
                Ok(())
            }
            Storage::Bucket { store, prefix, .. } => {
                let mut reader = tokio::fs::File::open(file).await?;
                let mut writer = object_store::buffered::BufWriter::new(
                    store.clone() as Arc<dyn ObjectStore>,
                    Self::key(prefix, job_id, name),
                );
                let copied = tokio::io::copy(&mut reader, &mut writer).await;
                match copied {
                    Ok(_) => {
                        tokio::io::AsyncWriteExt::shutdown(&mut writer).await?;
                        let _ = tokio::fs::remove_file(file).await;
                        Ok(())
                    }
                    Err(e) => {
                        let _ = writer.abort().await;
                        Err(StorageError(format!(
                            "uploading {name} of job {job_id}: {e}"
                        )))
                    }
                }
            }
        }
    }

    /// The job's `name`, whole (small files: the tables uploaded with a job); `None` if it
    /// is not there.
    pub async fn read(&self, job_id: &str, name: &str) -> Result<Option<Bytes>, StorageError> {
        match self {
            Storage::Directory(dir) => match tokio::fs::read(dir.join(job_id).join(name)).await {
                Ok(data) => Ok(Some(Bytes::from(data))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e.into()),
            },
            Storage::Bucket { store, prefix, .. } => {
                match store.get(&Self::key(prefix, job_id, name)).await {
                    Ok(got) => Ok(Some(got.bytes().await?)),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    /// The names of the job's objects under `folder` (e.g. its uploaded tables, `parts`).
    pub async fn list(&self, job_id: &str, folder: &str) -> Result<Vec<String>, StorageError> {
        match self {
            Storage::Directory(dir) => {
                let mut names = Vec::new();
                if let Ok(mut entries) = tokio::fs::read_dir(dir.join(job_id).join(folder)).await {
                    while let Some(entry) = entries.next_entry().await? {
                        names.push(entry.file_name().to_string_lossy().into_owned());
                    }
                }
                Ok(names)
            }
            Storage::Bucket { store, prefix, .. } => {
                let under = ObjectPath::from(format!("{prefix}{job_id}/{folder}"));
                let found: Vec<_> = store.list(Some(&under)).try_collect().await?;
                Ok(found
                    .into_iter()
                    .filter_map(|m| m.location.filename().map(str::to_string))
                    .collect())
            }
        }
    }

    /// The size, ETag and modification time of a bucket's object.
    pub async fn describe(&self, job_id: &str, name: &str) -> Result<Stored, StorageError> {
        match self {
            Storage::Directory(dir) => {
                let meta = tokio::fs::metadata(dir.join(job_id).join(name)).await?;
                Ok(Stored {
                    size: meta.len(),
                    etag: None,
                    modified: meta.modified().map(Into::into).unwrap_or_default(),
                })
            }
            Storage::Bucket { store, prefix, .. } => {
                let meta = store.head(&Self::key(prefix, job_id, name)).await?;
                Ok(Stored {
                    size: meta.size,
                    etag: meta.e_tag,
                    modified: meta.last_modified,
                })
            }
        }
    }

    /// The bytes `range` (all when `None`) of the job's `name`, as a stream.
    pub async fn stream(
        &self,
        job_id: &str,
        name: &str,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<BoxStream<'static, Result<Bytes, StorageError>>, StorageError> {
        match self {
            Storage::Directory(_) => Err(StorageError(
                "a directory's files are served as files".into(),
            )),
            Storage::Bucket { store, prefix, .. } => {
                let options = GetOptions {
                    range: range.map(GetRange::Bounded),
                    ..Default::default()
                };
                let got = store
                    .get_opts(&Self::key(prefix, job_id, name), options)
                    .await?;
                Ok(got.into_stream().map_err(StorageError::from).boxed())
            }
        }
    }

    /// Removes the job's `name`.
    pub async fn delete(&self, job_id: &str, name: &str) -> Result<(), StorageError> {
        match self {
            Storage::Directory(dir) => {
                tokio::fs::remove_file(dir.join(job_id).join(name)).await?;
                Ok(())
            }
            Storage::Bucket { store, prefix, .. } => {
                store.delete(&Self::key(prefix, job_id, name)).await?;
                Ok(())
            }
        }
    }

    /// Removes every file of the job (its local directory too).
    pub async fn delete_job(&self, job_id: &str) -> Result<(), StorageError> {
        let _ = tokio::fs::remove_dir_all(self.job_dir(job_id)).await;
        if let Storage::Bucket { store, prefix, .. } = self {
            let under = ObjectPath::from(format!("{prefix}{job_id}"));
            let listed = store.list(Some(&under)).map_ok(|m| m.location).boxed();
            let deleted: Vec<_> = store.delete_stream(listed).collect().await;
            for d in deleted {
                if let Err(e) = d {
                    if !matches!(e, object_store::Error::NotFound { .. }) {
                        return Err(e.into());
                    }
                }
            }
        }
        Ok(())
    }

    /// A short description for logs.
    pub fn describe_place(&self) -> String {
        match self {
            Storage::Directory(dir) => format!("directory {}", dir.display()),
            Storage::Bucket { prefix, .. } => format!("bucket (keys under '{prefix}')"),
        }
    }
}

/// Numbers the files a directory writes aside, so that two writers never share one.
static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_directory_keeps_reads_describes_lists_and_deletes_by_folder_and_name() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::Directory(dir.path().to_path_buf());
        assert_eq!(storage.read("p", "peak.png").await.unwrap(), None);
        storage
            .put("p", "peak.png", Bytes::from_static(b"png bytes"))
            .await
            .unwrap();
        assert_eq!(
            storage.read("p", "peak.png").await.unwrap().as_deref(),
            Some(&b"png bytes"[..])
        );
        assert_eq!(storage.describe("p", "peak.png").await.unwrap().size, 9);
        let written = dir.path().join("p").join("result.part");
        std::fs::write(&written, b"rows").unwrap();
        storage.keep("p", "result", &written).await.unwrap();
        assert!(!written.exists());
        let mut names = storage.list("p", "").await.unwrap();
        names.sort();
        assert_eq!(names, ["peak.png", "result"]);
        storage.delete("p", "result").await.unwrap();
        storage.delete_job("p").await.unwrap();
        assert!(!dir.path().join("p").exists());
    }
}
