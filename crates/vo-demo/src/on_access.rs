//! Making a member OUS's files on first access, from the seed the archive was drawn from
//! (`archive.demo_origin`): the server's maker for a demo loaded with
//! [`SmallFiles::OnFirstAccess`].

use crate::files::make_member_files;
use crate::model::{draw_index, redraw, DemoConfig, DrawIndex, SmallFiles};
use std::path::Path;
use std::sync::OnceLock;
use vo_archive::{FileRecord, MakeFiles};

/// Makes the files of the demo's member OUSes that were registered but not written.
pub struct FilesOnAccess {
    config: DemoConfig,
    /// Where each project's draw starts, and which member OUSes got large files: found by
    /// drawing the archive once, a project at a time (about 2 s and a few MB at a million
    /// rows), when the first member OUS is made.
    index: OnceLock<DrawIndex>,
}

impl FilesOnAccess {
    /// The maker for the demo drawn under `config`.
    pub fn new(config: DemoConfig) -> FilesOnAccess {
        FilesOnAccess {
            config,
            index: OnceLock::new(),
        }
    }

    /// The maker for the demo in this database, if its files are made on first access.
    pub async fn from_database(
        client: &tokio_postgres::Client,
    ) -> Result<Option<FilesOnAccess>, tokio_postgres::Error> {
        let Some(row) = client
            .query_opt(
                "SELECT seed, rows, file_mous, extract(epoch FROM reference_time)::bigint, public_url \
                 FROM archive.demo_origin \
                 WHERE small_files = 'on-first-access'",
                &[],
            )
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(FilesOnAccess::new(DemoConfig {
            seed: row.get::<_, i64>(0) as u64,
            rows: row.get::<_, i64>(1) as usize,
            file_mous: row.get::<_, i64>(2) as usize,
            small_files: SmallFiles::OnFirstAccess,
            now: chrono::DateTime::from_timestamp(row.get(3), 0).unwrap_or_default(),
            public_url: row.get(4),
        })))
    }

    fn index(&self) -> &DrawIndex {
        self.index.get_or_init(|| draw_index(&self.config))
    }
}

impl MakeFiles for FilesOnAccess {
    fn make(
        &self,
        project: &str,
        member: &str,
        data_dir: &Path,
    ) -> std::io::Result<Vec<FileRecord>> {
        let not_drawn = |what: String| std::io::Error::new(std::io::ErrorKind::NotFound, what);
        let index = self.index();
        let origin = index.origins.get(project).ok_or_else(|| {
            not_drawn(format!(
                "the demo drawn from seed {} has no project {project}",
                self.config.seed
            ))
        })?;
        let mut p = redraw(&self.config, origin);
        for goal in &mut p.goals {
            for (_, members) in &mut goal.groups {
                for m in members {
                    m.large_files = index.large.contains(&m.uid);
                }
            }
        }
        let m = p.members().find(|m| m.uid == member).ok_or_else(|| {
            not_drawn(format!(
                "project {project} of the demo has no member OUS {member}"
            ))
        })?;
        make_member_files(&self.config, &p, m, data_dir)
    }
}
