//! The records: what each of the archive's resources says about itself, as `ri:Resource`.

use crate::dublin_core;
use crate::xml::{element, escape};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use vo_catalogue::routes;

/// The namespaces a record's elements and `xsi:type`s use, declared on its root; the
/// capability elements the protocols write use the same prefixes. VOResource's elements are
/// in no namespace: `xmlns=""` keeps them so inside a document with a default namespace
/// (OAI-PMH's).
pub const NAMESPACES: &str =
    "xmlns=\"\" xmlns:ri=\"http://www.ivoa.net/xml/RegistryInterface/v1.0\" \
xmlns:vr=\"http://www.ivoa.net/xml/VOResource/v1.0\" \
xmlns:vs=\"http://www.ivoa.net/xml/VODataService/v1.1\" \
xmlns:tr=\"http://www.ivoa.net/xml/TAPRegExt/v1.0\" \
xmlns:sia=\"http://www.ivoa.net/xml/SIA/v1.1\" \
xmlns:vg=\"http://www.ivoa.net/xml/VORegistry/v1.0\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

/// How the archive names and describes itself to the IVOA Registry, and how its records are
/// published (the server's `[registry]` section).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The naming authority, `ivo://…`, every identifier is under (claim one of your own
    /// before registering with the IVOA's registries).
    pub authority: String,
    /// The archive's name, which its services' titles begin with.
    pub title: String,
    /// A short name, at most 16 characters with the service's (e.g. "ALMA TAP").
    pub short_name: String,
    /// The organisation that runs the archive.
    pub publisher: String,
    pub contact_name: String,
    pub contact_email: String,
    /// A paragraph on what the archive holds.
    pub description: String,
    /// Subjects, as Unified Astronomy Thesaurus concepts.
    pub subjects: Vec<String>,
    /// The most records one OAI-PMH answer holds; longer lists go on with resumption tokens.
    pub page_size: usize,
    /// How often the records are made again from the configuration and the holdings (their
    /// coverage), seconds; a record whose content changed is dated then.
    pub refresh_seconds: u64,
    /// The depth of the sky coverage (MOC) in the TAP and SIA records: 8 is cells of 14′.
    pub moc_depth: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            authority: "ivo://alma-archive.example".into(),
            title: "ALMA Science Archive".into(),
            short_name: "ALMA".into(),
            publisher: "ALMA Science Archive operators".into(),
            contact_name: "Archive help desk".into(),
            contact_email: "archive-help@alma-archive.example".into(),
            description: "Observations of the Atacama Large Millimeter/submillimeter Array: calibrated images and spectral cubes of every ALMA band, with their projects, science goals and observing units, public after their proprietary period.".into(),
            subjects: vec![
                "millimeter-astronomy".into(),
                "submillimeter-astronomy".into(),
                "interferometry".into(),
            ],
            page_size: 100,
            refresh_seconds: 3600,
            moc_depth: 8,
        }
    }
}

/// Who publishes the records: the settings, and the service's public URL that every access
/// URL starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct Curation {
    pub settings: Settings,
    pub public_url: String,
}

impl Curation {
    pub fn new(settings: &Settings, public_url: &str) -> Curation {
        Curation {
            settings: Settings {
                authority: settings.authority.trim_end_matches('/').to_string(),
                ..settings.clone()
            },
            public_url: public_url.trim_end_matches('/').to_string(),
        }
    }
}

impl Curation {
    /// The publishing registry's own record.
    pub fn registry_ivoid(&self) -> String {
        format!("{}/registry", self.authority)
    }

    /// The publishing registry's name (its record's title, OAI-PMH's repositoryName).
    pub fn registry_title(&self) -> String {
        format!("{} publishing registry", self.title)
    }

    /// The OAI-PMH base URL.
    pub fn oai_url(&self) -> String {
        format!("{}{}", self.public_url, routes::OAI)
    }

    /// The most records one OAI-PMH answer holds (at least one).
    pub fn records_per_page(&self) -> usize {
        self.page_size.max(1)
    }
}

impl std::ops::Deref for Curation {
    type Target = Settings;
    fn deref(&self) -> &Settings {
        &self.settings
    }
}

/// What the holdings cover, computed from the data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holdings {
    /// The sky the footprints cover, as an ASCII MOC.
    pub moc: Option<String>,
    /// The spectral range, as photon energies (J), lower first (VODataService 1.2).
    pub spectral_joules: Option<(f64, f64)>,
    /// The time range, MJD.
    pub temporal_mjd: Option<(f64, f64)>,
}

