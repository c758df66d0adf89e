//! World coordinates of ALMA images: RA/Dec in a zenithal projection, a linear frequency
//! axis and a Stokes axis. Celestial formulas follow Calabretta & Greisen (2002) for SIN and
//! TAN with the native pole at LONPOLE = 180°, which is what ALMA writes.

use crate::card::{Header, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Projection {
    Sin,
    Tan,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CelestialWcs {
    pub projection: Projection,
    /// (RA, Dec) of the reference pixel, degrees.
    pub crval: (f64, f64),
    /// 1-based reference pixel.
    pub crpix: (f64, f64),
    /// Degrees per pixel along the two axes (the RA step is normally negative).
    pub cdelt: (f64, f64),
    /// The PC matrix (row i, column j = PCi_j) that rotates or skews pixel offsets before
    /// CDELT scales them (WCS paper I, Greisen & Calabretta 2002); `None` is the identity,
    /// which is what ALMA writes. A CD matrix or CROTA2 is read into CDELT and PC.
    pub pc: Option<[[f64; 2]; 2]>,
}

/// A linear axis such as FREQ: value(p) = crval + cdelt · (p − crpix), p 1-based.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearAxis {
    pub ctype: String,
    pub unit: String,
    pub crval: f64,
    pub crpix: f64,
    pub cdelt: f64,
}

/// The Stokes/correlation codes along a STOKES axis (1 = I, −5 = XX, …).
#[derive(Debug, Clone, PartialEq)]
pub struct StokesAxis {
    pub codes: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageWcs {
    pub celestial: CelestialWcs,
    pub spectral: Option<LinearAxis>,
    pub stokes: Option<StokesAxis>,
    /// NAXIS1.. in FITS order; the celestial axes come first.
    pub shape: Vec<usize>,
    /// Beam major and minor axes in degrees (BMAJ, BMIN).
    pub beam: Option<(f64, f64)>,
}

impl CelestialWcs {
    /// The side of a pixel on the sky (degrees), as the square root of its area: CDELT with
    /// the PC matrix's rotation or skew taken into account.
    pub fn pixel_scale_deg(&self) -> f64 {
        let determinant = match self.pc {
            Some([[a, b], [c, d]]) => a * d - b * c,
            None => 1.0,
        };
        (self.cdelt.0 * self.cdelt.1 * determinant).abs().sqrt()
    }

    /// Intermediate world coordinates (degrees) → native-free projection-plane formulas.
    pub fn pixel_to_world(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let (dx, dy) = (px - self.crpix.0, py - self.crpix.1);
        let (dx, dy) = match self.pc {
            None => (dx, dy),
            Some(m) => (m[0][0] * dx + m[0][1] * dy, m[1][0] * dx + m[1][1] * dy),
        };
        let x = (self.cdelt.0 * dx).to_radians();
        let y = (self.cdelt.1 * dy).to_radians();
        let (ra0, dec0) = (self.crval.0.to_radians(), self.crval.1.to_radians());
        let rho = (x * x + y * y).sqrt();
        if rho == 0.0 {
            return Some(self.crval);
        }
        // angular distance c from the reference point
        let c = match self.projection {
            Projection::Sin => {
                if rho > 1.0 {
                    return None;
                }
                rho.asin()
            }
            Projection::Tan => rho.atan(),
        };
        let (sin_c, cos_c) = c.sin_cos();
        let dec = (cos_c * dec0.sin() + y * sin_c * dec0.cos() / rho)
            .clamp(-1.0, 1.0)
            .asin();
        let ra = ra0 + (x * sin_c).atan2(rho * dec0.cos() * cos_c - y * dec0.sin() * sin_c);
        Some((ra.to_degrees().rem_euclid(360.0), dec.to_degrees()))
    }

    /// World (degrees) → 1-based pixel; None on the far hemisphere.
    pub fn world_to_pixel(&self, ra: f64, dec: f64) -> Option<(f64, f64)> {
        let (ra0, dec0) = (self.crval.0.to_radians(), self.crval.1.to_radians());
        let (ra, dec) = (ra.to_radians(), dec.to_radians());
        let cos_c = dec0.sin() * dec.sin() + dec0.cos() * dec.cos() * (ra - ra0).cos();
        if cos_c <= 0.0 {
            return None;
        }
        let mut x = dec.cos() * (ra - ra0).sin();
        let mut y = dec.sin() * dec0.cos() - dec.cos() * dec0.sin() * (ra - ra0).cos();
        if self.projection == Projection::Tan {
            x /= cos_c;
            y /= cos_c;
        }
        let (u, v) = (x.to_degrees() / self.cdelt.0, y.to_degrees() / self.cdelt.1);
        let (dx, dy) = match self.pc {
            None => (u, v),
            Some(m) => {
                let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
                (
                    (m[1][1] * u - m[0][1] * v) / det,
                    (m[0][0] * v - m[1][0] * u) / det,
                )
            }
        };
        Some((dx + self.crpix.0, dy + self.crpix.1))
    }
}

/// CDELT and PC of the celestial axes from a header that gives a CD matrix, a PC matrix
/// with CDELT, CDELT with the older CROTA2, or CDELT alone.
fn scale_and_rotation(header: &Header) -> Result<((f64, f64), Option<[[f64; 2]; 2]>), String> {
    let get = |k: &str| header.float(k);
    let cd_keys = ["CD1_1", "CD1_2", "CD2_1", "CD2_2"];
    if cd_keys.iter().any(|k| get(k).is_some()) {
        let cd = |k| get(k).unwrap_or(0.0);
        let rows = [[cd("CD1_1"), cd("CD1_2")], [cd("CD2_1"), cd("CD2_2")]];
        // CDi_j = CDELTi · PCi_j, with CDELTi the length of row i, signed so that PC's
        // diagonal is positive when the axes are not rotated
        let mut cdelt = [0.0; 2];
        let mut pc = [[0.0; 2]; 2];
        for i in 0..2 {
            let norm = rows[i][0].hypot(rows[i][1]);
            if norm == 0.0 {
                return Err(format!("the CD matrix's row {} is zero", i + 1));
            }
            let sign = if rows[i][i] < 0.0 { -1.0 } else { 1.0 };
            cdelt[i] = sign * norm;
            pc[i] = [rows[i][0] / cdelt[i], rows[i][1] / cdelt[i]];
        }
        if !(pc[0][0] * pc[1][1] - pc[0][1] * pc[1][0]).is_normal() {
            return Err("the CD matrix is singular: its rows are parallel".into());
        }
        return Ok(((cdelt[0], cdelt[1]), Some(pc)));
    }
    let need = |k: &str| get(k).ok_or_else(|| format!("{k} missing or not a number"));
    let cdelt = (need("CDELT1")?, need("CDELT2")?);
    if cdelt.0 == 0.0 || cdelt.1 == 0.0 {
        return Err("CDELT1 and CDELT2 must not be zero".into());
    }
    let pc_keys = ["PC1_1", "PC1_2", "PC2_1", "PC2_2"];
    if pc_keys.iter().any(|k| get(k).is_some()) {
        let pc = |k, diagonal: bool| get(k).unwrap_or(if diagonal { 1.0 } else { 0.0 });
        let m = [
            [pc("PC1_1", true), pc("PC1_2", false)],
            [pc("PC2_1", false), pc("PC2_2", true)],
        ];
        if !(m[0][0] * m[1][1] - m[0][1] * m[1][0]).is_normal() {
            return Err("the PC matrix is singular".into());
        }
        let identity = m == [[1.0, 0.0], [0.0, 1.0]];
        return Ok((cdelt, (!identity).then_some(m)));
    }
    match get("CROTA2") {
        Some(angle) if angle != 0.0 => {
            let (sin, cos) = angle.to_radians().sin_cos();
            let ratio = cdelt.1 / cdelt.0;
            Ok((cdelt, Some([[cos, -sin * ratio], [sin / ratio, cos]])))
        }
        _ => Ok((cdelt, None)),
    }
}

impl LinearAxis {
    pub fn value(&self, pixel: f64) -> f64 {
        self.crval + self.cdelt * (pixel - self.crpix)
    }
}

/// The speed of light in vacuum, m/s: frequencies ↔ vacuum wavelengths.
pub const SPEED_OF_LIGHT: f64 = 299_792_458.0;

/// FITS Stokes codes (Greisen & Calabretta 2002, table 7) and the names ObsCore and SODA use.
pub const STOKES_STATES: [(i64, &str); 12] = [
    (1, "I"),
    (2, "Q"),
    (3, "U"),
    (4, "V"),
    (-1, "RR"),
    (-2, "LL"),
    (-3, "RL"),
    (-4, "LR"),
    (-5, "XX"),
    (-6, "YY"),
    (-7, "XY"),
    (-8, "YX"),
];

/// The name of a Stokes code (`-5` → `XX`).
pub fn stokes_name(code: i64) -> Option<&'static str> {
    STOKES_STATES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// The Stokes code of a state's name (`XX` → `-5`), exact upper case.
pub fn stokes_code(name: &str) -> Option<i64> {
    STOKES_STATES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(c, _)| *c)
}

impl StokesAxis {
    /// The states' names along the axis (`I`, `XX`, …), unknown codes left out.
    pub fn names(&self) -> Vec<&'static str> {
        self.codes.iter().filter_map(|&c| stokes_name(c)).collect()
    }

    /// ObsCore's `pol_states` form: `/I/` or `/XX/YY/`.
    pub fn pol_states(&self) -> String {
        format!("/{}/", self.names().join("/"))
    }
}

