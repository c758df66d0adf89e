//! The DataLink links of an identifier, along ALMA's hierarchy.
//!
//! A member OUS (or a group OUS, science goal or project: their member OUSes in turn) lists
//! what ALMA delivers at the top level: the README (`#documentation`), the product package
//! (`#this`) and auxiliary package (`#auxiliary`) — each twice, as the tar and as a nested
//! DataLink descriptor listing its files — and one raw-data tar per execution block
//! (`#progenitor`). A package lists its files; a FITS product also has a SODA cutout
//! descriptor (`#cutout`) and quick-look images (`#preview`). A single file lists itself.
//! An identifier that names nothing gives an error row, not a failed document.

use crate::holdings::{
    contents_of, deliveries_of, delivery_states, find_file, members_under, ArchivedFile,
};
use crate::{DataDir, HoldingsError, Identifier, Reader};
use std::path::Path;
use vo_catalogue::routes;
use vo_cutout::Cube;
use vo_results::{xml_id, InputParam, ServiceDescriptor};

/// One row of a DataLink links table. Absent strings are empty, not null.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    pub id: String,
    pub access_url: String,
    pub service_def: String,
    pub error_message: String,
    pub semantics: String,
    pub description: String,
    pub content_type: String,
    pub content_length: Option<i64>,
    /// Whether the caller may use the link (the data are released, or the caller is
    /// their PI, a delegee or staff); `None` for descriptor rows.
    pub readable: Option<bool>,
}

/// The links of one or more identifiers and the service descriptors they refer to.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub links: Vec<Link>,
    pub services: Vec<ServiceDescriptor>,
}

impl Listing {
    fn add_service(&mut self, service: ServiceDescriptor) {
        if !self.services.iter().any(|s| s.id == service.id) {
            self.services.push(service);
        }
    }

    fn error(&mut self, id: &str, message: String) {
        self.links.push(Link {
            id: id.to_string(),
            error_message: message,
            semantics: "#this".into(),
            ..Link::default()
        });
    }
}

/// The quick-look images of a product: (name in the URL, what it shows). A cube has all
/// three, a single-channel image only its continuum.
pub const PREVIEW_KINDS: &[(&str, &str)] = &[
    ("peak", "peak-flux image (moment 8)"),
    ("continuum", "continuum image"),
    ("spectrum", "spectrum through the brightest pixel"),
];

pub const DATALINK_STANDARD: &str = "ivo://ivoa.net/std/DataLink#links-1.0";
pub const SODA_SYNC_STANDARD: &str = "ivo://ivoa.net/std/SODA#sync-1.0";

/// Where links point (relative to the service's base URL), and who they are for.
struct Urls<'a> {
    base: &'a str,
    reader: &'a Reader,
}

impl Urls<'_> {
    /// Whether the caller may use a file's link now.
    fn readable(&self, file: &ArchivedFile) -> Option<bool> {
        Some(self.reader.may_read(file))
    }

    fn download(&self, name: &str) -> String {
        routes::download(self.base, name)
    }
    fn datalink(&self, id: &str) -> String {
        routes::datalink_of(self.base, id)
    }
    fn preview(&self, name: &str, kind: &str) -> String {
        routes::preview(self.base, name, kind)
    }
    fn soda(&self) -> String {
        routes::soda_sync(self.base)
    }
}

fn is_package(file: &ArchivedFile) -> bool {
    file.kind.ends_with("-package")
}

fn is_fits_product(file: &ArchivedFile) -> bool {
    file.kind == "product" && file.content_type == "application/fits" && file.path.is_some()
}

fn file_link(id: &str, file: &ArchivedFile, semantics: &str, urls: &Urls) -> Link {
    Link {
        id: id.to_string(),
        access_url: urls.download(&file.name),
        semantics: semantics.to_string(),
        description: file.description.clone(),
        content_type: file.content_type.clone(),
        content_length: Some(file.size_bytes),
        readable: urls.readable(file),
        ..Link::default()
    }
}

/// The package's tar and the nested DataLink descriptor listing its files.
fn package_links(id: &str, package: &ArchivedFile, urls: &Urls, out: &mut Listing) {
    out.links
        .push(file_link(id, package, &package.semantics, urls));
    if package.kind == "raw-package" {
        return;
    }
    let service_id = xml_id(&format!("DataLink.{}", package.name));
    out.links.push(Link {
        id: id.to_string(),
        service_def: service_id.clone(),
        semantics: package.semantics.clone(),
        description: format!("The files in {}", package.name),
        content_type: "application/x-votable+xml;content=datalink".into(),
        ..Link::default()
    });
    out.add_service(ServiceDescriptor {
        id: service_id,
        standard_id: DATALINK_STANDARD.into(),
        access_url: urls.datalink(&package.name),
        description: Some(format!("DataLink listing of {}", package.name)),
        input_params: Vec::new(),
    });
}

