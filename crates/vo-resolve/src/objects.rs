//! The catalogue's objects in the database, for object types (manual §3.2): loaded into
//! `archive.catalogue_object` when the catalogue file is new to the database, then every
//! observation's objects are found again (`archive.match_objects`); each load of rows finds
//! its own.

use sha2::{Digest, Sha256};
use vo_names::Object;

/// The SHA-256 of a catalogue file's text: which catalogue the database holds.
pub fn catalogue_digest(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// Loads `objects` into `archive.catalogue_object` unless the database holds the catalogue
/// of this digest already; then finds every observation's objects. Returns how many
/// observation-object pairs were found, or None when nothing had to be done. One server
/// at a time (an advisory lock).
pub async fn sync_catalogue(
    pool: &vo_db::Pool,
    objects: &[Object],
    digest: &str,
) -> Result<Option<i64>, String> {
    let mut client = pool.get().await.map_err(|e| e.to_string())?;
    let tx = client.transaction().await.map_err(|e| e.to_string())?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('voarchive catalogue'))",
        &[],
    )
    .await
    .map_err(|e| e.to_string())?;
    let held: Option<String> = tx
        .query_opt("SELECT sha256 FROM archive.catalogue_source", &[])
        .await
        .map_err(|e| e.to_string())?
        .map(|row| row.get(0));
    if held.as_deref() == Some(digest) {
        return Ok(None);
    }
    let names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
    let (types, words): (Vec<&str>, Vec<&str>) = objects
        .iter()
        .map(|o| {
            o.kind
                .as_ref()
                .map_or(("Other", "Object of other/unknown type"), |(c, w)| {
                    (c.as_str(), w.as_str())
                })
        })
        .unzip();
    let ras: Vec<f64> = objects.iter().map(|o| o.ra).collect();
    let redshifts: Vec<Option<f64>> = objects.iter().map(|o| o.redshift).collect();
    let decs: Vec<f64> = objects.iter().map(|o| o.dec).collect();
    let aliases: Vec<String> = objects
        .iter()
        .map(|o| {
            std::iter::once(o.name.as_str())
                .chain(o.aliases.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    tx.batch_execute("TRUNCATE archive.catalogue_object")
        .await
        .map_err(|e| e.to_string())?;
    tx.execute(
        "INSERT INTO archive.catalogue_object (name, object_type, type_description, ra, dec, pos, names, redshift) \
         SELECT n, t, w, r, d, spoint(radians(r), radians(d)), string_to_array(a, '|'), z \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::float8[]) \
           AS x(n, t, w, r, d, a, z) \
         ON CONFLICT (name) DO NOTHING",
        &[&names, &types, &words, &ras, &decs, &aliases, &redshifts],
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.execute(
        "INSERT INTO archive.catalogue_source (sha256, objects) VALUES ($1, $2) \
         ON CONFLICT (one_row) DO UPDATE SET sha256 = EXCLUDED.sha256, objects = EXCLUDED.objects, \
           loaded_at = now()",
        &[&digest, &(objects.len() as i32)],
    )
    .await
    .map_err(|e| e.to_string())?;
    let found: i64 = tx
        .query_one("SELECT archive.match_objects(NULL)", &[])
        .await
        .map_err(|e| e.to_string())?
        .get(0);
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(Some(found))
}
