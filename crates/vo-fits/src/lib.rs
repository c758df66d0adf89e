//! FITS as ALMA products use it: primary image HDUs holding cubes and continuum images.
//!
//! Owns: parsing and formatting of header cards (the one card writer: products, cutouts and
//! FITS query results all write through it), locating every HDU's header and data in a
//! file, reading an image HDU's pixels through a memory map (the one image reader: cutouts
//! copy its bytes, previews decode its samples), writing float32 image HDUs, and the world
//! coordinate system of such images (SIN/TAN celestial projections, a linear FREQ axis, a
//! STOKES axis).
//!
//! Does not own: cutouts (the SODA service reads through this crate's [`Hdu`] offsets), the
//! archive's database, or what an image means for ObsCore (the ingest crate derives that).

mod card;
mod hdu;
mod image;
mod wcs;
mod write;

pub use card::{Card, FitsError, Header, Value};
pub use hdu::{read_hdus, Hdu, BLOCK};
pub use image::{ImageError, ImageHdu, MappedImage, Samples};
pub use wcs::{
    stokes_code, stokes_name, CelestialWcs, ImageWcs, LinearAxis, Projection, StokesAxis,
    SPEED_OF_LIGHT, STOKES_STATES,
};
pub use write::{write_image_f32, ImageWriter};
