//! TAP_SCHEMA in the database: written from the catalogue at migration, and read back as a
//! catalogue (for tools and services that work on what a database declares).

use tokio_postgres::Client;
use vo_catalogue::{Catalogue, ColumnRow, SchemaRow, TableRow, TapSchemaRows};

/// Replaces the content of TAP_SCHEMA with the catalogue's, in one transaction.
pub(crate) async fn write_tap_schema(
    client: &mut Client,
    catalogue: &Catalogue,
) -> Result<(), tokio_postgres::Error> {
    let rows = catalogue.tap_schema_rows();
    let tx = client.transaction().await?;
    tx.batch_execute("DELETE FROM tap_schema.key_columns; DELETE FROM tap_schema.keys; DELETE FROM tap_schema.columns; DELETE FROM tap_schema.tables; DELETE FROM tap_schema.schemas;").await?;
    let insert_schema = tx.prepare("INSERT INTO tap_schema.schemas (schema_name, description, schema_index) VALUES ($1, $2, $3)").await?;
    for s in &rows.schemas {
        tx.execute(
            &insert_schema,
            &[&s.schema_name, &s.description, &s.schema_index],
        )
        .await?;
    }
    let insert_table = tx
        .prepare("INSERT INTO tap_schema.tables (schema_name, table_name, table_type, utype, description, table_index) VALUES ($1, $2, $3, $4, $5, $6)")
        .await?;
    for t in &rows.tables {
        tx.execute(
            &insert_table,
            &[
                &t.schema_name,
                &t.table_name,
                &t.table_type,
                &t.utype,
                &t.description,
                &t.table_index,
            ],
        )
        .await?;
    }
    let insert_column = tx
        .prepare(
            "INSERT INTO tap_schema.columns (table_name, column_name, utype, ucd, unit, description, datatype, arraysize, xtype, \"size\", principal, indexed, std, column_index)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .await?;
    for c in &rows.columns {
        tx.execute(
            &insert_column,
            &[
                &c.table_name,
                &c.column_name,
                &c.utype,
                &c.ucd,
                &c.unit,
                &c.description,
                &c.datatype,
                &c.arraysize,
                &c.xtype,
                &c.size,
                &c.principal,
                &c.indexed,
                &c.std,
                &c.column_index,
            ],
        )
        .await?;
    }
    let insert_key = tx
        .prepare("INSERT INTO tap_schema.keys (key_id, from_table, target_table, description) VALUES ($1, $2, $3, $4)")
        .await?;
    let insert_key_column = tx
        .prepare("INSERT INTO tap_schema.key_columns (key_id, from_column, target_column) VALUES ($1, $2, $3)")
        .await?;
    for k in &rows.keys {
        tx.execute(
            &insert_key,
            &[&k.key_id, &k.from_table, &k.target_table, &k.description],
        )
        .await?;
        tx.execute(
            &insert_key_column,
            &[&k.key_id, &k.from_column, &k.target_column],
        )
        .await?;
    }
    tx.commit().await
}

/// Reads TAP_SCHEMA (schemas, tables and columns) and builds the catalogue it describes.
pub async fn read_catalogue(client: &Client) -> Result<Catalogue, String> {
    let db = |e: tokio_postgres::Error| format!("reading TAP_SCHEMA: {e}");
    let schemas = client
        .query("SELECT schema_name, coalesce(description, ''), coalesce(schema_index, 0) FROM tap_schema.schemas", &[])
        .await
        .map_err(db)?
        .iter()
        .map(|r| SchemaRow { schema_name: r.get(0), description: r.get(1), schema_index: r.get(2) })
        .collect();
    let tables = client
        .query("SELECT schema_name, table_name, table_type, utype, coalesce(description, ''), coalesce(table_index, 0) FROM tap_schema.tables", &[])
        .await
        .map_err(db)?
        .iter()
        .map(|r| TableRow {
            schema_name: r.get(0),
            table_name: r.get(1),
            table_type: r.get(2),
            utype: r.get(3),
            description: r.get(4),
            table_index: r.get(5),
        })
        .collect();
    let columns = client
        .query(
            "SELECT table_name, column_name, utype, ucd, unit, coalesce(description, ''), datatype, arraysize, xtype, \"size\", principal, indexed, std, coalesce(column_index, 0) FROM tap_schema.columns",
            &[],
        )
        .await
        .map_err(db)?
        .iter()
        .map(|r| ColumnRow {
            table_name: r.get(0),
            column_name: r.get(1),
            utype: r.get(2),
            ucd: r.get(3),
            unit: r.get(4),
            description: r.get(5),
            datatype: r.get(6),
            arraysize: r.get(7),
            xtype: r.get(8),
            size: r.get(9),
            principal: r.get(10),
            indexed: r.get(11),
            std: r.get(12),
            column_index: r.get(13),
        })
        .collect();
    let keys = client
        .query(
            "SELECT k.key_id, k.from_table, c.from_column, k.target_table, c.target_column, coalesce(k.description, '') \
             FROM tap_schema.keys k JOIN tap_schema.key_columns c USING (key_id) ORDER BY k.key_id",
            &[],
        )
        .await
        .map_err(db)?
        .iter()
        .map(|r| vo_catalogue::ForeignKey {
            key_id: r.get(0),
            from_table: r.get(1),
            from_column: r.get(2),
            target_table: r.get(3),
            target_column: r.get(4),
            description: r.get(5),
        })
        .collect();
    Catalogue::from_tap_schema(&TapSchemaRows {
        schemas,
        tables,
        columns,
        keys,
    })
    .map_err(|e| e.to_string())
}