/// What the protocols say of themselves: each one's `capability` elements (the same its
/// VOSI capabilities document serves) and TAP's tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceDocuments {
    pub tap_capabilities: String,
    /// VODataService `schema` elements: the tables TAP serves, from the catalogue that fills
    /// TAP_SCHEMA.
    pub tap_schemas: String,
    pub sia2_capabilities: String,
    pub datalink_capabilities: String,
    pub soda_capabilities: String,
}

/// A record before it is dated: its identifier, `xsi:type` and content.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub ivoid: String,
    pub xsi_type: &'static str,
    pub title: String,
    /// The elements inside `ri:Resource`.
    content: String,
    dublin_core: dublin_core::Summary,
}

/// `xs:dateTime` in UTC to the second, as OAI-PMH's datestamps are written.
pub fn datestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Draft {
    /// A digest of everything the record says but its dates: a record has changed when this
    /// has.
    pub fn fingerprint(&self) -> String {
        let mut digest = Sha256::new();
        digest.update(self.xsi_type.as_bytes());
        digest.update([0]);
        digest.update(self.content.as_bytes());
        digest.update([0]);
        digest.update(self.dublin_core.fingerprint().as_bytes());
        digest
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The record as `ri:Resource`, dated.
    pub fn resource_xml(&self, created: DateTime<Utc>, updated: DateTime<Utc>) -> String {
        format!(
            "<ri:Resource {NAMESPACES} xsi:type=\"{}\" created=\"{}\" updated=\"{}\" status=\"active\">{}</ri:Resource>",
            self.xsi_type,
            datestamp(created),
            datestamp(updated),
            self.content
        )
    }

    /// The record in Dublin Core (`oai_dc:dc`).
    pub fn dublin_core_xml(&self, updated: DateTime<Utc>) -> String {
        self.dublin_core.xml(&self.ivoid, updated)
    }
}

/// Builds one record's content in VOResource's order.
struct Writer<'a> {
    curation: &'a Curation,
    out: String,
}

