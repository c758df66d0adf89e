//! The catalogue: which tables and columns the service exposes, with their VO metadata.
//!
//! Owns: loading `schema/obscore.toml` and `schema/tap_schema.toml` (the single source of
//! column metadata), name look-up with ADQL's case rules, the rows of TAP_SCHEMA, what a
//! text value may hold, and where the service's resources live ([`routes`]: the paths rows
//! and links point to).
//!
//! Does not own: the SQL tables themselves (`schema/migrations`), database I/O (the db crate
//! writes TAP_SCHEMA from [`Catalogue::tap_schema_rows`]), or ADQL parsing.

mod load;
mod reserved;
pub mod routes;
mod suggest;
mod tap_schema;
mod text_values;

pub use load::CatalogueError;
pub use reserved::{is_adql_reserved, ADQL_RESERVED_WORDS};
pub use suggest::nearest;
pub use tap_schema::{ColumnRow, SchemaRow, TableRow, TapSchemaRows};
pub use text_values::text_problem;

/// One exposed column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The name as clients see it, e.g. `lastModified` (case preserved).
    pub name: String,
    /// VOTable datatype: char, int, long, float, double, boolean, …
    pub datatype: String,
    pub arraysize: Option<String>,
    /// PostgreSQL type of the underlying column.
    pub pg_type: String,
    pub ucd: Option<String>,
    pub utype: Option<String>,
    pub xtype: Option<String>,
    pub unit: Option<String>,
    pub description: String,
    pub indexed: bool,
    pub principal: bool,
    pub std: bool,
}

impl Column {
    /// The name as ADQL must write it: delimited when it is a reserved word (`"size"`), as
    /// TAP_SCHEMA and VOSI tables list it.
    pub fn adql_name(&self) -> String {
        if reserved::is_adql_reserved(&self.name) {
            format!("\"{}\"", self.name)
        } else {
            self.name.clone()
        }
    }

    /// The column as an SQL identifier: quoted when it is not all lower case.
    pub fn sql_name(&self) -> String {
        quote_ident(&self.name)
    }

    /// Appends [`Column::sql_name`] to `out` without making a string of its own.
    pub fn write_sql_name(&self, out: &mut String) {
        write_ident(&self.name, out)
    }
}

/// One exposed table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// ADQL schema name, e.g. `ivoa` or `TAP_SCHEMA`.
    pub schema: String,
    /// ADQL table name without schema, e.g. `obscore`.
    pub name: String,
    /// The PostgreSQL schema and table that hold it.
    pub pg_schema: String,
    pub pg_name: String,
    pub description: String,
    pub utype: Option<String>,
    /// Shared, so that query planning can hand out column metadata without copying it.
    pub columns: Vec<std::sync::Arc<Column>>,
}

impl Table {
    /// `schema.table` as clients write it.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }

    /// The PostgreSQL relation, quoted as needed.
    pub fn sql_name(&self) -> String {
        format!(
            "{}.{}",
            quote_ident(&self.pg_schema),
            quote_ident(&self.pg_name)
        )
    }

    /// The column name nearest to a misspelt one, for "did you mean" hints.
    pub fn suggest_column(&self, name: &str) -> Option<&str> {
        suggest::nearest(name, self.columns.iter().map(|c| c.name.as_str()))
    }

    /// Case-insensitive look-up, as for a regular ADQL identifier.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map(|c| &**c)
    }
}

/// Quotes an SQL identifier unless it is a plain lower-case name.
pub fn quote_ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    write_ident(name, &mut out);
    out
}

/// Appends `name` to `out` as [`quote_ident`] spells it.
pub fn write_ident(name: &str, out: &mut String) {
    let bytes = name.as_bytes();
    let plain = bytes
        .first()
        .is_some_and(|&b| b.is_ascii_lowercase() || b == b'_')
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !matches!(
            name,
            "size" | "type" | "user" | "table" | "order" | "group" | "select" | "from" | "where"
        );
    if plain {
        out.push_str(name)
    } else {
        write_delimited(name, out)
    }
}

