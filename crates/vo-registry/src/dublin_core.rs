//! A record in simple Dublin Core, OAI-PMH's required `oai_dc` format.

use crate::record::{datestamp, Curation};
use crate::xml::element;
use chrono::{DateTime, Utc};

const NAMESPACES: &str = "xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"";

/// The Dublin Core elements of a record, but its identifier and date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    title: String,
    creator: String,
    subjects: Vec<String>,
    description: String,
    publisher: String,
    /// The resource's kind (Service, Organisation, …).
    kind: String,
    /// Where people read more.
    reference_url: String,
}

impl Summary {
    pub(crate) fn of(
        curation: &Curation,
        title: &str,
        description: &str,
        reference_url: &str,
        kind: &str,
    ) -> Summary {
        Summary {
            title: title.to_string(),
            creator: curation.publisher.clone(),
            subjects: curation.subjects.clone(),
            description: description.to_string(),
            publisher: curation.publisher.clone(),
            kind: kind.to_string(),
            reference_url: reference_url.to_string(),
        }
    }

    /// What the summary says, for the record's change detection.
    pub(crate) fn fingerprint(&self) -> String {
        self.xml("", DateTime::<Utc>::UNIX_EPOCH)
    }

    pub(crate) fn xml(&self, ivoid: &str, updated: DateTime<Utc>) -> String {
        let mut out = format!(
            "<oai_dc:dc {NAMESPACES} xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">"
        );
        element(&mut out, "dc:title", &self.title);
        element(&mut out, "dc:creator", &self.creator);
        for subject in &self.subjects {
            element(&mut out, "dc:subject", subject);
        }
        element(&mut out, "dc:description", &self.description);
        element(&mut out, "dc:publisher", &self.publisher);
        element(&mut out, "dc:date", &datestamp(updated));
        element(&mut out, "dc:type", &self.kind);
        if !ivoid.is_empty() {
            element(&mut out, "dc:identifier", ivoid);
        }
        element(&mut out, "dc:identifier", &self.reference_url);
        out.push_str("</oai_dc:dc>");
        out
    }
}
