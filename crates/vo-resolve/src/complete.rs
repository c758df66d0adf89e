//! `/resolve/complete?field=F&text=T`: the archive's own values of a form field that start
//! with what is typed (or have a word that does), most used first — from the indexed
//! `archive.completion`.

use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use vo_endpoint::{json_failure, json_query_params, json_response};

/// The fields completed, as `archive.completion` names them.
pub const FIELDS: &[&str] = &["source", "project", "pi", "keyword", "category"];

/// How many values one answer lists at most.
pub const MOST: i64 = 12;

/// `text` as a LIKE pattern's literal part (`%`, `_` and `\` stand for themselves).
fn like_literal(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

pub async fn complete(request: HttpRequest, pool: web::Data<vo_db::Pool>) -> HttpResponse {
    let params = match json_query_params(&request) {
        Ok(params) => params,
        Err(refusal) => return refusal,
    };
    let get = |name: &str| params.get(name).map(|v| v.trim().to_string());
    let Some(field) = get("field").filter(|f| FIELDS.contains(&f.as_str())) else {
        return json_failure(
            StatusCode::BAD_REQUEST,
            format!("field must be one of {}", FIELDS.join(", ")),
        );
    };
    let text: String = get("text").unwrap_or_default().chars().take(100).collect();
    if text.is_empty() {
        return json_response(
            StatusCode::OK,
            serde_json::json!({ "field": field, "values": [] }),
        );
    }
    let client = match vo_endpoint::connect(&pool).await {
        Ok(client) => client,
        Err(failure) => return json_failure(failure.status, failure.message),
    };
    let prefix = format!("{}%", like_literal(&text.to_lowercase()));
    let word = format!("% {}%", like_literal(&text.to_lowercase()));
    // values that start with the text (through the index) first, then those with a word
    // that does
    let rows = client
        .query(
            "(SELECT value, uses, 0 AS rank FROM archive.completion \
               WHERE field = $1 AND lower(value) LIKE $2 ORDER BY uses DESC, value LIMIT $4) \
             UNION ALL \
             (SELECT value, uses, 1 FROM archive.completion \
               WHERE field = $1 AND lower(value) LIKE $3 AND lower(value) NOT LIKE $2 \
               ORDER BY uses DESC, value LIMIT $4) \
             ORDER BY rank, uses DESC, value LIMIT $4",
            &[&field, &prefix, &word, &MOST],
        )
        .await;
    match rows {
        Ok(rows) => json_response(
            StatusCode::OK,
            serde_json::json!({
                "field": field,
                "values": rows.iter().map(|r| serde_json::json!({
                    "value": r.get::<_, String>(0),
                    "uses": r.get::<_, i64>(1),
                })).collect::<Vec<_>>(),
            }),
        ),
        Err(e) => json_failure(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("reading the archive's values: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_keep_their_literal_text() {
        assert_eq!(super::like_literal("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}
