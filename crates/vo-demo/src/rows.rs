//! The ObsCore rows of the demo archive, one per member OUS × source × spectral window (as
//! ALMA's `obs_id` `<mous>.source.<name>.spw.<n>` implies), plus a calibrator row for some
//! member OUSes, in ALMA's value formats (see the client-values notes in the README).

use crate::files::row_product;
use crate::model::{Archive, Delivery, MemberOus, Project, Source, Spw};
use chrono::{DateTime, Utc};
use vo_archive::ProductName;
use vo_catalogue::Table;
use vo_ingest::{Location, RawRow};
use vo_region::{format_stcs, unit_vector};

use vo_fits::SPEED_OF_LIGHT;

fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

/// ALMA's sensitivity form: one decimal, trailing `.0` dropped, uJy below 1 mJy.
fn sensitivity(mjy: f64) -> String {
    let (value, unit) = if mjy < 1.0 {
        (mjy * 1000.0, "uJy")
    } else {
        (mjy, "mJy")
    };
    let text = format!("{value:.1}");
    format!("{}{unit}/beam", text.strip_suffix(".0").unwrap_or(&text))
}

/// `[95.06..96.94GHz,1128.91kHz,769.7uJy/beam@10km/s,31.8uJy/beam@native, XX YY] U […]`
pub(crate) fn frequency_support(m: &MemberOus) -> String {
    let pol = polarisation(m).join(" ");
    m.spws
        .iter()
        .map(|w| {
            format!(
                "[{:.2}..{:.2}GHz,{:.2}kHz,{}@10km/s,{}@native, {pol}]",
                w.lo_ghz,
                w.hi_ghz,
                w.resolution_khz,
                sensitivity(w.sens_10kms),
                sensitivity(w.sens_native)
            )
        })
        .collect::<Vec<_>>()
        .join(" U ")
}

pub(crate) fn polarisation(m: &MemberOus) -> Vec<&'static str> {
    if m.full_pol {
        vec!["XX", "XY", "YX", "YY"]
    } else {
        vec!["XX", "YY"]
    }
}

/// ICRS → Galactic (l, b) in degrees.
fn galactic(ra: f64, dec: f64) -> (f64, f64) {
    const R: [[f64; 3]; 3] = [
        [-0.054_875_539_390, -0.873_437_104_725, -0.483_834_991_775],
        [0.494_109_453_633, -0.444_829_594_298, 0.746_982_248_696],
        [-0.867_666_135_681, -0.198_076_389_622, 0.455_983_794_523],
    ];
    let v = unit_vector(ra, dec);
    let g: Vec<f64> = R
        .iter()
        .map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
        .collect();
    (
        g[1].atan2(g[0]).to_degrees().rem_euclid(360.0),
        g[2].clamp(-1.0, 1.0).asin().to_degrees(),
    )
}

struct RowBuilder<'a> {
    table: &'a Table,
    cells: Vec<Option<String>>,
}

impl RowBuilder<'_> {
    fn set(&mut self, name: &str, value: impl ToString) {
        let i = self
            .table
            .columns
            .iter()
            .position(|c| c.name == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        self.cells[i] = Some(value.to_string());
    }
}

