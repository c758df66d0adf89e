//! `voarchive adql …`: ADQL tools for operators (and tests).

use std::io::Read;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum AdqlCommand {
    /// Check the grammar (and the type rules that need no catalogue) of the ADQL on standard
    /// input: exit 0 when valid, 1 with the positioned problem when not.
    Check,
    /// Translate the ADQL on standard input into PostgreSQL/pgSphere for this service's
    /// catalogue (schema/*.toml) and print it; exit 1 with the positioned problem if it
    /// cannot be translated.
    Translate {
        /// The caller's MAXREC: the SQL gets LIMIT maxrec+1 so overflow can be detected.
        #[arg(long)]
        maxrec: Option<u64>,
    },
}

pub fn run(command: &AdqlCommand) -> ExitCode {
    let mut adql = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut adql) {
        eprintln!("error: reading standard input: {e}");
        return ExitCode::from(2);
    }
    match command {
        AdqlCommand::Translate { maxrec } => match vo_adql::translate(
            &adql,
            &vo_catalogue::Catalogue::builtin(),
            &vo_adql::Options { maxrec: *maxrec },
        ) {
            Ok(t) => {
                println!("{}", t.sql);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        AdqlCommand::Check => match vo_adql::check(&adql) {
            Ok(()) => {
                println!("valid ADQL");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
    }
}
