//! Quick-look previews of ALMA FITS products as PNG images, as the archive shows them next to
//! each file (ALMA Science Archive manual §3.3.3): the peak-flux map ("moment 8", per pixel
//! the largest value along the spectral axis), the continuum map (per pixel the median over
//! the channels, which emission lines in a minority of channels do not move; for a
//! single-channel image the image itself) and the spectrum through the brightest pixel.
//!
//! Owns: the sky and channel planes of an image (read through vo-fits' image reader, any
//! BITPIX with BSCALE/BZERO/BLANK), collapsing cubes to maps, brightness scaling, the colour map, the image and plot layout,
//! a built-in bitmap font, and PNG encoding. The output is deterministic: the same file gives
//! the same bytes, so a cache may compare them.
//!
//! Also: the cube reader and its maps (peak, median, a pixel's spectrum) for the analyses
//! built on them (vo-admit's line survey); the plane other measures start from (the image, or a cube's peak map, with its
//! beam in pixels), thumbnails of it and a contact sheet of many thumbnails in one PNG.
//!
//! Does not own: FITS headers, pixel decoding and WCS (`vo-fits`), HTTP, caching, or deciding which files
//! may be previewed (the services that call [`render`] do that).

mod canvas;
mod colour;
mod cube;
mod error;
mod font;
mod labels;
mod layout;
mod map_image;
pub mod maps;
mod plane;
mod scaling;
mod spectrum_plot;
mod ticks;

pub use error::PreviewError;
pub use layout::{MapLayout, Zoom};
pub use plane::{contact_sheet, sky_plane, SkyPlane};

pub use cube::Cube;
use map_image::MapText;
use spectrum_plot::SpectrumText;
use std::path::Path;

/// The media type of every preview.
pub const CONTENT_TYPE: &str = "image/png";

/// What a preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PreviewKind {
    /// Per sky pixel the largest value over the channels (moment 8).
    Peak,
    /// Per sky pixel the median over the channels.
    Continuum,
    /// The spectrum through the brightest pixel of the peak map.
    Spectrum,
}

impl PreviewKind {
    pub const ALL: [PreviewKind; 3] = [
        PreviewKind::Peak,
        PreviewKind::Continuum,
        PreviewKind::Spectrum,
    ];

    /// "peak", "continuum" or "spectrum" → the kind; anything else → None.
    pub fn parse(name: &str) -> Option<PreviewKind> {
        PreviewKind::ALL.into_iter().find(|k| k.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            PreviewKind::Peak => "peak",
            PreviewKind::Continuum => "continuum",
            PreviewKind::Spectrum => "spectrum",
        }
    }
}

impl std::fmt::Display for PreviewKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Renders the preview of the image in the FITS file at `path` as PNG bytes.
pub fn render(path: &Path, kind: PreviewKind) -> Result<Vec<u8>, PreviewError> {
    let cube = Cube::open(path)?;
    let canvas = match kind {
        PreviewKind::Peak | PreviewKind::Continuum => render_map(&cube, path, kind)?,
        PreviewKind::Spectrum => render_spectrum(&cube, path)?,
    };
    canvas.to_png().map_err(|e| PreviewError::Encoding {
        path: cube.path.clone(),
        message: e.to_string(),
    })
}

fn no_valid_pixels(cube: &Cube, what: &'static str) -> PreviewError {
    PreviewError::NoValidPixels {
        path: cube.path.clone(),
        what,
    }
}

fn render_map(cube: &Cube, path: &Path, kind: PreviewKind) -> Result<canvas::Canvas, PreviewError> {
    let n = cube.channels;
    let (map, what) = if kind == PreviewKind::Peak {
        let what = if n == 1 {
            "Peak flux: the image itself (one channel)".to_string()
        } else {
            format!("Peak flux (moment 8): maximum over {n} channels")
        };
        (maps::peak(cube), what)
    } else {
        let what = if n == 1 {
            "Continuum image".to_string()
        } else {
            format!("Continuum: median over {n} channels")
        };
        (maps::median(cube), what)
    };
    draw_sky_map(
        cube,
        path,
        &map,
        &format!("{what}{}", labels::unit_suffix(cube)),
    )
}

fn draw_sky_map(
    cube: &Cube,
    path: &Path,
    map: &maps::SkyMap,
    subtitle: &str,
) -> Result<canvas::Canvas, PreviewError> {
    if !map.has_valid_pixels() {
        return Err(no_valid_pixels(cube, "image"));
    }
    let layout = MapLayout::for_wcs(cube.wcs());
    let text = MapText {
        title: labels::source_name(cube, path),
        subtitle: subtitle.to_string(),
        caption: labels::map_caption(cube.nx, cube.ny, layout.zoom),
    };
    Ok(map_image::draw_map(map, &layout, &text))
}

/// A PNG of `values` (one per sky pixel of the image at `path`, FITS order, NaN blank) drawn
/// as its previews are, with `subtitle` saying what they are (a moment map, say).
pub fn render_values(
    path: &Path,
    values: Vec<f32>,
    subtitle: &str,
) -> Result<Vec<u8>, PreviewError> {
    let cube = Cube::open(path)?;
    if values.len() != cube.nx * cube.ny {
        return Err(no_valid_pixels(&cube, "map of the image's size"));
    }
    let map = maps::SkyMap {
        nx: cube.nx,
        ny: cube.ny,
        values,
    };
    draw_sky_map(&cube, path, &map, subtitle)?
        .to_png()
        .map_err(|e| PreviewError::Encoding {
            path: cube.path.clone(),
            message: e.to_string(),
        })
}

fn render_spectrum(cube: &Cube, path: &Path) -> Result<canvas::Canvas, PreviewError> {
    if cube.channels < 2 {
        return Err(PreviewError::SingleChannel {
            path: cube.path.clone(),
        });
    }
    let unsupported = |message: String| PreviewError::UnsupportedWcs {
        path: cube.path.clone(),
        message,
    };
    let axis = cube
        .frequency_axis()
        .ok_or_else(|| unsupported("the image has channels but no FREQ axis".into()))?;
    let (x, y) = maps::peak(cube)
        .brightest()
        .ok_or_else(|| no_valid_pixels(cube, "cube"))?;
    let values = maps::spectrum(cube, x, y);
    let (px, py) = (x + 1, y + 1);
    let position = match cube.wcs().celestial.pixel_to_world(px as f64, py as f64) {
        Some((ra, dec)) => format!(
            " = RA {} Dec {}",
            labels::format_ra(ra),
            labels::format_dec(dec)
        ),
        None => String::new(),
    };
    let text = SpectrumText {
        title: labels::source_name(cube, path),
        subtitle: format!(
            "Spectrum at pixel ({px}, {py}){position}, the brightest pixel of the peak-flux map"
        ),
        y_title: labels::value_title(cube),
    };
    spectrum_plot::draw_spectrum(axis, &values, &text).map_err(unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_their_names() {
        for kind in PreviewKind::ALL {
            assert_eq!(PreviewKind::parse(kind.name()), Some(kind));
            assert_eq!(kind.to_string(), kind.name());
        }
        assert_eq!(PreviewKind::parse("moment0"), None);
        assert_eq!(PreviewKind::parse("Peak"), None);
    }
}
