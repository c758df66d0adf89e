//! ALMA's names of FITS products: `member.uid___….<source>_<intent>.spw<n>.cube.I.pbcor.fits`.

/// What ALMA's product name says: the source, the spectral window of a cube (None for a
/// continuum image), whether the source is a calibrator, and the kind of product.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductName {
    pub source: String,
    /// The spectral window of a cube; None for a continuum image.
    pub spw: Option<u32>,
    pub calibrator: bool,
    /// What follows the window in the name: `cube.I.pbcor` (a primary-beam corrected Stokes
    /// I cube), `mfs.I.pbcor`, `cont.I.pbcor`, … (ObsCore's `dataproduct_subtype`).
    pub subtype: String,
}

/// ALMA's intents in product names: `_sci` a science target; `_ph` the phase calibrator,
/// `_bp` the bandpass, `_amp` and `_flux` the flux calibrator, `_check` the check source.
const INTENTS: &[(&str, bool)] = &[
    ("_sci.", false),
    ("_ph.", true),
    ("_bp.", true),
    ("_amp.", true),
    ("_flux.", true),
    ("_check.", true),
];

impl ProductName {
    /// `member.uid___….<source>_<intent>.spw<n>.cube…` → the source, window and intent;
    /// continuum names (`.cont.`, `.mfs.`) give no window; None for other names.
    pub fn parse(file_name: &str) -> Option<ProductName> {
        let without_prefix = file_name.strip_prefix("member.").unwrap_or(file_name);
        let after_mous = without_prefix.split_once('.').map(|(_, rest)| rest)?;
        let (source, rest, calibrator) = INTENTS.iter().find_map(|(intent, calibrator)| {
            after_mous
                .split_once(intent)
                .map(|(source, rest)| (source, rest, *calibrator))
        })?;
        let spw = rest
            .strip_prefix("spw")
            .and_then(|s| s.split(['.', '_']).next())
            .and_then(|n| n.parse().ok());
        let is_cube = rest.contains(".cube.");
        let without_window = match rest.strip_prefix("spw") {
            Some(window) => window.split_once('.').map_or("", |(_, kind)| kind),
            None => rest,
        };
        Some(ProductName {
            source: source.to_string(),
            spw: if is_cube { spw } else { None },
            calibrator,
            subtype: without_window
                .strip_suffix(".fits")
                .unwrap_or(without_window)
                .to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_give_source_window_and_intent() {
        let named = |source: &str, spw, calibrator, subtype: &str| {
            Some(ProductName {
                source: source.into(),
                spw,
                calibrator,
                subtype: subtype.into(),
            })
        };
        assert_eq!(
            ProductName::parse("member.uid___A001_X1_X2.M83_sci.spw25.cube.I.pbcor.fits"),
            named("M83", Some(25), false, "cube.I.pbcor")
        );
        assert_eq!(
            ProductName::parse("member.uid___A001_X1_X2.M83_sci.spw25_27_29_31.cont.I.pbcor.fits"),
            named("M83", None, false, "cont.I.pbcor")
        );
        assert_eq!(
            ProductName::parse("member.uid___A001_X1_X2.J1337-2953_ph.spw25_27.mfs.I.pbcor.fits"),
            named("J1337-2953", None, true, "mfs.I.pbcor")
        );
        assert_eq!(
            ProductName::parse("member.uid___A001_X1_X2.J1924-2914_bp.spw19.cube.I.pbcor.fits"),
            named("J1924-2914", Some(19), true, "cube.I.pbcor")
        );
        assert_eq!(ProductName::parse("other.fits"), None);
    }
}
