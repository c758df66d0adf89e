//! The result formats, by the names and MIME types clients send in RESPONSEFORMAT.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    VotableTabledata,
    VotableBinary,
    VotableBinary2,
    Csv,
    Tsv,
    Fits,
    Parquet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

/// Every format with the names it answers to; the first name is the short one, the second
/// the MIME type written into capabilities.
const NAMES: &[(Format, &[&str])] = &[
    (
        Format::VotableTabledata,
        &[
            "votable",
            "application/x-votable+xml",
            "votable/td",
            "votabletd",
            "tabledata",
            "application/x-votable+xml;serialization=tabledata",
            "text/xml",
            "application/xml",
            "votable/tabledata",
        ],
    ),
    (
        Format::VotableBinary2,
        &[
            "votable/b2",
            "application/x-votable+xml;serialization=binary2",
            "votableb2",
            "binary2",
            "votable/binary2",
        ],
    ),
    (
        Format::VotableBinary,
        &[
            "votable/b",
            "application/x-votable+xml;serialization=binary",
            "votableb",
            "binary",
            "votable/binary",
        ],
    ),
    (Format::Csv, &["csv", "text/csv", "text/csv;header=present"]),
    (
        Format::Tsv,
        &["tsv", "text/tab-separated-values", "text/tsv"],
    ),
    (
        Format::Fits,
        &[
            "fits",
            "application/fits",
            "application/x-fits-table",
            "image/fits",
            "fits/binary",
        ],
    ),
    (
        Format::Parquet,
        &[
            "parquet",
            "application/vnd.apache.parquet",
            "application/x-parquet",
        ],
    ),
];

impl Format {
    /// Reads a RESPONSEFORMAT (or FORMAT) value: short names and MIME types, case-insensitive,
    /// spaces and quotes around MIME parameters ignored.
    pub fn parse(value: &str) -> Result<Format, FormatError> {
        let normal: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some((format, _)) = NAMES
            .iter()
            .find(|(_, names)| names.contains(&normal.as_str()))
        {
            return Ok(*format);
        }
        Err(FormatError(format!(
            "unknown RESPONSEFORMAT '{value}'; this service writes: {}",
            Format::all()
                .iter()
                .map(|f| f.short_name())
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    pub fn all() -> [Format; 7] {
        [
            Format::VotableTabledata,
            Format::VotableBinary2,
            Format::VotableBinary,
            Format::Csv,
            Format::Tsv,
            Format::Fits,
            Format::Parquet,
        ]
    }

    fn names(self) -> &'static [&'static str] {
        NAMES
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .expect("every format has names")
    }

    pub fn short_name(self) -> &'static str {
        self.names()[0]
    }

    /// The MIME type as advertised in capabilities (with the VOTable serialization).
    pub fn mime_type(self) -> &'static str {
        self.names()[1]
    }

    /// Every name this format answers to (for capabilities' aliases).
    pub fn aliases(self) -> &'static [&'static str] {
        self.names()
    }

    /// The Content-Type of a response.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::VotableTabledata | Format::VotableBinary | Format::VotableBinary2 => {
                "application/x-votable+xml"
            }
            Format::Csv => "text/csv;charset=utf-8;header=present",
            Format::Tsv => "text/tab-separated-values;charset=utf-8",
            Format::Fits => "application/fits",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }

    pub fn is_votable(self) -> bool {
        matches!(
            self,
            Format::VotableTabledata | Format::VotableBinary | Format::VotableBinary2
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_mime_types_clients_send() {
        assert_eq!(Format::parse("votable").unwrap(), Format::VotableTabledata);
        assert_eq!(
            Format::parse("application/x-votable+xml").unwrap(),
            Format::VotableTabledata
        );
        assert_eq!(
            Format::parse("application/x-votable+xml; serialization=\"BINARY2\"").unwrap(),
            Format::VotableBinary2
        );
        assert_eq!(Format::parse("votable/b2").unwrap(), Format::VotableBinary2);
        assert_eq!(Format::parse("CSV").unwrap(), Format::Csv);
        assert_eq!(
            Format::parse("text/tab-separated-values").unwrap(),
            Format::Tsv
        );
        let e = Format::parse("json").unwrap_err();
        assert!(e.0.contains("unknown RESPONSEFORMAT 'json'") && e.0.contains("votable/b2"));
    }
}
