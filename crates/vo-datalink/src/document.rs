//! The links table as a VOTable: ALMA's columns and order, then `readable`.

use vo_archive::{Link, Listing};
use vo_results::{writer_for, Cell, Datatype, Ending, Field, Format, ResultMeta};

fn field(
    name: &str,
    datatype: Datatype,
    arraysize: Option<&str>,
    ucd: &str,
    description: &str,
) -> Field {
    Field {
        ucd: Some(ucd.to_string()).filter(|u| !u.is_empty()),
        description: Some(description.to_string()),
        ..Field::new(name, datatype, arraysize)
    }
}

fn fields() -> Vec<Field> {
    use Datatype::{Boolean, Char, Long};
    vec![
        field(
            "ID",
            Char,
            Some("*"),
            "meta.id;meta.main",
            "The identifier the links are for",
        ),
        field(
            "access_url",
            Char,
            Some("*"),
            "meta.ref.url",
            "Where to get the linked resource",
        ),
        field(
            "service_def",
            Char,
            Some("*"),
            "meta.ref",
            "The service descriptor (RESOURCE ID) to call instead",
        ),
        field(
            "error_message",
            Char,
            Some("*"),
            "meta.code.error",
            "Why there is no link for the identifier",
        ),
        // bounded so that astropy reads a fixed-width string column (numpy string
        // functions refuse object columns)
        field(
            "semantics",
            Char,
            Some("64*"),
            "meta.code",
            "What the linked resource is for the identifier (IVOA DataLink vocabulary)",
        ),
        field(
            "description",
            Char,
            Some("*"),
            "meta.note",
            "What the linked resource is",
        ),
        field(
            "content_type",
            Char,
            Some("*"),
            "meta.code.mime",
            "The linked resource's MIME type",
        ),
        Field {
            unit: Some("byte".into()),
            ..field(
                "content_length",
                Long,
                None,
                "phys.size;meta.file",
                "The linked resource's size",
            )
        },
        field(
            "readable",
            Boolean,
            None,
            "",
            "the caller is allowed to use this link with the current authenticated identity",
        ),
    ]
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(s.into())
}

fn cells(link: &Link) -> [Cell<'_>; 9] {
    [
        text(&link.id),
        text(&link.access_url),
        text(&link.service_def),
        text(&link.error_message),
        text(&link.semantics),
        text(&link.description),
        text(&link.content_type),
        link.content_length.map_or(Cell::Null, Cell::Int),
        link.readable.map_or(Cell::Null, Cell::Bool),
    ]
}

/// The whole document.
pub fn links_document(listing: &Listing) -> Vec<u8> {
    let meta = ResultMeta {
        fields: fields(),
        infos: Vec::new(),
        trailing_resources: listing.services.iter().map(|s| s.to_xml()).collect(),
    };
    let mut writer = writer_for(Format::VotableTabledata, meta);
    let mut out = Vec::new();
    writer.begin(&mut out);
    for link in &listing.links {
        writer.row(&mut out, &cells(link));
    }
    writer.end(&mut out, &Ending::Complete);
    out
}
