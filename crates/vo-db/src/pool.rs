//! Connections and pools.

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
    let config: tokio_postgres::Config = params
        .parse()
        .map_err(|e| format!("database parameters '{params}': {e}"))?;
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
