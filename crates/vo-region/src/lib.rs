//! The sky: one model of a region and every form it is read and written in.
//!
//! Owns: the shape model ([`Shape`]: circle, RA/Dec range, polygon; [`Region`]: a union of
//! pieces, each a shape with optional holes); reading and writing it as DALI values (SIA2's
//! POS, SODA's CIRCLE/POLYGON, uploaded geometry), as ALMA's STC-S dialect (`s_region`), as
//! pgSphere literals and as ADQL geometries; spherical geometry (distances, bounding
//! circles, point-in-shape tests and boundary curves for the cutout planner); celestial
//! frames (ICRS, FK5, Galactic) and conversion between them; and the largest shapes a
//! request may describe.
//!
//! Does not own: ADQL parsing or SQL emission (the ADQL crate), pixel coordinates (the
//! FITS and cutout crates), nor database I/O.

mod adql;
mod area;
pub mod dali;
mod frame;
mod limits;
mod model;
mod pgsphere;
mod sphere;
mod stcs;

pub use adql::adql_number;
pub use area::{Area, Curve};
pub use frame::Frame;
pub use limits::{
    radius_problem, vertices_problem, MAX_CIRCLE_RADIUS_DEG, MAX_POLYGON_VERTICES,
    MAX_REGION_SHAPES,
};
pub use model::{Piece, Region, Shape};
pub use pgsphere::{pg_box, pg_circle, pg_point, pg_polygon, pg_shape};
pub use sphere::{angular_distance_deg, bounding_circle, unit_vector, Vec3};
pub use stcs::{format_stcs, parse_stcs, StcsError};
