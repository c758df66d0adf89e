//! What a viewer shows about a cube before it reads a pixel: its size and tile levels, the
//! frequency (and, with a rest frequency, the radio velocity) of every channel, the unit, the
//! beam and the pixel size — all from the header.

use crate::tile::{levels, TILE};
use crate::Cube;

/// The header's facts a viewer needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    pub nx: usize,
    pub ny: usize,
    pub channels: usize,
    /// Tile levels (0: full resolution; the last shows the whole plane in one tile).
    pub levels: usize,
    pub tile: usize,
    pub unit: Option<String>,
    pub object: Option<String>,
    /// BMAJ and BMIN in arcseconds and BPA in degrees.
    pub beam: Option<(f64, f64, f64)>,
    /// The pixel's side in arcseconds (|CDELT2|).
    pub pixel_arcsec: f64,
    /// The centre of the plane, ICRS degrees.
    pub centre: Option<(f64, f64)>,
    /// Each channel's frequency (GHz); empty without a FREQ axis.
    pub frequency_ghz: Vec<f64>,
    /// RESTFRQ (GHz).
    pub rest_ghz: Option<f64>,
    /// Each channel's radio velocity relative to RESTFRQ (km/s); empty without one.
    pub velocity_kms: Vec<f64>,
}

impl Info {
    pub fn of(cube: &Cube) -> Info {
        let header = cube.header();
        let wcs = cube.wcs();
        let frequency_ghz: Vec<f64> = match cube.frequency_axis() {
            Some(axis) => (0..cube.channels)
                .map(|k| axis.value(k as f64 + 1.0) / 1e9)
                .collect(),
            None => Vec::new(),
        };
        let rest_ghz = header
            .float("RESTFRQ")
            .or_else(|| header.float("RESTFREQ"))
            .filter(|f| f.is_finite() && *f > 0.0)
            .map(|f| f / 1e9);
        let c_kms = vo_fits::SPEED_OF_LIGHT / 1e3;
        let velocity_kms = match rest_ghz {
            Some(rest) => frequency_ghz
                .iter()
                .map(|f| c_kms * (1.0 - f / rest))
                .collect(),
            None => Vec::new(),
        };
        let beam = match (header.float("BMAJ"), header.float("BMIN")) {
            (Some(major), Some(minor)) => Some((
                major * 3600.0,
                minor * 3600.0,
                header.float("BPA").unwrap_or(0.0),
            )),
            _ => None,
        };
        Info {
            nx: cube.nx,
            ny: cube.ny,
            channels: cube.channels,
            levels: levels(cube.nx, cube.ny),
            tile: TILE,
            unit: cube.text("BUNIT").map(str::to_string),
            object: cube.text("OBJECT").map(str::to_string),
            beam,
            pixel_arcsec: wcs.celestial.cdelt.1.abs() * 3600.0,
            centre: wcs
                .celestial
                .pixel_to_world((cube.nx as f64 + 1.0) / 2.0, (cube.ny as f64 + 1.0) / 2.0),
            frequency_ghz,
            rest_ghz,
            velocity_kms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::cube_file;

    #[test]
    fn info_comes_from_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 600, 300, 4, |_, _, _| 0.0);
        let info = Info::of(&cube);
        assert_eq!(
            (info.nx, info.ny, info.channels, info.levels, info.tile),
            (600, 300, 4, 3, 256)
        );
        assert_eq!(info.unit.as_deref(), Some("Jy/beam"));
        let (major, minor, _) = info.beam.unwrap();
        assert!((major - 0.5).abs() < 1e-9 && (minor - 0.4).abs() < 1e-9);
        assert!((info.pixel_arcsec - 0.1).abs() < 1e-9);
        assert_eq!(info.frequency_ghz.len(), 4);
        assert!((info.frequency_ghz[3] - 230.003).abs() < 1e-9);
        // 230 GHz against a 230.5 GHz rest frequency: receding at 650.3 km/s
        assert!((info.velocity_kms[0] - 299_792.458 * (0.5 / 230.5)).abs() < 1e-6);
    }
}
