//! What the archive tables hold: files, packages and the member OUSes behind an identifier.

use tokio_postgres::{Client, Row};

#[derive(Debug, thiserror::Error)]
pub enum HoldingsError {
    #[error("reading the archive tables: {0}")]
    Database(#[from] tokio_postgres::Error),
    /// The files of a member OUS made on first access could not be made.
    #[error("making the files of {member}: {why}")]
    Making { member: String, why: String },
}

/// A file the archive can deliver (a package tar, or a file inside one): a row of
/// `archive.file`, as ingest registers it.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRecord {
    pub name: String,
    pub member_ous_uid: String,
    /// Relative to the data directory; `None` when the file is only inside its package, or
    /// for a package assembled from the files it holds when it is downloaded.
    pub path: Option<String>,
    pub package_name: Option<String>,
    /// product-package, auxiliary-package, raw-package, product, auxiliary, readme, preview
    pub kind: String,
    pub semantics: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: Option<String>,
    pub description: String,
}

impl FileRecord {
    /// A package kept as the files it holds, its tar assembled when it is downloaded.
    pub fn is_assembled_package(&self) -> bool {
        self.path.is_none() && self.package_name.is_none() && self.kind.ends_with("-package")
    }
}

/// A registered file with what its member OUS says about its release. Reads as its
/// [`FileRecord`].
#[derive(Debug, Clone, PartialEq)]
pub struct ArchivedFile {
    pub record: FileRecord,
    /// Whether the proprietary period is over.
    pub released: bool,
    /// `YYYY-MM-DD`, or `None` while the data are still in quality assurance.
    pub release_date: Option<String>,
    /// The project the data belong to (whose PI and delegees may read them early).
    pub project_code: String,
}

impl std::ops::Deref for ArchivedFile {
    type Target = FileRecord;

    fn deref(&self) -> &FileRecord {
        &self.record
    }
}

pub(crate) const SELECT_FILES: &str =
    "SELECT f.name, f.member_ous_uid, f.path, f.package_name, f.kind, \
     f.semantics, f.content_type, f.size_bytes, f.sha256, f.description, \
     coalesce(m.release_date <= now(), false) AS released, \
     to_char(m.release_date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS release_date, m.project_code \
     FROM archive.file f JOIN archive.member_ous m ON m.uid = f.member_ous_uid";

/// The order ALMA lists a member OUS's deliveries in: README, products, auxiliary, raw.
pub(crate) const KIND_ORDER: &str =
    "array_position(ARRAY['readme', 'product-package', 'auxiliary-package', \
     'raw-package', 'product', 'auxiliary', 'preview'], f.kind), f.name";

pub(crate) fn file_from(row: &Row) -> ArchivedFile {
    ArchivedFile {
        record: FileRecord {
            name: row.get(0),
            member_ous_uid: row.get(1),
            path: row.get(2),
            package_name: row.get(3),
            kind: row.get(4),
            semantics: row.get(5),
            content_type: row.get(6),
            size_bytes: row.get(7),
            sha256: row.get(8),
            description: row.get(9),
        },
        released: row.get(10),
        release_date: row.get(11),
        project_code: row.get(12),
    }
}

/// The file or package called `name`.
pub async fn find_file(client: &Client, name: &str) -> Result<Option<ArchivedFile>, HoldingsError> {
    let sql = format!("{SELECT_FILES} WHERE f.name = $1");
    Ok(client
        .query_opt(&sql, &[&name])
        .await?
        .as_ref()
        .map(file_from))
}

/// What a member OUS delivers at the top level: its README, packages and raw data.
pub(crate) async fn deliveries_of(
    client: &Client,
    member_ous_uid: &str,
) -> Result<Vec<ArchivedFile>, HoldingsError> {
    let sql = format!(
        "{SELECT_FILES} WHERE f.member_ous_uid = $1 AND f.package_name IS NULL ORDER BY {KIND_ORDER}"
    );
    Ok(client
        .query(&sql, &[&member_ous_uid])
        .await?
        .iter()
        .map(file_from)
        .collect())
}

/// The files inside a package.
pub(crate) async fn contents_of(
    client: &Client,
    package: &str,
) -> Result<Vec<ArchivedFile>, HoldingsError> {
    let sql = format!("{SELECT_FILES} WHERE f.package_name = $1 ORDER BY {KIND_ORDER}");
    Ok(client
        .query(&sql, &[&package])
        .await?
        .iter()
        .map(file_from)
        .collect())
}

/// Where the data of these member OUSes are: `Delivered`, `In progress` or `In QA3`, each
/// once.
pub(crate) async fn delivery_states(
    client: &Client,
    members: &[String],
) -> Result<Vec<String>, HoldingsError> {
    let rows = client
        .query(
            "SELECT DISTINCT delivery FROM archive.member_ous WHERE uid = ANY($1) ORDER BY 1",
            &[&members],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// The member OUSes a uid or project code stands for, in hierarchy order: a member OUS
/// itself; a group OUS's, science goal's or project's members. Empty when nothing has that
/// name.
pub(crate) async fn members_under(
    client: &Client,
    uid_or_code: &str,
) -> Result<Vec<String>, HoldingsError> {
    let rows = client
        .query(
            "SELECT m.uid FROM archive.member_ous m \
             LEFT JOIN archive.group_ous g ON g.uid = m.group_ous_uid \
             WHERE m.uid = $1 OR m.group_ous_uid = $1 OR g.science_goal_uid = $1 \
                OR m.project_code = $1 \
             ORDER BY g.science_goal_uid, m.group_ous_uid, m.uid",
            &[&uid_or_code],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}
