//! Deriving ObsCore rows from FITS products laid out as ALMA delivers them:
//! `<project>/science_goal.uid___…/group.uid___…/member.uid___…/product/<file>.fits`.

use crate::error::{IngestError, Location};
use crate::load::FileRecord;
use crate::policy::{alma_band, release_date_for};
use crate::row::RawRow;
use chrono::{DateTime, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use vo_archive::ProductName;
use vo_catalogue::Table;
use vo_fits::{read_hdus, ImageWcs};
use vo_region::{angular_distance_deg, format_stcs, Region, Shape};

use vo_fits::SPEED_OF_LIGHT;
const MJD_UNIX_EPOCH: f64 = 40_587.0;

/// Where a product sits in the ALMA hierarchy, read from its path.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductPath {
    pub project_code: String,
    pub science_goal_uid: Option<String>,
    pub group_ous_uid: Option<String>,
    pub member_ous_uid: String,
}

/// `uid___A001_X12a3_Xe9` → `uid://A001/X12a3/Xe9`.
fn uid_from_dir(s: &str) -> Option<String> {
    let rest = s.strip_prefix("uid___")?;
    let parts: Vec<&str> = rest.split('_').collect();
    (parts.len() == 3 && parts.iter().all(|p| !p.is_empty()))
        .then(|| format!("uid://{}", parts.join("/")))
}

pub fn parse_product_path(relative: &Path) -> Option<ProductPath> {
    let mut project_code = None;
    let (mut sg, mut group, mut member) = (None, None, None);
    for component in relative.components() {
        let c = component.as_os_str().to_string_lossy();
        if let Some(rest) = c.strip_prefix("science_goal.") {
            sg = uid_from_dir(rest);
        } else if let Some(rest) = c.strip_prefix("group.") {
            group = uid_from_dir(rest);
        } else if let Some(rest) = c.strip_prefix("member.") {
            if member.is_none() {
                member = uid_from_dir(rest);
            }
        } else if c.split('.').count() == 4 && c.chars().take(4).all(|ch| ch.is_ascii_digit()) {
            project_code = Some(c.to_string());
        }
    }
    Some(ProductPath {
        project_code: project_code?,
        science_goal_uid: sg,
        group_ous_uid: group,
        member_ous_uid: member?,
    })
}

fn mjd_from_iso(text: &str) -> Option<f64> {
    let t =
        NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f").ok()?;
    Some(t.and_utc().timestamp_millis() as f64 / 86_400_000.0 + MJD_UNIX_EPOCH)
}

fn datetime_from_mjd(mjd: f64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(((mjd - MJD_UNIX_EPOCH) * 86_400_000.0).round() as i64)
        .unwrap_or_default()
}

/// ALMA's timestamp form: ISO, milliseconds, no zone letter.
pub(crate) fn alma_timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

fn sha256_of(path: &Path) -> std::io::Result<(i64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0i64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as i64;
        hasher.update(&buffer[..n]);
    }
    Ok((size, format!("{:x}", hasher.finalize())))
}

