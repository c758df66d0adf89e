//! Configuration: built-in defaults, then a TOML file, then environment variables, then
//! command-line flags — each overriding the one before.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub data: DataConfig,
    pub demo: DemoSettings,
    pub tap: vo_tap::TapLimits,
    pub soda: vo_soda::SodaLimits,
    pub access: AccessConfig,
    pub web: vo_web::WebPage,
    /// What one client's asynchronous jobs may take, over every service.
    pub quotas: vo_uws_service::Quotas,
    pub catalogue: CatalogueConfig,
    pub names: NamesConfig,
    pub similarity: SimilarityConfig,
    pub spectra: SpectraConfig,
    /// Where e-mail notifications go out (`[notify]`).
    pub notify: vo_notify::NotifySettings,
    /// Where jobs' uploads and results are kept (`[storage]`).
    pub storage: StorageConfig,
    /// The archive's IVOA registry records and its OAI-PMH publishing registry.
    pub registry: vo_registry::Settings,
}

/// Where asynchronous jobs keep their uploads and results, for every node.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// An S3-compatible bucket (`[storage.bucket]`); unset: `<data dir>/jobs`, which the
    /// nodes of a fleet share through a shared file system.
    pub bucket: Option<vo_storage::BucketConfig>,
}

/// Spectral reference data (`/reference/…`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SpectraConfig {
    /// The directory holding `lines.tsv` and `atmosphere.tsv` (written by
    /// `deploy/spectra.py`); unset: `<data dir>/reference`.
    pub reference: Option<PathBuf>,
}

/// Similar projects and images (`/similar/…`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SimilarityConfig {
    /// How often new projects are indexed, new, released or replaced images measured, and
    /// released cubes surveyed for lines, seconds.
    pub refresh_seconds: u64,
}

impl Default for SimilarityConfig {
    fn default() -> Self {
        SimilarityConfig {
            refresh_seconds: 600,
        }
    }
}

/// The name resolver (`/resolve`, `/sesame`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NamesConfig {
    /// The shipped catalogue's file (OpenNGC, written by `deploy/openngc.py`); unset:
    /// `<data dir>/names/openngc.tsv`. Without it, names resolve to the archive's targets
    /// only (the server says so at start).
    pub catalogue: Option<PathBuf>,
    /// How often the archive's target names are read again, seconds.
    pub refresh_seconds: u64,
}

impl Default for NamesConfig {
    fn default() -> Self {
        NamesConfig {
            catalogue: None,
            refresh_seconds: 600,
        }
    }
}

/// Which of the tables this release describes are served (in TAP_SCHEMA, VOSI tables and
/// queries).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogueConfig {
    /// Serve `ivoa.obsplan`, the execution blocks in the ObsLocTAP 1.0 model. Off by
    /// default, as ALMA's own service: its columns repeat ObsCore's names (s_ra, em_min, …),
    /// and ALminer indexes `SELECT column_name, … FROM TAP_SCHEMA.columns` (no table filter)
    /// by column name, so a repeated name breaks its get_units and get_description.
    pub obsloctap: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AccessConfig {
    /// How long a bearer token from the token endpoint is valid, seconds.
    pub token_seconds: u64,
    /// How often data whose release date has passed are marked public in ivoa.obscore,
    /// seconds (files become downloadable at the release moment itself).
    pub release_check_seconds: u64,
    /// Requests one client (IP address; an IPv6 /64) may have in flight at once; 0: no
    /// limit. Keep it well below database.pool_size, so one client cannot hold every
    /// connection.
    pub per_client_requests: usize,
    /// How long the signed URLs of a request's download script stay valid, seconds.
    pub signed_url_seconds: u64,
}

