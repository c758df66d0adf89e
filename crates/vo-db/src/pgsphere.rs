//! Installing pgSphere.
//!
//! `CREATE EXTENSION pg_sphere` is tried first. Debian 12's pgSphere 1.2.0 script declares two
//! obsolete compatibility operators (`bigint @ smoc`, `spoint @ smoc`, kept for old DaCHS)
//! whose COMMUTATOR clause current PostgreSQL 15 minor releases reject ("commutator operator
//! @> is already the commutator of operator <@"); pgSphere upstream has since removed them.
//! On exactly that failure the packaged script is run directly, minus those two operators.
//! The types, functions, operators and GiST operator classes are otherwise the package's own.

use tokio_postgres::Client;

async fn has_pgsphere(client: &Client) -> Result<bool, tokio_postgres::Error> {
    Ok(client
        .query_opt("SELECT 1 FROM pg_type WHERE typname = 'spoint'", &[])
        .await?
        .is_some())
}

/// Removes the `CREATE OPERATOR @ (LEFTARG = bigint|spoint, RIGHTARG = smoc, …);` blocks,
/// the `\echo` guard, and resolves MODULE_PATHNAME.
pub(crate) fn adapt_packaged_script(script: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    while let Some(start) = rest.find("CREATE OPERATOR @ (") {
        let end = rest[start..]
            .find(");")
            .map(|e| start + e + 2)
            .unwrap_or(rest.len());
        let block: String = rest[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&rest[..start]);
        let obsolete = block.contains("RIGHTARG = smoc")
            && (block.contains("LEFTARG = bigint") || block.contains("LEFTARG = spoint"));
        if !obsolete {
            out.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.lines()
        .filter(|l| !l.starts_with("\\echo"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("MODULE_PATHNAME", "$libdir/pg_sphere")
}

pub(crate) async fn ensure_pgsphere(client: &mut Client) -> Result<(), String> {
    if has_pgsphere(client).await.map_err(|e| e.to_string())? {
        return Ok(());
    }
    let available: Option<String> = client
        .query_opt(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'pg_sphere'",
            &[],
        )
        .await
        .map_err(|e| e.to_string())?
        .map(|r| r.get(0));
    let Some(version) = available else {
        return Err("pgSphere is not installed on the database server: install the Debian package postgresql-15-pgsphere".into());
    };
    let tx = client.transaction().await.map_err(|e| e.to_string())?;
    match tx.batch_execute("CREATE EXTENSION pg_sphere").await {
        Ok(()) => return tx.commit().await.map_err(|e| e.to_string()),
        Err(e) => {
            let commutator_clash = e
                .as_db_error()
                .is_some_and(|d| d.message().contains("commutator"));
            tx.rollback().await.map_err(|e| e.to_string())?;
            if !commutator_clash {
                return Err(format!("CREATE EXTENSION pg_sphere failed: {e}"));
            }
        }
    }
    tracing::info!(version, "pgSphere's packaged extension script clashes with this PostgreSQL; installing it without the obsolete smoc compatibility operators");
    let sharedir: String = client
        .query_one("SELECT setting FROM pg_config WHERE name = 'SHAREDIR'", &[])
        .await
        .map_err(|e| format!("reading SHAREDIR (needs a superuser): {e}"))?
        .get(0);
    let path = format!("{sharedir}/extension/pg_sphere--{version}.sql");
    let script = std::fs::read_to_string(&path).map_err(|e| format!("reading {path}: {e}"))?;
    let tx = client.transaction().await.map_err(|e| e.to_string())?;
    tx.batch_execute(&adapt_packaged_script(&script))
        .await
        .map_err(|e| format!("running {path}: {e}"))?;
    tx.commit().await.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::adapt_packaged_script;

    #[test]
    fn drops_only_the_obsolete_operators() {
        let script = "\\echo Use CREATE EXTENSION\nCREATE FUNCTION f() AS 'MODULE_PATHNAME';\n\
            CREATE OPERATOR @ (\n   LEFTARG    = bigint,\n   RIGHTARG   = smoc,\n   PROCEDURE  = x\n);\n\
            CREATE OPERATOR @ (\n   LEFTARG    = spoint,\n   RIGHTARG   = scircle,\n   PROCEDURE  = y\n);\n\
            CREATE OPERATOR @ (\n   LEFTARG    = spoint,\n   RIGHTARG   = smoc,\n   PROCEDURE  = z\n);\nEND";
        let adapted = adapt_packaged_script(script);
        assert!(!adapted.contains("\\echo"));
        assert!(adapted.contains("'$libdir/pg_sphere'"));
        assert!(adapted.contains("PROCEDURE  = y"));
        assert!(!adapted.contains("PROCEDURE  = x") && !adapted.contains("PROCEDURE  = z"));
        assert!(adapted.ends_with("END"));
    }
}
