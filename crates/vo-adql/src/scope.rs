//! Name resolution: the tables a query reads and the columns they offer, with ADQL's case
//! rules (regular identifiers case-insensitive, delimited ones exact).

use crate::error::AdqlError;
pub(crate) use crate::types::Kind;
use sqlparser::ast::Ident;
use std::sync::Arc;
use vo_catalogue::{Catalogue, Column, Table};

/// A column a source offers: a catalogue column (shared, not copied), or a result column of
/// a WITH query or subquery.
#[derive(Debug, Clone)]
pub(crate) struct SourceColumn {
    derived_name: Option<String>,
    meta: Option<Arc<Column>>,
    pub kind: Kind,
}

impl SourceColumn {
    pub fn catalogue(column: &Arc<Column>) -> SourceColumn {
        SourceColumn {
            derived_name: None,
            meta: Some(Arc::clone(column)),
            kind: Kind::of_column(column),
        }
    }

    /// A result column of a WITH query or subquery, of the kind its expression has.
    pub fn derived(name: String, meta: Option<Arc<Column>>, kind: Kind) -> SourceColumn {
        SourceColumn {
            derived_name: Some(name),
            meta,
            kind,
        }
    }

    /// The name as clients see it (`lastModified`).
    pub fn name(&self) -> &str {
        match (&self.derived_name, &self.meta) {
            (Some(n), _) => n,
            (None, Some(m)) => &m.name,
            (None, None) => unreachable!("a column has a name"),
        }
    }

    pub fn meta(&self) -> Option<&Arc<Column>> {
        self.meta.as_ref()
    }

    /// Writes the column's SQL name (without the source alias).
    pub fn write_sql(&self, out: &mut String) {
        match &self.derived_name {
            Some(n) => vo_catalogue::write_delimited(n, out),
            None => self
                .meta
                .as_ref()
                .expect("catalogue column")
                .write_sql_name(out),
        }
    }

    pub fn sql(&self) -> String {
        let mut out = String::new();
        self.write_sql(&mut out);
        out
    }
}

/// The canonical form of a name written in a query: a regular identifier stands for its
/// lower-case form (as in SQL), a delimited one for exactly what is between the quotes.
pub(crate) fn canonical(written: &Ident) -> String {
    if written.quote_style.is_some() {
        written.value.clone()
    } else {
        written.value.to_lowercase()
    }
}

/// Whether a name written in a query refers to a declared (canonical) name: a delimited name
/// must match exactly; a regular one matches whatever the case, so that `lastModified`,
/// `LASTMODIFIED` and `"lastModified"` all reach ALMA's column.
pub(crate) fn refers_to(written: &Ident, declared: &str) -> bool {
    if written.quote_style.is_some() {
        written.value == declared
    } else {
        written.value.eq_ignore_ascii_case(declared)
    }
}

/// A table, view, WITH query or subquery in FROM.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// The alias the emitted SQL uses (always quoted).
    pub alias: String,
    /// The names that qualify its columns in ADQL, each as canonical parts: the alias if
    /// one was given, else the table name and schema.table.
    pub qualifiers: Vec<Vec<String>>,
    pub columns: Vec<SourceColumn>,
    /// The ObsCore table: geometry predicates on s_region use its footprint.
    pub is_obscore: bool,
    /// A table the walk does not know (the check has no catalogue): any name is one of its
    /// columns, of unknown kind.
    pub open: bool,
}

impl Source {
    pub fn from_table(table: &Table, alias: Option<&Ident>, default_alias: String) -> Source {
        let columns = table.columns.iter().map(SourceColumn::catalogue).collect();
        let (alias_name, qualifiers) = match alias {
            Some(a) => (canonical(a), vec![vec![canonical(a)]]),
            None => (
                default_alias,
                vec![
                    vec![table.name.clone()],
                    vec![table.schema.clone(), table.name.clone()],
                ],
            ),
        };
        Source {
            alias: alias_name,
            qualifiers,
            columns,
            is_obscore: table.qualified_name().eq_ignore_ascii_case("ivoa.obscore"),
            open: false,
        }
    }

