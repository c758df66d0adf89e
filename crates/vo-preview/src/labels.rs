//! The words on the previews, taken from the header: the source (OBJECT), what the preview
//! shows, the unit (BUNIT) and sky positions in sexagesimal form.

use crate::cube::Cube;
use std::path::Path;

/// OBJECT, or the file name when the header names no source.
pub(crate) fn source_name(cube: &Cube, path: &Path) -> String {
    match cube.text("OBJECT") {
        Some(object) => object.to_string(),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| cube.path.clone()),
    }
}

/// " [Jy/beam]" from BUNIT, or nothing.
pub(crate) fn unit_suffix(cube: &Cube) -> String {
    cube.text("BUNIT")
        .map(|unit| format!(" [{unit}]"))
        .unwrap_or_default()
}

/// The value axis title of a spectrum: "Intensity (Jy/beam)" from BTYPE and BUNIT, either
/// alone, or "Value".
pub(crate) fn value_title(cube: &Cube) -> String {
    match (cube.text("BTYPE"), cube.text("BUNIT")) {
        (Some(kind), Some(unit)) => format!("{kind} ({unit})"),
        (None, Some(unit)) => unit.to_string(),
        (Some(kind), None) => kind.to_string(),
        (None, None) => "Value".to_string(),
    }
}

/// How the map was shown, and its orientation: "48 x 48 pixels, each drawn 10 x 10; north up,
/// east left".
pub(crate) fn map_caption(nx: usize, ny: usize, zoom: crate::Zoom) -> String {
    let drawn = match zoom {
        crate::Zoom::Enlarge(1) => "drawn 1:1".to_string(),
        crate::Zoom::Enlarge(n) => format!("each drawn {n} x {n}"),
        crate::Zoom::Reduce(n) => format!("maxima of {n} x {n} blocks shown"),
    };
    format!(
        "{nx} x {ny} pixels, {drawn}; north up, east left; colours span the 0.5-99.5 percentiles"
    )
}

/// Right ascension in hours, minutes and seconds (degrees in).
pub(crate) fn format_ra(degrees: f64) -> String {
    let milliseconds = (degrees.rem_euclid(360.0) / 15.0 * 3_600_000.0).round() as i64;
    let milliseconds = milliseconds % (24 * 3_600_000);
    let (h, rest) = (milliseconds / 3_600_000, milliseconds % 3_600_000);
    let (m, ms) = (rest / 60_000, rest % 60_000);
    format!("{h:02}:{m:02}:{:02}.{:03}", ms / 1000, ms % 1000)
}

/// Declination in degrees, arcminutes and arcseconds (degrees in).
pub(crate) fn format_dec(degrees: f64) -> String {
    let sign = if degrees < 0.0 { '-' } else { '+' };
    let hundredths = (degrees.abs() * 3600.0 * 100.0).round() as i64;
    let (d, rest) = (hundredths / 360_000, hundredths % 360_000);
    let (m, cs) = (rest / 6000, rest % 6000);
    format!("{sign}{d:02}:{m:02}:{:02}.{:02}", cs / 100, cs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sexagesimal_positions() {
        assert_eq!(format_ra(204.25), "13:37:00.000");
        assert_eq!(format_ra(-15.0), "23:00:00.000");
        assert_eq!(format_dec(-29.86), "-29:51:36.00");
        assert_eq!(format_dec(0.5), "+00:30:00.00");
    }

    #[test]
    fn captions_say_how_the_map_was_drawn() {
        assert!(map_caption(48, 48, crate::Zoom::Enlarge(10))
            .starts_with("48 x 48 pixels, each drawn 10 x 10"));
        assert!(map_caption(4096, 4096, crate::Zoom::Reduce(4)).contains("maxima of 4 x 4 blocks"));
    }
}
