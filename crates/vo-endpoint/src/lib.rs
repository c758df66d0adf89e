//! What every protocol endpoint (TAP, SIA2, DataLink, SODA) shares, so none of them copies it.
//!
//! Owns: reading request parameters (query string, form, multipart; bodies within a size and
//! a deadline), the front door every request passes (limits of the request head, the Host,
//! panics caught, a message with every error), the service's own address and who a client
//! is (configured public URL, allowed hosts, trusted proxies), the per-client limit on
//! requests in flight, identities, DALI values, the VOSI availability resource (backed by a
//! database check), the frame of VOSI capabilities documents, running a planned query and
//! streaming its rows through a result writer (with cancellation, time limits, a reader that
//! stalls dropped, MAXREC overflow and trailing errors), planning an ADQL query against the
//! catalogue, error documents, and XML response helpers. Does not own: any protocol's own
//! parameters, ADQL, or the result formats themselves.

mod address;
mod adql_plan;
mod archive_file;
mod availability;
mod capabilities;
mod dali;
pub mod dali_values;
mod decode;
mod front_door;
pub mod identity;
mod params;
mod query;
mod xml;

pub use address::{base_url, client_of, ServiceAddress};
pub use adql_plan::{plan_adql, result_fields, AdqlRequest};
pub use archive_file::archive_file;
pub use capabilities::{
    capabilities_end, capabilities_start, param_http_capability, vosi_capabilities,
};
pub use dali::{maxrec, response_format};
pub use identity::{reader, AUTHENTICATE_CHALLENGE};
pub use params::{BodyDeadline, ParamError, Params, MAX_PARAMETERS};
pub use query::{
    connect, respond_with_rows, start_query, Failure, Outcome, QueryPlan, QueryRun, UploadTable,
    QUERY_ROLE,
};

pub use availability::{availability, check_database, Availability};
pub use xml::{escape_xml, xml_response};
mod client_limit;
pub use client_limit::ClientLimit;
pub use front_door::{
    described, log_panics_with_their_requests, FrontDoor, MAX_HEADER_BYTES, MAX_URI_BYTES,
};
