//! Request parameters as the VO protocols define them: from the query string and from a
//! POSTed form or multipart body, names case-insensitive, repeatable. Every multipart part is
//! kept (an UPLOAD names it as `param:name`); a part without a file name is also a
//! parameter, and must be UTF-8 text without NUL.
//!
//! Reading a body can never hold a request (and its client's slot) for long: a body larger
//! than the endpoint's limit is refused from its `Content-Length` before a byte is read, the
//! whole body must arrive within the server's deadline ([`BodyDeadline`]), and a multipart
//! body is parsed only once it is complete, so one that ends without its closing boundary is
//! a 400 at once. Values must be UTF-8 text without NUL; a request holds at most
//! [`MAX_PARAMETERS`] parameters and parts.

use actix_web::http::{header, StatusCode};
use actix_web::{dev, web, FromRequest, HttpRequest, HttpResponse};
use bytes::{Bytes, BytesMut};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use std::time::Duration;

#[derive(Debug, Default, Clone)]
pub struct Params {
    values: Vec<(String, String)>,
    parts: Vec<(String, Bytes)>,
}

/// The most parameters (and multipart parts) one request may carry.
pub const MAX_PARAMETERS: usize = 10_000;

/// The largest request body of an endpoint that takes parameters only (no uploads).
pub const PARAMETER_BODY: usize = 1 << 20;

/// How an endpoint reads its parameters: its largest body, and how it words a refusal (a
/// DALI error document, SODA's text, OAuth's JSON, UWS's text). An endpoint registers one
/// as application data of its scope (`web::Data<ParamRules>`); without one, bodies up to
/// [`PARAMETER_BODY`] and DALI error documents.
#[derive(Clone, Copy)]
pub struct ParamRules {
    pub max_body: usize,
    pub refusal: fn(ParamError) -> HttpResponse,
}

impl Default for ParamRules {
    fn default() -> Self {
        ParamRules {
            max_body: PARAMETER_BODY,
            refusal: |e| crate::Failure::from(e).response(),
        }
    }
}

/// A handler takes `Params` as an argument: read under its scope's [`ParamRules`], a refusal
/// answered in the endpoint's own words.
impl FromRequest for Params {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Params, actix_web::Error>>;

    fn from_request(request: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        let rules = request
            .app_data::<web::Data<ParamRules>>()
            .map(|r| *r.get_ref())
            .unwrap_or_default();
        let request = request.clone();
        let payload = payload.take();
        Box::pin(async move {
            Params::read(&request, payload, rules.max_body)
                .await
                .map_err(|e| {
                    let message = e.0.clone();
                    actix_web::error::InternalError::from_response(message, (rules.refusal)(e))
                        .into()
                })
        })
    }
}

/// How long a request's body may take to arrive, and a client to accept the next piece of a
/// streamed result, as the server is configured (`server.body_seconds`); registered as
/// application data. Without it, 60 s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodyDeadline(pub Duration);

impl BodyDeadline {
    /// The deadline of a request's application (the default when none is registered).
    pub fn of(request: &HttpRequest) -> BodyDeadline {
        request
            .app_data::<web::Data<BodyDeadline>>()
            .map(|d| *d.get_ref())
            .unwrap_or_default()
    }
}

impl Default for BodyDeadline {
    fn default() -> Self {
        BodyDeadline(Duration::from_secs(60))
    }
}

/// Why a request's parameters could not be read, and the status to answer with (400, or
/// 413 for a body over the limit).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError(pub String, pub StatusCode);

impl ParamError {
    fn malformed(message: String) -> ParamError {
        ParamError(message, StatusCode::BAD_REQUEST)
    }
}

impl From<ParamError> for crate::Failure {
    fn from(e: ParamError) -> crate::Failure {
        crate::Failure::new(e.1, e.0)
    }
}

impl Params {
    /// Parameters from pairs (tests, and a job's stored parameters).
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

