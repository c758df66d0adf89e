//! What went wrong, and where.

use std::fmt;

/// Where a row came from: a file and a line, a VOTable row, or a FITS HDU.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub file: String,
    /// e.g. "line 12", "row 3", "HDU 0"
    pub place: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}, {}", self.file, self.place)
        }
    }
}

/// One problem with the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct IngestError {
    pub location: Location,
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}: column {}: {}", self.location, c, self.reason),
            None => write!(f, "{}: {}", self.location, self.reason),
        }
    }
}

/// Every problem found before the ingest was abandoned (nothing was loaded).
#[derive(Debug, thiserror::Error)]
pub struct IngestErrors {
    pub errors: Vec<IngestError>,
    /// Set when there were more problems than were kept.
    pub truncated: bool,
    /// A database failure, if that is what stopped the ingest.
    pub database: Option<String>,
}

impl fmt::Display for IngestErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(db) = &self.database {
            writeln!(f, "database error: {db}")?;
        }
        for e in &self.errors {
            writeln!(f, "{e}")?;
        }
        if self.truncated {
            writeln!(f, "(more problems not shown)")?;
        }
        write!(f, "nothing was loaded")
    }
}

impl From<tokio_postgres::Error> for IngestErrors {
    fn from(e: tokio_postgres::Error) -> Self {
        let text = match e.as_db_error() {
            Some(db) => format!(
                "{}{}",
                db.message(),
                db.detail().map(|d| format!(" ({d})")).unwrap_or_default()
            ),
            None => e.to_string(),
        };
        IngestErrors {
            errors: Vec::new(),
            truncated: false,
            database: Some(text),
        }
    }
}
