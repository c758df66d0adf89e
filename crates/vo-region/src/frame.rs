//! Celestial frames a position may be given in, and conversion to and from ICRS (the frame
//! the archive stores every position in).
//!
//! The rotations are those the IAU defines (the Galactic pole and origin of Blaauw et al.
//! 1960 in FK5 J2000, and the ICRS frame bias of IERS 2003), written as matrices with the
//! values ERFA computes, as astropy applies them; conversions agree with astropy to better
//! than a microarcsecond.

use crate::sphere::{to_radec, unit_vector, Vec3};
use std::fmt;

/// A celestial frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Icrs,
    /// FK5 at equinox J2000.
    Fk5,
    Galactic,
}

/// ICRS → Galactic (rows are the Galactic axes in ICRS).
const ICRS_TO_GALACTIC: [Vec3; 3] = [
    [
        -0.05487565771259163,
        -0.8734370519556159,
        -0.48383507361671546,
    ],
    [0.4941094371927268, -0.44482972122329517, 0.7469821839866676],
    [
        -0.8676661375596576,
        -0.19807633727300059,
        0.45598381368730156,
    ],
];

/// ICRS → FK5 J2000: the frame bias, about 23 milliarcseconds.
const ICRS_TO_FK5: [Vec3; 3] = [
    [
        0.9999999999999921,
        -1.1102233291285093e-07,
        -4.4118044919735366e-08,
    ],
    [
        1.1102233723050035e-07,
        0.9999999999999889,
        9.64779224601013e-08,
    ],
    [
        4.411803426976326e-08,
        -9.647792751958126e-08,
        0.9999999999999943,
    ],
];

impl Frame {
    /// The frame a name means (case-insensitive): `ICRS`, `FK5` (or `J2000`), `GALACTIC`
    /// (or `GAL`); STC-S and ADQL spell them so.
    pub fn named(name: &str) -> Option<Frame> {
        match name.trim().to_ascii_uppercase().as_str() {
            "ICRS" => Some(Frame::Icrs),
            "FK5" | "J2000" => Some(Frame::Fk5),
            "GALACTIC" | "GAL" => Some(Frame::Galactic),
            _ => None,
        }
    }

    /// This frame's position (longitude, latitude in degrees) in ICRS.
    pub fn to_icrs(self, lon: f64, lat: f64) -> (f64, f64) {
        match self.from_icrs_matrix() {
            None => (lon, lat),
            Some(m) => to_radec(times_transposed(m, unit_vector(lon, lat))),
        }
    }

    /// An ICRS position (RA, Dec in degrees) in this frame.
    pub fn from_icrs(self, ra: f64, dec: f64) -> (f64, f64) {
        match self.from_icrs_matrix() {
            None => (ra, dec),
            Some(m) => to_radec(times(m, unit_vector(ra, dec))),
        }
    }

    fn from_icrs_matrix(self) -> Option<&'static [Vec3; 3]> {
        match self {
            Frame::Icrs => None,
            Frame::Fk5 => Some(&ICRS_TO_FK5),
            Frame::Galactic => Some(&ICRS_TO_GALACTIC),
        }
    }
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Frame::Icrs => "ICRS",
            Frame::Fk5 => "FK5",
            Frame::Galactic => "GALACTIC",
        })
    }
}

fn times(m: &[Vec3; 3], v: Vec3) -> Vec3 {
    [0, 1, 2].map(|i| m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2])
}

/// The inverse rotation (a rotation matrix's inverse is its transpose).
fn times_transposed(m: &[Vec3; 3], v: Vec3) -> Vec3 {
    [0, 1, 2].map(|i| m[0][i] * v[0] + m[1][i] * v[1] + m[2][i] * v[2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::angular_distance_deg;

    /// One microarcsecond, in degrees.
    const MICROARCSEC: f64 = 1e-6 / 3600.0;

    fn close(a: (f64, f64), b: (f64, f64)) {
        let d = angular_distance_deg(a.0, a.1, b.0, b.1);
        assert!(d < MICROARCSEC, "{a:?} vs {b:?}: {} µas", d / MICROARCSEC);
    }

    /// Reference values: astropy 6 (`SkyCoord(...).icrs`), computed once and written here.
    #[test]
    fn galactic_positions_agree_with_astropy() {
        close(
            Frame::Galactic.to_icrs(0.0, 0.0),
            (266.4049882865447, -28.936177761791473),
        );
        close(
            Frame::Galactic.to_icrs(90.0, 0.0),
            (318.00438150701746, 48.329637206840914),
        );
        close(
            Frame::Galactic.to_icrs(0.0, 90.0),
            (192.85947789477606, 27.128252414968028),
        );
        close(
            Frame::Galactic.to_icrs(123.4, -56.7),
            (13.117957288959506, 6.17080791793587),
        );
        close(
            Frame::Galactic.from_icrs(13.117957288959506, 6.17080791793587),
            (123.4, -56.7),
        );
    }

    #[test]
    fn fk5_differs_from_icrs_by_the_frame_bias() {
        close(
            Frame::Fk5.to_icrs(0.0, 0.0),
            (359.9999936388889, -2.527777777777777e-06),
        );
        close(
            Frame::Fk5.to_icrs(83.633, 22.0145),
            (83.63299237530661, 22.014505213360344),
        );
        close(
            Frame::Fk5.from_icrs(83.63299237530661, 22.014505213360344),
            (83.633, 22.0145),
        );
        assert_eq!(Frame::Icrs.to_icrs(12.5, -3.0), (12.5, -3.0));
    }

    #[test]
    fn frames_are_named_as_stcs_and_adql_name_them() {
        assert_eq!(Frame::named("galactic"), Some(Frame::Galactic));
        assert_eq!(Frame::named(" FK5 "), Some(Frame::Fk5));
        assert_eq!(Frame::named("ICRS"), Some(Frame::Icrs));
        assert_eq!(Frame::named("FK4"), None);
        assert_eq!(Frame::Galactic.to_string(), "GALACTIC");
    }
}
