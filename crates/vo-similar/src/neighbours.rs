//! `alma.similar_project`: each project's ten most similar projects, for ADQL. Written for
//! the projects that have no list yet, and again for the neighbours of projects indexed
//! later (a new project enters the lists it most likely belongs to).

use std::sync::{Arc, RwLock};
use vo_similarity::ProjectIndex;

/// The neighbours each project's list holds.
pub const NEIGHBOURS: usize = 10;

/// Projects computed and written in one statement.
const BATCH: usize = 500;

/// The projects without a list in `alma.similar_project`.
async fn without_list(
    client: &tokio_postgres::Client,
) -> Result<Vec<String>, tokio_postgres::Error> {
    Ok(client
        .query(
            "SELECT code FROM archive.project p \
             WHERE NOT EXISTS (SELECT 1 FROM alma.similar_project s WHERE s.proposal_code = p.code) \
             ORDER BY code",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Writes the lists of the projects without one, and again those of the projects most like
/// the `new` ones (those that had a list), replacing what they had. Returns how many lists
/// were written.
pub async fn write_lists(
    index: Arc<RwLock<Option<ProjectIndex>>>,
    client: &tokio_postgres::Client,
    new: Vec<String>,
) -> Result<usize, String> {
    let mut codes = without_list(client).await.map_err(|e| e.to_string())?;
    let lacking: std::collections::HashSet<String> = codes.iter().cloned().collect();
    // the projects most like a project that arrived after them may now list it
    let index_for_new = index.clone();
    let theirs = tokio::task::spawn_blocking(move || -> Result<Vec<String>, String> {
        let guard = index_for_new.read().unwrap_or_else(|p| p.into_inner());
        let Some(index) = guard.as_ref() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for code in new.iter().filter(|c| !lacking.contains(*c)) {
            out.extend(
                index
                    .similar(code, NEIGHBOURS)?
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| s.code),
            );
        }
        Ok(out)
    })
    .await
    .map_err(|e| e.to_string())??;
    codes.extend(theirs);
    codes.sort();
    codes.dedup();
    let mut written = 0;
    for batch in codes.chunks(BATCH) {
        let batch = batch.to_vec();
        let index = index.clone();
        let rows = tokio::task::spawn_blocking(move || -> Result<_, String> {
            let guard = index.read().unwrap_or_else(|p| p.into_inner());
            let (mut from, mut rank, mut to, mut score) = (vec![], vec![], vec![], vec![]);
            if let Some(index) = guard.as_ref() {
                for code in &batch {
                    for (k, s) in index
                        .similar(code, NEIGHBOURS)?
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                    {
                        from.push(code.clone());
                        rank.push(k as i32 + 1);
                        to.push(s.code);
                        score.push(s.score as f64);
                    }
                }
            }
            Ok((batch, from, rank, to, score))
        })
        .await
        .map_err(|e| e.to_string())??;
        let (batch, from, rank, to, score) = rows;
        // the new lists over the old, then what is left of longer old lists removed: a
        // reader never finds a project without its list
        client
            .execute(
                "INSERT INTO alma.similar_project (proposal_code, similar_rank, similar_proposal_code, similarity) \
                 SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::float8[]) \
                 ON CONFLICT (proposal_code, similar_rank) DO UPDATE \
                 SET similar_proposal_code = excluded.similar_proposal_code, similarity = excluded.similarity",
                &[&from, &rank, &to, &score],
            )
            .await
            .map_err(|e| e.to_string())?;
        client
            .execute(
                "DELETE FROM alma.similar_project s \
                 WHERE s.proposal_code = ANY ($1) AND s.similar_rank > \
                       (SELECT count(*) FROM unnest($2::text[]) AS f(code) WHERE f.code = s.proposal_code)",
                &[&batch, &from],
            )
            .await
            .map_err(|e| e.to_string())?;
        written += batch.len();
    }
    Ok(written)
}
