//! Dataset identifiers as users and clients write them.

use std::fmt;

/// What an ID names, before looking it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    /// An ALMA entity uid in canonical form `uid://A001/X12a3/Xe9`: a member OUS, group
    /// OUS or science goal.
    Uid(String),
    /// A project code such as `2017.1.01185.S` (also as ObsCore's publisher DID
    /// `ADS/JAO.ALMA#2017.1.01185.S`).
    Project(String),
    /// A package or file name, e.g. `2017.1.01185.S_uid___A001_X12a3_Xe9_001_of_001.tar`.
    FileName(String),
}

/// An ID that cannot name anything in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifierError(pub String);

impl fmt::Display for IdentifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_uid_part(part: &str, lead: char) -> bool {
    part.len() > 1 && part.starts_with(lead) && part[1..].chars().all(|c| c.is_ascii_alphanumeric())
}

/// `A001`, `X12a3`, `Xe9` → `uid://A001/X12a3/Xe9`, if the parts have the uid shape.
fn canonical_uid(parts: &[&str]) -> Option<String> {
    match parts {
        [archive, a, b]
            if is_uid_part(archive, 'A') && is_uid_part(a, 'X') && is_uid_part(b, 'X') =>
        {
            Some(format!("uid://{archive}/{a}/{b}"))
        }
        _ => None,
    }
}

fn is_project_code(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    matches!(parts.as_slice(), [year, cycle, number, kind]
        if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit())
            && cycle.len() == 1 && cycle.chars().all(|c| c.is_ascii_alphanumeric())
            && number.len() == 5 && number.chars().all(|c| c.is_ascii_digit())
            && !kind.is_empty() && kind.chars().all(|c| c.is_ascii_uppercase()))
}

/// Characters a package or file name may hold; anything else (a `/`, a `..`, a control
/// character) cannot be a name in the archive, so it never reaches a path or a query.
fn is_file_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 255
        && !text.starts_with('.')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
}

impl Identifier {
    /// Reads an ID. Surrounding blanks are ignored.
    pub fn parse(text: &str) -> Result<Identifier, IdentifierError> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("uid://") {
            let parts: Vec<&str> = rest.split('/').collect();
            return canonical_uid(&parts).map(Identifier::Uid).ok_or_else(|| {
                IdentifierError(format!(
                    "'{text}' is not an ALMA uid; uids look like uid://A001/X12a3/Xe9"
                ))
            });
        }
        if let Some(rest) = text.strip_prefix("uid___") {
            let parts: Vec<&str> = rest.split('_').collect();
            if let Some(uid) = canonical_uid(&parts) {
                return Ok(Identifier::Uid(uid));
            }
        }
        let code = text.strip_prefix("ADS/JAO.ALMA#").unwrap_or(text);
        if is_project_code(code) {
            return Ok(Identifier::Project(code.to_string()));
        }
        if is_file_name(text) {
            return Ok(Identifier::FileName(text.to_string()));
        }
        Err(IdentifierError(format!(
            "'{text}' is not an identifier this archive uses: a uid (uid://A001/X12a3/Xe9 or \
             uid___A001_X12a3_Xe9), a project code (2017.1.01185.S) or a package or file name"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_uid_forms_give_the_canonical_uid() {
        let want = Identifier::Uid("uid://A001/X12a3/Xe9".into());
        assert_eq!(Identifier::parse("uid://A001/X12a3/Xe9").unwrap(), want);
        assert_eq!(Identifier::parse(" uid___A001_X12a3_Xe9 ").unwrap(), want);
    }

    #[test]
    fn project_codes_and_publisher_dids() {
        let want = Identifier::Project("2017.1.01185.S".into());
        assert_eq!(Identifier::parse("2017.1.01185.S").unwrap(), want);
        assert_eq!(
            Identifier::parse("ADS/JAO.ALMA#2017.1.01185.S").unwrap(),
            want
        );
    }

    #[test]
    fn package_and_file_names() {
        for name in [
            "2017.1.01185.S_uid___A001_X12a3_Xe9_001_of_001.tar",
            "member.uid___A001_X12a3_Xe9.README.txt",
            "uid___A001_X12a3_Xe9_auxiliary.tar",
        ] {
            assert_eq!(
                Identifier::parse(name).unwrap(),
                Identifier::FileName(name.into())
            );
        }
    }

    #[test]
    fn paths_and_junk_are_refused_with_the_accepted_forms() {
        for bad in ["../etc/passwd", "a/b.fits", "", ".hidden", "x'; drop table"] {
            let e = Identifier::parse(bad).unwrap_err();
            assert!(e.0.contains("uid://A001/X12a3/Xe9"), "{bad}: {e}");
        }
        assert!(Identifier::parse("uid://A001/X12a3")
            .unwrap_err()
            .0
            .contains("not an ALMA uid"));
    }
}