/// Appends `name` to `out` as a delimited identifier, whatever it holds: in double quotes,
/// each double quote in it doubled.
pub fn write_delimited(name: &str, out: &mut String) {
    out.reserve(name.len() + 2);
    out.push('"');
    if name.contains('"') {
        out.push_str(&name.replace('"', "\"\""));
    } else {
        out.push_str(name);
    }
    out.push('"');
}

/// A foreign key between two exposed tables (one column each).
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub key_id: String,
    pub from_table: String,
    pub from_column: String,
    pub target_table: String,
    pub target_column: String,
    pub description: String,
}

/// Every table the service exposes, and the foreign keys between them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalogue {
    pub tables: Vec<Table>,
    pub keys: Vec<ForeignKey>,
}

impl Catalogue {
    /// The catalogue built into this release, from the files in `schema/`.
    pub fn builtin() -> Catalogue {
        load::from_toml(
            &[
                include_str!("../../../schema/obscore.toml"),
                include_str!("../../../schema/obsplan.toml"),
                include_str!("../../../schema/calibrator_flux.toml"),
                include_str!("../../../schema/source_velocity.toml"),
                include_str!("../../../schema/object_in_footprint.toml"),
                include_str!("../../../schema/similar_project.toml"),
                include_str!("../../../schema/execution_block.toml"),
                include_str!("../../../schema/publication.toml"),
            ],
            include_str!("../../../schema/tap_schema.toml"),
        )
        .expect("schema/*.toml shipped with this release is valid (checked by tests)")
    }

    /// The catalogue without one table (`schema.table`) and the foreign keys that reach it:
    /// an operator's choice not to serve a table the release describes.
    pub fn without(mut self, qualified: &str) -> Catalogue {
        self.tables
            .retain(|t| !t.qualified_name().eq_ignore_ascii_case(qualified));
        self.keys.retain(|k| {
            !k.from_table.eq_ignore_ascii_case(qualified)
                && !k.target_table.eq_ignore_ascii_case(qualified)
        });
        self
    }

