//! `voarchive demo`: the demo archive in the configured database and data directory.

use crate::config::Config;
use vo_demo::SmallFiles;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Approximate number of ObsCore rows (default: demo.rows of the configuration).
    #[arg(long)]
    rows: Option<usize>,
    /// Seed: the same seed gives the same archive.
    #[arg(long)]
    seed: Option<u64>,
    /// Member OUSes that get large FITS products (every other one gets small ones).
    #[arg(long)]
    files: Option<usize>,
    /// The small files of the member OUSes without large ones: written now, registered now
    /// and made when first asked for (for archives of a million rows), or none (their rows
    /// then have metadata only). Default: demo.small_files of the configuration.
    #[arg(long, value_enum)]
    small_files: Option<SmallFilesArg>,
    /// The same as `--small-files none`.
    #[arg(long, conflicts_with = "small_files")]
    no_small_files: bool,
    /// Generate and load even if the archive already has rows (rows with the same obs_id
    /// are replaced).
    #[arg(long)]
    force: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SmallFilesArg {
    Written,
    OnFirstAccess,
    None,
}

pub async fn run(config: &Config, args: DemoArgs) -> anyhow::Result<()> {
    let mut client = super::ready_database(config).await?;
    let existing: i64 = client
        .query_one("SELECT count(*) FROM ivoa.obscore", &[])
        .await?
        .get(0);
    if existing > 0 && !args.force {
        println!(
            "the archive already holds {existing} ObsCore rows; keeping them (--force regenerates)"
        );
        return Ok(());
    }
    let demo = vo_demo::DemoConfig {
        seed: args.seed.unwrap_or(config.demo.seed),
        rows: args.rows.unwrap_or(config.demo.rows),
        file_mous: args.files.unwrap_or(config.demo.file_mous),
        small_files: match (args.small_files, args.no_small_files) {
            (Some(SmallFilesArg::Written), _) => SmallFiles::Written,
            (Some(SmallFilesArg::OnFirstAccess), _) => SmallFiles::OnFirstAccess,
            (Some(SmallFilesArg::None), _) | (None, true) => SmallFiles::Absent,
            (None, false) if config.demo.small_files => SmallFiles::Written,
            (None, false) => SmallFiles::Absent,
        },
        now: chrono::Utc::now(),
        public_url: config.public_url(),
    };
    println!(
        "generating the demo archive: ~{} rows, large files for {} member OUSes{}, seed {}",
        demo.rows,
        demo.file_mous,
        match demo.small_files {
            SmallFiles::Written => ", small ones for the others",
            SmallFiles::OnFirstAccess => ", small ones for the others made on first access",
            SmallFiles::Absent => "",
        },
        demo.seed
    );
    let archive = vo_demo::generate(demo);
    std::fs::create_dir_all(&config.data.dir)?;
    let files = vo_demo::write_files(&archive, &config.data.dir)?;
    println!(
        "wrote {} files under {}",
        files.iter().filter(|f| f.path.is_some()).count(),
        config.data.dir.display()
    );
    let bar = super::progress_bar("rows");
    let report = vo_demo::load_archive(
        &mut client,
        &archive,
        &files,
        &vo_catalogue::Catalogue::builtin(),
        &mut |n| bar.set_position(n),
    )
    .await?;
    bar.finish_and_clear();
    println!(
        "loaded {} projects, {} member OUSes, {} ObsCore rows ({} new, {} replaced), {} files",
        report.projects,
        report.members,
        report.rows.inserted + report.rows.updated,
        report.rows.inserted,
        report.rows.updated,
        report.rows.files
    );
    println!("took: {}", report.rows.steps_line());
    Ok(())
}