fn row(
    table: &Table,
    archive: &Archive,
    p: &Project,
    m: &MemberOus,
    source: &Source,
    w: &Spw,
    calibrator: bool,
) -> RawRow {
    let mut r = RowBuilder {
        table,
        cells: vec![None; table.columns.len()],
    };
    let centre_ghz = (w.lo_ghz + w.hi_ghz) / 2.0;
    let resolution_hz = w.resolution_khz * 1e3;
    let exposure: f64 = m
        .ebs
        .iter()
        .map(|e| (e.end_mjd - e.start_mjd) * 86400.0 * 0.55)
        .sum();
    r.set("obs_publisher_did", format!("ADS/JAO.ALMA#{}", p.code));
    r.set("obs_collection", "ALMA");
    r.set("facility_name", "JAO");
    r.set("instrument_name", "ALMA");
    r.set(
        "obs_id",
        format!("{}.source.{}.spw.{}", m.uid, source.name, w.id),
    );
    let tdm_only = m.spws.iter().all(|s| s.line.is_none());
    r.set("dataproduct_type", if tdm_only { "image" } else { "cube" });
    r.set("calib_level", 2);
    r.set("target_name", &source.name);
    r.set("s_ra", source.ra);
    r.set("s_dec", source.dec);
    r.set("s_fov", source.fov);
    r.set("s_region", format_stcs(&source.region));
    r.set("s_resolution", m.resolution_arcsec);
    r.set("spatial_resolution", m.resolution_arcsec);
    r.set("spatial_scale_max", m.mrs_arcsec);
    r.set("t_min", m.ebs.first().unwrap().start_mjd);
    r.set("t_max", m.ebs.last().unwrap().end_mjd);
    r.set("t_exptime", (exposure * 100.0).round() / 100.0);
    r.set("t_resolution", (exposure * 100.0).round() / 100.0);
    r.set("t_xel", 1);
    r.set("em_min", SPEED_OF_LIGHT / (w.hi_ghz * 1e9));
    r.set("em_max", SPEED_OF_LIGHT / (w.lo_ghz * 1e9));
    r.set("em_res_power", centre_ghz * 1e9 / resolution_hz);
    r.set(
        "em_resolution",
        SPEED_OF_LIGHT * resolution_hz / (centre_ghz * 1e9).powi(2),
    );
    r.set(
        "em_xel",
        ((w.hi_ghz - w.lo_ghz) * 1e6 / w.channel_khz).round() as i64,
    );
    let pol = polarisation(m);
    r.set("pol_states", format!("/{}/", pol.join("/")));
    r.set("pol_xel", pol.len());
    r.set("o_ucd", "phot.flux.density;phys.polarization");
    r.set(
        "access_url",
        vo_catalogue::routes::datalink_of(archive.config.public_url.trim_end_matches('/'), &m.uid),
    );
    r.set(
        "access_format",
        "application/x-votable+xml;content=datalink",
    );
    r.set("proposal_id", &p.code);
    // data not delivered yet (or withdrawn in QA3) are not public, and have no release date
    let delivered = m.delivery == Delivery::Delivered;
    r.set(
        "data_rights",
        if delivered && m.release <= archive.config.now {
            "Public"
        } else {
            "Proprietary"
        },
    );
    let (l, b) = galactic(source.ra, source.dec);
    r.set("gal_longitude", l);
    r.set("gal_latitude", b);
    r.set("band_list", m.band);
    r.set("bandwidth", ((w.hi_ghz - w.lo_ghz) * 1e9).round());
    r.set("antenna_arrays", &m.antennas);
    r.set("is_mosaic", if m.is_mosaic { "T" } else { "F" });
    if delivered {
        r.set("obs_release_date", timestamp(m.release));
    }
    r.set("frequency_support", frequency_support(m));
    r.set("frequency", centre_ghz);
    r.set(
        "velocity_resolution",
        SPEED_OF_LIGHT * resolution_hz / (centre_ghz * 1e9),
    );
    r.set("spectral_resolution", resolution_hz);
    r.set("obs_creator_name", &p.pi_name);
    r.set("pi_name", &p.pi_name);
    match p.publications.first() {
        Some(publication) => {
            r.set("pub_title", &publication.title);
            r.set("first_author", &publication.first_author);
            r.set("authors", &publication.authors);
            r.set("pub_abstract", &publication.abstract_text);
            r.set("publication_year", publication.year);
            r.set(
                "bib_reference",
                p.publications
                    .iter()
                    .map(|x| x.bibcode.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        None => {
            for empty in [
                "pub_title",
                "first_author",
                "authors",
                "pub_abstract",
                "bib_reference",
            ] {
                r.set(empty, "");
            }
        }
    }
    r.set("proposal_abstract", archive.abstract_of(p));
    r.set("schedblock_name", &m.schedblock_name);
    r.set("proposal_authors", &p.co_investigators);
    r.set("sensitivity_10kms", w.sens_10kms);
    r.set("cont_sensitivity_bandwidth", m.cont_sens);
    r.set("pwv", format!("{:.3}", m.pwv));
    r.set(
        "group_ous_uid",
        if p.is_cycle0() {
            ""
        } else {
            m.group_uid.as_str()
        },
    );
    r.set("member_ous_uid", &m.uid);
    r.set("asdm_uid", &m.ebs[0].uid);
    r.set("obs_title", &p.title);
    r.set("type", p.proposal_type);
    r.set(
        "scan_intent",
        if calibrator { "PHASE WVR" } else { "TARGET" },
    );
    r.set("science_observation", if calibrator { "F" } else { "T" });
    r.set("qa2_passed", if m.qa2_passed { "T" } else { "F" });
    r.set("science_keyword", &p.keywords);
    r.set("scientific_category", p.category);
    r.set("lastModified", timestamp(m.last_modified));
    let pixels =
        ((source.fov * 3600.0 / (m.resolution_arcsec / 5.0)).ceil() as i64).clamp(32, 4096);
    r.set("s_xel1", pixels);
    r.set("s_xel2", pixels);
    // ObsCore 1.1's optional columns
    r.set("s_pixel_scale", source.fov * 3600.0 / pixels as f64);
    r.set("target_class", source.class);
    r.set("em_ucd", "em.freq");
    let (product, preview_kind) = row_product(m, source, w, calibrator);
    if let Some(named) = ProductName::parse(&product) {
        r.set("dataproduct_subtype", named.subtype);
    }
    if m.has_files {
        r.set(
            "preview",
            vo_catalogue::routes::preview(
                archive.config.public_url.trim_end_matches('/'),
                &product,
                preview_kind,
            ),
        );
    }
    r.set(
        "access_estsize",
        pixels * pixels * ((w.hi_ghz - w.lo_ghz) * 1e6 / w.channel_khz).round() as i64 * 4 / 1024,
    );
    RawRow {
        location: Location {
            file: "demo".into(),
            place: format!("{} {}", m.uid, source.name),
        },
        cells: r.cells,
    }
}

/// Every ObsCore row of the archive, generated lazily in a fixed order.
pub fn obscore_rows<'a>(
    archive: &'a Archive,
    table: &'a Table,
) -> impl Iterator<Item = RawRow> + 'a {
    archive.projects.iter().flat_map(move |p| {
        p.members().flat_map(move |m| {
            let science = m.sources.iter().flat_map(move |s| {
                m.spws
                    .iter()
                    .map(move |w| row(table, archive, p, m, s, w, false))
            });
            let calibrator = m
                .calibrator_source()
                .map(|source| row(table, archive, p, m, &source, &m.spws[0], true));
            science.chain(calibrator)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitivity_formats_like_alma() {
        assert_eq!(sensitivity(0.7697), "769.7uJy/beam");
        assert_eq!(sensitivity(8.0), "8mJy/beam");
        assert_eq!(sensitivity(9.93), "9.9mJy/beam");
        assert_eq!(sensitivity(0.0318), "31.8uJy/beam");
    }

    #[test]
    fn galactic_centre() {
        let (l, b) = galactic(266.40499, -28.93617);
        assert!(
            (l.rem_euclid(360.0) - 0.0).abs() < 1e-3 || (l - 360.0).abs() < 1e-3,
            "{l}"
        );
        assert!(b.abs() < 1e-3, "{b}");
        // M83 as ALMA lists it: 314.576, 31.971
        let (l, b) = galactic(204.24712522989094, -29.868853678162907);
        assert!(
            (l - 314.57611565717997).abs() < 1e-4 && (b - 31.970814026685794).abs() < 1e-4,
            "{l} {b}"
        );
    }
}
