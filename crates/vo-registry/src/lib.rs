//! The archive as the IVOA Registry knows it: one VOResource 1.1 record per service (TAP,
//! SIA 2.0, DataLink, SODA) with VODataService 1.2's coverage and tableset and the standards'
//! capability extensions, plus the records of the naming authority, the organisation and the
//! publishing registry itself (VORegistry 1.0); each also in Dublin Core for OAI-PMH's
//! `oai_dc`. The store keeps them in PostgreSQL with the time each last changed, which is
//! what OAI-PMH harvesters ask by (`from`, `until`).
//!
//! Owns: the `[registry]` settings, what each record says and its XML, identifiers under the
//! configured authority, the holdings' spectral and time ranges (one query), change detection
//! (a record changes when its content does), the store's queries.
//! Does not own: the capabilities' contents (each protocol's crate writes its own `capability`
//! elements, the same ones its VOSI document serves), the tableset (vo-tap), the holdings'
//! MOC (vo-moc), the OAI-PMH protocol (vo-oai), or when records are refreshed (the server).

mod dublin_core;
mod record;
mod store;
mod xml;

pub use record::{
    datestamp, records, Curation, Draft, Holdings, ServiceDocuments, Settings, NAMESPACES,
};
pub use store::{
    count, earliest, get, holdings_ranges, list, refresh, Change, Page, Selection, StoredRecord,
};
