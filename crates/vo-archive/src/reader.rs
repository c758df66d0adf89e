//! Who asks for data, and which projects' proprietary data they may fetch (manual §2.2):
//! archive staff all of them; anyone else the projects they are PI of
//! (`archive.project.pi_userid`) and those a PI delegated to them (`archive.delegation`,
//! not revoked). The rule itself lives in the database (`archive.reader_grants`, which
//! `archive.may_read` also asks); a reader holds its answer, read once per request as a set
//! so a listing of many files costs one query.

use crate::holdings::ArchivedFile;
use crate::HoldingsError;
use std::collections::HashSet;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reader {
    user: Option<String>,
    staff: bool,
    projects: HashSet<String>,
}

impl Reader {
    /// Someone who has not signed in: released data only.
    pub fn anonymous() -> Reader {
        Reader::default()
    }

    /// The signed-in user `user_id` and what they may read.
    pub async fn load(
        client: &tokio_postgres::Client,
        user_id: &str,
    ) -> Result<Reader, HoldingsError> {
        let row = client
            .query_one(
                "SELECT staff, projects FROM archive.reader_grants($1)",
                &[&user_id],
            )
            .await?;
        Ok(Reader {
            user: Some(user_id.to_string()),
            staff: row.get(0),
            projects: row.get::<_, Vec<String>>(1).into_iter().collect(),
        })
    }

    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    pub fn is_staff(&self) -> bool {
        self.staff
    }

    /// Whether the proprietary data of `project` are open to this reader.
    pub fn may_read_project(&self, project: &str) -> bool {
        self.staff || self.projects.contains(project)
    }

    /// Whether this reader may fetch the file now: released, or theirs to read.
    pub fn may_read(&self, file: &ArchivedFile) -> bool {
        file.released || self.may_read_project(&file.project_code)
    }
}
