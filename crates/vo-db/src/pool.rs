//! Connections and pools: the general pool, and the pool of query sessions (connections
//! that are set up once as the query role, read only, with a fixed search path and time
//! limit, so that a query needs no transaction or settings of its own), kept per thread.

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
/// `pg_catalog, public, pg_temp` and `statement_timeout`, all set when it opens. PostgreSQL
/// chooses between a plan for each execution's values and its generic plan as it does by
/// default: forcing the former cost cones a quarter of PostgreSQL's throughput (planning
/// against ObsCore's 38 indexes each time), and the numbers whose values matter to a plan,
/// a range's bounds, are not parameters (vo-adql).
///
/// The sessions are kept in one pool per thread that uses them (shards, one per HTTP worker):
/// a connection's I/O runs as a task on the runtime of the thread that opened it, so a query
/// sent on a connection another worker opened wakes that worker for every message, and the
/// two threads and PostgreSQL then share the cores (a 200,000-row dump took 2.5 s instead of
/// 1.5 s on two cores). Each shard has its part of the sessions; a thread takes the next
/// shard the first time it asks for one, so with as many shards as workers each worker has
/// its own. A thread whose part is all in use borrows a free session of another shard rather
/// than wait while those are idle (one it has to open there stays that shard's, its I/O on
/// the borrowing thread: the cost of a hop, only when the load is uneven).
#[derive(Debug)]
pub struct QueryPool {
    shards: Vec<Pool>,
    pub statement_timeout: std::time::Duration,
}

impl QueryPool {
    /// The calling thread's pool.
    fn pool(&self) -> &Pool {
        &self.shards[thread_shard() % self.shards.len()]
    }

    /// A session: the calling thread's own when one is free (or can be opened); else a free
    /// one of another shard; else the calling thread's first to come free, within the
    /// pool's wait limit.
    pub async fn get(&self) -> Result<deadpool_postgres::Object, deadpool_postgres::PoolError> {
        let own = thread_shard() % self.shards.len();
        let at_once = deadpool_postgres::Timeouts {
            wait: Some(std::time::Duration::ZERO),
            ..self.shards[own].timeouts()
        };
        for i in (0..self.shards.len()).map(|k| (own + k) % self.shards.len()) {
            match self.shards[i].timeout_get(&at_once).await {
                Err(deadpool_postgres::PoolError::Timeout(
                    deadpool_postgres::TimeoutType::Wait,
                )) => continue,
                // a session, or the database refusing one: said at once
                answer => return answer,
            }
        }
        self.pool().get().await
    }

    /// The sessions of every shard together.
    pub fn status(&self) -> deadpool_postgres::Status {
        let mut total = deadpool_postgres::Status {
            max_size: 0,
            size: 0,
            available: 0,
            waiting: 0,
        };
        for shard in &self.shards {
            let s = shard.status();
            total.max_size += s.max_size;
            total.size += s.size;
            total.available += s.available;
            total.waiting += s.waiting;
        }
        total
    }
}

/// This thread's shard number: the threads are numbered in the order they first ask.
fn thread_shard() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    thread_local! {
        static SHARD: usize = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    SHARD.with(|shard| *shard)
}

/// How many of `size` sessions shard `i` of `shards` keeps: `size` shared out, at least one.
fn shard_size(size: usize, shards: usize, i: usize) -> usize {
    (size / shards + usize::from(i < size % shards)).max(1)
}

/// A pool of at most `size` query sessions (see [`QueryPool`]), shared out among `shards`
/// threads (at least one session each); lazily opened as [`make_pool`]'s.
pub fn make_query_pool(
    params: &str,
    size: usize,
    shards: usize,
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
    let shards = shards.max(1);
    let shards = (0..shards)
        .map(|i| pool_of(config.clone(), shard_size(size, shards, i)))
        .collect::<Result<_, _>>()?;
    Ok(QueryPool {
        shards,
        statement_timeout,
    })
}

#[cfg(test)]
mod tests {
    use super::{shard_size, thread_shard};

    #[test]
    fn the_sessions_are_shared_out_among_the_shards() {
        let sizes = |size, shards| {
            (0..shards)
                .map(|i| shard_size(size, shards, i))
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(32, 2), [16, 16]);
        assert_eq!(sizes(5, 3), [2, 2, 1]);
        assert_eq!(sizes(1, 2), [1, 1]);
        assert_eq!(sizes(7, 1), [7]);
    }

    #[test]
    fn each_thread_queries_on_its_own_shard() {
        let timeout = std::time::Duration::from_secs(1);
        let pool = super::make_query_pool("host=/nowhere dbname=vo", 32, 2, "q", timeout).unwrap();
        // every session counted once: the sixteen of each shard
        assert_eq!(pool.status().max_size, 32);
        // a thread's pool is the shard of its number, here and on another thread; threads
        // are numbered one after the other, so the workers started together have their own
        let own = || std::ptr::eq(pool.pool(), &pool.shards[thread_shard() % 2]);
        assert!(own());
        assert!(std::thread::scope(|s| s.spawn(own).join().unwrap()));
        assert!(!std::ptr::eq(&pool.shards[0], &pool.shards[1]));
    }

    #[test]
    fn a_thread_keeps_its_shard_and_two_threads_differ() {
        let here = thread_shard();
        assert_eq!(thread_shard(), here);
        let there = std::thread::spawn(thread_shard).join().unwrap();
        assert_ne!(there, here);
    }
}