impl<'a> Writer<'a> {
    fn new(curation: &'a Curation, title: &str, short: &str, ivoid: &str) -> Writer<'a> {
        let mut out = String::new();
        element(&mut out, "title", title);
        let short = format!("{} {short}", curation.short_name);
        element(&mut out, "shortName", short_name(short.trim()));
        element(&mut out, "identifier", ivoid);
        out.push_str(&format!(
            "<curation><publisher ivo-id=\"{}\">{}</publisher><contact>",
            escape(&organisation_id(curation)),
            escape(&curation.publisher)
        ));
        element(&mut out, "name", &curation.contact_name);
        element(&mut out, "email", &curation.contact_email);
        out.push_str("</contact></curation>");
        Writer { curation, out }
    }

    fn content(&mut self, description: &str, reference_url: &str, types: &[&str]) {
        self.out.push_str("<content>");
        for subject in &self.curation.subjects {
            element(&mut self.out, "subject", subject);
        }
        element(&mut self.out, "description", description);
        element(&mut self.out, "referenceURL", reference_url);
        for kind in types {
            element(&mut self.out, "type", kind);
        }
        element(&mut self.out, "contentLevel", "Research");
        self.out.push_str("</content>");
    }

    fn raw(&mut self, xml: &str) {
        self.out.push_str(xml);
    }
}

/// At most 16 characters, VOResource's limit.
fn short_name(name: &str) -> &str {
    match name.char_indices().nth(16) {
        Some((end, _)) => name[..end].trim_end(),
        None => name,
    }
}

fn organisation_id(curation: &Curation) -> String {
    format!("{}/org", curation.authority)
}

fn service_id(curation: &Curation, name: &str) -> String {
    format!("{}/{name}", curation.authority)
}

const RIGHTS: &str = "<rights>Public data may be used freely, with acknowledgement of the archive and the project; proprietary data (normally for 12 months after their delivery) are for the project's PI and delegees until their release date.</rights>";

/// VODataService's coverage of the holdings: the MOC, the time and spectral ranges, where the
/// current MOC is served, the band.
fn coverage(holdings: &Holdings, public_url: &str) -> String {
    let mut out = String::from("<coverage>");
    if let Some(moc) = &holdings.moc {
        element(&mut out, "spatial", moc);
    }
    if let Some((start, end)) = holdings.temporal_mjd {
        element(&mut out, "temporal", &format!("{start} {end}"));
    }
    if let Some((low, high)) = holdings.spectral_joules {
        element(&mut out, "spectral", &format!("{low:e} {high:e}"));
    }
    out.push_str(&format!(
        "<footprint ivo-id=\"ivo://ivoa.net/std/moc\">{}</footprint>",
        escape(&format!("{public_url}{}/holdings?format=fits", routes::MOC))
    ));
    element(&mut out, "waveband", "Millimeter");
    out.push_str("</coverage>");
    out
}

/// Every record the archive publishes, undated.
pub fn records(
    curation: &Curation,
    documents: &ServiceDocuments,
    holdings: &Holdings,
) -> Vec<Draft> {
    let base = curation.public_url.trim_end_matches('/');
    let organisation = organisation_id(curation);
    let coverage = coverage(holdings, base);
    let mut drafts = Vec::new();
    let mut add = |ivoid: String, xsi_type, title: String, writer: Writer, summary| {
        drafts.push(Draft {
            ivoid,
            xsi_type,
            title,
            content: writer.out,
            dublin_core: summary,
        })
    };

    // the naming authority
    let title = format!("{} naming authority", curation.title);
    let mut w = Writer::new(curation, &title, "", &curation.authority);
    let description = format!(
        "The authority under which {} names its resources ({}/…).",
        curation.title, curation.authority
    );
    w.content(&description, base, &["Other"]);
    w.raw(&format!(
        "<managingOrg ivo-id=\"{}\">{}</managingOrg>",
        escape(&organisation),
        escape(&curation.publisher)
    ));
    let summary = dublin_core::Summary::of(curation, &title, &description, base, "Authority");
    add(
        curation.authority.clone(),
        "vg:Authority",
        title,
        w,
        summary,
    );

    // the organisation
    let title = curation.publisher.clone();
    let mut w = Writer::new(curation, &title, "", &organisation);
    let description = format!("The organisation that runs {}.", curation.title);
    w.content(&description, base, &["Other"]);
    element(&mut w.out, "facility", "ALMA");
    let summary = dublin_core::Summary::of(curation, &title, &description, base, "Organisation");
    add(organisation.clone(), "vr:Organisation", title, w, summary);

    // the publishing registry
    let ivoid = curation.registry_ivoid();
    let title = curation.registry_title();
    let oai = curation.oai_url();
    let mut w = Writer::new(curation, &title, "registry", &ivoid);
    let description = format!(
        "The OAI-PMH publishing registry of {}: the records of its services, its naming authority and its organisation, for the IVOA's searchable registries to harvest.",
        curation.title
    );
    w.content(&description, &oai, &["Registry"]);
    w.raw(&format!(
        "<capability xsi:type=\"vg:Harvest\" standardID=\"ivo://ivoa.net/std/Registry\"><interface xsi:type=\"vg:OAIHTTP\" role=\"std\" version=\"1.0\"><accessURL use=\"base\">{}</accessURL></interface><maxRecords>{}</maxRecords></capability>",
        escape(&oai),
        curation.records_per_page()
    ));
    w.raw("<full>false</full>");
    element(
        &mut w.out,
        "managedAuthority",
        curation
            .authority
            .strip_prefix("ivo://")
            .unwrap_or(&curation.authority),
    );
    let summary = dublin_core::Summary::of(curation, &title, &description, &oai, "Service");
    add(ivoid, "vg:Registry", title, w, summary);

    // TAP, with its tables and the holdings' coverage
    let ivoid = service_id(curation, "tap");
    let title = format!("{} TAP service", curation.title);
    let mut w = Writer::new(curation, &title, "TAP", &ivoid);
    let description = format!(
        "{} Queried in ADQL 2.1 over TAP 1.1 (synchronous and asynchronous, with uploads): ivoa.obscore, ALMA's observations in ObsCore 1.1 as ALMA serves them, and ALMA's own tables.",
        curation.description
    );
    let reference = format!("{base}{}", routes::TAP);
    w.content(&description, &reference, &["Archive", "Catalog"]);
    w.raw(RIGHTS);
    w.raw(&documents.tap_capabilities);
    element(&mut w.out, "facility", "ALMA");
    w.raw(&coverage);
    w.raw("<tableset>");
    w.raw(&documents.tap_schemas);
    w.raw("</tableset>");
    let summary = dublin_core::Summary::of(curation, &title, &description, &reference, "Service");
    add(ivoid, "vs:CatalogService", title, w, summary);

    // SIA 2.0, over the same holdings
    let ivoid = service_id(curation, "sia2");
    let title = format!("{} images and cubes (SIA 2.0)", curation.title);
    let mut w = Writer::new(curation, &title, "SIA", &ivoid);
    let description = format!(
        "{} Images and spectral cubes found by position, band, time, polarisation and more with the Simple Image Access protocol 2.0.",
        curation.description
    );
    let reference = format!("{base}{}", routes::SIA2);
    w.content(&description, &reference, &["Archive"]);
    w.raw(RIGHTS);
    w.raw(&documents.sia2_capabilities);
    element(&mut w.out, "facility", "ALMA");
    w.raw(&coverage);
    let summary = dublin_core::Summary::of(curation, &title, &description, &reference, "Service");
    add(ivoid, "vs:CatalogService", title, w, summary);

    // DataLink and SODA
    for (name, short, title, description, capabilities) in [
        (
            "datalink",
            "DataLink",
            format!("{} DataLink", curation.title),
            format!("The files, previews, cutouts and related data of each observation of {} (its ivoa.obscore access_url), along ALMA's hierarchy of projects, science goals, groups and member OUSes.", curation.title),
            &documents.datalink_capabilities,
        ),
        (
            "soda",
            "SODA",
            format!("{} cutouts (SODA)", curation.title),
            format!("Cutouts of the images and cubes of {} by position, band, polarisation and channel, synchronous and asynchronous.", curation.title),
            &documents.soda_capabilities,
        ),
    ] {
        let ivoid = service_id(curation, name);
        let reference = format!("{base}/{name}");
        let mut w = Writer::new(curation, &title, short, &ivoid);
        w.content(&description, &reference, &["Archive"]);
        w.raw(RIGHTS);
        w.raw(capabilities);
        let summary =
            dublin_core::Summary::of(curation, &title, &description, &reference, "Service");
        add(ivoid, "vr:Service", title, w, summary);
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curation() -> Curation {
        let settings = Settings {
            authority: "ivo://archive.example/".into(),
            title: "Test Archive".into(),
            short_name: "TA".into(),
            publisher: "Observatory & Co".into(),
            description: "Observations.".into(),
            ..Settings::default()
        };
        Curation::new(&settings, "https://archive.example/vo/")
    }

    #[test]
    fn every_record_is_under_the_authority_and_its_urls_under_the_public_url() {
        let drafts = records(
            &curation(),
            &ServiceDocuments::default(),
            &Holdings::default(),
        );
        let ids: Vec<_> = drafts.iter().map(|d| d.ivoid.as_str()).collect();
        assert_eq!(
            ids,
            [
                "ivo://archive.example",
                "ivo://archive.example/org",
                "ivo://archive.example/registry",
                "ivo://archive.example/tap",
                "ivo://archive.example/sia2",
                "ivo://archive.example/datalink",
                "ivo://archive.example/soda"
            ]
        );
        let registry = drafts[2].resource_xml(Utc::now(), Utc::now());
        assert!(
            registry.contains("<accessURL use=\"base\">https://archive.example/vo/oai</accessURL>"),
            "{registry}"
        );
        assert!(registry.contains("<managedAuthority>archive.example</managedAuthority>"));
        // text is escaped
        assert!(drafts[1]
            .resource_xml(Utc::now(), Utc::now())
            .contains("Observatory &amp; Co"));
    }

    #[test]
    fn a_record_changes_when_its_content_does_and_not_with_its_dates() {
        let holdings = Holdings {
            moc: Some("6/1 2".into()),
            spectral_joules: Some((5.5e-23, 6.3e-22)),
            temporal_mjd: Some((56000.0, 61000.0)),
        };
        let first = records(&curation(), &ServiceDocuments::default(), &holdings);
        let again = records(&curation(), &ServiceDocuments::default(), &holdings);
        assert_eq!(first[3].fingerprint(), again[3].fingerprint());
        let wider = Holdings {
            temporal_mjd: Some((56000.0, 61001.0)),
            ..holdings.clone()
        };
        let changed = records(&curation(), &ServiceDocuments::default(), &wider);
        assert_ne!(
            first[3].fingerprint(),
            changed[3].fingerprint(),
            "TAP's coverage changed"
        );
        assert_eq!(
            first[0].fingerprint(),
            changed[0].fingerprint(),
            "the authority did not"
        );
        let tap = first[3].resource_xml(Utc::now(), Utc::now());
        assert!(tap.contains("<temporal>56000 61000</temporal>"), "{tap}");
        assert!(
            tap.contains("<spectral>5.5e-23 6.3e-22</spectral>"),
            "{tap}"
        );
    }
}
