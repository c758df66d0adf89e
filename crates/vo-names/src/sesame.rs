//! Answers in Sesame's own formats, so clients that speak to CDS's name resolver speak to
//! this one: the plain text astropy's `SkyCoord.from_name` reads (its `%J` line), and the
//! XML of Sesame 4 (`-ox`).

use crate::resolver::{Object, Resolution};

/// Right ascension and declination as `hh:mm:ss.ss ±dd:mm:ss.s`.
pub fn sexagesimal(ra: f64, dec: f64) -> String {
    let seconds = (ra.rem_euclid(360.0) / 15.0 * 3600.0 * 100.0).round() / 100.0;
    let seconds = seconds % 86400.0;
    let (h, m, s) = (
        (seconds / 3600.0).floor(),
        ((seconds % 3600.0) / 60.0).floor(),
        seconds % 60.0,
    );
    let sign = if dec < 0.0 { '-' } else { '+' };
    let arcsec = (dec.abs() * 3600.0 * 10.0).round() / 10.0;
    let (d, am, asec) = (
        (arcsec / 3600.0).floor(),
        ((arcsec % 3600.0) / 60.0).floor(),
        arcsec % 60.0,
    );
    format!("{h:02}:{m:02}:{s:05.2} {sign}{d:02}:{am:02}:{asec:04.1}")
}

fn found<'a>(resolution: &Resolution<'a>) -> Option<&'a Object> {
    match resolution {
        Resolution::Found { object, .. } => Some(object),
        Resolution::NotFound { .. } => None,
    }
}

/// Sesame's plain-text answer.
pub fn plain(query: &str, resolution: &Resolution<'_>) -> String {
    let query = query.replace(['\n', '\r'], " ");
    let mut out = format!("# {query}\n");
    match found(resolution) {
        Some(object) => {
            out.push_str(&format!(
                "#=A=voarchive ({}):    1\n",
                object.origin.label()
            ));
            if let Some((code, _)) = &object.kind {
                out.push_str(&format!("%C.0 {code}\n"));
            }
            out.push_str(&format!(
                "%J {:.6} {:+.6} = {}\n",
                object.ra,
                object.dec,
                sexagesimal(object.ra, object.dec)
            ));
            out.push_str(&format!("%I.0 {}\n", object.name));
            for alias in &object.aliases {
                out.push_str(&format!("%I {alias}\n"));
            }
        }
        None => {
            out.push_str("#! *** Nothing found *** \n");
            if let Resolution::NotFound { suggestions } = resolution {
                for s in suggestions {
                    out.push_str(&format!("#? {s}\n"));
                }
            }
        }
    }
    out.push_str("#====Done====\n");
    out
}

/// Sesame's XML answer (Sesame 4).
pub fn xml(query: &str, resolution: &Resolution<'_>) -> String {
    use quick_xml::escape::escape;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Sesame xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"http://vizier.u-strasbg.fr/xml/sesame_4x.xsd\">\n",
    );
    out.push_str(&format!(
        "<Target option=\"A\">\n  <name>{}</name>\n",
        escape(query)
    ));
    match found(resolution) {
        Some(object) => {
            out.push_str(&format!(
                "  <Resolver name=\"A=voarchive ({})\">\n",
                object.origin.label()
            ));
            if let Some((code, _)) = &object.kind {
                out.push_str(&format!("    <otype>{}</otype>\n", escape(code.as_str())));
            }
            out.push_str(&format!(
                "    <jpos>{}</jpos>\n    <jradeg>{:.6}</jradeg>\n    <jdedeg>{:+.6}</jdedeg>\n    <oname>{}</oname>\n",
                sexagesimal(object.ra, object.dec),
                object.ra,
                object.dec,
                escape(object.name.as_str())
            ));
            for alias in &object.aliases {
                out.push_str(&format!("    <alias>{}</alias>\n", escape(alias.as_str())));
            }
            out.push_str("  </Resolver>\n");
        }
        None => out.push_str("  <INFO>*** Nothing found ***</INFO>\n"),
    }
    out.push_str("</Target>\n</Sesame>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sexagesimal_positions() {
        assert_eq!(sexagesimal(204.25383, -29.86576), "13:37:00.92 -29:51:56.7");
        assert_eq!(sexagesimal(0.0, 0.0), "00:00:00.00 +00:00:00.0");
        assert_eq!(sexagesimal(359.999999, 89.99999), "00:00:00.00 +90:00:00.0");
    }
}
