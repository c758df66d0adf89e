//! The check's state: what it has seen that a catalogue must confirm.

use sqlparser::tokenizer::Location;

#[derive(Debug, Default)]
pub(crate) struct Validator {
    /// User-defined functions the query calls (name, position), for the catalogue to check.
    pub user_functions: Vec<(String, Location)>,
}
