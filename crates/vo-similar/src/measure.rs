//! Measuring the archive's images: every released science FITS product whose file is there
//! (a continuum image, or a cube's peak map) gets its morphology features and a thumbnail in
//! `archive.image_feature`; the index the endpoint ranks with is loaded from that table.
//! Files made on first access are measured once they are made; proprietary ones once they
//! are released; a file replaced (another checksum) again; calibrators are recorded
//! unranked.

use crate::images::{ImageInfo, ImageSet, SimilarImages};
use std::path::{Path, PathBuf};
use std::time::Duration;
use vo_archive::ProductName;
use vo_similarity::{features, ImageIndex, FEATURES_VERSION};

/// The thumbnails' side, pixels.
pub const THUMBNAIL: usize = 32;

/// Images measured per round (then written, then the next round).
const ROUND: i64 = 200;

/// An image to measure: its name, member OUS, file and checksum.
struct Pending {
    name: String,
    member_ous_uid: String,
    path: String,
    sha256: Option<String>,
}

/// What measuring an image gives.
struct Measured {
    name: String,
    member_ous_uid: String,
    sha256: Option<String>,
    plane: &'static str,
    features: Option<Vec<f32>>,
    thumbnail: Vec<u8>,
}

async fn pending(
    client: &tokio_postgres::Client,
    after: &str,
) -> Result<Vec<Pending>, tokio_postgres::Error> {
    Ok(client
        .query(
            "SELECT f.name, f.member_ous_uid, f.path, f.sha256 FROM archive.file f \
             JOIN archive.member_ous m ON m.uid = f.member_ous_uid \
             WHERE f.kind = 'product' AND f.content_type = 'application/fits' \
               AND f.path IS NOT NULL AND f.name > $1 AND m.release_date <= now() \
               AND NOT EXISTS (SELECT 1 FROM archive.image_feature i WHERE i.name = f.name \
                               AND i.file_sha256 IS NOT DISTINCT FROM f.sha256) \
               AND NOT EXISTS (SELECT 1 FROM archive.files_on_access a \
                               WHERE a.member_ous_uid = f.member_ous_uid AND a.made_at IS NULL) \
             ORDER BY f.name LIMIT $2",
            &[&after, &ROUND],
        )
        .await?
        .iter()
        .map(|r| Pending {
            name: r.get(0),
            member_ous_uid: r.get(1),
            path: r.get(2),
            sha256: r.get(3),
        })
        .collect())
}

/// Measures one image; None when its file cannot be read (it is tried again next pass).
fn measure(data_dir: &Path, image: Pending) -> Option<Measured> {
    let plane = vo_preview::sky_plane(&data_dir.join(&image.path)).ok()?;
    let calibrator = ProductName::parse(&image.name).is_none_or(|n| n.calibrator);
    let features = if calibrator {
        None
    } else {
        features(
            &plane.pixels,
            plane.width,
            plane.height,
            plane.beam_pixels.unwrap_or(0.0),
        )
    };
    Some(Measured {
        name: image.name,
        member_ous_uid: image.member_ous_uid,
        sha256: image.sha256,
        plane: if plane.channels > 1 {
            "peak"
        } else {
            "continuum"
        },
        features,
        thumbnail: plane.thumbnail(THUMBNAIL),
    })
}

async fn record(
    client: &tokio_postgres::Client,
    measured: &[Measured],
) -> Result<u64, tokio_postgres::Error> {
    let mut written = 0;
    for m in measured {
        written += client
            .execute(
                "INSERT INTO archive.image_feature \
                 (name, member_ous_uid, plane, features, features_version, thumbnail, file_sha256) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO UPDATE \
                 SET plane = excluded.plane, features = excluded.features, \
                     features_version = excluded.features_version, thumbnail = excluded.thumbnail, \
                     file_sha256 = excluded.file_sha256, measured_at = now()",
                &[
                    &m.name,
                    &m.member_ous_uid,
                    &m.plane,
                    &m.features,
                    &FEATURES_VERSION,
                    &m.thumbnail,
                    &m.sha256,
                ],
            )
            .await?;
    }
    Ok(written)
}

