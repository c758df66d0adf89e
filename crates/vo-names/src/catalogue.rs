//! The shipped catalogue's file: one object a line, tab-separated — main name, type code,
//! type in words, RA and Dec (ICRS, degrees), aliases separated by `|`; lines starting with
//! `#` are comments. `deploy/openngc.py` writes it from the OpenNGC database in the PyPI
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
        if fields.len() != 6 {
            return Err(fail(&format!("{} fields, not 6", fields.len())));
        }
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
        let error = read_catalogue("NGC1\tG\tGalaxy\t400\t0\t\n", Origin::OpenNgc).unwrap_err();
        assert!(error.starts_with("line 1: RA is not a number"), "{error}");
        assert!(read_catalogue("NGC1\tG\n", Origin::OpenNgc).is_err());
    }
}
