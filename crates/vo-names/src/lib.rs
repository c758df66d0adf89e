//! Astronomical names resolved to positions on this machine, without Sesame, SIMBAD or NED.
//!
//! Owns: lookup keys that compare names as Sesame does (case, spaces, zero padding,
//! `Messier`, Greek letters, constellation names); the index of the archive's own target
//! names and of a shipped catalogue's objects (OpenNGC: NGC, IC and Messier objects with
//! their cross-identifications, types and common names), read from its tab-separated file;
//! the lookup (exact, constellation abbreviations, short prefixes where unambiguous) and
//! "did you mean" by trigram similarity; Sesame's plain-text and XML answers.
//!
//! Does not own: where names come from (the server reads the archive's targets from
//! PostgreSQL and the catalogue file from the data directory), nor HTTP.

mod catalogue;
mod constellations;
mod normalize;
mod resolver;
mod sesame;

pub use catalogue::read_catalogue;
pub use normalize::{constellation_key, key, MAX_NAME_CHARS};
pub use resolver::{Object, Origin, Resolution, Resolver, SUGGESTIONS};
pub use sesame::{plain as sesame_plain, sexagesimal, xml as sesame_xml};
