//! The spectral lines the demo's cubes carry: common ALMA lines at their laboratory rest
//! frequencies (GHz), as the CDMS and JPL catalogues give them (and Splatalogue lists
//! them); the fine structure lines of carbon and nitrogen for high-redshift sources. Typed
//! in from those published values, not fetched; each is in the archive's line list
//! (deploy/spectra.py) at the same frequency, which a test checks.

/// A line: its name as ALMA's science goals write it, and its rest frequency in GHz.
pub type Line = (&'static str, f64);

pub const LINES: &[Line] = &[
    ("CO(1-0)", 115.271_202),
    ("CO(2-1)", 230.538_000),
    ("CO(3-2)", 345.795_990),
    ("CO(4-3)", 461.040_768),
    ("CO(5-4)", 576.267_931),
    ("CO(6-5)", 691.473_076),
    ("CO(7-6)", 806.651_806),
    ("13CO(1-0)", 110.201_354),
    ("13CO(2-1)", 220.398_684),
    ("13CO(3-2)", 330.587_965),
    ("C18O(1-0)", 109.782_173),
    ("C18O(2-1)", 219.560_354),
    ("C18O(3-2)", 329.330_552),
    ("HCO+(1-0)", 89.188_525),
    ("HCO+(3-2)", 267.557_626),
    ("HCO+(4-3)", 356.734_223),
    ("H13CO+(3-2)", 260.255_339),
    ("DCO+(3-2)", 216.112_582),
    ("HCN(1-0)", 88.631_602),
    ("HCN(3-2)", 265.886_434),
    ("HCN(4-3)", 354.505_477),
    ("CS(2-1)", 97.980_953),
    ("CS(5-4)", 244.935_557),
    ("CS(7-6)", 342.882_857),
    ("SiO(2-1)", 86.846_985),
    ("SiO(5-4)", 217.104_980),
    ("SiO(6-5)", 260.518_009),
    ("H13CN(4-3)", 345.339_760),
    ("CN(1-0)", 113.490_970),
    ("CN(2-1)", 226.874_781),
    ("N2H+(1-0)", 93.173_764),
    ("N2H+(3-2)", 279.511_832),
    ("H2CO(3-2)", 218.222_192),
    ("CH3OH(5-4)", 241.767_234),
    ("[CI](1-0)", 492.160_651),
    ("[CI](2-1)", 809.341_970),
    ("[NII]", 1_461.133_800),
    ("[CII]", 1_900.536_900),
];

/// A line's rest frequency by name.
pub fn rest_ghz(name: &str) -> Option<f64> {
    LINES.iter().find(|l| l.0 == name).map(|l| l.1)
}

/// The frequency at which a line emitted at `rest_ghz` is observed from a source at
/// redshift `z`.
pub fn observed_ghz(rest_ghz: f64, z: f64) -> f64 {
    rest_ghz / (1.0 + z)
}

/// The lines of [`LINES`] observed between two frequencies (GHz) from redshift `z`, with
/// their observed frequencies.
pub fn lines_between(lo_ghz: f64, hi_ghz: f64, z: f64) -> impl Iterator<Item = (Line, f64)> {
    LINES.iter().filter_map(move |&line| {
        let observed = observed_ghz(line.1, z);
        (observed >= lo_ghz && observed <= hi_ghz).then_some((line, observed))
    })
}
