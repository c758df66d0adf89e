//! SODA 1.0 parameters (§3): ID, the spatial filters CIRCLE, POLYGON and POS, BAND, TIME and
//! POL, read into one cutout request per combination. Names are case-insensitive (DALI).
//! Repeated ID, spatial, BAND and TIME values multiply the cutouts; repeated POL values
//! together select the states one cutout keeps.

use vo_cutout::CutoutRequest;
use vo_endpoint::dali_values::{interval, pol_state};
use vo_endpoint::Params;
use vo_region::dali::{circle_value, polygon_value, pos};
use vo_region::Shape;

/// The cutouts one request asks for: (dataset ID, constraints), in request order.
#[derive(Debug, Clone, PartialEq)]
pub struct SodaRequest {
    pub cutouts: Vec<(String, CutoutRequest)>,
}

fn values<'a>(params: &'a Params, name: &'a str) -> Vec<&'a str> {
    params.all(name).filter(|v| !v.trim().is_empty()).collect()
}

/// Reads the request; errors are SODA `UsageError` messages naming the parameter.
pub fn read(params: &Params, max_cutouts: usize) -> Result<SodaRequest, String> {
    let ids = values(params, "ID");
    if ids.is_empty() {
        return Err("ID is required: the file name of a FITS product, as DataLink's #cutout descriptor gives it".into());
    }
    let mut spatials = Vec::new();
    for v in values(params, "CIRCLE") {
        spatials.push(circle_value("CIRCLE", v).map_err(|e| e.0)?);
    }
    for v in values(params, "POLYGON") {
        spatials.push(polygon_value("POLYGON", v).map_err(|e| e.0)?);
    }
    for v in values(params, "POS") {
        spatials.push(pos("POS", v).map_err(|e| e.0)?);
    }
    let bands = values(params, "BAND")
        .into_iter()
        .map(|v| interval("BAND", v).map_err(|e| e.0))
        .collect::<Result<Vec<_>, _>>()?;
    let times = values(params, "TIME")
        .into_iter()
        .map(|v| interval("TIME", v).map_err(|e| e.0))
        .collect::<Result<Vec<_>, _>>()?;
    let mut pol = Vec::new();
    for v in values(params, "POL") {
        let state = pol_state("POL", v).map_err(|e| e.0)?;
        if !pol.contains(&state) {
            pol.push(state);
        }
    }
    let spatials: Vec<Option<Shape>> = if spatials.is_empty() {
        vec![None]
    } else {
        spatials.into_iter().map(Some).collect()
    };
    let bands: Vec<Option<(f64, f64)>> = if bands.is_empty() {
        vec![None]
    } else {
        bands.into_iter().map(Some).collect()
    };
    let times: Vec<Option<(f64, f64)>> = if times.is_empty() {
        vec![None]
    } else {
        times.into_iter().map(Some).collect()
    };
    let count = [ids.len(), spatials.len(), bands.len(), times.len()]
        .into_iter()
        .fold(1usize, usize::saturating_mul);
    if count > max_cutouts {
        return Err(format!(
            "the request asks for {count} cutouts (IDs × spatial × BAND × TIME values); at most {max_cutouts} are made at once, split the request"
        ));
    }
    let mut cutouts = Vec::with_capacity(count);
    for id in &ids {
        for s in &spatials {
            for b in &bands {
                for t in &times {
                    cutouts.push((
                        id.trim().to_string(),
                        CutoutRequest {
                            spatial: s.clone(),
                            band: *b,
                            time: *t,
                            pol: pol.clone(),
                        },
                    ));
                }
            }
        }
    }
    Ok(SodaRequest { cutouts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_pairs(pairs: &[(&str, &str)]) -> Result<SodaRequest, String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        read(&Params::from_pairs(pairs), 100)
    }

    #[test]
    fn combinations_multiply_and_pol_values_combine() {
        let r = read_pairs(&[
            ("id", "a.fits"),
            ("CIRCLE", "10 20 0.1"),
            ("POS", "RANGE 9 11 19 21"),
            ("BAND", "0.001 0.0012"),
            ("POL", "XX"),
            ("pol", "yy"),
        ])
        .unwrap();
        assert_eq!(r.cutouts.len(), 2);
        assert_eq!(
            r.cutouts[0].1.spatial,
            Some(Shape::Circle {
                ra: 10.0,
                dec: 20.0,
                radius: 0.1
            })
        );
        assert_eq!(
            r.cutouts[1].1.spatial,
            Some(Shape::Range {
                ra: (9.0, 11.0),
                dec: (19.0, 21.0),
            })
        );
        assert_eq!(r.cutouts[1].1.band, Some((0.001, 0.0012)));
        assert_eq!(r.cutouts[0].1.pol, vec!["XX".to_string(), "YY".to_string()]);
        let whole = read_pairs(&[("ID", "a.fits"), ("ID", "b.fits")]).unwrap();
        assert_eq!(whole.cutouts.len(), 2);
        assert_eq!(whole.cutouts[1].1, CutoutRequest::default());
    }

    #[test]
    fn errors_name_the_parameter() {
        assert!(read_pairs(&[]).unwrap_err().contains("ID is required"));
        assert!(read_pairs(&[("ID", "a"), ("CIRCLE", "1 2")])
            .unwrap_err()
            .contains("CIRCLE='1 2'"));
        assert!(read_pairs(&[("ID", "a"), ("BAND", "2 1")])
            .unwrap_err()
            .contains("lower end is above"));
        assert!(read_pairs(&[("ID", "a"), ("POL", "Z")])
            .unwrap_err()
            .contains("POL='Z'"));
        let many: Vec<(&str, &str)> = std::iter::repeat(("ID", "a")).take(101).collect();
        assert!(read_pairs(&many).unwrap_err().contains("at most 100"));
    }
}