impl Default for AccessConfig {
    fn default() -> Self {
        AccessConfig {
            token_seconds: 3600,
            release_check_seconds: 60,
            per_client_requests: 8,
            signed_url_seconds: 86400,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub bind: String,
    pub port: u16,
    /// The URL clients reach the service at (access URLs are built from it);
    /// defaults to http://<bind>:<port>.
    pub public_url: Option<String>,
    /// HTTP worker threads (0: one per core).
    pub workers: usize,
    /// PEM certificate chain and private key: when both are set the server speaks HTTPS
    /// (astroquery logs in over https only).
    pub tls_certificate: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// How long a request's body may take to arrive, seconds; a slower one is refused (400).
    pub body_seconds: u64,
    /// Without `public_url`: the host names (besides loopback and the bind address) the
    /// service answers to. A request addressed to any other is refused.
    pub allowed_hosts: Vec<String>,
    /// Proxies (addresses or CIDR networks) whose X-Forwarded-For/-Host/-Proto headers are
    /// believed; from anyone else those headers are ignored.
    pub trusted_proxies: Vec<String>,
    /// This node's name among the service's nodes on one database: the same across its
    /// restarts, different from every other node's. Unset: `<host name>:<port>`.
    pub node: Option<String>,
    /// How long a job this node executes stays its own without a renewal (renewed every
    /// half second while it runs): after a crash, its jobs run again elsewhere this long
    /// (and up to a third more) after the node's last renewal.
    pub lease_seconds: u64,
    /// On SIGTERM, how long `/ready` answers 503 before the node stops taking connections
    /// (for the balancer to notice); the answers under way then have six times this to end.
    pub drain_seconds: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// libpq-style parameters of an existing database ("host=… port=… user=… dbname=…").
    /// Unset: the private cluster in `<data dir>/pg` is used.
    pub url: Option<String>,
    /// Port of the private cluster (its own, so it never collides with a system cluster).
    pub port: u16,
    pub name: String,
    /// Connections of each pool: the general one, and the synchronous queries' sessions
    /// (shared out among the HTTP workers, each with its own part).
    pub pool_size: usize,
    /// PostgreSQL settings of the private cluster over the ones derived from the machine
    /// (`shared_buffers = "2GB"`, `jit = "on"`, …); `voarchive db status` shows them all.
    pub settings: std::collections::BTreeMap<String, String>,
    /// Streaming replicas of the database (libpq-style parameters each): clients' reads go
    /// to those in rotation, writes to the primary.
    pub replicas: Vec<String>,
    /// How often each replica's lag is checked, seconds.
    pub replica_check_seconds: u64,
    /// A replica further behind the primary than this is out of rotation until it catches up.
    pub replica_max_lag_seconds: u64,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    /// Where the private cluster, data products and job results live.
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DemoSettings {
    pub seed: u64,
    pub rows: usize,
    /// Member OUSes with large products.
    pub file_mous: usize,
    /// Whether every other member OUS has its delivery too, with small products.
    pub small_files: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1".into(),
            port: 8080,
            public_url: None,
            workers: 0,
            tls_certificate: None,
            tls_key: None,
            body_seconds: 60,
            allowed_hosts: Vec::new(),
            trusted_proxies: Vec::new(),
            node: None,
            lease_seconds: 15,
            drain_seconds: 5,
        }
    }
}

impl ServerConfig {
    /// How many HTTP worker threads serve: `workers`, or one per core when it is 0.
    pub fn worker_threads(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: None,
            port: 54329,
            name: "vo".into(),
            pool_size: 32,
            settings: Default::default(),
            replicas: Vec::new(),
            replica_check_seconds: 2,
            replica_max_lag_seconds: 30,
        }
    }
}
impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            dir: PathBuf::from("./var"),
        }
    }
}
impl Default for DemoSettings {
    fn default() -> Self {
        DemoSettings {
            seed: 2026,
            rows: 3000,
            file_mous: 12,
            small_files: true,
        }
    }
}

/// The environment variables that override the file, for `--help`.
pub const ENVIRONMENT_HELP: &str =
    "Environment (overrides the configuration file; flags override both):
  VO_CONFIG        configuration file (default ./voarchive.toml if present)
  VO_BIND          server.bind          VO_PORT      server.port (8080)
  VO_PUBLIC_URL    server.public_url    VO_DATA_DIR  data.dir (./var)
  VO_DATABASE_URL  database.url (libpq parameters; unset: private cluster in <data dir>/pg)
  VO_DB_PORT       database.port of the private cluster (54329)
  VO_LOG           log filter (info, debug, vo_db=debug, ...)   VO_LOG_FORMAT  text or json";