    /// Parameters from a query string, or why they cannot be read.
    pub fn from_query(query: &str) -> Result<Params, ParamError> {
        let mut params = Params::default();
        params.add_urlencoded(query.as_bytes(), "the query string")?;
        Ok(params)
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
    /// larger than `max_body` bytes or slower than the server's [`BodyDeadline`].
    async fn read(
        request: &HttpRequest,
        payload: dev::Payload,
        max_body: usize,
    ) -> Result<Params, ParamError> {
        let mut params = Params::default();
        params.add_urlencoded(request.query_string().as_bytes(), "the query string")?;
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let multipart = content_type
            .to_ascii_lowercase()
            .starts_with("multipart/form-data");
        if !multipart && request.method() != actix_web::http::Method::POST {
            return Ok(params);
        }
        let deadline = BodyDeadline::of(request);
        let body = read_body(request, payload, max_body, deadline).await?;
        if multipart {
            params.add_multipart(&content_type, body).await?;
        } else {
            params.add_urlencoded(&body, "the request body")?;
        }
        Ok(params)
    }

    /// Parameters from a whole multipart body (`content_type` names its boundary).
    pub async fn from_multipart(content_type: &str, body: Bytes) -> Result<Params, ParamError> {
        let mut params = Params::default();
        params.add_multipart(content_type, body).await?;
        Ok(params)
    }

    fn add_urlencoded(&mut self, body: &[u8], source: &str) -> Result<(), ParamError> {
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            if self.values.len() + self.parts.len() >= MAX_PARAMETERS {
                return Err(too_many());
            }
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &pair[pair.len()..]),
            };
            let name = decoded(name, source, None)?;
            let value = decoded(value, source, Some(&name))?;
            self.values.push((name, value));
        }
        Ok(())
    }

    async fn add_multipart(&mut self, content_type: &str, body: Bytes) -> Result<(), ParamError> {
        let boundary = multer::parse_boundary(content_type).map_err(|e| {
            ParamError::malformed(format!(
                "the multipart body cannot be read: {e} (Content-Type needs a boundary)"
            ))
        })?;
        let body = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(body)]);
        let mut multipart = multer::Multipart::new(body, boundary);
        let malformed = |e: multer::Error| {
            ParamError::malformed(format!(
                "malformed multipart body: {e} (a body must end with its closing boundary)"
            ))
        };
        while let Some(field) = multipart.next_field().await.map_err(malformed)? {
            // every part is kept as a part; text ones are also values: count the parts
            if self.parts.len() >= MAX_PARAMETERS {
                return Err(too_many());
            }
            let name = field.name().unwrap_or("").to_string();
            let is_file = field.file_name().is_some();
            let data = field.bytes().await.map_err(malformed)?;
            if !is_file {
                let text = std::str::from_utf8(&data).map_err(|e| {
                    not_utf8(
                        &format!("the multipart field {name:?}"),
                        e.valid_up_to(),
                        &data,
                    )
                })?;
                refuse_nul(text, &name)?;
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

/// The whole body, refused when its declared or actual length is over `max_body`, or when
/// it has not arrived by the deadline.
async fn read_body(
    request: &HttpRequest,
    mut payload: dev::Payload,
    max_body: usize,
    deadline: BodyDeadline,
) -> Result<Bytes, ParamError> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max_body as u64) {
        return Err(too_large(max_body));
    }
    // grown as bytes arrive: an announced length is only a claim
    let mut body = BytesMut::with_capacity(declared.unwrap_or(0).min(1 << 16) as usize);
    let reading = async {
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| {
                ParamError::malformed(format!(
                    "the request body ended before it was complete ({e}); send it again"
                ))
            })?;
            if body.len() + chunk.len() > max_body {
                return Err(too_large(max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(())
    };
    match tokio::time::timeout(deadline.0, reading).await {
        Ok(result) => result?,
        Err(_) => {
            return Err(ParamError::malformed(format!(
                "the request body did not arrive within this service's limit of {} s ({} bytes came{}); send the whole body at once",
                deadline.0.as_secs(),
                body.len(),
                declared.map(|n| format!(" of the {n} announced")).unwrap_or_default()
            )))
        }
    }
    Ok(body.freeze())
}

/// Percent-decoded text (`+` is a space), which must be UTF-8 without NUL.
fn decoded(raw: &[u8], source: &str, name: Option<&str>) -> Result<String, ParamError> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let bytes: Vec<u8> = percent_encoding::percent_decode(&spaced).collect();
    let what = match name {
        Some(name) => format!("the value of {name}"),
        None => format!("a parameter name in {source}"),
    };
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        not_utf8(&what, valid, e.as_bytes())
    })?;
    refuse_nul(&text, name.unwrap_or("a parameter name"))?;
    Ok(text)
}

fn not_utf8(what: &str, valid_up_to: usize, bytes: &[u8]) -> ParamError {
    ParamError::malformed(format!(
        "{what} is not UTF-8 text: byte {} (0x{:02x}) cannot start or continue a character; send text as UTF-8 (percent-encoded in a URL or form)",
        valid_up_to + 1,
        bytes[valid_up_to]
    ))
}

