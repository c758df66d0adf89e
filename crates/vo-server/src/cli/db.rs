//! `voarchive db …`

use crate::config::Config;

#[derive(clap::Subcommand)]
pub enum DbCommand {
    /// Create the private cluster in <data dir>/pg (no-op if it exists).
    Init,
    /// Start the private cluster, create the database and migrate it.
    Start,
    /// Stop the private cluster.
    Stop,
    /// Apply pending migrations and rewrite TAP_SCHEMA.
    Migrate,
    /// Show where the database is, its schema version and what it holds.
    Status,
    /// Make a streaming replica of the private cluster in DIR (`pg_basebackup -R`, unless it
    /// exists) and start it on PORT, or stop it (--stop). Name it in database.replicas as
    /// "host=DIR port=PORT user=postgres dbname=<database.name>".
    Replica {
        dir: std::path::PathBuf,
        #[arg(long)]
        port: u16,
        #[arg(long)]
        stop: bool,
    },
}

pub async fn run(config: &Config, command: DbCommand) -> anyhow::Result<()> {
    let cluster = config.private_cluster();
    match command {
        DbCommand::Init => {
            let cluster = cluster.ok_or_else(|| {
                anyhow::anyhow!("database.url is set: there is no private cluster to create")
            })?;
            cluster.init()?;
            println!("cluster ready in {}", cluster.dir().display());
        }
        DbCommand::Start | DbCommand::Migrate => {
            super::ready_database(config).await?;
            println!("database ready: {}", config.database_params());
        }
        DbCommand::Stop => {
            let cluster = cluster.ok_or_else(|| {
                anyhow::anyhow!("database.url is set: this command stops only the private cluster")
            })?;
            cluster.stop(true)?;
            println!("cluster in {} stopped", cluster.dir().display());
        }
        DbCommand::Replica { dir, port, stop } => {
            let primary = cluster.ok_or_else(|| {
                anyhow::anyhow!(
                    "database.url is set: make replicas of that database with its own tools"
                )
            })?;
            let replica = vo_db::PrivateCluster::new(dir, port, true)
                .with_settings(primary.settings().to_vec());
            if stop {
                replica.stop(true)?;
                println!("replica in {} stopped", replica.dir().display());
            } else {
                replica.init_replica_of(&primary)?;
                replica.start()?;
                println!(
                    "replica of {} in {}, following it: host={} port={port} user=postgres dbname={}",
                    primary.dir().display(),
                    replica.dir().display(),
                    replica.socket_dir().display(),
                    config.database.name
                );
            }
        }
        DbCommand::Status => {
            if let Some(c) = &cluster {
                println!(
                    "private cluster: {} ({})",
                    c.dir().display(),
                    if c.is_running() { "running" } else { "stopped" }
                );
            }
            println!("connection: {}", config.database_params());
            let client = vo_db::connect(&config.database_params())
                .await
                .map_err(|e| anyhow::anyhow!("cannot connect: {e}"))?;
            for (version, name, at) in vo_db::schema_versions(&client).await? {
                println!("schema {version:>3} {name} (applied {at})");
            }
            // PostgreSQL's settings: what this machine calls for (and the configuration
            // overrides), next to what the database runs with
            let private = cluster.is_some();
            println!(
                "settings ({}):",
                if private {
                    "the private cluster starts with these"
                } else {
                    "recommended for a database on this machine; set them with ALTER SYSTEM"
                }
            );
            let settings = config.database_settings();
            let names: Vec<&str> = settings.iter().map(|(name, _, _)| name.as_str()).collect();
            // what the database runs with, all in one query, in the same order
            let running: Vec<Option<String>> = client
                .query(
                    "SELECT current_setting(n, true) FROM unnest($1::text[]) WITH ORDINALITY AS s(n, i) ORDER BY i",
                    &[&names],
                )
                .await
                .map(|rows| rows.iter().map(|r| r.get(0)).collect())
                .unwrap_or_default();
            for (i, (name, value, from)) in settings.iter().enumerate() {
                let running = running
                    .get(i)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| "?".into());
                let note = if running == *value {
                    String::new()
                } else {
                    format!("  (running: {running})")
                };
                if private {
                    println!("  {name} = {value}  [{from}]{note}");
                } else {
                    println!("  ALTER SYSTEM SET {name} = '{value}';  -- {from}{note}");
                }
            }
            for (label, sql) in [
                ("ObsCore rows", "SELECT count(*) FROM ivoa.obscore"),
                ("projects", "SELECT count(*) FROM archive.project"),
                ("member OUSes", "SELECT count(*) FROM archive.member_ous"),
                ("files", "SELECT count(*) FROM archive.file"),
            ] {
                match client.query_one(sql, &[]).await {
                    Ok(row) => println!("{label}: {}", row.get::<_, i64>(0)),
                    Err(_) => println!("{label}: (schema not created; run `voarchive db migrate`)"),
                }
            }
        }
    }
    Ok(())
}
