//! The shipped catalogue's file: one object a line, tab-separated — main name, type code,
//! type in words, RA and Dec (ICRS, degrees), aliases separated by `|`, and the redshift
//! (empty when unknown; files written before it have six fields); lines starting with `#` are
//! comments. `deploy/openngc.py` writes it from the OpenNGC database in the PyPI
//! package `pyongc` when the service is installed.

use crate::resolver::{Object, Origin};

/// The objects of a catalogue file, or the first line that cannot be read.
pub fn read_catalogue(text: &str, origin: Origin) -> Result<Vec<Object>, String> {
    let mut objects = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let fail = |why: &str| format!("line {}: {why}: {line:?}", i + 1);
        if !(6..=7).contains(&fields.len()) {
            return Err(fail(&format!("{} fields, not 7", fields.len())));
        }
        let redshift = match fields.get(6).map(|z| z.trim()).filter(|z| !z.is_empty()) {
            None => None,
            Some(z) => Some(
                z.parse::<f64>()
                    .ok()
                    .filter(|z| z.is_finite() && *z > -1.0)
                    .ok_or_else(|| fail("the redshift is not a number above -1"))?,
            ),
        };
        let angle = |text: &str, what: &str, range: std::ops::RangeInclusive<f64>| {
            text.parse::<f64>()
                .ok()
                .filter(|v| range.contains(v))
                .ok_or_else(|| fail(&format!("{what} is not a number in {range:?}")))
        };
        let kind = (!fields[1].is_empty()).then(|| (fields[1].to_string(), fields[2].to_string()));
        objects.push(Object {
            name: fields[0].to_string(),
            kind,
            ra: angle(fields[3], "RA", 0.0..=360.0)?,
            dec: angle(fields[4], "Dec", -90.0..=90.0)?,
            aliases: fields[5]
                .split('|')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            redshift,
            origin,
        });
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_objects_and_refuses_bad_lines() {
        let text =
            "# comment\nNGC5236\tG\tGalaxy\t204.25383\t-29.86576\tM83|Southern Pinwheel Galaxy\n";
        let objects = read_catalogue(text, Origin::OpenNgc).unwrap();
        assert_eq!(objects.len(), 1);
        assert_eq!(objects[0].aliases, ["M83", "Southern Pinwheel Galaxy"]);
        assert_eq!(objects[0].kind, Some(("G".into(), "Galaxy".into())));
        assert_eq!(objects[0].redshift, None, "six fields: no redshift");
        let with_z = read_catalogue(
            "NGC253\tG\tGalaxy\t11.888\t-25.288\t\t0.000864\n",
            Origin::OpenNgc,
        )
        .unwrap();
        assert_eq!(with_z[0].redshift, Some(0.000864));
        let unknown = read_catalogue("NGC1\tG\tGalaxy\t1\t0\t\t\n", Origin::OpenNgc).unwrap();
        assert_eq!(unknown[0].redshift, None);
        let error = read_catalogue("NGC1\tG\tGalaxy\t1\t0\t\tfar\n", Origin::OpenNgc).unwrap_err();
        assert!(error.contains("redshift"), "{error}");
        let error = read_catalogue("NGC1\tG\tGalaxy\t400\t0\t\n", Origin::OpenNgc).unwrap_err();
        assert!(error.starts_with("line 1: RA is not a number"), "{error}");
        assert!(read_catalogue("NGC1\tG\n", Origin::OpenNgc).is_err());
    }
}
