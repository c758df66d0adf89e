//! Connections and pools: the general pool, and the pool of query sessions (connections
//! that are set up once as the query role, read only, with a fixed search path and time
//! limit, so that a query needs no transaction or settings of its own).

pub use deadpool_postgres::Pool;
use tokio_postgres::{Client, NoTls};

/// One connection; its I/O task runs on the current runtime.
pub async fn connect(params: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(params, NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "database connection closed");
        }
    });
    Ok(client)
}

/// A pool of at most `size` connections. Connections are opened lazily, so building a pool
/// succeeds while the database is down; availability checks report it.
pub fn make_pool(params: &str, size: usize) -> Result<Pool, String> {
    pool_of(parse(params)?, size)
}

fn parse(params: &str) -> Result<tokio_postgres::Config, String> {
    params
        .parse()
        .map_err(|e| format!("database parameters '{params}': {e}"))
}

/// A pool of at most `size` connections made with `config`.
fn pool_of(config: tokio_postgres::Config, size: usize) -> Result<Pool, String> {
    let manager = deadpool_postgres::Manager::from_config(
        config,
        NoTls,
        deadpool_postgres::ManagerConfig {
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(std::time::Duration::from_secs(10)))
        .create_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()
        .map_err(|e| e.to_string())
}

/// A pool of query sessions: each connection runs as `role`, read only, with the search path
/// `pg_catalog, public, pg_temp` and `statement_timeout`, all set when it opens.
#[derive(Debug)]
pub struct QueryPool {
    pub pool: Pool,
    pub statement_timeout: std::time::Duration,
}

/// A pool of at most `size` query sessions (see [`QueryPool`]); lazily opened as
/// [`make_pool`]'s.
pub fn make_query_pool(
    params: &str,
    size: usize,
    role: &str,
    statement_timeout: std::time::Duration,
) -> Result<QueryPool, String> {
    if role.is_empty() || !role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("'{role}' is not a plain role name"));
    }
    let mut config = parse(params)?;
    let session = format!(
        "-c role={role} -c search_path=pg_catalog,public,pg_temp \
         -c default_transaction_read_only=on -c statement_timeout={}",
        statement_timeout.as_millis().max(1)
    );
    let options = match config.get_options() {
        Some(given) if !given.trim().is_empty() => format!("{given} {session}"),
        _ => session,
    };
    config.options(&options);
    let pool = pool_of(config, size)?;
    Ok(QueryPool {
        pool,
        statement_timeout,
    })
}
