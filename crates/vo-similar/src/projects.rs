//! `/similar/projects`, and the index behind it.

use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use vo_endpoint::{json_failure, json_query_params, json_response};
use vo_results::{writer_for, Cell, Datatype, Ending, Field, Format, ResultMeta};
use vo_similarity::{ProjectIndex, ProjectText};

/// The project index the endpoint answers from (None until it is first built).
#[derive(Clone, Default)]
pub struct SimilarProjects {
    index: Arc<RwLock<Option<ProjectIndex>>>,
}

/// The most similar projects one answer lists.
const MOST: usize = 100;

async fn projects_not_indexed(
    client: &tokio_postgres::Client,
    known: Vec<String>,
) -> Result<Vec<ProjectText>, tokio_postgres::Error> {
    Ok(client
        .query(
            "SELECT code, coalesce(title, ''), coalesce(abstract, ''), coalesce(science_keyword, ''), \
                    coalesce(scientific_category, '') \
             FROM archive.project WHERE NOT (code = ANY ($1)) ORDER BY code",
            &[&known],
        )
        .await?
        .iter()
        .map(|r| ProjectText {
            code: r.get(0),
            title: r.get(1),
            abstract_text: r.get(2),
            keywords: r.get(3),
            category: r.get(4),
        })
        .collect())
}

/// Indexes the archive's projects now, then every `every` the projects that arrived since.
pub fn start_indexing(projects: SimilarProjects, pool: vo_db::Pool, every: Duration) {
    tokio::spawn(async move {
        loop {
            let known: Vec<String> = match projects.index.read() {
                Ok(guard) => guard.as_ref().map(|i| i.codes()).unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            // at the first build every project is new: lists are then written only for the
            // projects without one (not all again at every start)
            let first_build = known.is_empty();
            let new = match pool.get().await {
                Ok(client) => projects_not_indexed(&client, known)
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            match new {
                Ok(new)
                    if !new.is_empty()
                        || projects.index.read().map(|g| g.is_none()).unwrap_or(false) =>
                {
                    let count = new.len();
                    let codes: Vec<String> = if first_build {
                        Vec::new()
                    } else {
                        new.iter().map(|p| p.code.clone()).collect()
                    };
                    let shared = projects.index.clone();
                    // indexing is CPU work: off the server's threads; a search meanwhile is
                    // told to come back (it never waits on the lock)
                    let built = tokio::task::spawn_blocking(move || {
                        let mut guard = shared.write().unwrap_or_else(|p| p.into_inner());
                        if guard.is_none() {
                            *guard = Some(ProjectIndex::new()?);
                        }
                        guard.as_mut().map_or(Ok(0), |index| index.add(new))
                    })
                    .await;
                    match built {
                        Ok(Ok(_)) => {
                            tracing::info!(projects = count, "projects indexed for similarity");
                            let written = match pool.get().await {
                                Ok(client) => {
                                    crate::neighbours::write_lists(
                                        projects.index.clone(),
                                        &client,
                                        codes,
                                    )
                                    .await
                                }
                                Err(e) => Err(e.to_string()),
                            };
                            match written {
                                Ok(lists) => tracing::info!(
                                    lists,
                                    "similar projects written to alma.similar_project"
                                ),
                                Err(e) => {
                                    tracing::warn!(error = %e, "writing alma.similar_project")
                                }
                            }
                        }
                        Ok(Err(e)) => tracing::warn!(error = %e, "indexing projects"),
                        Err(e) => tracing::warn!(error = %e, "indexing projects"),
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reading the projects to index"),
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// `GET /similar/projects?code=C&n=N[&RESPONSEFORMAT=votable]`.
pub async fn similar_projects(
    request: HttpRequest,
    projects: web::Data<SimilarProjects>,
) -> HttpResponse {
    let params = match json_query_params(&request) {
        Ok(params) => params,
        Err(refusal) => return refusal,
    };
    let get = |name: &str| params.get(name).map(|v| v.trim().to_string());
    let Some(code) = get("code").filter(|c| !c.is_empty()) else {
        return json_failure(
            StatusCode::BAD_REQUEST,
            "give the project: /similar/projects?code=2019.1.00001.S&n=10",
        );
    };
    let n = match get("n").map(|n| n.parse::<usize>()) {
        None => 10,
        Some(Ok(n)) if (1..=MOST).contains(&n) => n,
        Some(_) => {
            return json_failure(
                StatusCode::BAD_REQUEST,
                format!("n must be a whole number from 1 to {MOST}"),
            )
        }
    };
    let votable = match get("RESPONSEFORMAT").as_deref().map(Format::parse) {
        None | Some(Ok(Format::VotableTabledata)) => get("RESPONSEFORMAT").is_some(),
        Some(Ok(_)) | Some(Err(_)) => {
            return json_failure(
                StatusCode::BAD_REQUEST,
                "RESPONSEFORMAT is json (the default) or votable",
            )
        }
    };
    let found = {
        let guard = match projects.index.try_read() {
            Ok(guard) => guard,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                return json_failure(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "new projects are being indexed; try again in a few seconds",
                )
            }
        };
        match guard.as_ref() {
            None => {
                return json_failure(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the projects are being indexed; try again in a few seconds",
                )
            }
            Some(index) => index.similar(&code, n),
        }
    };
    let similar = match found {
        Ok(Some(similar)) => similar,
        Ok(None) => {
            return json_failure(
                StatusCode::NOT_FOUND,
                format!("no project is called {code:?}"),
            )
        }
        Err(e) => {
            return json_failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("ranking similar projects: {e}"),
            )
        }
    };
    if votable {
        let mut fields = vec![
            Field::new("proposal_id", Datatype::Char, Some("*")),
            Field::new("score", Datatype::Double, None),
        ];
        fields[0].ucd = Some("meta.id".into());
        fields[0].description = Some("A project similar to the one asked about".into());
        fields[1].description =
            Some("BM25 'more like this' score over title, abstract, keywords and category".into());
        let mut writer = writer_for(
            Format::VotableTabledata,
            ResultMeta {
                fields,
                infos: vec![("similar_to".into(), code.clone())],
                trailing_resources: Vec::new(),
            },
        );
        let mut out = Vec::new();
        writer.begin(&mut out);
        for s in &similar {
            writer.row(
                &mut out,
                &[
                    Cell::Text(s.code.as_str().into()),
                    Cell::Float(s.score as f64),
                ],
            );
        }
        writer.end(&mut out, &Ending::Complete);
        return HttpResponse::Ok()
            .content_type(Format::VotableTabledata.content_type())
            .body(out);
    }
    let codes: Vec<&str> = similar.iter().map(|s| s.code.as_str()).collect();
    json_response(
        StatusCode::OK,
        serde_json::json!({
            "code": code,
            "similar": similar.iter().map(|s| serde_json::json!({ "code": s.code, "score": s.score })).collect::<Vec<_>>(),
            // the page's share link: these projects as a new query
            "query_link": format!("/#project={}", percent_encoding::utf8_percent_encode(&codes.join(" | "), percent_encoding::NON_ALPHANUMERIC)),
        }),
    )
}
