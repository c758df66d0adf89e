//! The resolver the endpoints share: the shipped catalogue's objects, read once, and the
//! archive's target names with their positions, read from ObsCore at start and again every
//! so often (a new ingest brings new names).

use std::sync::{Arc, RwLock};
use std::time::Duration;
use vo_names::{Object, Origin, Resolver};

/// The current resolver, swapped whole when the archive's targets are read again.
#[derive(Clone)]
pub struct Names {
    /// The catalogue's objects, indexed once.
    catalogue: Arc<Resolver>,
    current: Arc<RwLock<Arc<Resolver>>>,
}

impl Names {
    /// A resolver of the catalogue's objects alone, until the archive's targets are read.
    pub fn new(catalogue: Vec<Object>) -> Names {
        let mut resolver = Resolver::new();
        for object in catalogue {
            resolver.add(object);
        }
        let catalogue = Arc::new(resolver);
        Names {
            current: Arc::new(RwLock::new(catalogue.clone())),
            catalogue,
        }
    }

    /// The resolver as it is now.
    pub fn resolver(&self) -> Arc<Resolver> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The catalogue's resolver with these archive targets added.
    pub fn rebuild(&self, targets: Vec<Object>) {
        let mut resolver = Resolver::clone(&self.catalogue);
        for object in targets {
            resolver.add(object);
        }
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(resolver);
    }
}

/// Reads the archive's targets now and rebuilds the resolver with them.
pub async fn refresh_now(names: &Names, pool: &vo_db::Pool) -> Result<usize, String> {
    let client = pool.get().await.map_err(|e| e.to_string())?;
    let targets = archive_targets(&client).await.map_err(|e| e.to_string())?;
    let count = targets.len();
    let names = names.clone();
    tokio::task::spawn_blocking(move || names.rebuild(targets))
        .await
        .map_err(|e| e.to_string())?;
    Ok(count)
}

/// The archive's target names, each at the mean direction of its observations' centres.
pub async fn archive_targets(
    client: &tokio_postgres::Client,
) -> Result<Vec<Object>, tokio_postgres::Error> {
    let rows = client
        .query(
            "WITH v AS ( \
               SELECT target_name, avg(cos(radians(s_dec)) * cos(radians(s_ra))) AS x, \
                      avg(cos(radians(s_dec)) * sin(radians(s_ra))) AS y, \
                      avg(sin(radians(s_dec))) AS z \
               FROM ivoa.obscore WHERE target_name <> '' AND s_ra IS NOT NULL \
               GROUP BY target_name) \
             SELECT target_name, degrees(atan2(y, x)), degrees(atan2(z, sqrt(x * x + y * y))) \
             FROM v ORDER BY target_name",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| Object {
            name: row.get(0),
            ra: row.get::<_, f64>(1).rem_euclid(360.0),
            dec: row.get(2),
            kind: None,
            aliases: Vec::new(),
            redshift: None,
            origin: Origin::Archive,
        })
        .collect())
}

/// Reads the archive's targets every `every` (the first time after `every`: the server reads
/// them once before it starts), rebuilding the resolver; a database that is down keeps the
/// names it had.
pub fn start_refresh(names: Names, pool: vo_db::Pool, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            ticks.tick().await;
            // building takes a few hundred milliseconds: off the server's threads
            match refresh_now(&names, &pool).await {
                Ok(count) => tracing::debug!(targets = count, "name resolver rebuilt"),
                Err(e) => tracing::warn!(error = %e, "reading the archive's target names"),
            }
        }
    });
}
