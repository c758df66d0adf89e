//! Request parameters as the VO protocols define them: from the query string and from a
//! POSTed form or multipart body, names case-insensitive, repeatable; multipart parts with a
//! file name (or any part not named as a parameter) are kept as inline uploads.

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

#[derive(Debug, Default, Clone)]
pub struct Params {
    values: Vec<(String, String)>,
    parts: Vec<(String, Bytes)>,
}

/// Why a request's parameters could not be read, and the status to answer with (400, or
/// 413 for a body over the limit).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError(pub String, pub actix_web::http::StatusCode);

impl ParamError {
    fn malformed(message: String) -> ParamError {
        ParamError(message, actix_web::http::StatusCode::BAD_REQUEST)
    }
}

impl From<ParamError> for crate::Failure {
    fn from(e: ParamError) -> crate::Failure {
        crate::Failure::new(e.1, e.0)
    }
}

impl Params {
    /// Parameters from pairs (tests, and GET query strings).
    pub fn from_pairs<I, K, V>(pairs: I) -> Params
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Params {
            values: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            parts: Vec::new(),
        }
    }

    /// Parameters from a query string.
    pub fn from_query(query: &str) -> Params {
        let mut params = Params::default();
        params.add_urlencoded(query.as_bytes());
        params
    }

    /// Parameters and multipart parts as stored (e.g. by an asynchronous job).
    pub fn with_parts(values: Vec<(String, String)>, parts: Vec<(String, Bytes)>) -> Params {
        Params { values, parts }
    }

    /// Every multipart part, (name, content).
    pub fn parts(&self) -> &[(String, Bytes)] {
        &self.parts
    }

    /// Reads the query string and, for POST, the body (form or multipart), refusing bodies
    /// larger than `max_body` bytes.
    pub async fn read(
        request: &HttpRequest,
        mut payload: web::Payload,
        max_body: usize,
    ) -> Result<Params, ParamError> {
        let mut params = Params::default();
        params.add_urlencoded(request.query_string().as_bytes());
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            params.read_multipart(request, payload, max_body).await?;
        } else if request.method() == actix_web::http::Method::POST {
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk
                    .map_err(|e| ParamError::malformed(format!("reading the request body: {e}")))?;
                if body.len() + chunk.len() > max_body {
                    return Err(too_large(max_body));
                }
                body.extend_from_slice(&chunk);
            }
            params.add_urlencoded(&body);
        }
        Ok(params)
    }

    fn add_urlencoded(&mut self, body: &[u8]) {
        for (name, value) in form_urlencoded::parse(body) {
            self.values.push((name.into_owned(), value.into_owned()));
        }
    }

    async fn read_multipart(
        &mut self,
        request: &HttpRequest,
        payload: web::Payload,
        max_body: usize,
    ) -> Result<(), ParamError> {
        let mut multipart =
            actix_multipart::Multipart::new(request.headers(), payload.into_inner());
        let mut total = 0usize;
        while let Some(field) = multipart.next().await {
            let mut field = field
                .map_err(|e| ParamError::malformed(format!("malformed multipart body: {e}")))?;
            let disposition = field.content_disposition().cloned();
            let name = disposition
                .as_ref()
                .and_then(|d| d.get_name())
                .unwrap_or("")
                .to_string();
            let is_file = disposition
                .as_ref()
                .and_then(|d| d.get_filename())
                .is_some();
            let mut data = BytesMut::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk
                    .map_err(|e| ParamError::malformed(format!("malformed multipart body: {e}")))?;
                total += chunk.len();
                if total > max_body {
                    return Err(too_large(max_body));
                }
                data.extend_from_slice(&chunk);
            }
            let data = data.freeze();
            if let (false, Ok(text)) = (is_file, std::str::from_utf8(&data)) {
                self.values.push((name.clone(), text.to_string()));
            }
            self.parts.push((name, data));
        }
        Ok(())
    }

    /// The first value of a parameter (name case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated parameter, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A multipart part by its name (case-sensitive, as UPLOAD's `param:name` refers to it).
    pub fn part(&self, name: &str) -> Option<&Bytes> {
        self.parts.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    /// Every (name, value) pair, for recording a job's parameters.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.values
    }
}

fn too_large(max_body: usize) -> ParamError {
    ParamError(
        format!(
            "the request body is larger than this service's limit of {max_body} bytes; send less, or a smaller upload"
        ),
        actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_and_repeatable() {
        let p = Params::from_pairs([
            ("query", "SELECT 1"),
            ("Lang", "ADQL"),
            ("ID", "a"),
            ("id", "b"),
        ]);
        assert_eq!(p.get("QUERY"), Some("SELECT 1"));
        assert_eq!(p.get("LANG"), Some("ADQL"));
        assert_eq!(p.all("ID").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(p.get("MAXREC"), None);
    }
}
