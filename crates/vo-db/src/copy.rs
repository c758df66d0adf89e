//! Bulk loading with COPY (text format): ingest's staging tables and TAP uploads.

use futures_util::SinkExt;
use tokio_postgres::Client;

/// Escapes a value for COPY's text format.
pub fn copy_escape(value: &str, out: &mut String) {
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

/// Creates a temporary table dropped at the end of the current transaction and fills it.
/// `columns` are (name, PostgreSQL type); names are quoted here, types must be trusted.
pub async fn load_temporary_table(
    client: &Client,
    table: &str,
    columns: &[(String, &str)],
    rows: &[Vec<Option<String>>],
) -> Result<(), tokio_postgres::Error> {
    let quote = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
    let definition: Vec<String> = columns
        .iter()
        .map(|(name, ty)| format!("{} {ty}", quote(name)))
        .collect();
    client
        .batch_execute(&format!(
            "CREATE TEMPORARY TABLE {} ({}) ON COMMIT DROP",
            quote(table),
            definition.join(", ")
        ))
        .await?;
    let sink = client
        .copy_in::<_, bytes::Bytes>(&format!("COPY {} FROM STDIN", quote(table)))
        .await?;
    futures_util::pin_mut!(sink);
    let mut chunk = String::new();
    for row in rows {
        for (i, value) in row.iter().enumerate() {
            if i > 0 {
                chunk.push('\t');
            }
            match value {
                Some(v) => copy_escape(v, &mut chunk),
                None => chunk.push_str("\\N"),
            }
        }
        chunk.push('\n');
        if chunk.len() > 1 << 16 {
            sink.send(bytes::Bytes::from(std::mem::take(&mut chunk)))
                .await?;
        }
    }
    if !chunk.is_empty() {
        sink.send(bytes::Bytes::from(chunk)).await?;
    }
    sink.finish().await?;
    Ok(())
}
