//! `voarchive adql …`: ADQL tools for operators (and tests).

use crate::config::Config;
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
        /// Which tables to translate against: `builtin` (the schema files this release was
        /// built with), a directory holding obscore.toml, obsplan.toml and tap_schema.toml (e.g. an edited
        /// copy of schema/), or `database` (TAP_SCHEMA of the configured database).
        #[arg(long, default_value = "builtin")]
        schema: String,
        /// Write literal numbers as parameters, as the service sends its queries: the SQL
        /// with `$1`, `$2`…, then one line per parameter, `-- $N = value`.
        #[arg(long)]
        parameters: bool,
    },
}

/// The catalogue `--schema` names.
fn load_catalogue(schema: &str, config: &Config) -> anyhow::Result<vo_catalogue::Catalogue> {
    match schema {
        "builtin" => Ok(vo_catalogue::Catalogue::builtin()),
        "database" => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let params = config.database_params();
                let client = vo_db::connect(&params)
                    .await
                    .map_err(|e| anyhow::anyhow!("connecting to the database ({params}): {e}"))?;
                vo_db::read_catalogue(&client)
                    .await
                    .map_err(anyhow::Error::msg)
            })
        }
        dir => {
            let read = |name: &str| {
                let path = std::path::Path::new(dir).join(name);
                std::fs::read_to_string(&path)
                    .map_err(|e| anyhow::anyhow!("--schema {dir}: reading {}: {e}", path.display()))
            };
            let tables = vo_catalogue::Catalogue::TABLE_FILES
                .iter()
                .map(|name| read(name))
                .collect::<anyhow::Result<Vec<String>>>()?;
            let tables: Vec<&str> = tables.iter().map(String::as_str).collect();
            vo_catalogue::Catalogue::from_toml(&tables, &read("tap_schema.toml")?)
                .map_err(|e| anyhow::anyhow!("--schema {dir}: {e}"))
        }
    }
}

pub fn run(command: &AdqlCommand, config: &Config) -> ExitCode {
    let mut adql = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut adql) {
        eprintln!("error: reading standard input: {e}");
        return ExitCode::from(2);
    }
    match command {
        AdqlCommand::Translate {
            maxrec,
            schema,
            parameters,
        } => match load_catalogue(schema, config) {
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
            Ok(catalogue) => {
                let options = vo_adql::Options {
                    maxrec: *maxrec,
                    parameterise: *parameters,
                };
                match vo_adql::translate(&adql, &catalogue, &options) {
                    Ok(t) => {
                        println!("{}", t.sql);
                        for (n, value) in t.parameters.iter().enumerate() {
                            println!("-- ${} = {value}", n + 1);
                        }
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("{e}");
                        ExitCode::FAILURE
                    }
                }
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
