//! `voarchive ingest …`: ObsCore rows from CSV/VOTable, or FITS products from a directory.
//! All or nothing: any problem is reported (file, line or HDU, column, reason) and nothing
//! is loaded.

use crate::config::Config;
use std::path::{Path, PathBuf};
use vo_catalogue::Catalogue;
use vo_ingest::{derive_from_fits, read_csv, read_votable, IngestError, Loader, RawRow};

#[derive(clap::Subcommand)]
pub enum IngestCommand {
    /// ObsCore rows from a CSV file with a header line, or a VOTable (.xml, .vot).
    Rows {
        /// The file to load.
        file: PathBuf,
    },
    /// FITS products under a directory laid out as ALMA delivers them
    /// (<project>/science_goal.uid___…/group.uid___…/member.uid___…/product/*.fits).
    Fits {
        /// The directory to scan.
        dir: PathBuf,
    },
}

fn report_errors(errors: &[IngestError]) -> anyhow::Error {
    for e in errors {
        eprintln!("{e}");
    }
    anyhow::anyhow!("{} problem(s); nothing was loaded", errors.len())
}

fn fits_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fits_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("fits"))
        {
            out.push(path);
        }
    }
    Ok(())
}

pub async fn run(config: &Config, command: IngestCommand) -> anyhow::Result<()> {
    let catalogue = Catalogue::builtin();
    let table = catalogue.obscore();
    let mut client = super::ready_database(config).await?;
    let loader = Loader::new(&catalogue);
    let bar = super::progress_bar("rows");
    let (report, label) = match command {
        IngestCommand::Rows { file } => {
            let label = file.display().to_string();
            let name = file
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let report = if name == "csv" {
                let reader =
                    std::fs::File::open(&file).map_err(|e| anyhow::anyhow!("{label}: {e}"))?;
                let rows = read_csv(table, &label, std::io::BufReader::new(reader))
                    .map_err(|e| report_errors(&e))?;
                loader
                    .load(&mut client, rows, &[], &mut |n| bar.set_position(n))
                    .await
            } else if ["xml", "vot", "votable"].contains(&name.as_str()) {
                let text =
                    std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("{label}: {e}"))?;
                let rows = read_votable(table, &label, &text).map_err(|e| report_errors(&e))?;
                loader
                    .load(&mut client, rows.into_iter(), &[], &mut |n| {
                        bar.set_position(n)
                    })
                    .await
            } else {
                anyhow::bail!(
                    "{label}: unknown kind of file; use .csv, or .xml/.vot for a VOTable"
                );
            };
            (report, label)
        }
        IngestCommand::Fits { dir } => {
            let mut paths = Vec::new();
            fits_files(&dir, &mut paths).map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?;
            if paths.is_empty() {
                anyhow::bail!("no .fits files under {}", dir.display());
            }
            let data_dir =
                std::fs::canonicalize(&config.data.dir).unwrap_or_else(|_| config.data.dir.clone());
            let now = chrono::Utc::now();
            let mut rows: Vec<Result<RawRow, IngestError>> = Vec::new();
            let mut files = Vec::new();
            for path in &paths {
                match derive_from_fits(table, path, &dir, &config.public_url(), now) {
                    Ok((row, mut record)) => {
                        let absolute = std::fs::canonicalize(path)?;
                        record.path = Some(
                            absolute
                                .strip_prefix(&data_dir)
                                .map(|p| p.display().to_string())
                                .unwrap_or_else(|_| absolute.display().to_string()),
                        );
                        rows.push(Ok(row));
                        files.push(record);
                    }
                    Err(e) => rows.push(Err(e)),
                }
            }
            let report = loader
                .load(&mut client, rows.into_iter(), &files, &mut |n| {
                    bar.set_position(n)
                })
                .await;
            (report, dir.display().to_string())
        }
    };
    bar.finish_and_clear();
    match report {
        Ok(r) => {
            println!(
                "{label}: {} rows loaded ({} new, {} replaced), {} files registered",
                r.inserted + r.updated,
                r.inserted,
                r.updated,
                r.files
            );
            println!("took: {}", r.steps_line());
            Ok(())
        }
        Err(errors) => {
            eprintln!("{errors}");
            anyhow::bail!("ingest of {label} failed")
        }
    }
}
