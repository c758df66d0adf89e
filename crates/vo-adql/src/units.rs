//! Unit conversion for IN_UNIT: factors between VOUnits of the same quantity.

/// (unit, quantity, factor to the quantity's base unit)
const UNITS: &[(&str, &str, f64)] = &[
    ("m", "length", 1.0),
    ("km", "length", 1e3),
    ("cm", "length", 1e-2),
    ("mm", "length", 1e-3),
    ("um", "length", 1e-6),
    ("nm", "length", 1e-9),
    ("Angstrom", "length", 1e-10),
    ("Hz", "frequency", 1.0),
    ("kHz", "frequency", 1e3),
    ("MHz", "frequency", 1e6),
    ("GHz", "frequency", 1e9),
    ("THz", "frequency", 1e12),
    ("deg", "angle", 1.0),
    ("arcmin", "angle", 1.0 / 60.0),
    ("arcsec", "angle", 1.0 / 3600.0),
    ("mas", "angle", 1.0 / 3_600_000.0),
    ("rad", "angle", 180.0 / std::f64::consts::PI),
    ("s", "time", 1.0),
    ("min", "time", 60.0),
    ("h", "time", 3600.0),
    ("d", "time", 86400.0),
    ("yr", "time", 31_557_600.0),
    ("Jy/beam", "flux", 1.0),
    ("mJy/beam", "flux", 1e-3),
    ("uJy/beam", "flux", 1e-6),
    ("Jy", "fluxdensity", 1.0),
    ("mJy", "fluxdensity", 1e-3),
    ("uJy", "fluxdensity", 1e-6),
    ("byte", "size", 1.0),
    ("kbyte", "size", 1e3),
    ("Mbyte", "size", 1e6),
    ("Gbyte", "size", 1e9),
    ("m/s", "speed", 1.0),
    ("km/s", "speed", 1e3),
];

/// The factor that turns a value in `from` into `to`.
pub fn conversion(from: &str, to: &str) -> Result<f64, String> {
    let find = |u: &str| {
        UNITS
            .iter()
            .find(|x| x.0 == u)
            .ok_or_else(|| format!("IN_UNIT does not know the unit '{u}'"))
    };
    let (a, b) = (find(from)?, find(to)?);
    if a.1 != b.1 {
        return Err(format!(
            "IN_UNIT cannot convert {from} ({}) to {to} ({})",
            a.1, b.1
        ));
    }
    Ok(a.2 / b.2)
}

#[cfg(test)]
mod tests {
    #[test]
    fn converts_within_a_quantity_only() {
        assert_eq!(super::conversion("GHz", "MHz").unwrap(), 1000.0);
        assert!((super::conversion("deg", "arcsec").unwrap() - 3600.0).abs() < 1e-9);
        assert!(super::conversion("m", "Hz")
            .unwrap_err()
            .contains("cannot convert"));
        assert!(super::conversion("parsec", "m")
            .unwrap_err()
            .contains("does not know"));
    }
}
