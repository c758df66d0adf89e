//! A private PostgreSQL cluster living in one directory: `<dir>/data` (the cluster),
//! `<dir>/postgres.log`, and the Unix socket in `<dir>` (or a short directory under the
//! system temp dir when `<dir>` is too long for a socket path). It listens on that socket
//! and, optionally, on 127.0.0.1 — never on other interfaces.
//!
//! PostgreSQL refuses to run as root; when this process is root the server runs as the
//! `postgres` system user (created by Debian's package), which must own the directory.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("PostgreSQL binaries not found: looked in {0}. Install postgresql-15 (deploy/demo does) or set VO_PG_BIN")]
    NoBinaries(String),
    #[error("{command} failed: {detail}")]
    Command { command: String, detail: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone)]
pub struct PrivateCluster {
    dir: PathBuf,
    port: u16,
    listen_tcp: bool,
    /// PostgreSQL settings given at start (`-c name=value`); none: PostgreSQL's defaults
    /// with 100 connections and 128 MB of shared buffers.
    settings: Vec<(String, String)>,
}

/// Whether this process runs as root (asked once: every cluster command needs it).
fn is_root() -> bool {
    static ROOT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ROOT.get_or_init(|| {
        Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false)
    })
}

/// Where the PostgreSQL server binaries are: `$VO_PG_BIN`, else Debian's PostgreSQL 15.
pub fn bin_dir() -> Result<PathBuf, ClusterError> {
    let candidates: Vec<PathBuf> = match std::env::var_os("VO_PG_BIN") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => vec![PathBuf::from("/usr/lib/postgresql/15/bin")],
    };
    candidates
        .iter()
        .find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists())
        .cloned()
        .ok_or_else(|| {
            ClusterError::NoBinaries(
                candidates
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
}

impl PrivateCluster {
    /// A cluster in `dir` serving on `port` (the socket is `.s.PGSQL.<port>`).
    /// A relative `dir` is taken from the current directory (the server tools run elsewhere).
    pub fn new(dir: impl Into<PathBuf>, port: u16, listen_tcp: bool) -> Self {
        let dir = dir.into();
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        PrivateCluster {
            dir,
            port,
            listen_tcp,
            settings: Vec::new(),
        }
    }

    /// The same cluster started with these settings (plain names and values only: see
    /// `tuning::is_plain_setting`; others are refused when it starts).
    pub fn with_settings(mut self, settings: Vec<(String, String)>) -> Self {
        self.settings = settings;
        self
    }

    /// The settings it starts with.
    pub fn settings(&self) -> &[(String, String)] {
        &self.settings
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    pub fn log_file(&self) -> PathBuf {
        self.dir.join("postgres.log")
    }

    /// The directory holding the Unix socket.
    pub fn socket_dir(&self) -> PathBuf {
        // sun_path holds 107 bytes; "/.s.PGSQL.65535" takes 15
        if self.dir.as_os_str().len() + 16 < 100 {
            self.dir.clone()
        } else {
            std::env::temp_dir().join(format!("vo-pg-{}", self.port))
        }
    }

    /// libpq-style connection parameters for a database of this cluster.
    pub fn connection_string(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={}",
            self.socket_dir().display(),
            self.port,
            dbname
        )
    }

    pub fn is_initialized(&self) -> bool {
        self.data_dir().join("PG_VERSION").exists()
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<String, ClusterError> {
        let bin = bin_dir()?.join(program);
        let mut command = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&bin);
            c
        } else {
            Command::new(&bin)
        };
        command.args(args).current_dir(std::env::temp_dir());
        let output = command.output()?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if output.status.success() {
            Ok(text)
        } else {
            Err(ClusterError::Command {
                command: format!("{program} {}", args.join(" ")),
                detail: text.trim().to_string(),
            })
        }
    }

    /// When root, hand the cluster directory to `postgres` and make sure that user can reach
    /// it (search permission on the parent directories).
    fn prepare_directories(&self) -> Result<(), ClusterError> {
        std::fs::create_dir_all(&self.dir)?;
        let socket_dir = self.socket_dir();
        std::fs::create_dir_all(&socket_dir)?;
        if !is_root() {
            return Ok(());
        }
        let dir = std::fs::canonicalize(&self.dir)?;
        for ancestor in dir.ancestors().skip(1) {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(ancestor)?;
            let mode = meta.permissions().mode();
            if mode & 0o001 == 0 {
                tracing::info!(directory = %ancestor.display(), "allowing other users to traverse (o+x) so the postgres user reaches the cluster");
                std::fs::set_permissions(ancestor, std::fs::Permissions::from_mode(mode | 0o001))?;
            }
        }
        for path in [&self.dir, &socket_dir] {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(path)
                .status()?;
            if !status.success() {
                return Err(ClusterError::Command {
                    command: format!("chown -R postgres {}", path.display()),
                    detail: "failed".into(),
                });
            }
        }
        Ok(())
    }

    /// Creates the cluster if it does not exist yet (UTF-8, trust authentication on the
    /// private socket and loopback only).
    pub fn init(&self) -> Result<(), ClusterError> {
        self.prepare_directories()?;
        if self.is_initialized() {
            return Ok(());
        }
        let data = self.data_dir();
        self.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-instructions",
            ],
        )?;
        Ok(())
    }

    /// Creates the cluster as a streaming replica of `primary` (a running cluster), unless it
    /// exists: a base backup over the primary's socket with the standby settings written
    /// (`pg_basebackup -R`), so that it follows the primary once started.
    pub fn init_replica_of(&self, primary: &PrivateCluster) -> Result<(), ClusterError> {
        self.prepare_directories()?;
        if self.is_initialized() {
            return Ok(());
        }
        self.run(
            "pg_basebackup",
            &[
                "-h",
                &primary.socket_dir().to_string_lossy(),
                "-p",
                &primary.port.to_string(),
                "-U",
                "postgres",
                "-D",
                &self.data_dir().to_string_lossy(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ],
        )?;
        Ok(())
    }

    /// Whether the server of this cluster is running.
    pub fn is_running(&self) -> bool {
        self.is_initialized()
            && self
                .run(
                    "pg_ctl",
                    &["-D", &self.data_dir().to_string_lossy(), "status"],
                )
                .is_ok()
    }

    /// Starts the server (waiting until it accepts connections); a running one is left alone.
    pub fn start(&self) -> Result<(), ClusterError> {
        self.prepare_directories()?;
        if self.is_running() {
            return Ok(());
        }
        let listen = if self.listen_tcp { "127.0.0.1" } else { "" };
        let mut options = format!(
            "-p {} -k {} -c listen_addresses='{}' -c fsync=on",
            self.port,
            self.socket_dir().display(),
            listen
        );
        if self.settings.is_empty() {
            options.push_str(" -c max_connections=100 -c shared_buffers=128MB");
        }
        for (name, value) in &self.settings {
            if !crate::tuning::is_plain_setting(name, value) {
                return Err(ClusterError::Command {
                    command: "pg_ctl start".into(),
                    detail: format!(
                        "the setting {name} = {value:?} is not a plain name and value (letters, digits, . _ - + : /)"
                    ),
                });
            }
            options.push_str(&format!(" -c {name}={value}"));
        }
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data_dir().to_string_lossy(),
                "-l",
                &self.log_file().to_string_lossy(),
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
        .map_err(|e| match e {
            ClusterError::Command { command, detail } => {
                let log = std::fs::read_to_string(self.log_file()).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(8).collect();
                ClusterError::Command {
                    command,
                    detail: format!(
                        "{detail}\nlast lines of {}:\n{}",
                        self.log_file().display(),
                        tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                    ),
                }
            }
            other => other,
        })?;
        Ok(())
    }

    /// Stops the server: `fast` ends sessions and shuts down cleanly; otherwise immediately.
    pub fn stop(&self, fast: bool) -> Result<(), ClusterError> {
        if !self.is_running() {
            return Ok(());
        }
        let mode = if fast { "fast" } else { "immediate" };
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data_dir().to_string_lossy(),
                "-m",
                mode,
                "-w",
                "stop",
            ],
        )?;
        Ok(())
    }

    /// Creates a database (with pgSphere installed by `migrate`) if it does not exist.
    pub async fn ensure_database(&self, name: &str) -> Result<(), tokio_postgres::Error> {
        let client = crate::connect(&self.connection_string("postgres")).await?;
        let exists = client
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .await?
            .is_some();
        if !exists {
            client
                .batch_execute(&format!(
                    "CREATE DATABASE {}",
                    vo_catalogue::quote_ident(name)
                ))
                .await?;
        }
        Ok(())
    }
}
