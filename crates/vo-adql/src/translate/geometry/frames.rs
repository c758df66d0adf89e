//! The coordinate-system argument of POINT, CIRCLE, BOX and POLYGON, read as STC-S:
//! `[frame] [reference position] [flavour]`, each part optional.

use crate::error::AdqlError;
use crate::syntax::literal_number;
use sqlparser::ast::{Expr, Spanned, Value};
use vo_region::Frame;

/// Accepts a coordinate system equivalent to this service's ICRS (None), or one whose
/// literal coordinates are converted to ICRS (GALACTIC); refuses anything else with a reason.
pub(super) fn frame_ok(e: &Expr) -> Result<Option<Frame>, AdqlError> {
    let Expr::Value(v) = e else { return Ok(None) };
    let Value::SingleQuotedString(frame) = &v.value else {
        return Ok(None);
    };
    let at = e.span().start;
    let words: Vec<String> = frame
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    // STC-S: [frame] [reference position] [flavour], each optional
    let mut rest = words.as_slice();
    let mut frame_name = None;
    if let Some(first) = rest.first() {
        if FRAMES_AS_ICRS.contains(&first.as_str()) || OTHER_FRAMES.contains(&first.as_str()) {
            frame_name = Some(first.as_str());
            rest = &rest[1..];
        }
    }
    if rest
        .first()
        .is_some_and(|w| REFERENCE_POSITIONS.contains(&w.as_str()))
    {
        rest = &rest[1..];
    }
    let mut flavour = None;
    if rest.first().is_some_and(|w| FLAVOURS.contains(&w.as_str())) {
        flavour = Some(rest[0].as_str());
        rest = &rest[1..];
    }
    if !rest.is_empty() {
        return Err(
            AdqlError::at(format!("'{frame}' is not a coordinate system"), at)
                .with_hint("write 'ICRS', or leave the coordinate system out"),
        );
    }
    match frame_name {
        _ if flavour.is_some_and(|f| f.starts_with("CARTESIAN")) => Err(AdqlError::at(
            "positions here are spherical (right ascension, declination), not Cartesian",
            at,
        )
        .with_hint("leave the coordinate system out")),
        Some("GALACTIC") => Ok(Some(Frame::Galactic)),
        Some(f) if OTHER_FRAMES.contains(&f) => Err(AdqlError::at(
            format!("this service's coordinates are ICRS; {f} coordinates are not converted"),
            at,
        )
        .with_hint("convert the position to ICRS or GALACTIC, or leave the coordinate system out")),
        _ => Ok(None),
    }
}

/// Literal coordinates (longitude, latitude in degrees) of `frame` as ICRS SQL numbers; None
/// when either is not a literal number (a column, an expression).
pub(super) fn converted(frame: Frame, lon: &Expr, lat: &Expr) -> Option<(String, String)> {
    let (l, b) = (literal_number(lon)?, literal_number(lat)?);
    if !(l.is_finite() && b.is_finite() && (-90.0..=90.0).contains(&b)) {
        return None;
    }
    let (ra, dec) = frame.to_icrs(l, b);
    Some((format!("{ra:.12}"), format!("{dec:.12}")))
}

/// Why coordinates of `frame` could not be converted.
pub(super) fn not_converted(frame: Frame, at: &Expr) -> AdqlError {
    AdqlError::at(
        format!(
            "{frame} coordinates are converted to ICRS only where they are literal numbers (with a latitude within ±90°)"
        ),
        at.span().start,
    )
    .with_hint("give the position as numbers, or in ICRS")
}

/// Frames taken as ICRS: FK5/J2000 differ from it by less than 0.03 arcsec. GALACTIC is
/// converted; the other frames are refused.
const FRAMES_AS_ICRS: &[&str] = &["ICRS", "FK5", "J2000", "UNKNOWNFRAME"];
const OTHER_FRAMES: &[&str] = &[
    "FK4",
    "B1950",
    "ECLIPTIC",
    "GALACTIC",
    "GALACTIC_I",
    "GALACTIC_II",
    "SUPER_GALACTIC",
    "GEO_C",
    "GEO_D",
];
const REFERENCE_POSITIONS: &[&str] = &[
    "BARYCENTER",
    "GEOCENTER",
    "HELIOCENTER",
    "LSR",
    "TOPOCENTER",
    "RELOCATABLE",
    "UNKNOWNREFPOS",
];
const FLAVOURS: &[&str] = &["SPHERICAL2", "CARTESIAN2", "CARTESIAN3", "UNITSPHERE"];