fn interval_param(name: &str, unit: &str, ucd: &str, range: Option<(f64, f64)>) -> InputParam {
    InputParam {
        name: name.into(),
        datatype: "double",
        arraysize: Some("2".into()),
        unit: Some(unit.into()),
        ucd: Some(ucd.into()),
        xtype: Some("interval".into()),
        min: range.map(|r| format!("{:?}", r.0)),
        max: range.map(|r| format!("{:?}", r.1)),
        ..InputParam::default()
    }
}

/// The SODA descriptor of a FITS product, its inputs carrying the dataset's real ranges;
/// `None` when the image's corners lie outside its projection.
fn soda_descriptor(file: &ArchivedFile, cube: &Cube, urls: &Urls) -> Option<ServiceDescriptor> {
    let footprint = cube.wcs().footprint()?;
    let corners: Vec<(f64, f64, f64)> = footprint.iter().map(|&(a, d)| (a, d, 0.0)).collect();
    let (ra, dec, r) = vo_region::bounding_circle(&corners)?;
    let polygon: Vec<String> = footprint
        .iter()
        .flat_map(|&(a, d)| [format!("{a:.7}"), format!("{d:.7}")])
        .collect();
    Some(ServiceDescriptor {
        id: xml_id(&format!("SODA.{}", file.name)),
        standard_id: SODA_SYNC_STANDARD.into(),
        access_url: urls.soda(),
        description: Some(format!("Cutouts of {}", file.name)),
        input_params: vec![
            InputParam {
                name: "ID".into(),
                datatype: "char",
                arraysize: Some("*".into()),
                ucd: Some("meta.id;meta.dataset".into()),
                value: file.name.clone(),
                ..InputParam::default()
            },
            InputParam {
                name: "CIRCLE".into(),
                datatype: "double",
                arraysize: Some("3".into()),
                unit: Some("deg".into()),
                ucd: Some("phys.angArea;obs".into()),
                xtype: Some("circle".into()),
                description: Some("A cone to cut out: ra dec radius (ICRS)".into()),
                max: Some(format!("{ra:.7} {dec:.7} {r:.7}")),
                ..InputParam::default()
            },
            InputParam {
                name: "POLYGON".into(),
                datatype: "double",
                arraysize: Some("*".into()),
                unit: Some("deg".into()),
                ucd: Some("obs.field".into()),
                xtype: Some("polygon".into()),
                description: Some("A polygon to cut out: ra1 dec1 ra2 dec2 ... (ICRS)".into()),
                max: Some(polygon.join(" ")),
                ..InputParam::default()
            },
            InputParam {
                name: "POS".into(),
                datatype: "char",
                arraysize: Some("*".into()),
                ucd: Some("obs.field".into()),
                description: Some(
                    "CIRCLE ra dec radius, RANGE ra1 ra2 dec1 dec2 or POLYGON ra1 dec1 ...".into(),
                ),
                ..InputParam::default()
            },
            InputParam {
                description: Some("Vacuum wavelengths to keep: lo hi, metres".into()),
                ..interval_param("BAND", "m", "em.wl;stat.interval", cube.wavelength_range())
            },
            InputParam {
                description: Some("Times to keep: start end, MJD".into()),
                ..interval_param("TIME", "d", "time.interval;obs.exposure", cube.time_range())
            },
            InputParam {
                name: "POL".into(),
                datatype: "char",
                arraysize: Some("*".into()),
                ucd: Some("meta.code;phys.polarization".into()),
                description: Some("Polarization states to keep".into()),
                options: cube.states().unwrap_or_default(),
                ..InputParam::default()
            },
        ],
    })
}

/// A FITS product's own row, its cutout descriptor and its previews.
fn product_links(
    id: &str,
    file: &ArchivedFile,
    semantics: &str,
    data_dir: &Path,
    urls: &Urls,
    out: &mut Listing,
) {
    out.links.push(file_link(id, file, semantics, urls));
    let Some(path) = &file.path else { return };
    let described = Cube::open(&data_dir.join(path))
        .map_err(|e| e.to_string())
        .and_then(|cube| {
            soda_descriptor(file, &cube, urls)
                .map(|soda| (soda, cube.axes().get(2).copied().unwrap_or(1)))
                .ok_or_else(|| "the image's corners lie outside its projection".to_string())
        });
    let (soda, channels) = match described {
        Ok(found) => found,
        Err(problem) => {
            // the file is listed, but its cutouts and previews cannot be offered
            report_unreadable_header(&file.name, &problem, out, id);
            return;
        }
    };
    out.links.push(Link {
        id: id.to_string(),
        service_def: soda.id.clone(),
        semantics: "#cutout".into(),
        description: format!("SODA cutout of {}", file.name),
        content_type: "application/fits".into(),
        readable: urls.readable(file),
        ..Link::default()
    });
    out.add_service(soda);
    for (kind, what) in PREVIEW_KINDS {
        if channels <= 1 && *kind != "continuum" {
            continue;
        }
        out.links.push(Link {
            id: id.to_string(),
            access_url: urls.preview(&file.name, kind),
            semantics: "#preview".into(),
            description: format!("Preview: {what} of {}", file.name),
            content_type: "image/png".into(),
            readable: urls.readable(file),
            ..Link::default()
        });
    }
}

