//! The resolver against a table of names as astronomers type them, over the OpenNGC
//! catalogue as `deploy/openngc.py` writes it (path in VO_NAMES_CATALOGUE; `deploy/test`
//! sets it) and the demo archive's kind of target names.

use vo_names::{read_catalogue, Object, Origin, Resolution, Resolver};

pub fn catalogue_text() -> String {
    let path = std::env::var("VO_NAMES_CATALOGUE").expect(
        "VO_NAMES_CATALOGUE names the OpenNGC catalogue file (deploy/test writes it with deploy/openngc.py)",
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn archive_target(name: &str, ra: f64, dec: f64) -> Object {
    Object {
        name: name.into(),
        ra,
        dec,
        kind: None,
        aliases: Vec::new(),
        redshift: None,
        origin: Origin::Archive,
    }
}

/// Target names as the demo archive (and ALMA's) writes them, at their fields' positions.
const ARCHIVE_TARGETS: &[(&str, f64, f64)] = &[
    ("Orion_KL", 83.80983, -5.37272),
    ("TW_Hya", 165.46627, -34.70473),
    ("HL_Tau", 67.91036, 18.23274),
    ("Arp220", 233.73843, 23.50318),
    ("NGC253", 11.88806, -25.28822),
    ("IRAS16293-2422", 248.09458, -24.47583),
    ("SPT0346-52", 56.69660, -52.07890),
    ("GOODS-S", 53.12270, -27.80570),
    ("Sgr_B2", 266.83542, -28.38528),
    ("M83", 204.25383, -29.86576),
];

fn resolver() -> Resolver {
    let mut r = Resolver::new();
    for object in read_catalogue(&catalogue_text(), Origin::OpenNgc).unwrap() {
        r.add(object);
    }
    for (name, ra, dec) in ARCHIVE_TARGETS {
        r.add(archive_target(name, *ra, *dec));
    }
    r
}

fn separation_arcmin(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (ra1, de1, ra2, de2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let c = de1.sin() * de2.sin() + de1.cos() * de2.cos() * (ra1 - ra2).cos();
    c.clamp(-1.0, 1.0).acos().to_degrees() * 60.0
}

/// Famous objects in the spellings people use, with positions from the literature (SIMBAD,
/// rounded), and how far off (arcmin) a catalogue centre may be for such an extended object.
const FAMOUS: &[(&str, f64, f64, f64)] = &[
    ("M83", 204.2538, -29.8658, 1.0),
    ("M 83", 204.2538, -29.8658, 1.0),
    ("Messier 83", 204.2538, -29.8658, 1.0),
    ("NGC 5236", 204.2538, -29.8658, 1.0),
    ("Southern Pinwheel", 204.2538, -29.8658, 1.0),
    ("Southern Pinwheel Galaxy", 204.2538, -29.8658, 1.0),
    ("NGC 253", 11.8880, -25.2882, 1.0),
    ("ngc0253", 11.8880, -25.2882, 1.0),
    ("Caldwell 65", 11.8880, -25.2882, 1.0),
    ("Cen A", 201.3651, -43.0191, 1.0),
    ("Centaurus A", 201.3651, -43.0191, 1.0),
    ("NGC5128", 201.3651, -43.0191, 1.0),
    ("Orion Nebula", 83.8221, -5.3911, 3.0),
    ("M42", 83.8221, -5.3911, 3.0),
    ("M31", 10.6847, 41.2687, 1.0),
    ("Andromeda Galaxy", 10.6847, 41.2687, 1.0),
    ("M51", 202.4696, 47.1952, 1.0),
    ("Whirlpool Galaxy", 202.4696, 47.1952, 1.0),
    ("M82", 148.9685, 69.6797, 1.0),
    ("M87", 187.7059, 12.3911, 1.0),
    ("M104", 189.9976, -11.6231, 1.0),
    ("Sombrero Galaxy", 189.9976, -11.6231, 1.0),
    ("NGC 1068", 40.6696, -0.0133, 1.0),
    ("M77", 40.6696, -0.0133, 1.0),
    ("M1", 83.6331, 22.0145, 2.0),
    ("Crab Nebula", 83.6331, 22.0145, 2.0),
    ("M33", 23.4621, 30.6599, 1.0),
    ("Triangulum Galaxy", 23.4621, 30.6599, 1.0),
    ("M81", 148.8882, 69.0653, 1.0),
    ("M101", 210.8023, 54.3490, 1.0),
    ("NGC 4038", 180.4709, -18.8675, 1.0),
    ("IC 342", 56.7021, 68.0961, 1.0),
    ("IC342", 56.7021, 68.0961, 1.0),
    ("NGC 1365", 53.4016, -36.1404, 1.0),
    ("NGC 4945", 196.3645, -49.4682, 1.0),
    ("M8", 270.9042, -24.3867, 10.0),
    ("Lagoon Nebula", 270.9042, -24.3867, 10.0),
    ("M17", 275.1960, -16.1710, 10.0),
    ("M57", 283.3962, 33.0291, 1.0),
    ("Ring Nebula", 283.3962, 33.0291, 1.0),
    ("M27", 299.9016, 22.7211, 1.0),
    ("Dumbbell Nebula", 299.9016, 22.7211, 1.0),
    ("NGC 7293", 337.4104, -20.8372, 1.0),
    ("Helix Nebula", 337.4104, -20.8372, 1.0),
    ("M64", 194.1821, 21.6827, 1.0),
    ("NGC 6240", 253.2454, 2.4009, 1.0),
    ("IC 4553", 233.7384, 23.5032, 1.0),
    ("M13", 250.4235, 36.4613, 1.0),
    ("NGC 104", 6.0236, -72.0813, 1.0),
    ("47 Tuc", 6.0236, -72.0813, 1.0),
    ("NGC 5139", 201.6968, -47.4795, 1.0),
    ("omega Centauri", 201.6968, -47.4795, 1.0),
    ("ω Cen", 201.6968, -47.4795, 1.0),
    ("M45", 56.75, 24.1167, 15.0),
    ("Pleiades", 56.75, 24.1167, 15.0),
    ("NGC 2070", 84.6765, -69.1008, 3.0),
    ("Tarantula Nebula", 84.6765, -69.1008, 3.0),
    ("NGC 891", 35.6392, 42.3491, 1.0),
    ("NGC 4631", 190.5330, 32.5415, 1.0),
    ("M94", 192.7211, 41.1203, 1.0),
];

/// Names that must not be found: unknown, or prefixes that name no catalogue here.
const NOT_FOUND: &[&str] = &[
    "Foo Bar",
    "NGC 99999",
    "IC 99999",
    "M 111",
    "M",
    "NGC",
    "N",
    "G 253",
    "X 83",
    "Q 5236",
    "NG 253",
    "ngc two hundred",
    "",
    "   ",
    "Vega Nebula",
];

/// Typos, each with the name it should suggest.
const TYPOS: &[(&str, &str)] = &[
    ("Sombero Galaxy", "Sombrero Galaxy"),
    ("Andromeda Galxy", "Andromeda Galaxy"),
    ("Whirpool Galaxy", "Whirlpool Galaxy"),
    ("Centarus A", "Centaurus A"),
    ("Orion Nebla", "Orion Nebula"),
    ("Southren Pinwheel", "Southern Pinwheel Galaxy"),
    ("Tarantla Nebula", "Tarantula Nebula"),
    ("Orion_LK", "Orion_KL"),
    ("TW Hyd", "TW_Hya"),
    ("Arp 22O", "Arp220"),
];

#[test]
fn at_least_99_percent_of_the_table_resolves_right() {
    let r = resolver();
    let catalogue = read_catalogue(&catalogue_text(), Origin::OpenNgc).unwrap();
    assert!(catalogue.len() > 13_000, "{} objects", catalogue.len());
    // each name, and where it must resolve (RA, Dec, tolerance in arcmin) or None: nowhere
    type Expected = Option<(f64, f64, f64)>;
    let mut cases: Vec<(String, Expected)> = Vec::new();
    for (name, ra, dec, tolerance) in FAMOUS {
        cases.push((name.to_string(), Some((*ra, *dec, *tolerance))));
    }
    // NGC, IC and Messier objects in every spelling, against the catalogue's own positions
    let at = |o: &Object| Some((o.ra, o.dec, 0.01));
    let mut spelled = 0;
    for (i, o) in catalogue.iter().enumerate() {
        let digits = |prefix: &str| {
            o.name
                .strip_prefix(prefix)
                .filter(|rest| rest.chars().all(|c| c.is_ascii_digit()))
                .map(|rest| rest.trim_start_matches('0').to_string())
        };
        if let Some(n) = digits("NGC").filter(|_| i % 97 == 0) {
            for name in [
                format!("NGC {n}"),
                format!("ngc{n}"),
                format!("NGC{:04}", n.parse::<u32>().unwrap()),
                format!("N{n}"),
                format!("NGC_{n}"),
            ] {
                cases.push((name, at(o)));
                spelled += 1;
            }
        }
        if let Some(n) = digits("IC").filter(|_| i % 41 == 0) {
            for name in [
                format!("IC {n}"),
                format!("ic{n}"),
                format!("IC{:04}", n.parse::<u32>().unwrap()),
            ] {
                cases.push((name, at(o)));
                spelled += 1;
            }
        }
        for alias in o
            .aliases
            .iter()
            .filter(|a| a.starts_with('M') && a[1..].chars().all(|c| c.is_ascii_digit()))
        {
            let n = &alias[1..];
            for name in [
                format!("M {n}"),
                format!("Messier {n}"),
                format!("m{n:0>3}"),
            ] {
                cases.push((name, at(o)));
                spelled += 1;
            }
        }
    }
    assert!(spelled > 300, "{spelled} spellings");
    // the archive's targets with spaces, underscores and case changed
    for (name, ra, dec) in ARCHIVE_TARGETS {
        for spelling in [
            name.replace('_', " "),
            name.to_lowercase(),
            name.to_uppercase(),
            name.replace('_', ""),
        ] {
            cases.push((spelling, Some((*ra, *dec, 1.0))));
        }
    }
    for name in NOT_FOUND {
        cases.push((name.to_string(), None));
    }
    let mut wrong = Vec::new();
    for (name, expected) in &cases {
        let answer = r.resolve(name);
        let ok = match (&answer, expected) {
            (Resolution::Found { object, .. }, Some((ra, dec, tolerance))) => {
                separation_arcmin((object.ra, object.dec), (*ra, *dec)) <= *tolerance
            }
            (Resolution::NotFound { .. }, None) => true,
            _ => false,
        };
        if !ok {
            wrong.push(format!("{name:?}: {answer:?}"));
        }
    }
    let right = cases.len() - wrong.len();
    println!("{right} of {} names resolve right", cases.len());
    assert!(cases.len() >= 300);
    assert!(
        right as f64 >= 0.99 * cases.len() as f64,
        "{} wrong of {}:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_archive_names_its_own_targets_and_the_catalogue_gives_positions() {
    let r = resolver();
    match r.resolve("ngc 253") {
        Resolution::Found {
            object,
            archive_target,
        } => {
            assert_eq!(object.name, "NGC0253");
            assert_eq!(object.origin, Origin::OpenNgc);
            assert_eq!(object.kind.as_ref().unwrap().0, "G");
            assert_eq!(archive_target.unwrap().name, "NGC253");
        }
        other => panic!("{other:?}"),
    }
    // a constellation's genitive is its abbreviation: TW Hydrae is TW Hya
    for name in ["TW Hya", "TW Hydrae", "tw hydra"] {
        match r.resolve(name) {
            Resolution::Found { object, .. } => assert_eq!(object.name, "TW_Hya", "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    match r.resolve("TW Hya") {
        Resolution::Found { object, .. } => {
            assert_eq!(object.name, "TW_Hya");
            assert_eq!(object.origin, Origin::Archive);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn typos_get_the_right_suggestion() {
    let r = resolver();
    for (typo, wanted) in TYPOS {
        match r.resolve(typo) {
            Resolution::NotFound { suggestions } => assert!(
                suggestions.contains(wanted),
                "{typo}: {suggestions:?} lacks {wanted}"
            ),
            found => panic!("{typo} resolved: {found:?}"),
        }
    }
}

#[test]
fn sesame_answers_astropy_reads() {
    let r = resolver();
    let text = vo_names::sesame_plain("M83", &r.resolve("M83"));
    // astropy's pattern: %J\s*([0-9\.]+)\s*([\+\-\.0-9]+)
    let line = text.lines().find(|l| l.starts_with("%J ")).unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    let (ra, dec): (f64, f64) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    assert!(
        separation_arcmin((ra, dec), (204.2538, -29.8658)) < 1.0,
        "{text}"
    );
    let missing = vo_names::sesame_plain("Foo Bar", &r.resolve("Foo Bar"));
    assert!(!missing.contains("%J"), "{missing}");
    assert!(missing.contains("Nothing found"), "{missing}");
    let xml = vo_names::sesame_xml("M83 & <x>", &r.resolve("M83"));
    assert!(xml.contains("<jradeg>204.25"), "{xml}");
    assert!(xml.contains("<name>M83 &amp; &lt;x&gt;</name>"), "{xml}");
}