fn refuse_nul(text: &str, name: &str) -> Result<(), ParamError> {
    match text.find('\0') {
        Some(at) => Err(ParamError::malformed(format!(
            "{name} holds the NUL character (U+0000) at character {}, which no value may hold; remove it",
            text[..at].chars().count() + 1
        ))),
        None => Ok(()),
    }
}

fn too_many() -> ParamError {
    ParamError::malformed(format!(
        "the request holds more than {MAX_PARAMETERS} parameters; send fewer (a long list of values belongs in an uploaded table)"
    ))
}

fn too_large(max_body: usize) -> ParamError {
    ParamError(
        format!(
            "the request body is larger than this service's limit of {max_body} bytes; send less, or a smaller upload"
        ),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

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

    #[test]
    fn query_strings_decode_and_refuse_what_is_not_text() {
        let p = Params::from_query("QUERY=SELECT+%2A&X=%C3%A9&flag").unwrap();
        assert_eq!(p.get("query"), Some("SELECT *"));
        assert_eq!(p.get("x"), Some("é"));
        assert_eq!(p.get("flag"), Some(""));
        let e = Params::from_query("LANG=ADQL&QUERY=SELECT%FF").unwrap_err();
        assert_eq!(e.1, StatusCode::BAD_REQUEST);
        assert!(
            e.0.starts_with("the value of QUERY is not UTF-8 text: byte 7 (0xff)"),
            "{}",
            e.0
        );
        let e = Params::from_query("TARGET=a%00b").unwrap_err();
        assert!(
            e.0.contains("TARGET holds the NUL character (U+0000) at character 2"),
            "{}",
            e.0
        );
        let many = vec!["a=1"; MAX_PARAMETERS + 1].join("&");
        assert!(Params::from_query(&many)
            .unwrap_err()
            .0
            .contains("more than 10000 parameters"));
    }

    async fn read_body_of(
        content_type: &str,
        body: &'static [u8],
        max_body: usize,
    ) -> Result<Params, ParamError> {
        let (request, payload) = TestRequest::post()
            .insert_header((header::CONTENT_TYPE, content_type))
            .set_payload(body)
            .to_http_parts();
        Params::read(&request, payload, max_body).await
    }

    #[actix_web::test]
    async fn a_multipart_body_without_its_closing_boundary_is_refused_at_once() {
        let body = b"--XYZ\r\nContent-Disposition: form-data; name=\"LANG\"\r\n\r\nADQL\r\n--XYZ\r\nContent-Disposition: form-data; name=\"QUERY\"\r\n\r\nSELECT 1\r\n";
        let started = std::time::Instant::now();
        let e = read_body_of("multipart/form-data; boundary=XYZ", body, 1000)
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(e.1, StatusCode::BAD_REQUEST);
        assert!(e.0.contains("malformed multipart body"), "{}", e.0);
        let whole = b"--XYZ\r\nContent-Disposition: form-data; name=\"LANG\"\r\n\r\nADQL\r\n--XYZ\r\nContent-Disposition: form-data; name=\"t\"; filename=\"t.xml\"\r\n\r\n<x/>\r\n--XYZ--\r\n";
        let p = read_body_of("multipart/form-data; boundary=XYZ", whole, 1000)
            .await
            .unwrap();
        assert_eq!(p.get("LANG"), Some("ADQL"));
        assert_eq!(p.part("t").map(|b| b.as_ref()), Some(&b"<x/>"[..]));
        assert_eq!(p.get("t"), None, "a file part is not a value");
    }

    #[actix_web::test]
    async fn bodies_over_the_limit_and_text_that_is_not_utf8_are_refused() {
        let e = read_body_of("application/x-www-form-urlencoded", b"QUERY=0123456789", 8)
            .await
            .unwrap_err();
        assert_eq!(e.1, StatusCode::PAYLOAD_TOO_LARGE);
        let bad = b"--XYZ\r\nContent-Disposition: form-data; name=\"QUERY\"\r\n\r\n\xff\xfe\r\n--XYZ--\r\n";
        let e = read_body_of("multipart/form-data; boundary=XYZ", bad, 1000)
            .await
            .unwrap_err();
        assert!(
            e.0.contains("the multipart field \"QUERY\" is not UTF-8 text"),
            "{}",
            e.0
        );
    }
}
