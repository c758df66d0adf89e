//! VOSI availability (VOSI 1.1 §3.2): whether the service can answer, and why not.

use crate::xml::{escape_xml, xml_response};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use std::time::Duration;
use vo_db::Pool;

#[derive(Debug, Clone, PartialEq)]
pub struct Availability {
    pub available: bool,
    pub note: String,
    /// One note for each read replica: in rotation with its lag, or out and why.
    pub replica_notes: Vec<String>,
}

/// An error with its causes, as one line.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Asks the database a trivial question, with a short time limit.
pub async fn check_database(pool: &Pool) -> Availability {
    let check = async {
        let client = pool
            .get()
            .await
            .map_err(|e| format!("cannot connect to the database: {}", with_causes(&e)))?;
        client
            .query_one("SELECT 1", &[])
            .await
            .map_err(|e| format!("the database does not answer queries: {}", with_causes(&e)))?;
        Ok::<(), String>(())
    };
    match tokio::time::timeout(Duration::from_secs(3), check).await {
        Ok(Ok(())) => Availability {
            available: true,
            note: "service is accepting queries".into(),
            replica_notes: Vec::new(),
        },
        Ok(Err(reason)) => Availability {
            available: false,
            note: reason,
            replica_notes: Vec::new(),
        },
        Err(_) => Availability {
            available: false,
            note: "the database did not answer within 3 seconds".into(),
            replica_notes: Vec::new(),
        },
    }
}

/// What the replica watcher last found of each replica, as a note.
fn replica_note(state: &vo_db::ReplicaState) -> String {
    match (state.in_rotation, &state.problem, state.lag) {
        (true, _, Some(lag)) => format!(
            "read replica {} takes reads ({:.1} s behind the primary)",
            state.name,
            lag.as_secs_f64()
        ),
        (true, _, None) => format!("read replica {} takes reads", state.name),
        (false, Some(problem), _) => format!(
            "read replica {} is out of rotation ({problem}); its reads go to the primary",
            state.name
        ),
        (false, None, _) => format!(
            "read replica {} is out of rotation; its reads go to the primary",
            state.name
        ),
    }
}

impl Availability {
    pub fn to_xml(&self) -> String {
        let notes: String = std::iter::once(&self.note)
            .chain(&self.replica_notes)
            .map(|n| format!("  <vosi:note>{}</vosi:note>\n", escape_xml(n)))
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vosi:availability xmlns:vosi=\"http://www.ivoa.net/xml/VOSIAvailability/v1.0\">\n  <vosi:available>{}</vosi:available>\n{notes}</vosi:availability>\n",
            self.available,
        )
    }
}

/// The `/availability` resource of an endpoint. Always 200: the document says whether the
/// service is available (clients read the document, not the status).
pub async fn availability(
    pool: web::Data<Pool>,
    reads: Option<web::Data<vo_db::Reads>>,
) -> HttpResponse {
    let mut state = check_database(&pool).await;
    if let Some(reads) = reads {
        state.replica_notes = reads
            .replicas()
            .iter()
            .map(|r| replica_note(&r.state()))
            .collect();
    }
    if !state.available {
        tracing::warn!(reason = %state.note, "service unavailable");
    }
    xml_response(StatusCode::OK, state.to_xml())
}
