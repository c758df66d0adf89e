//! What a browser cube viewer (the role CARTA plays for ALMA, manual §3.6) reads from a FITS
//! cube, straight from its memory map: a channel's pixels as square tiles at the zoom level
//! the screen needs ([`tile`]; a screen's worth at once, [`tiles`]), the spectrum along one
//! sky pixel ([`profile`]), statistics of
//! a box of pixels in one channel ([`region_stats`]), the sky polygon and wavelength band of a
//! view for a SODA cutout ([`cutout_of`]), and what the viewer shows about the cube ([`Info`]).
//!
//! Every read is bounded whatever the cube's size: a tile decodes at most 256 × 256 × 16
//! samples (beyond 4 × 4 pixels per output pixel it averages an evenly spread 4 × 4 subset),
//! a profile one sample per channel, and region statistics at most [`MOST_REGION_SAMPLES`]
//! (larger boxes are sampled on a regular grid, and say so). Nothing reads a whole channel
//! it does not show, let alone the whole file.
//!
//! Owns: the tile grid and its levels, these reads and their parameter checks.
//! Does not own: opening and decoding the cube (`vo_preview::Cube` over vo-fits' image
//! reader), world coordinates (vo-fits), HTTP, access rules, or colour (the page maps values
//! to colours, so changing the stretch needs no new request).

mod error;
mod info;
mod profile;
mod region;
mod tile;

pub use error::ViewError;
pub use info::Info;
pub use profile::{profile, Profile};
pub use region::{cutout_of, region_stats, Cutout, PixelBox, RegionStats, MOST_REGION_SAMPLES};
pub use tile::{levels, prefetch, tile, tile_grid, tiles, Tile, MOST_TILES, TILE};
pub use vo_preview::Cube;

#[cfg(test)]
mod testing;
