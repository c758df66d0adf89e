//! Operator commands.

pub mod adql;
pub mod db;
pub mod demo;
pub mod ingest;
pub mod project;
pub mod user;

use crate::config::Config;

/// Starts the private cluster if configured, makes sure the database exists and is migrated,
/// and returns a connection.
pub async fn ready_database(config: &Config) -> anyhow::Result<tokio_postgres::Client> {
    if let Some(cluster) = config.private_cluster() {
        cluster.init()?;
        cluster.start()?;
        cluster.ensure_database(&config.database.name).await?;
    }
    let mut client = vo_db::connect(&config.database_params())
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "connecting to the database ({}): {e}",
                config.database_params()
            )
        })?;
    let applied = vo_db::migrate(&mut client, &config.catalogue()).await?;
    for name in applied {
        println!("applied migration {name}");
    }
    Ok(client)
}

pub fn progress_bar(what: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {{pos}} {what} read ({{per_sec}}) {{elapsed}}"
        ))
        .expect("valid template"),
    );
    bar
}