/// A product whose header cannot be read keeps its download row; the problem is reported in
/// an error row so the rest of the listing stands.
fn report_unreadable_header(name: &str, problem: &str, out: &mut Listing, id: &str) {
    out.error(
        id,
        format!("Error: no cutouts or previews of {name}: its header cannot be read ({problem})"),
    );
}

/// Appends the links of one identifier, as `reader` may use them. `base` is the service's
/// URL as the client reaches it; `data_dir` holds the files (`archive.file.path` is
/// relative to it).
pub async fn links_for(
    client: &tokio_postgres::Client,
    data_dir: &DataDir,
    base: &str,
    reader: &Reader,
    id: &str,
    out: &mut Listing,
) -> Result<(), HoldingsError> {
    let urls = Urls { base, reader };
    match Identifier::parse(id) {
        Err(e) => out.error(id, format!("UsageFault: {e}")),
        Ok(Identifier::Uid(key)) | Ok(Identifier::Project(key)) => {
            let members = members_under(client, &key).await?;
            if members.is_empty() {
                out.error(
                    id,
                    format!("NotFoundFault: no member OUS, group OUS, science goal or project is called {key}"),
                );
                return Ok(());
            }
            let before = out.links.len();
            for member in &members {
                for file in deliveries_of(client, member).await? {
                    if is_package(&file) {
                        package_links(id, &file, &urls, out);
                    } else {
                        out.links.push(file_link(id, &file, &file.semantics, &urls));
                    }
                }
            }
            if out.links.len() == before {
                let states = delivery_states(client, &members).await?;
                out.error(id, no_files(&key, &states));
            }
        }
        Ok(Identifier::FileName(name)) => {
            let Some(file) = find_file(client, &name).await? else {
                out.error(
                    id,
                    format!("NotFoundFault: no package or file is called {name}"),
                );
                return Ok(());
            };
            // the products' headers are read below: files made on first access are made now
            let file = match data_dir.ensure_made(client, &file.member_ous_uid).await? {
                true => find_file(client, &name).await?.unwrap_or(file),
                false => file,
            };
            let contents = if is_package(&file) {
                contents_of(client, &file.name).await?
            } else {
                Vec::new()
            };
            if contents.is_empty() {
                if is_fits_product(&file) {
                    product_links(id, &file, "#this", data_dir, &urls, out);
                } else {
                    out.links.push(file_link(id, &file, "#this", &urls));
                }
            }
            for inner in &contents {
                if is_fits_product(inner) {
                    product_links(id, inner, &inner.semantics, data_dir, &urls, out);
                } else {
                    out.links
                        .push(file_link(id, inner, &inner.semantics, &urls));
                }
            }
        }
    }
    Ok(())
}

/// Why an identifier lists no files, in plain words: its data are not delivered yet, or
/// withdrawn while a problem is resolved, or kept as metadata only.
fn no_files(key: &str, states: &[String]) -> String {
    match states {
        [only] if only == "In progress" => format!(
            "NotFoundFault: no files yet for {key}: its data are in progress — observed in part, or being reduced and quality-assessed — and are listed here once delivered"
        ),
        [only] if only == "In QA3" => format!(
            "NotFoundFault: no files for {key} for now: its data are in QA3 — a problem found after delivery is being resolved — and come back once it is"
        ),
        _ => format!(
            "NotFoundFault: {key} is in the archive, but none of its data files are: only its metadata can be queried"
        ),
    }
}

#[cfg(test)]
mod no_files_tests {
    use super::no_files;

    #[test]
    fn the_reason_is_said_plainly() {
        let one = |s: &str| no_files("uid://A001/X1/X2", &[s.to_string()]);
        assert!(
            one("In progress").contains("no files yet")
                && one("In progress").contains("in progress")
        );
        assert!(one("In QA3").contains("in QA3"));
        assert!(one("Delivered").contains("only its metadata"));
        let mixed = no_files("2019.1.00001.S", &["In QA3".into(), "In progress".into()]);
        assert!(mixed.contains("only its metadata"));
    }
}
