//! The spectrum along one sky pixel (a z-profile): one sample per channel, with the pixel's
//! sky position.

use crate::error::{index, ViewError};
use crate::Cube;

/// The values of pixel (`x`, `y`) in every channel, and where it is on the sky.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub x: usize,
    pub y: usize,
    /// ICRS degrees of the pixel's centre; None where the projection has no sky.
    pub ra_dec: Option<(f64, f64)>,
    pub values: Vec<f32>,
}

/// The z-profile through 0-based pixel (`x`, `y`).
pub fn profile(cube: &Cube, x: i64, y: i64) -> Result<Profile, ViewError> {
    let x = index("x", x, cube.nx, "pixels across")?;
    let y = index("y", y, cube.ny, "pixels up")?;
    // one sample per channel, each on its own page: ask for them all at once, so that a cold
    // file's reads overlap instead of waiting for each other
    for channel in 0..cube.channels {
        cube.will_need(channel, x + cube.nx * y, 1);
    }
    Ok(Profile {
        x,
        y,
        ra_dec: cube
            .wcs()
            .celestial
            .pixel_to_world(x as f64 + 1.0, y as f64 + 1.0),
        values: vo_preview::maps::spectrum(cube, x, y),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::cube_file;

    #[test]
    fn a_profile_is_the_pixel_in_every_channel_with_its_sky_position() {
        let dir = tempfile::tempdir().unwrap();
        let cube = cube_file(dir.path(), 20, 10, 6, |x, y, k| {
            (x + 100 * y) as f32 * k as f32
        });
        let p = profile(&cube, 3, 2).unwrap();
        assert_eq!(p.values, vec![0.0, 203.0, 406.0, 609.0, 812.0, 1015.0]);
        // the reference pixel (1-based 10, 5) is at the reference position
        let centre = profile(&cube, 9, 4).unwrap().ra_dec.unwrap();
        assert!(
            (centre.0 - 10.0).abs() < 1e-9 && (centre.1 + 20.0).abs() < 1e-9,
            "{centre:?}"
        );
        let message = profile(&cube, 20, 0).unwrap_err().to_string();
        assert_eq!(
            message,
            "x=20 is out of range: the cube has 20 pixels across, 0 to 19"
        );
        assert!(profile(&cube, 0, -1).is_err());
    }
}
