//! Index maintenance for large loads: a load at least as large as the table it goes into
//! builds the table's indexes afterwards — one sorted build per index instead of one B-tree
//! or GiST insertion per row and index (ivoa.obscore has about forty). The indexes that back
//! constraints (obs_id's uniqueness, which the upsert needs; primary keys) stay. Everything
//! happens in the load's transaction: a failed load leaves the indexes as they were, and
//! readers wait for the load (DROP INDEX locks the table) instead of seeing a table without
//! them.

use tokio_postgres::Transaction;

/// The fewest rows for which dropping and rebuilding pays (below it the per-row maintenance
/// is cheap anyway).
pub const FEWEST_ROWS: i64 = 20_000;

/// Whether loading `incoming` rows into `table` should rebuild its indexes: the load at
/// least doubles it.
pub async fn worth_it(
    tx: &Transaction<'_>,
    table: &str,
    incoming: i64,
) -> Result<bool, tokio_postgres::Error> {
    if incoming < FEWEST_ROWS {
        return Ok(false);
    }
    // the planner's count (kept by ANALYZE and VACUUM; -1 or 0 before the first): cheap,
    // and good enough to compare with the load
    let present: f32 = tx
        .query_one(
            "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = $1::text::regclass",
            &[&table],
        )
        .await?
        .get(0);
    Ok(incoming as f64 >= f64::from(present))
}

/// Drops `table`'s indexes that back no constraint; returns the statements that build them
/// again.
pub async fn drop_indexes(
    tx: &Transaction<'_>,
    table: &str,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let rows = tx
        .query(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
             FROM pg_index i
             WHERE i.indrelid = $1::text::regclass
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            &[&table],
        )
        .await?;
    let mut builds = Vec::with_capacity(rows.len());
    for row in rows {
        let (name, definition): (String, String) = (row.get(0), row.get(1));
        tx.batch_execute(&format!("DROP INDEX {name}")).await?;
        builds.push(definition);
    }
    Ok(builds)
}

/// Builds the dropped indexes again.
pub async fn build_indexes(
    tx: &Transaction<'_>,
    builds: &[String],
) -> Result<(), tokio_postgres::Error> {
    for definition in builds {
        tx.batch_execute(definition).await?;
    }
    Ok(())
}
