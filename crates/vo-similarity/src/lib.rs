//! Similar projects by text (the ALMA Science Archive's "similar projects", manual §3.3.3).
//!
//! Owns: an in-memory full-text index (tantivy) over each project's title, abstract,
//! science keywords and scientific category, added to as projects arrive; and the ranking:
//! Lucene's "more like this" — the project's most distinctive terms (tf·idf, at most 25),
//! each searched with BM25 and weighted by its own score — the project itself left out.
//!
//! Does not own: where projects come from (the endpoint reads `archive.project`), HTTP, or
//! image similarity.

mod projects;

pub use projects::{ProjectIndex, ProjectText, Similar};