impl ImageWcs {
    /// Reads the WCS of an image HDU. Errors name the missing or unsupported keyword.
    pub fn from_header(header: &Header) -> Result<ImageWcs, String> {
        let naxis = header.int("NAXIS").ok_or("NAXIS missing")?;
        if !(0..=999).contains(&naxis) {
            return Err(format!("NAXIS {naxis} is outside 0..999"));
        }
        let shape: Vec<usize> = (1..=naxis)
            .map(|i| header.int(&format!("NAXIS{i}")).unwrap_or(0).max(0) as usize)
            .collect();
        if shape.len() < 2 {
            return Err(format!("an image needs at least 2 axes, NAXIS = {naxis}"));
        }
        let ctype = |i: usize| header.str(&format!("CTYPE{i}")).unwrap_or("").to_string();
        let (c1, c2) = (ctype(1), ctype(2));
        if !c1.starts_with("RA--") || !c2.starts_with("DEC-") {
            return Err(format!(
                "axes 1 and 2 must be RA and DEC, found CTYPE1 = '{c1}', CTYPE2 = '{c2}'"
            ));
        }
        // `get`: a CTYPE may end after its four-character prefix ('RA--')
        let projection = match (c1.get(5..).unwrap_or(""), c2.get(5..).unwrap_or("")) {
            ("SIN", "SIN") => Projection::Sin,
            ("TAN", "TAN") => Projection::Tan,
            (a, b) => {
                return Err(format!(
                    "CTYPE1/CTYPE2 projection '{a}'/'{b}' is not supported (SIN or TAN)"
                ))
            }
        };
        if let Some(radesys) = header.str("RADESYS") {
            if !matches!(radesys, "ICRS" | "FK5") {
                return Err(format!(
                    "RADESYS '{radesys}' is not supported (ICRS or FK5)"
                ));
            }
        }
        let need = |k: &str| {
            header
                .float(k)
                .ok_or_else(|| format!("{k} missing or not a number"))
        };
        let (cdelt, pc) = scale_and_rotation(header)?;
        let celestial = CelestialWcs {
            projection,
            crval: (need("CRVAL1")?, need("CRVAL2")?),
            crpix: (need("CRPIX1")?, need("CRPIX2")?),
            cdelt,
            pc,
        };
        let mut spectral = None;
        let mut stokes = None;
        for i in 3..=shape.len() {
            let t = ctype(i);
            let crval = header.float(&format!("CRVAL{i}")).unwrap_or(0.0);
            let crpix = header.float(&format!("CRPIX{i}")).unwrap_or(1.0);
            let cdelt = header.float(&format!("CDELT{i}")).unwrap_or(1.0);
            if t == "FREQ" {
                let unit = header.str(&format!("CUNIT{i}")).unwrap_or("Hz").to_string();
                let scale = match unit.as_str() {
                    "Hz" => 1.0,
                    "kHz" => 1e3,
                    "MHz" => 1e6,
                    "GHz" => 1e9,
                    other => return Err(format!("CUNIT{i} '{other}' is not a frequency unit")),
                };
                spectral = Some(LinearAxis {
                    ctype: t,
                    unit: "Hz".into(),
                    crval: crval * scale,
                    crpix,
                    cdelt: cdelt * scale,
                });
            } else if t == "STOKES" {
                if shape[i - 1] > STOKES_STATES.len() {
                    return Err(format!(
                        "NAXIS{i} = {} planes along STOKES, more than the {} states",
                        shape[i - 1],
                        STOKES_STATES.len()
                    ));
                }
                let codes = (1..=shape[i - 1])
                    .map(|p| (crval + cdelt * (p as f64 - crpix)).round() as i64)
                    .collect();
                stokes = Some(StokesAxis { codes });
            }
        }
        let beam = match (header.float("BMAJ"), header.float("BMIN")) {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        };
        Ok(ImageWcs {
            celestial,
            spectral,
            stokes,
            shape,
            beam,
        })
    }

