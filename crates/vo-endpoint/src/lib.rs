//! What every HTTP endpoint (TAP, SIA2, DataLink, SODA, downloads, accounts, jobs) shares,
//! so none of them copies it.
//!
//! Owns: reading request parameters (query string, form, multipart; bodies within a size and
//! a deadline), the front door every request passes (limits of the request head, the Host,
//! panics caught, a message with every error), the service's own address and who a client
//! is (configured public URL, allowed hosts, trusted proxies), the per-client limit on
//! requests in flight, identities, DALI parameters (MAXREC, RESPONSEFORMAT) and the values
//! that are not sky shapes (intervals, polarization states; shapes are vo-region's), the
//! VOSI availability resource (backed by a database check), the frame of VOSI capabilities
//! documents, failures and their error documents, XML response helpers, and JSON answers
//! (with `{"error": …}` refusals) for the endpoints that serve the page.
//!
//! Does not own: any protocol's own parameters, ADQL and running queries (vo-query), or the
//! result formats themselves (vo-results).

mod address;
mod archive_file;
mod availability;
mod capabilities;
mod client_limit;
mod compression;
mod dali;
pub mod dali_values;
mod failure;
mod front_door;
pub mod identity;
mod json;
mod observed_body;
mod params;
mod request_id;
mod signed;
mod thread_slot;
mod xml;

pub use address::{base_url, client_of, ServiceAddress};
pub use archive_file::{archive_file, stored_archive_file};
pub use availability::{availability, check_database, Availability};
pub use capabilities::{capabilities_document, param_http_capability, vosi_capabilities};
pub use client_limit::ClientLimit;
pub use compression::{drop_identity, is_compressible, keep_as_is};
pub use dali::{maxrec, response_format};
pub use failure::{connect, connected, Failure};
pub use front_door::{
    current_work, described, log_panics_with_their_requests, FrontDoor, MAX_HEADER_BYTES,
    MAX_URI_BYTES,
};
pub use identity::{reader, AUTHENTICATE_CHALLENGE};
pub use json::{json_failure, json_query_params, json_response};
pub use observed_body::{BodyEnd, ObservedBody};
pub use params::{BodyDeadline, ParamError, ParamRules, Params, MAX_PARAMETERS, PARAMETER_BODY};
pub use request_id::{current_request_id, RequestId, REQUEST_ID_HEADER};
pub use signed::{download_reader, signed_query, url_signer};
pub use xml::{escape_xml, xml_response};