    /// A table the walk cannot look up, under the names it is written with.
    pub fn open(written: &[Ident], alias: Option<&Ident>) -> Source {
        let canonical_parts: Vec<String> = written.iter().map(canonical).collect();
        let (alias_name, qualifiers) = match alias {
            Some(a) => (canonical(a), vec![vec![canonical(a)]]),
            None => {
                let mut qualifiers = Vec::new();
                for start in (0..canonical_parts.len()).rev() {
                    qualifiers.push(canonical_parts[start..].to_vec());
                }
                (
                    canonical_parts.last().cloned().unwrap_or_default(),
                    qualifiers,
                )
            }
        };
        Source {
            alias: alias_name,
            qualifiers,
            columns: Vec::new(),
            is_obscore: false,
            open: true,
        }
    }

    /// A WITH query or subquery under the name (already canonical) it is known by.
    pub fn derived(alias: String, columns: Vec<SourceColumn>, open: bool) -> Source {
        Source {
            qualifiers: vec![vec![alias.clone()]],
            alias,
            columns,
            is_obscore: false,
            open,
        }
    }

    pub fn qualified(&self, column: &SourceColumn) -> String {
        let mut out = quote_ident_always(&self.alias);
        out.push('.');
        column.write_sql(&mut out);
        out
    }

    pub fn matches_qualifier(&self, parts: &[&Ident]) -> bool {
        self.qualifiers
            .iter()
            .any(|q| q.len() == parts.len() && parts.iter().zip(q).all(|(w, d)| refers_to(w, d)))
    }

    pub fn find(&self, name: &Ident) -> Option<&SourceColumn> {
        self.columns.iter().find(|c| refers_to(name, c.name()))
    }
}

/// Always-quoted identifier (aliases keep their case).
pub(crate) fn quote_ident_always(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    vo_catalogue::write_delimited(name, &mut out);
    out
}

/// A resolved column reference.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// `"alias".column`
    pub sql: String,
    pub column: SourceColumn,
    /// The quoted alias of the FROM entry, when that entry is ivoa.obscore.
    pub obscore_alias: Option<String>,
}

/// The sources visible at one level of the query, innermost last.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scopes {
    pub levels: Vec<Vec<Source>>,
}

