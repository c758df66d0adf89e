//! An ADMIT-style survey of a cube's lines (ALMA manual §3.3.3: the previews of the
//! strongest line found by ADMIT, and spectra with tentative line labels).
//!
//! Owns: the per-channel robust noise; the spectra the search looks at (the brightest pixel
//! of the continuum-subtracted peak map, the continuum peak, and an aperture a beam wide
//! around the line peak), each continuum-subtracted and searched at native resolution and
//! binned by 2 and 4 channels; the lines found (runs of channels above 2.5σ peaking above
//! 5σ, merged over the spectra and resolutions); moment-0 and moment-1 maps of the
//! strongest; and tentative labels from the line list at the source's redshift.
//!
//! Does not own: reading cubes (vo-preview's reader), the line list (vo-spectra), drawing,
//! caching or HTTP. The results are tentative, not for science, as the manual warns.

mod detect;
mod moments;
mod survey;

pub use detect::{Detection, Found};
pub use moments::Moments;
pub use survey::{survey, Label, Survey};
