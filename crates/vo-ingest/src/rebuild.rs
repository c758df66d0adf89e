//! Index and foreign-key maintenance for large loads: a load at least as large as the table
//! it goes into builds the table's indexes afterwards — one sorted build per index instead
//! of one B-tree or GiST insertion per row and index (ivoa.obscore has about forty) — and
//! checks its foreign keys afterwards, one join per key instead of one lookup per row and
//! key (as `pg_restore` does). The indexes that back constraints (obs_id's uniqueness, which
//! the upsert needs; primary keys) stay. Everything happens in the load's transaction: a
//! failed load leaves the indexes and keys as they were, a row whose reference is missing
//! fails the load when its key is added again, and readers wait for the load (DROP INDEX
//! locks the table) instead of seeing a table without them.

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

/// Drops the foreign keys `table` holds; returns the statements that add them again (each
/// checks every row at once when it runs).
pub async fn drop_foreign_keys(
    tx: &Transaction<'_>,
    table: &str,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let rows = tx
        .query(
            "SELECT quote_ident(conname), pg_get_constraintdef(oid)
             FROM pg_constraint
             WHERE conrelid = $1::text::regclass AND contype = 'f'
             ORDER BY conname",
            &[&table],
        )
        .await?;
    let mut additions = Vec::with_capacity(rows.len());
    for row in rows {
        let (name, definition): (String, String) = (row.get(0), row.get(1));
        tx.batch_execute(&format!("ALTER TABLE {table} DROP CONSTRAINT {name}"))
            .await?;
        additions.push(format!(
            "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        ));
    }
    Ok(additions)
}

/// Runs the statements that build the dropped indexes and add the dropped keys again, in
/// order.
pub async fn restore(
    tx: &Transaction<'_>,
    statements: &[String],
) -> Result<(), tokio_postgres::Error> {
    for statement in statements {
        tx.batch_execute(statement).await?;
    }
    Ok(())
}