impl Scopes {
    /// Resolves a column reference (`col`, `t.col`, `schema.t.col`, `cat.schema.t.col`).
    pub fn resolve(&self, parts: &[Ident]) -> Result<Resolved, AdqlError> {
        let (column, qualifier) = parts.split_last().expect("an identifier has a name");
        let qualifier: Vec<&Ident> = if qualifier.len() > 2 {
            qualifier[qualifier.len() - 2..].iter().collect()
        } else {
            qualifier.iter().collect()
        };
        let at = column.span.start;
        for level in self.levels.iter().rev() {
            let mut found: Vec<(&Source, &SourceColumn)> = Vec::new();
            for source in level {
                if !qualifier.is_empty() && !source.matches_qualifier(&qualifier) {
                    continue;
                }
                if let Some(c) = source.find(column) {
                    found.push((source, c));
                }
            }
            match found.len() {
                0 => {
                    let open = level.iter().find(|s| {
                        s.open && (qualifier.is_empty() || s.matches_qualifier(&qualifier))
                    });
                    if let Some(source) = open {
                        let column =
                            SourceColumn::derived(column.value.clone(), None, Kind::Unknown);
                        return Ok(Resolved {
                            sql: source.qualified(&column),
                            column,
                            obscore_alias: None,
                        });
                    }
                    continue;
                }
                1 => {
                    let (source, column) = found[0];
                    return Ok(Resolved {
                        sql: source.qualified(column),
                        column: column.clone(),
                        obscore_alias: source.is_obscore.then(|| quote_ident_always(&source.alias)),
                    });
                }
                _ => {
                    let tables: Vec<String> = found.iter().map(|(s, _)| s.alias.clone()).collect();
                    return Err(AdqlError::at(
                        format!(
                            "column {} is ambiguous: it is in {}",
                            column.value,
                            tables.join(" and ")
                        ),
                        at,
                    )
                    .with_hint(format!("qualify it, e.g. {}.{}", tables[0], column.value)));
                }
            }
        }
        let written = parts
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(".");
        let candidates: Vec<&str> = self
            .levels
            .iter()
            .flatten()
            .flat_map(|s| s.columns.iter().map(|c| c.name()))
            .collect();
        let known_qualifier = qualifier.is_empty()
            || self
                .levels
                .iter()
                .flatten()
                .any(|s| s.matches_qualifier(&qualifier));
        if !known_qualifier {
            let names: Vec<String> = self
                .levels
                .iter()
                .flatten()
                .map(|s| s.alias.clone())
                .collect();
            return Err(AdqlError::at(
                format!(
                    "{written}: there is no table {} in this query's FROM",
                    qualifier
                        .iter()
                        .map(|q| q.value.as_str())
                        .collect::<Vec<_>>()
                        .join(".")
                ),
                at,
            )
            .with_hint(format!("the tables here are {}", names.join(", "))));
        }
        let case_only = candidates
            .iter()
            .find(|c| c.eq_ignore_ascii_case(&column.value));
        let error = AdqlError::at(
            format!("no column {written} in the tables of this query"),
            at,
        );
        Err(
            match (
                case_only,
                vo_catalogue::nearest(&column.value, candidates.iter().copied()),
            ) {
                (Some(exact), _) => error.with_hint(format!(
                    "delimited names are case-sensitive: did you mean \"{exact}\"?"
                )),
                (None, Some(near)) => error.with_hint(format!("did you mean {near}?")),
                (None, None) => error,
            },
        )
    }
}

/// Finds a catalogue table from its ADQL name (`obscore`, `ivoa.obscore`, `"TAP_SCHEMA".columns`).
pub(crate) fn find_table<'c>(
    catalogue: &'c Catalogue,
    parts: &[Ident],
) -> Result<&'c Table, AdqlError> {
    let at = parts
        .last()
        .map(|p| p.span.start)
        .unwrap_or(sqlparser::tokenizer::Location { line: 0, column: 0 });
    let parts: &[Ident] = if parts.len() == 3 { &parts[1..] } else { parts };
    let equal = refers_to;
    let matches: Vec<&Table> = catalogue
        .tables
        .iter()
        .filter(|t| match parts {
            // uploaded tables are always written TAP_UPLOAD.name (TAP 1.1 §4.1)
            [name] => equal(name, &t.name) && !t.schema.eq_ignore_ascii_case("TAP_UPLOAD"),
            [schema, name] => equal(schema, &t.schema) && equal(name, &t.name),
            _ => false,
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let written = parts
                .iter()
                .map(|p| p.value.as_str())
                .collect::<Vec<_>>()
                .join(".");
            let names: Vec<String> = catalogue
                .tables
                .iter()
                .map(|t| t.qualified_name())
                .collect();
            let error = AdqlError::at(format!("no table {written}"), at);
            Err(
                match vo_catalogue::nearest(&written, names.iter().map(String::as_str)) {
                    Some(near) => error.with_hint(format!("did you mean {near}?")),
                    None => error.with_hint(format!("the tables are {}", names.join(", "))),
                },
            )
        }
        many => Err(AdqlError::at(
            format!("table {} is ambiguous", parts.last().unwrap().value),
            at,
        )
        .with_hint(format!(
            "qualify it with its schema: {}",
            many.iter()
                .map(|t| t.qualified_name())
                .collect::<Vec<_>>()
                .join(" or ")
        ))),
    }
}