/// One pass over the images not measured yet; returns how many were recorded.
async fn measure_pass(pool: &vo_db::Pool, data_dir: &Path) -> Result<u64, String> {
    let client = pool.get().await.map_err(|e| e.to_string())?;
    // what an earlier definition of the features measured is measured again
    client
        .execute(
            "DELETE FROM archive.image_feature WHERE features_version <> $1",
            &[&FEATURES_VERSION],
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut after = String::new();
    let mut recorded = 0;
    loop {
        let batch = pending(&client, &after).await.map_err(|e| e.to_string())?;
        let Some(last) = batch.last() else {
            return Ok(recorded);
        };
        after = last.name.clone();
        let dir = data_dir.to_path_buf();
        let measured = tokio::task::spawn_blocking(move || {
            batch
                .into_iter()
                .filter_map(|image| measure(&dir, image))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| e.to_string())?;
        recorded += record(&client, &measured)
            .await
            .map_err(|e| e.to_string())?;
    }
}

/// The images ranked: measured with features by this definition (`$1`), and released.
const RANKED: &str = "FROM archive.image_feature i \
     JOIN archive.member_ous m ON m.uid = i.member_ous_uid \
     WHERE i.features IS NOT NULL AND i.features_version = $1 AND m.release_date <= now()";

/// The ranked images of `archive.image_feature`, as an index.
async fn load(pool: &vo_db::Pool) -> Result<ImageSet, String> {
    let client = pool.get().await.map_err(|e| e.to_string())?;
    let rows = client
        .query(
            &format!(
                "SELECT i.name, i.member_ous_uid, m.project_code, i.plane, i.features \
                 {RANKED} ORDER BY i.name"
            ),
            &[&FEATURES_VERSION],
        )
        .await
        .map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(move || {
        let mut index = ImageIndex::new();
        let mut info = Vec::with_capacity(rows.len());
        for r in rows {
            let name: String = r.get(0);
            let vector: Vec<f32> = r.get(4);
            if index.add(name.clone(), &vector) {
                info.push(ImageInfo {
                    source: ProductName::parse(&name)
                        .map(|n| n.source)
                        .unwrap_or_default(),
                    name,
                    member_ous_uid: r.get(1),
                    project_code: r.get(2),
                    plane: r.get(3),
                });
            }
        }
        index.standardise();
        ImageSet::new(index, info)
    })
    .await
    .map_err(|e| e.to_string())
}

/// Measures the archive's images now, then every `every` those that became measurable
/// (released, made, added), reloading the index when what it would hold changed: images this
/// node or another recorded, or released since.
pub fn start_measuring(
    images: SimilarImages,
    pool: vo_db::Pool,
    data_dir: PathBuf,
    every: Duration,
) {
    tokio::spawn(async move {
        let mut loaded: Option<RankedState> = None;
        loop {
            if let Err(e) = measure_pass(&pool, &data_dir).await {
                tracing::warn!(error = %e, "measuring images for similarity");
            }
            let now = match ranked_state(&pool).await {
                Ok(state) => Some(state),
                Err(e) => {
                    tracing::warn!(error = %e, "looking at the measured images");
                    None
                }
            };
            if loaded.is_none() || (now.is_some() && now != loaded) {
                match load(&pool).await {
                    Ok(set) => {
                        tracing::info!(ranked = set.len(), "images indexed for similarity");
                        images.replace(set);
                        loaded = now.or(Some(RankedState::default()));
                    }
                    Err(e) => tracing::warn!(error = %e, "loading image features"),
                }
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// What [`load`] would read, in brief: how many images it ranks and the latest measurement.
#[derive(Debug, Default, PartialEq)]
struct RankedState {
    images: i64,
    latest: Option<std::time::SystemTime>,
}

async fn ranked_state(pool: &vo_db::Pool) -> Result<RankedState, String> {
    let client = pool.get().await.map_err(|e| e.to_string())?;
    let row = client
        .query_one(
            &format!("SELECT count(*), max(i.measured_at) {RANKED}"),
            &[&FEATURES_VERSION],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(RankedState {
        images: row.get(0),
        latest: row.get(1),
    })
}
