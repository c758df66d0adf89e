//! PostgreSQL for the archive.
//!
//! Owns: running a private PostgreSQL cluster in a data directory (used by the demo and by
//! every integration test: [`testing::TestCluster`] makes a throwaway one), applying the SQL
//! migrations in `schema/migrations` with a version table, installing pgSphere, writing
//! TAP_SCHEMA from the catalogue, connection pools (the query sessions kept per thread),
//! where reads go (the primary or its streaming replicas in rotation, [`Reads`]),
//! PostgreSQL's settings for the machine (`tuning`), and statement parameters sent as text
//! ([`TextParameter`]).
//!
//! Does not own: what the tables mean (schema/, the catalogue), queries of the protocols.

pub mod cluster;
mod copy;
mod migrate;
mod pgsphere;
mod pool;
mod reads;
mod tap_schema;
pub mod testing;
mod text_parameter;
pub mod tuning;

pub use cluster::{ClusterError, PrivateCluster};
pub use copy::{copy_escape, load_temporary_table};
pub use migrate::{migrate, migrate_until, schema_versions, MigrateError, MIGRATIONS};
pub use pool::{connect, make_pool, make_query_pool, Pool, QueryPool};
pub use reads::{watch_replicas, ReadTarget, Reads, Replica, ReplicaState};
pub use tap_schema::read_catalogue;
pub use text_parameter::TextParameter;