/// Reads a product's primary header and derives its ObsCore row and file record.
/// `data_root` is the directory paths are stored relative to; `public_url` prefixes access URLs.
pub fn derive_from_fits(
    table: &Table,
    path: &Path,
    data_root: &Path,
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<(RawRow, FileRecord), IngestError> {
    let relative = path.strip_prefix(data_root).unwrap_or(path);
    let file_label = relative.display().to_string();
    let at = |place: &str| Location {
        file: file_label.clone(),
        place: place.to_string(),
    };
    let fail = |place: &str, column: Option<&str>, reason: String| IngestError {
        location: at(place),
        column: column.map(str::to_string),
        reason,
    };
    let product = parse_product_path(relative).ok_or_else(|| {
        fail("", None, "cannot tell which project and member OUS it belongs to: expected <project code>/science_goal.uid___…/group.uid___…/member.uid___…/product/<file>.fits".into())
    })?;
    let hdus = read_hdus(path).map_err(|e| fail("HDU 0", None, e.to_string()))?;
    let hdu = &hdus[0];
    let header = &hdu.header;
    let wcs = ImageWcs::from_header(header).map_err(|e| fail("HDU 0", None, e))?;
    let (nx, ny) = (wcs.shape[0], wcs.shape[1]);
    let (ra, dec) = wcs
        .celestial
        .pixel_to_world((nx as f64 + 1.0) / 2.0, (ny as f64 + 1.0) / 2.0)
        .ok_or_else(|| {
            fail(
                "HDU 0",
                Some("s_ra"),
                "the image centre is outside the projection".into(),
            )
        })?;
    let corners = wcs.footprint().ok_or_else(|| {
        fail(
            "HDU 0",
            Some("s_region"),
            "an image corner is outside the projection".into(),
        )
    })?;
    let radius = corners
        .iter()
        .map(|&(a, d)| angular_distance_deg(ra, dec, a, d))
        .fold(0.0, f64::max);
    let region = format_stcs(&Region::single(Shape::Polygon(corners)));
    let target = header
        .str("OBJECT")
        .ok_or_else(|| {
            fail(
                "HDU 0",
                Some("target_name"),
                "OBJECT keyword missing".into(),
            )
        })?
        .to_string();

    let mut cells: Vec<Option<String>> = vec![None; table.columns.len()];
    let mut set = |name: &str, value: String| {
        let i = table
            .columns
            .iter()
            .position(|c| c.name == name)
            .expect("ALMA column");
        cells[i] = Some(value);
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named = ProductName::parse(&file_name);
    let obs_id = match &named {
        Some(ProductName {
            source,
            spw: Some(spw),
            ..
        }) => format!("{}.source.{source}.spw.{spw}", product.member_ous_uid),
        Some(ProductName { source, .. }) => {
            format!("{}.source.{source}.cont", product.member_ous_uid)
        }
        None => format!(
            "{}.{}",
            product.member_ous_uid,
            file_name.trim_end_matches(".fits")
        ),
    };
    set("obs_id", obs_id);
    set(
        "obs_publisher_did",
        format!("ADS/JAO.ALMA#{}", product.project_code),
    );
    set("proposal_id", product.project_code.clone());
    set("member_ous_uid", product.member_ous_uid.clone());
    set(
        "group_ous_uid",
        product.group_ous_uid.clone().unwrap_or_default(),
    );
    set("target_name", target);
    set("s_ra", format!("{ra}"));
    set("s_dec", format!("{dec}"));
    set("s_region", region);
    set("s_fov", format!("{}", 2.0 * radius));
    set("s_xel1", nx.to_string());
    set("s_xel2", ny.to_string());
    set("calib_level", "2".into());
    set(
        "access_url",
        vo_catalogue::routes::datalink_of(
            public_url.trim_end_matches('/'),
            &product.member_ous_uid,
        ),
    );
    set(
        "access_format",
        "application/x-votable+xml;content=datalink".into(),
    );
    set(
        "access_estsize",
        (hdu.data_offset + hdu.padded_data_len())
            .div_ceil(1024)
            .to_string(),
    );
    set("o_ucd", "phot.flux.density;phys.polarization".into());
    let calibrator = named.as_ref().is_some_and(|n| n.calibrator);
    set(
        "science_observation",
        if calibrator { "F" } else { "T" }.into(),
    );
    if let Some((bmaj, bmin)) = wcs.beam {
        let arcsec = (bmaj + bmin) / 2.0 * 3600.0;
        set("s_resolution", format!("{arcsec}"));
        set("spatial_resolution", format!("{arcsec}"));
    }
    let mut channels = 1;
    if let (Some((f_lo, f_hi)), Some(axis)) = (wcs.frequency_range(), wcs.spectral.as_ref()) {
        channels = wcs.shape[2];
        let centre = (f_lo + f_hi) / 2.0;
        let step = axis.cdelt.abs();
        set("em_min", format!("{}", SPEED_OF_LIGHT / f_hi));
        set("em_max", format!("{}", SPEED_OF_LIGHT / f_lo));
        set("em_xel", channels.to_string());
        set("frequency", format!("{}", centre / 1e9));
        set("bandwidth", format!("{}", f_hi - f_lo));
        set("spectral_resolution", format!("{step}"));
        set("em_res_power", format!("{}", centre / step));
        set(
            "em_resolution",
            format!("{}", SPEED_OF_LIGHT * step / (centre * centre)),
        );
        set(
            "velocity_resolution",
            format!("{}", SPEED_OF_LIGHT * step / centre),
        );
        if let Some(band) = alma_band(centre / 1e9) {
            set("band_list", band.to_string());
        }
    }
    set(
        "dataproduct_type",
        if channels > 1 {
            "cube".into()
        } else {
            "image".into()
        },
    );
    // ObsCore 1.1's optional columns the product gives
    set(
        "s_pixel_scale",
        format!("{}", wcs.celestial.pixel_scale_deg() * 3600.0),
    );
    if let Some(axis) = &wcs.spectral {
        if axis.ctype.starts_with("FREQ") {
            set("em_ucd", "em.freq".into());
        }
    }
    if let Some(named) = &named {
        set("dataproduct_subtype", named.subtype.clone());
    }
    set(
        "preview",
        vo_catalogue::routes::preview(
            public_url.trim_end_matches('/'),
            &file_name,
            if channels > 1 { "peak" } else { "continuum" },
        ),
    );
    if let Some(stokes) = &wcs.stokes {
        set("pol_states", stokes.pol_states());
        set("pol_xel", stokes.codes.len().to_string());
    }
    let t_min = header
        .float("MJD-BEG")
        .or_else(|| header.float("MJD-OBS"))
        .or_else(|| header.str("DATE-OBS").and_then(mjd_from_iso));
    let exposure = header.float("XPOSURE").or_else(|| header.float("EXPTIME"));
    let t_max = header
        .float("MJD-END")
        .or_else(|| header.str("DATE-END").and_then(mjd_from_iso))
        .or_else(|| Some(t_min? + exposure? / 86400.0));
    let Some(t_min) = t_min else {
        return Err(fail(
            "HDU 0",
            Some("t_min"),
            "no observation time: MJD-BEG, MJD-OBS or DATE-OBS is needed".into(),
        ));
    };
    let t_max = t_max.unwrap_or(t_min);
    set("t_min", format!("{t_min}"));
    set("t_max", format!("{t_max}"));
    set("t_xel", "1".into());
    if let Some(x) = exposure {
        set("t_exptime", format!("{x}"));
        set("t_resolution", format!("{x}"));
    }
    let release = release_date_for(&product.project_code, datetime_from_mjd(t_max), None);
    set("obs_release_date", alma_timestamp(release));
    set(
        "data_rights",
        if release <= now {
            "Public".into()
        } else {
            "Proprietary".into()
        },
    );
    set("lastModified", alma_timestamp(now));
    for (column, keyword) in [
        ("obs_title", "ALMA-TTL"),
        ("pi_name", "OBSERVER"),
        ("schedblock_name", "ALMA-SB"),
    ] {
        if let Some(v) = header.str(keyword) {
            set(column, v.to_string());
        }
    }
    let row = RawRow {
        location: at("HDU 0"),
        cells,
    };

    let (size, sha256) =
        sha256_of(path).map_err(|e| fail("", None, format!("cannot read: {e}")))?;
    let record = FileRecord {
        name: file_name,
        member_ous_uid: product.member_ous_uid,
        path: Some(relative.display().to_string()),
        package_name: None,
        kind: "product".into(),
        semantics: "#this".into(),
        content_type: "application/fits".into(),
        size_bytes: size,
        sha256: Some(sha256),
        description: if channels > 1 {
            "Spectral cube".into()
        } else {
            "Continuum image".into()
        },
    };
    Ok((row, record))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_hierarchy_from_the_path() {
        let p = Path::new("2017.1.00079.S/science_goal.uid___A001_X1295_X33/group.uid___A001_X1295_X34/member.uid___A001_X1295_X35/product/x.fits");
        let parsed = parse_product_path(p).unwrap();
        assert_eq!(parsed.project_code, "2017.1.00079.S");
        assert_eq!(parsed.member_ous_uid, "uid://A001/X1295/X35");
        assert_eq!(
            parsed.group_ous_uid.as_deref(),
            Some("uid://A001/X1295/X34")
        );
        assert!(parse_product_path(Path::new("somewhere/x.fits")).is_none());
    }

    #[test]
    fn time_conversions() {
        assert!((mjd_from_iso("2019-01-01T00:00:00.000").unwrap() - 58484.0).abs() < 1e-9);
        assert_eq!(
            alma_timestamp(datetime_from_mjd(58484.5)),
            "2019-01-01T12:00:00.000"
        );
    }
}
