//! `voarchive`: an IVOA service suite for an ALMA-like archive.
//!
//! This binary composes the protocol endpoint crates into one HTTP server and offers the
//! operator commands (database, demo archive, ingest, accounts, delegations). It owns configuration, logging and
//! process lifecycle; everything else lives in the library crates.

mod cli;
mod config;
mod operations;
mod registry;
mod serve;
mod tls;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "voarchive", version, about = "IVOA TAP/SIA2/DataLink/SODA services over an ALMA-like archive", after_help = config::ENVIRONMENT_HELP)]
struct Args {
    /// Configuration file (TOML). Default: $VO_CONFIG, else ./voarchive.toml if present.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Log format: text or json.
    #[arg(long, global = true, default_value = "text", env = "VO_LOG_FORMAT",
          value_parser = ["text", "json"])]
    log_format: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (Ctrl-C or SIGTERM stop it gracefully).
    Serve(serve::ServeArgs),
    /// Manage the database: the private cluster and the schema.
    #[command(subcommand)]
    Db(cli::db::DbCommand),
    /// Generate and load the demo archive (skipped when the archive already has rows).
    Demo(cli::demo::DemoArgs),
    /// Load ObsCore rows or FITS products into the archive.
    #[command(subcommand)]
    Ingest(cli::ingest::IngestCommand),
    /// Check ADQL read from standard input.
    #[command(subcommand)]
    Adql(cli::adql::AdqlCommand),
    /// Archive accounts: create, reset passwords, staff.
    #[command(subcommand)]
    User(cli::user::UserCommand),
    /// A project's PI account, proprietary-period exceptions, release dates.
    #[command(subcommand)]
    Project(cli::project::ProjectCommand),
    /// Delegations: list, grant or revoke on a PI's behalf.
    #[command(subcommand)]
    Delegation(cli::project::DelegationCommand),
}

/// Keeps the allocator's memory in 4 KiB pages. mimalloc asks the kernel for transparent
/// huge pages on its arenas (`madvise(MADV_HUGEPAGE)`), so a few live bytes kept a whole
/// 2 MiB page resident: on the million-row demo the idle server grew from 94 to over 150 MB
/// in two minutes (`AnonHugePages` 119 MB), against a steady 82 MB without.
fn no_transparent_huge_pages() {
    // SAFETY: sets a flag of this process's memory map; no memory is read or written
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("VO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tokio_postgres=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// The stack every thread the process starts gets (HTTP workers, blocking tasks): room for
/// the deepest query walk the ADQL crate allows, so that it never has to make a stack for a
/// request. Only address space: pages are used as the stack grows. (The main thread, where
/// job workers run, keeps the system's stack; the ADQL crate grows it when it must.)
const THREAD_STACK: &str = "16777216";

/// mimalloc rather than the system's allocator: a query's translation is many small strings
/// and syntax-tree nodes, and the median client query translates in 35.7 µs with it against
/// 54.9 µs without (`cargo bench -p vo-adql --bench translate`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_transparent_huge_pages();
    // before any thread exists; an operator's own setting wins
    if std::env::var_os("RUST_MIN_STACK").is_none() {
        std::env::set_var("RUST_MIN_STACK", THREAD_STACK);
    }
    let args = Args::parse();
    if !matches!(args.command, Command::Serve(_)) {
        // an operator command's output piped into `head` ends quietly when the reader
        // stops, as other Unix tools do, instead of panicking on the broken pipe; the server
        // keeps Rust's default (a closed connection is an error to handle, not a signal)
        // SAFETY: restores the default action of one signal before any thread starts
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    init_logging(&args.log_format);
    let config = match config::Config::load(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Command::Adql(c) = &args.command {
        return cli::adql::run(c, &config);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = match args.command {
        Command::Serve(a) => serve::run(config, a),
        Command::Db(c) => runtime.block_on(cli::db::run(&config, c)),
        Command::Demo(a) => runtime.block_on(cli::demo::run(&config, a)),
        Command::Ingest(c) => runtime.block_on(cli::ingest::run(&config, c)),
        Command::User(c) => runtime.block_on(cli::user::run(&config, c)),
        Command::Project(c) => runtime.block_on(cli::project::run_project(&config, c)),
        Command::Delegation(c) => runtime.block_on(cli::project::run_delegation(&config, c)),
        Command::Adql(_) => unreachable!("handled above"),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