    /// The sky corners of the image's outer pixel edges, in order around the image.
    pub fn footprint(&self) -> Option<Vec<(f64, f64)>> {
        let (nx, ny) = (self.shape[0] as f64, self.shape[1] as f64);
        [
            (0.5, 0.5),
            (nx + 0.5, 0.5),
            (nx + 0.5, ny + 0.5),
            (0.5, ny + 0.5),
        ]
        .iter()
        .map(|&(x, y)| self.celestial.pixel_to_world(x, y))
        .collect()
    }

    /// The frequency range (Hz) covered by the channel edges.
    pub fn frequency_range(&self) -> Option<(f64, f64)> {
        let axis = self.spectral.as_ref()?;
        let n = self.shape[2] as f64;
        let (a, b) = (axis.value(0.5), axis.value(n + 0.5));
        Some((a.min(b), a.max(b)))
    }

    /// The vacuum wavelengths (m) covered by the channel edges, low to high.
    pub fn wavelength_range(&self) -> Option<(f64, f64)> {
        let (lo, hi) = self.frequency_range()?;
        Some((SPEED_OF_LIGHT / hi, SPEED_OF_LIGHT / lo))
    }

    /// The cards that describe this WCS in a primary image header (SIMPLE…CUNITn).
    pub fn primary_header(&self) -> Header {
        let mut h = Header::default();
        h.push("SIMPLE", Value::Logical(true), "conforms to FITS standard");
        h.push("BITPIX", Value::Int(-32), "IEEE single precision");
        h.push("NAXIS", Value::Int(self.shape.len() as i64), "");
        for (i, n) in self.shape.iter().enumerate() {
            h.push(&format!("NAXIS{}", i + 1), Value::Int(*n as i64), "");
        }
        h.push("EXTEND", Value::Logical(true), "");
        if let Some((bmaj, bmin)) = self.beam {
            h.push("BMAJ", Value::Float(bmaj), "beam major axis [deg]");
            h.push("BMIN", Value::Float(bmin), "beam minor axis [deg]");
            h.push("BPA", Value::Float(0.0), "beam position angle [deg]");
        }
        h.push("RADESYS", Value::Str("ICRS".into()), "");
        h.push("LONPOLE", Value::Float(180.0), "");
        h.push("LATPOLE", Value::Float(self.celestial.crval.1), "");
        let proj = match self.celestial.projection {
            Projection::Sin => "SIN",
            Projection::Tan => "TAN",
        };
        let c = &self.celestial;
        for (i, (name, crval, cdelt, crpix)) in [
            ("RA---", c.crval.0, c.cdelt.0, c.crpix.0),
            ("DEC--", c.crval.1, c.cdelt.1, c.crpix.1),
        ]
        .into_iter()
        .enumerate()
        {
            let n = i + 1;
            h.push(
                &format!("CTYPE{n}"),
                Value::Str(format!("{name}{proj}")),
                "",
            );
            h.push(&format!("CRVAL{n}"), Value::Float(crval), "");
            h.push(&format!("CDELT{n}"), Value::Float(cdelt), "");
            h.push(&format!("CRPIX{n}"), Value::Float(crpix), "");
            h.push(&format!("CUNIT{n}"), Value::Str("deg".into()), "");
        }
        if let Some(m) = c.pc {
            for (i, j) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                h.push(&format!("PC{}_{}", i + 1, j + 1), Value::Float(m[i][j]), "");
            }
        }
        let mut next = 3;
        if let Some(axis) = &self.spectral {
            h.push(&format!("CTYPE{next}"), Value::Str(axis.ctype.clone()), "");
            h.push(&format!("CRVAL{next}"), Value::Float(axis.crval), "");
            h.push(&format!("CDELT{next}"), Value::Float(axis.cdelt), "");
            h.push(&format!("CRPIX{next}"), Value::Float(axis.crpix), "");
            h.push(&format!("CUNIT{next}"), Value::Str(axis.unit.clone()), "");
            next += 1;
        }
        if let Some(stokes) = &self.stokes {
            let first = stokes.codes.first().copied().unwrap_or(1);
            let step = if stokes.codes.len() > 1 {
                stokes.codes[1].saturating_sub(stokes.codes[0])
            } else {
                1
            };
            h.push(&format!("CTYPE{next}"), Value::Str("STOKES".into()), "");
            h.push(&format!("CRVAL{next}"), Value::Float(first as f64), "");
            h.push(&format!("CDELT{next}"), Value::Float(step as f64), "");
            h.push(&format!("CRPIX{next}"), Value::Float(1.0), "");
            h.push(&format!("CUNIT{next}"), Value::Str("".into()), "");
        }
        if self.spectral.is_some() {
            h.push(
                "SPECSYS",
                Value::Str("LSRK".into()),
                "spectral reference frame",
            );
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cube() -> ImageWcs {
        ImageWcs {
            celestial: CelestialWcs {
                projection: Projection::Sin,
                crval: (204.25, -29.86),
                crpix: (33.0, 33.0),
                cdelt: (-1e-4, 1e-4),
                pc: None,
            },
            spectral: Some(LinearAxis {
                ctype: "FREQ".into(),
                unit: "Hz".into(),
                crval: 1.1e11,
                crpix: 1.0,
                cdelt: 1e6,
            }),
            stokes: Some(StokesAxis { codes: vec![1] }),
            shape: vec![64, 64, 16, 1],
            beam: Some((2e-4, 1.5e-4)),
        }
    }

    #[test]
    fn pixel_world_roundtrip_both_projections() {
        for projection in [Projection::Sin, Projection::Tan] {
            let mut wcs = cube().celestial;
            wcs.projection = projection;
            for &(x, y) in &[(1.0, 1.0), (64.0, 1.0), (17.5, 50.25), (33.0, 33.0)] {
                let (ra, dec) = wcs.pixel_to_world(x, y).unwrap();
                let (x2, y2) = wcs.world_to_pixel(ra, dec).unwrap();
                assert!(
                    (x - x2).abs() < 1e-8 && (y - y2).abs() < 1e-8,
                    "{projection:?} {x},{y} -> {x2},{y2}"
                );
            }
        }
    }

    #[test]
    fn ra_increases_to_the_left() {
        let wcs = cube().celestial;
        let (ra_left, _) = wcs.pixel_to_world(1.0, 33.0).unwrap();
        let (ra_right, _) = wcs.pixel_to_world(64.0, 33.0).unwrap();
        assert!(ra_left > ra_right);
    }

    #[test]
    fn header_roundtrip() {
        let wcs = cube();
        let parsed = ImageWcs::from_header(&wcs.primary_header()).unwrap();
        assert_eq!(parsed, wcs);
        assert_eq!(parsed.stokes.unwrap().pol_states(), "/I/");
        let (lo, hi) = wcs.frequency_range().unwrap();
        assert!((lo - (1.1e11 - 0.5e6)).abs() < 1.0 && (hi - (1.1e11 + 15.5e6)).abs() < 1.0);
    }

    #[test]
    fn rejects_unsupported_projection() {
        let mut h = cube().primary_header();
        for c in h.cards.iter_mut().filter(|c| c.keyword == "CTYPE1") {
            c.value = Some(Value::Str("RA---CAR".into()));
        }
        assert!(ImageWcs::from_header(&h).unwrap_err().contains("CTYPE1"));
    }

    /// A header with a rotated CD matrix (30°, 0.72″ pixels), as many non-ALMA images are.
    fn rotated(projection: &str) -> ImageWcs {
        let (sin, cos) = 30f64.to_radians().sin_cos();
        let s = 2e-4;
        let mut h = Header::default();
        for (k, v) in [("NAXIS", 2), ("NAXIS1", 100), ("NAXIS2", 100)] {
            h.push(k, Value::Int(v), "");
        }
        h.push("CTYPE1", Value::Str(format!("RA---{projection}")), "");
        h.push("CTYPE2", Value::Str(format!("DEC--{projection}")), "");
        for (k, v) in [
            ("CRVAL1", 150.0),
            ("CRVAL2", 2.0),
            ("CRPIX1", 50.5),
            ("CRPIX2", 50.5),
            ("CD1_1", -s * cos),
            ("CD1_2", s * sin),
            ("CD2_1", s * sin),
            ("CD2_2", s * cos),
        ] {
            h.push(k, Value::Float(v), "");
        }
        ImageWcs::from_header(&h).unwrap()
    }

    /// Reference positions from astropy 6 (`WCS.all_pix2world(x, y, 1)` on the same
    /// header), computed once and written here.
    #[test]
    fn a_rotated_cd_matrix_places_pixels_as_astropy_does() {
        let tan: [((f64, f64), (f64, f64)); 5] = [
            ((0.5, 0.5), (150.0036624546274, 1.986339742166135)),
            ((100.5, 0.5), (149.9863314501841, 1.9963396892058156)),
            ((100.5, 100.5), (149.99633748438723, 2.0136602496683618)),
            ((0.5, 100.5), (150.0136686108013, 2.0036601970632373)),
            ((10.0, 80.0), (150.00997088609952, 2.001059519606176)),
        ];
        let sin: [((f64, f64), (f64, f64)); 5] = [
            ((0.5, 0.5), (150.00366245473896, 1.9863397417500142)),
            ((100.5, 0.5), (149.98633144976773, 1.996339689094313)),
            ((100.5, 100.5), (149.99633748427564, 2.013660250084482)),
            ((0.5, 100.5), (150.01366861121767, 2.003660197174732)),
            ((10.0, 80.0), (150.009970886252, 2.001059519622379)),
        ];
        for (projection, cases) in [("TAN", tan), ("SIN", sin)] {
            let wcs = rotated(projection);
            assert!(wcs.celestial.pc.is_some());
            for ((x, y), (ra, dec)) in cases {
                let (r, d) = wcs.celestial.pixel_to_world(x, y).unwrap();
                // 1e-9 degrees is 3.6 microarcseconds
                assert!(
                    (r - ra).abs() < 1e-9 && (d - dec).abs() < 1e-9,
                    "{projection} ({x}, {y}): {r} {d}"
                );
                let (px, py) = wcs.celestial.world_to_pixel(ra, dec).unwrap();
                assert!(
                    (px - x).abs() < 1e-6 && (py - y).abs() < 1e-6,
                    "{projection}: {px} {py}"
                );
            }
            let corners = wcs.footprint().unwrap();
            assert!((corners[0].0 - cases[0].1 .0).abs() < 1e-9);
        }
    }

    #[test]
    fn pc_with_cdelt_and_crota2_read_as_the_same_rotation() {
        let cd = rotated("TAN").celestial;
        let mut h = cube().primary_header();
        h.cards
            .retain(|c| !c.keyword.starts_with("CDELT") || c.keyword == "CDELT3");
        h.cards
            .retain(|c| !c.keyword.starts_with("CRVAL1") && !c.keyword.starts_with("CRVAL2"));
        h.cards
            .retain(|c| !c.keyword.starts_with("CRPIX1") && !c.keyword.starts_with("CRPIX2"));
        for (k, v) in [
            ("CRVAL1", 150.0),
            ("CRVAL2", 2.0),
            ("CRPIX1", 50.5),
            ("CRPIX2", 50.5),
            ("CDELT1", -2e-4),
            ("CDELT2", 2e-4),
        ] {
            h.push(k, Value::Float(v), "");
        }
        let mut with_pc = h.clone();
        with_pc
            .cards
            .retain(|c| !c.keyword.starts_with("CTYPE1") && !c.keyword.starts_with("CTYPE2"));
        with_pc.push("CTYPE1", Value::Str("RA---TAN".into()), "");
        with_pc.push("CTYPE2", Value::Str("DEC--TAN".into()), "");
        let mut with_crota = with_pc.clone();
        let (sin, cos) = 30f64.to_radians().sin_cos();
        for (k, v) in [
            ("PC1_1", cos),
            ("PC1_2", -sin),
            ("PC2_1", sin),
            ("PC2_2", cos),
        ] {
            with_pc.push(k, Value::Float(v), "");
        }
        // the same rotation in the older convention (astropy agrees: CROTA2 = -30 with these
        // CDELTs puts every pixel where the CD matrix does)
        with_crota.push("CROTA2", Value::Float(-30.0), "");
        for header in [with_pc, with_crota] {
            let wcs = ImageWcs::from_header(&header).unwrap().celestial;
            for (x, y) in [(0.5, 0.5), (100.5, 37.0), (10.0, 80.0)] {
                let (a, b) = (
                    wcs.pixel_to_world(x, y).unwrap(),
                    cd.pixel_to_world(x, y).unwrap(),
                );
                assert!(
                    (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
                    "{a:?} {b:?}"
                );
            }
        }
        // written back, a rotation survives
        let mut written = cube();
        written.celestial.pc = cd.pc;
        let again = ImageWcs::from_header(&written.primary_header()).unwrap();
        assert_eq!(again.celestial.pc, cd.pc);
    }
}