    /// The data tables' files this release describes, in `schema/`, ObsCore first.
    pub const TABLE_FILES: &'static [&'static str] = &[
        "obscore.toml",
        "obsplan.toml",
        "calibrator_flux.toml",
        "source_velocity.toml",
        "object_in_footprint.toml",
        "similar_project.toml",
        "execution_block.toml",
        "publication.toml",
    ];

    /// A catalogue from the contents of the data tables' files (as [`Self::TABLE_FILES`] in
    /// `schema/`) and of `tap_schema.toml`.
    pub fn from_toml(tables: &[&str], tap_schema: &str) -> Result<Catalogue, CatalogueError> {
        load::from_toml(tables, tap_schema)
    }

    /// Finds a table by `schema.table`, case-insensitively.
    pub fn table(&self, qualified: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.qualified_name().eq_ignore_ascii_case(qualified))
    }

    /// The ObsCore table.
    pub fn obscore(&self) -> &Table {
        self.table("ivoa.obscore")
            .expect("the catalogue always holds ivoa.obscore")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_unless_plain_and_quotes_inside_doubled() {
        assert_eq!(quote_ident("s_ra"), "s_ra");
        assert_eq!(quote_ident("lastModified"), "\"lastModified\"");
        assert_eq!(quote_ident("size"), "\"size\"");
        assert_eq!(quote_ident("2mass"), "\"2mass\"");
        let mut out = String::from("x.");
        write_delimited("a\"b\"\"", &mut out);
        assert_eq!(out, "x.\"a\"\"b\"\"\"\"\"");
    }

    #[test]
    fn a_table_can_be_left_out() {
        let all = Catalogue::builtin();
        assert!(all.table("ivoa.obsplan").is_some());
        let served = all.clone().without("IVOA.ObsPlan");
        assert!(served.table("ivoa.obsplan").is_none());
        assert_eq!(served.tables.len(), all.tables.len() - 1);
        assert!(served.table("ivoa.obscore").is_some());
    }

    #[test]
    fn no_other_served_column_repeats_an_obscore_name() {
        // ALminer indexes `SELECT column_name, … FROM TAP_SCHEMA.columns` by name alone: by
        // default (ivoa.obsplan left out, as at ALMA) every ObsCore name appears once
        let served = Catalogue::builtin().without("ivoa.obsplan");
        let obscore: std::collections::HashSet<String> = served
            .obscore()
            .columns
            .iter()
            .map(|c| c.name.to_lowercase())
            .collect();
        let mut checked = 0;
        for table in served.tables.iter().filter(|t| t.name != "obscore") {
            for column in &table.columns {
                assert!(
                    !obscore.contains(&column.name.to_lowercase()),
                    "{}.{} repeats an ObsCore column name",
                    table.qualified_name(),
                    column.name
                );
                checked += 1;
            }
        }
        assert!(served.table("alma.calibrator_flux").is_some());
        assert!(served.table("alma.source_velocity").is_some());
        assert!(served.table("alma.object_in_footprint").is_some());
        assert!(checked > 40, "{checked} columns checked");
    }

    #[test]
    fn builtin_catalogue_holds_alma_obscore() {
        let cat = Catalogue::builtin();
        let obscore = cat.obscore();
        // ALMA's 71, then ObsCore 1.1's optional columns ALMA lacks
        assert_eq!(obscore.columns.len(), 78);
        assert_eq!(obscore.columns[0].name, "obs_publisher_did");
        assert_eq!(obscore.columns[70].name, "pi_name");
        let optional: Vec<_> = obscore.columns[71..]
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            optional,
            [
                "obs_creator_did",
                "target_class",
                "dataproduct_subtype",
                "s_pixel_scale",
                "em_ucd",
                "preview",
                "source_table"
            ]
        );
        let lm = obscore.column("LASTMODIFIED").unwrap();
        assert_eq!(lm.name, "lastModified");
        assert_eq!(lm.sql_name(), "\"lastModified\"");
        let region = obscore.column("s_region").unwrap();
        assert_eq!(region.xtype.as_deref(), Some("adql:REGION"));
        assert_eq!(
            region.utype.as_deref(),
            Some("obscore:Char.SpatialAxis.Coverage.Support.Area")
        );
        assert_eq!(
            obscore.column("bandwidth").unwrap().unit.as_deref(),
            Some("Hz")
        );
        assert_eq!(
            obscore.column("frequency").unwrap().unit.as_deref(),
            Some("GHz")
        );
        let names: std::collections::HashSet<_> = obscore
            .columns
            .iter()
            .map(|c| c.name.to_lowercase())
            .collect();
        assert_eq!(names.len(), 78, "column names are unique ignoring case");
        assert!(cat.table("TAP_SCHEMA.columns").is_some());
        assert!(cat.table("tap_schema.COLUMNS").is_some());
        assert_eq!(
            cat.table("tap_schema.columns")
                .unwrap()
                .column("size")
                .unwrap()
                .sql_name(),
            "\"size\""
        );
    }

    #[test]
    fn every_alma_column_matches_the_reference_list() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/alma/columns.json");
        let text = std::fs::read_to_string(path).expect("ALMA's column list beside the project");
        let cat = Catalogue::builtin();
        let obscore = cat.obscore();
        // a light JSON walk: each object has "name" and "datatype" in that order
        let mut count = 0;
        for object in text.split('{').skip(1) {
            let field = |key: &str| {
                let start = object
                    .find(&format!("\"{key}\": \""))
                    .map(|i| i + key.len() + 5)?;
                Some(object[start..].split('"').next()?.to_string())
            };
            let name = field("name").unwrap();
            let column = obscore
                .column(&name)
                .unwrap_or_else(|| panic!("{name} missing"));
            assert_eq!(column.name, name, "exact spelling");
            // free text is declared unicodeChar where ALMA says char (schema/obscore.toml
            // notes why); everything else is ALMA's datatype
            let alma = field("datatype").unwrap();
            if column.datatype == "unicodeChar" {
                assert_eq!(alma, "char", "{name} datatype");
            } else {
                assert_eq!(column.datatype, alma, "{name} datatype");
            }
            count += 1;
        }
        assert_eq!(count, 71);
    }
}
