//! Sky regions as ALMA writes them in `s_region`.
//!
//! Owns: the region model (a union of pieces, each an outer circle or polygon with optional
//! holes), parsing and formatting of ALMA's STC-S dialect (`Circle ICRS …`, `Polygon ICRS …`,
//! `… Not (Polygon …)`, `Union ICRS ( … )`), spherical helpers (angular distance, bounding
//! circles), the pgSphere text literals used to load the indexed representation, and the
//! largest shapes a request may describe.
//!
//! Does not own: ADQL geometry functions or SQL emission (the ADQL crate), nor database I/O.

mod limits;
mod model;
mod pgsphere;
mod sphere;
mod stcs;

pub use limits::{
    radius_problem, vertices_problem, MAX_CIRCLE_RADIUS_DEG, MAX_POLYGON_VERTICES,
    MAX_REGION_SHAPES,
};
pub use model::{Piece, Region, Shape};
pub use pgsphere::{pg_circle, pg_point, pg_polygon};
pub use sphere::{angular_distance_deg, bounding_circle, unit_vector, Vec3};
pub use stcs::{format_stcs, parse_stcs, StcsError};
