//! What every protocol endpoint (TAP, SIA2, DataLink, SODA) shares, so none of them copies it.
//!
//! Owns: the VOSI availability resource (backed by a database check) and XML response
//! helpers. Does not own: any protocol's own parameters or results.

mod availability;
mod xml;

pub use availability::{availability, check_database, Availability};
pub use xml::{escape_xml, xml_response};
