//! The archive's holdings as the data-access services see them.
//!
//! Owns: reading dataset identifiers (member OUS uids in `uid://A001/X…/X…` and
//! `uid___A001_X…_X…` form, group OUS and science goal uids, project codes, package and file
//! names, and what ALMA's product names say: source, spectral window, calibrator or not);
//! finding the files behind them in the archive tables (`archive.file` and the hierarchy
//! project → science goal → group OUS → member OUS); laying out a package's tar from the
//! files it holds when it is downloaded; the DataLink links of each
//! (packages, files, raw data, documentation, previews, cutouts) with the service
//! descriptors they refer to (a product's SODA ranges are read by vo-cutout, which cuts
//! it); whether data are released, and who may read them before (their PI, the PI's
//! delegees, staff), download requests (the files a visitor chose, along the hierarchy), and
//! the calendar reminder of a release date; making the files registered to be made on first access (through the
//! maker the caller gives, e.g. the demo's generator) before they are read.
//!
//! Does not own: HTTP, URLs' host (the caller passes its base URL), the VOTable document
//! (vo-results writes it), cutouts (vo-cutout), or who the caller is (the endpoints
//! authenticate; this crate is told the user).

mod access;
mod deliveries;
mod holdings;
mod identifier;
mod links;
mod on_access;
mod package;
mod product_name;
mod reader;
mod reminder;
mod requests;

pub use access::{deliverable_file, Content, Unavailable};
pub use deliveries::deliveries_for;
pub use holdings::{find_file, ArchivedFile, FileRecord, HoldingsError};
pub use identifier::{Identifier, IdentifierError};
pub use links::{links_for, Link, Listing, DATALINK_STANDARD, PREVIEW_KINDS, SODA_SYNC_STANDARD};
pub use on_access::{DataDir, MakeFiles};
pub use package::{write_tar, PackageEntry, PackageLayout, Piece};
pub use product_name::ProductName;
pub use reader::Reader;
pub use reminder::{release_facts, release_reminder, ReleaseFacts};
pub use requests::{
    choices, create_request, load_request, mark_ready, DownloadRequest, RequestedFile, MOST_FILES,
    MOST_REQUESTS_A_DAY,
};
