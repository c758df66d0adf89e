//! Similar projects by text (the ALMA Science Archive's "similar projects", manual §3.3.3)
//! and similar images by morphology (§3.5).
//!
//! Owns: an in-memory full-text index (tantivy) over each project's title, abstract,
//! science keywords and scientific category, added to as projects arrive; and the ranking:
//! Lucene's "more like this" — the project's most distinctive terms (tf·idf, at most 25),
//! each searched with BM25 and weighted by its own score — the project itself left out.
//! Image morphology as hand-built feature vectors that rotations, flips, shifts and
//! rescaling leave alone; their index: an exact cosine scan of the standardised, weighted vectors,
//! ranking by the joint similarity to one or several selected images; and the largest
//! groups (k-means) among a ranked set.
//!
//! Does not own: where projects and images come from (the endpoints read the archive and
//! its files), or HTTP.

mod features;
mod groups;
mod image_index;
mod moments;
mod peaks;
mod projects;
mod radial;
mod regions;
mod smooth;

pub use features::{features, FEATURES, FEATURES_VERSION};
pub use groups::{groups, Group};
pub use image_index::{ImageIndex, Unit};
pub use projects::{ProjectIndex, ProjectText, Similar};
