//! The spectral reference data over HTTP: the line list (`/reference/lines`, from the PyPI
//! packages deploy/spectra.py reads) holds the lines ALMA observers use and every line the
//! demo plants; the atmosphere (`/reference/atmosphere`) is the ALMA site's, wetter as the
//! PWV rises; execution blocks carry the PWV they were observed in (`alma.execution_block`).

use crate::common;

use common::DemoServer;

#[test]
fn lines_and_atmosphere_are_served_with_their_sources() {
    std::env::var("VO_REFERENCE_DIR").expect(
        "VO_REFERENCE_DIR names the spectral reference directory (deploy/test writes it with deploy/spectra.py)",
    );
    let server = DemoServer::start(1500, 0, "");
    let (status, body) = server.get("/reference/lines");
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let lines = answer["lines"].as_array().unwrap();
    assert!(lines.len() >= 150, "{} lines", lines.len());
    for category in [
        "CO and isotopologues",
        "dense gas",
        "shock tracers",
        "complex organics",
        "deuterated",
        "atomic fine structure",
        "recombination lines",
    ] {
        assert!(
            lines.iter().filter(|l| l["category"] == category).count() >= 3,
            "{category}"
        );
    }
    assert!(lines
        .iter()
        .all(|l| !l["source"].as_str().unwrap().is_empty()
            && l["rest_ghz"].as_f64().unwrap() > 0.0
            && l["upper_energy_k"].as_f64().is_some()));
    let find = |species: &str, transition: &str| {
        lines
            .iter()
            .find(|l| l["species"] == species && l["transition"] == transition)
            .unwrap_or_else(|| panic!("{species} {transition}"))
    };
    let co = find("CO", "2-1");
    assert!((co["rest_ghz"].as_f64().unwrap() - 230.538).abs() < 1e-6);
    assert!(co["rank"].as_u64().unwrap() <= 3);
    assert!((find("[CII]", "2P3/2-2P1/2")["rest_ghz"].as_f64().unwrap() - 1900.5369).abs() < 1e-3);
    // hydrogen's 30α from the Rydberg formula, as measured (231.900928 GHz)
    assert!((find("H", "30alpha")["rest_ghz"].as_f64().unwrap() - 231.900928).abs() < 1e-4);
    // every line the demo plants is in the list, at its rest frequency (within 0.5 MHz)
    for (name, ghz) in vo_demo::LINES {
        assert!(
            lines
                .iter()
                .any(|l| (l["rest_ghz"].as_f64().unwrap() - ghz).abs() < 5e-4),
            "the demo's {name} at {ghz} GHz is not in the line list"
        );
    }

    // the atmosphere: the 183 GHz water line, a dry window at 230 GHz, wetter with PWV
    let curve = |query: &str| -> (Vec<f64>, Vec<f64>) {
        let (status, body) = server.get(&format!("/reference/atmosphere?{query}"));
        assert_eq!(status, 200, "{body}");
        let a: serde_json::Value = serde_json::from_str(&body).unwrap();
        let values = |k: &str| {
            a[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        (values("frequency_ghz"), values("transmission"))
    };
    let (f, t) = curve("pwv=1&from=175&to=195&points=201");
    assert_eq!((f.len(), t.len()), (201, 201));
    let deepest = (0..t.len()).min_by(|a, b| t[*a].total_cmp(&t[*b])).unwrap();
    assert!(
        t[deepest] < 0.15 && (f[deepest] - 183.31).abs() < 0.3,
        "the water line at 183.31 GHz: {} at {}",
        t[deepest],
        f[deepest]
    );
    let at =
        |f: &[f64], t: &[f64], ghz: f64| t[f.iter().position(|x| (x - ghz).abs() < 0.06).unwrap()];
    let (f1, dry) = curve("pwv=0.5&from=220&to=240&points=21");
    let (_, wet) = curve("pwv=4&from=220&to=240&points=21");
    let window = at(&f1, &dry, 230.0);
    assert!(window > 0.9 && window < 1.0, "{window}");
    assert!(
        dry.iter().zip(&wet).all(|(d, w)| w < d),
        "more water, less transmission"
    );
    for bad in ["pwv=-1", "from=300&to=200", "points=1", "pwv=wet"] {
        let (status, body) = server.get(&format!("/reference/atmosphere?{bad}"));
        assert_eq!(status, 400, "{bad}: {body}");
    }

    // the weather of the observations, through TAP: drier for the higher bands
    let median = |band: &str| -> f64 {
        let (status, body) = server.post(
            "/tap/sync",
            &[
                ("LANG", "ADQL"),
                ("FORMAT", "csv"),
                (
                    "QUERY",
                    &format!(
                        "SELECT e.eb_pwv FROM alma.execution_block e WHERE e.eb_mous_uid IN \
                         (SELECT member_ous_uid FROM ivoa.obscore WHERE band_list = '{band}')"
                    ),
                ),
            ],
        );
        assert_eq!(status, 200, "{body}");
        let mut v: Vec<f64> = body
            .lines()
            .skip(1)
            .map(|l| l.trim().parse().unwrap())
            .collect();
        assert!(!v.is_empty(), "band {band}");
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (band3, band7) = (median("3"), median("7"));
    assert!(band3 > band7 && band7 > 0.0, "{band3} {band7}");
}