impl Config {
    /// Loads the file (if any) and applies the environment. Unknown keys and bad values are
    /// errors that name the key.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let env_file = std::env::var_os("VO_CONFIG").map(PathBuf::from);
        let path = file
            .map(Path::to_path_buf)
            .or(env_file)
            .or_else(|| Some(PathBuf::from("voarchive.toml")).filter(|p| p.exists()));
        let mut config = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
            }
            None => Config::default(),
        };
        config.apply_env(|k| std::env::var(k).ok())?;
        Ok(config)
    }

    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        let parse_port = |name: &str, v: String| {
            v.parse::<u16>()
                .map_err(|_| anyhow::anyhow!("{name}={v} is not a port number"))
        };
        if let Some(v) = get("VO_BIND") {
            self.server.bind = v;
        }
        if let Some(v) = get("VO_PORT") {
            self.server.port = parse_port("VO_PORT", v)?;
        }
        if let Some(v) = get("VO_PUBLIC_URL") {
            self.server.public_url = Some(v);
        }
        if let Some(v) = get("VO_DATABASE_URL") {
            self.database.url = Some(v);
        }
        if let Some(v) = get("VO_DB_PORT") {
            self.database.port = parse_port("VO_DB_PORT", v)?;
        }
        if let Some(v) = get("VO_DATA_DIR") {
            self.data.dir = PathBuf::from(v);
        }
        Ok(())
    }

    /// The catalogue this service serves: the release's tables, less those the operator
    /// leaves out.
    pub fn catalogue(&self) -> vo_catalogue::Catalogue {
        let all = vo_catalogue::Catalogue::builtin();
        if self.catalogue.obsloctap {
            all
        } else {
            all.without("ivoa.obsplan")
        }
    }

    /// How this node holds the jobs it executes: its name (`server.node`, else
    /// `<host name>:<port>`) for `server.lease_seconds`.
    pub fn lease(&self) -> vo_uws_service::Lease {
        let node = self.server.node.clone().unwrap_or_else(|| {
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|h| h.trim().to_string())
                .unwrap_or_default();
            let host = if host.is_empty() {
                "localhost".into()
            } else {
                host
            };
            format!("{host}:{}", self.server.port)
        });
        vo_uws_service::Lease {
            node,
            term: std::time::Duration::from_secs(self.server.lease_seconds.max(1)),
        }
    }

    pub fn public_url(&self) -> String {
        self.server.public_url.clone().unwrap_or_else(|| {
            let scheme = if self.tls_enabled() { "https" } else { "http" };
            format!("{scheme}://{}:{}", self.server.bind, self.server.port)
        })
    }

    /// The service's address as its endpoints use it: the public URL if one is configured,
    /// else requests' Host within loopback, the bind address and `allowed_hosts`.
    pub fn service_address(&self) -> anyhow::Result<vo_endpoint::ServiceAddress> {
        let mut hosts = self.server.allowed_hosts.clone();
        let bind = self.server.bind.trim();
        let unspecified = bind
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_unspecified());
        if !unspecified {
            hosts.push(if bind.contains(':') && !bind.starts_with('[') {
                format!("[{bind}]")
            } else {
                bind.to_string()
            });
        }
        vo_endpoint::ServiceAddress::new(
            self.server.public_url.as_deref(),
            &hosts,
            &self.server.trusted_proxies,
        )
        .map_err(anyhow::Error::msg)
    }

    /// Whether the server speaks HTTPS (a certificate and its key are configured).
    pub fn tls_enabled(&self) -> bool {
        self.server.tls_certificate.is_some() && self.server.tls_key.is_some()
    }

    /// The private cluster, when no external database is configured.
    pub fn private_cluster(&self) -> Option<vo_db::PrivateCluster> {
        self.cluster_place().map(|cluster| {
            cluster.with_settings(
                self.database_settings()
                    .into_iter()
                    .map(|(name, value, _)| (name, value))
                    .collect(),
            )
        })
    }

    /// Where the private cluster is, without its settings (which look at the machine: a
    /// connection string needs only the place).
    fn cluster_place(&self) -> Option<vo_db::PrivateCluster> {
        self.database
            .url
            .is_none()
            .then(|| vo_db::PrivateCluster::new(self.data.dir.join("pg"), self.database.port, true))
    }

    /// PostgreSQL's settings for this machine with the configured ones over them: (name,
    /// value, "machine" or "configured").
    pub fn database_settings(&self) -> Vec<(String, String, &'static str)> {
        let connections = self
            .database
            .settings
            .get("max_connections")
            .and_then(|v| v.parse().ok())
            .unwrap_or(100);
        vo_db::tuning::with_overrides(
            vo_db::tuning::recommended(&vo_db::tuning::Machine::detect(), connections),
            &self.database.settings,
        )
    }

    pub fn database_params(&self) -> String {
        match (&self.database.url, self.cluster_place()) {
            (Some(url), _) => url.clone(),
            (None, Some(cluster)) => cluster.connection_string(&self.database.name),
            (None, None) => unreachable!("no url means a private cluster"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_environment() {
        let mut config: Config =
            toml::from_str("[server]\nport = 9000\n[data]\ndir = \"/srv/alma\"\n").unwrap();
        assert_eq!(config.server.port, 9000);
        assert_eq!(config.server.bind, "127.0.0.1");
        config
            .apply_env(|k| (k == "VO_PORT").then(|| "8181".to_string()))
            .unwrap();
        assert_eq!(config.server.port, 8181);
        assert_eq!(config.data.dir, PathBuf::from("/srv/alma"));
        assert!(config.database_params().contains("dbname=vo"));
        // a relative data directory still gives an absolute socket path (tools run elsewhere)
        config.data.dir = PathBuf::from("./var");
        assert!(
            config.database_params().contains(&format!(
                "host={}",
                std::env::current_dir().unwrap().join("var/pg").display()
            )),
            "{}",
            config.database_params()
        );
        assert!(config
            .apply_env(|k| (k == "VO_PORT").then(|| "eighty".to_string()))
            .unwrap_err()
            .to_string()
            .contains("VO_PORT=eighty"));
        assert!(toml::from_str::<Config>("[server]\nprot = 1\n")
            .unwrap_err()
            .to_string()
            .contains("prot"));
    }

    /// The configuration the README shows is a valid file, and says what it sets.
    #[test]
    fn the_readme_configuration_parses() {
        let readme = include_str!("../../../README.md");
        let start = readme
            .find("```toml\n[server]")
            .expect("the README shows a configuration");
        let block = &readme[start + "```toml\n".len()..];
        let block = &block[..block.find("```").unwrap()];
        let config: Config = toml::from_str(block).unwrap();
        assert_eq!(config.soda.max_cutouts, 100);
        assert_eq!(config.soda.jobs.workers, 2);
        assert_eq!(config.tap.jobs.retention_seconds, 604800);
        assert_eq!(config.tap.upload_bytes, 67108864);
    }
}
