//! A query from its ADQL to its streamed result, as TAP and SIA2 answer it.
//!
//! Owns: planning ADQL against the catalogue into a [`QueryPlan`] (result fields with the
//! catalogue's metadata, MAXREC, the DataLink descriptor), running it in PostgreSQL as the
//! query role (a transaction with a time limit; uploads loaded into temporary tables; the
//! statement prepared so that errors keep their status), decoding rows from PostgreSQL's
//! binary form, writing them through the result format's writer into chunks, and the
//! streamed HTTP body (cancelled when the client leaves or stops reading; MAXREC overflow;
//! errors after the first row end the document).
//!
//! Does not own: ADQL itself (vo-adql), the formats (vo-results), the protocols' own
//! parameters (vo-tap, vo-sia2), or what every endpoint shares (vo-endpoint).

mod decode;
mod plan;
mod respond;
mod run;

pub use plan::{plan_adql, result_fields, AdqlRequest};
pub use respond::respond_with_rows;
pub use run::{start_query, Outcome, QueryPlan, QueryRun, UploadTable, DEFAULT_STALL, QUERY_ROLE};
