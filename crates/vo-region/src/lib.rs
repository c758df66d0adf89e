//! Sky regions as ALMA writes them in `s_region`.
//!
//! Owns: the region model (a union of pieces, each an outer circle or polygon with optional
//! holes), parsing and formatting of ALMA's STC-S dialect (`Circle ICRS …`, `Polygon ICRS …`,
//! `… Not (Polygon …)`, `Union ICRS ( … )`), spherical helpers (angular distance, bounding
//! circles) and the pgSphere text literals used to load the indexed representation.
//!
//! Does not own: ADQL geometry functions or SQL emission (the ADQL crate), nor database I/O.

mod model;
mod pgsphere;
mod sphere;
mod stcs;

pub use model::{Piece, Region, Shape};
pub use pgsphere::{pg_circle, pg_point, pg_polygon};
pub use sphere::{angular_distance_deg, bounding_circle, unit_vector, Vec3};
pub use stcs::{format_stcs, parse_stcs, StcsError};
