//! The arguments of an OAI-PMH request, checked as the protocol says (section 3.1.1 and each
//! verb's section of OAI-PMH 2.0): names are case-sensitive, none may be repeated, each verb
//! takes exactly its own, and a resumption token excludes every argument but the verb.

use crate::token::Token;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};

/// The two metadata formats served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// VOResource records in RegistryInterface's `ri:Resource`.
    IvoVor,
    /// Simple Dublin Core.
    OaiDc,
}

impl Format {
    pub fn prefix(self) -> &'static str {
        match self {
            Format::IvoVor => "ivo_vor",
            Format::OaiDc => "oai_dc",
        }
    }

    pub const ALL: [Format; 2] = [Format::IvoVor, Format::OaiDc];

    fn named(prefix: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.prefix() == prefix)
    }
}

/// The one set: the resources whose authority this registry manages (all of them).
pub const SET: &str = "ivo_managed";

/// A list request's selection: format, datestamps, set, and where the list resumes.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub format: Format,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// A set other than `ivo_managed` holds nothing.
    pub unknown_set: bool,
    pub resume: Option<Token>,
}

/// A request the protocol allows.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Identify,
    ListMetadataFormats { identifier: Option<String> },
    ListSets,
    GetRecord { identifier: String, format: Format },
    ListIdentifiers(Listing),
    ListRecords(Listing),
}

/// Why a request is refused, as OAI-PMH's error codes.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    BadVerb(String),
    BadArgument(String),
    BadResumptionToken(String),
    CannotDisseminateFormat(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::BadVerb(_) => "badVerb",
            Refusal::BadArgument(_) => "badArgument",
            Refusal::BadResumptionToken(_) => "badResumptionToken",
            Refusal::CannotDisseminateFormat(_) => "cannotDisseminateFormat",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Refusal::BadVerb(m)
            | Refusal::BadArgument(m)
            | Refusal::BadResumptionToken(m)
            | Refusal::CannotDisseminateFormat(m) => m,
        }
    }

    /// Whether the request is echoed without its arguments (badVerb, badArgument).
    pub fn hides_arguments(&self) -> bool {
        matches!(self, Refusal::BadVerb(_) | Refusal::BadArgument(_))
    }
}

const VERBS: [&str; 6] = [
    "Identify",
    "ListMetadataFormats",
    "ListSets",
    "GetRecord",
    "ListIdentifiers",
    "ListRecords",
];

/// The arguments each verb may take.
fn allowed(verb: &str) -> &'static [&'static str] {
    match verb {
        "ListMetadataFormats" => &["identifier"],
        "ListSets" => &["resumptionToken"],
        "GetRecord" => &["identifier", "metadataPrefix"],
        "ListIdentifiers" | "ListRecords" => {
            &["metadataPrefix", "from", "until", "set", "resumptionToken"]
        }
        _ => &[],
    }
}

/// A datestamp as OAI-PMH writes one: a day (`YYYY-MM-DD`) or a second in UTC
/// (`YYYY-MM-DDThh:mm:ssZ`). `end` makes a day its last second (for `until`). Returns the
/// time and whether it was to the second.
fn datestamp(name: &str, text: &str, end: bool) -> Result<(DateTime<Utc>, bool), Refusal> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if text.len() == 10 {
            let start = day.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
            let at = if end {
                start + TimeDelta::days(1) - TimeDelta::seconds(1)
            } else {
                start
            };
            return Ok((at, false));
        }
    }
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ") {
        Ok(at) if text.len() == 20 => Ok((at.and_utc(), true)),
        _ => Err(Refusal::BadArgument(format!(
            "{name}={text:?} is not a datestamp: write YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC), e.g. 2026-01-31 or 2026-01-31T12:00:00Z"
        ))),
    }
}

/// The request the arguments make, or why the protocol refuses them.
pub fn parse(pairs: &[(String, String)]) -> Result<Request, Refusal> {
    let verbs: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "verb")
        .map(|(_, v)| v.as_str())
        .collect();
    let verb = match verbs.as_slice() {
        [] => {
            return Err(Refusal::BadVerb(format!(
                "no verb: add verb=, one of {}",
                VERBS.join(", ")
            )))
        }
        [one] if VERBS.contains(one) => *one,
        [one] => {
            let hint = VERBS
                .iter()
                .find(|v| v.eq_ignore_ascii_case(one))
                .map(|v| format!(" (verbs are case-sensitive: did you mean {v}?)"))
                .unwrap_or_default();
            return Err(Refusal::BadVerb(format!(
                "verb={one:?} is not an OAI-PMH verb{hint}; the verbs are {}",
                VERBS.join(", ")
            )));
        }
        _ => return Err(Refusal::BadVerb("the verb is given more than once".into())),
    };
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in pairs.iter().filter(|(k, _)| k != "verb") {
        if !allowed(verb).contains(&name.as_str()) {
            let hint = allowed(verb)
                .iter()
                .find(|a| a.eq_ignore_ascii_case(name))
                .map(|a| format!(" (argument names are case-sensitive: did you mean {a}?)"))
                .unwrap_or_default();
            return Err(Refusal::BadArgument(format!(
                "{verb} takes no argument {name:?}{hint}; it takes {}",
                match allowed(verb) {
                    [] => "none but the verb".to_string(),
                    names => names.join(", "),
                }
            )));
        }
        if seen.contains(&name.as_str()) {
            return Err(Refusal::BadArgument(format!(
                "{name} is given more than once"
            )));
        }
        seen.push(name);
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let required =
        |name: &str| get(name).ok_or_else(|| Refusal::BadArgument(format!("{verb} needs {name}")));
    let format = |prefix: &str| {
        Format::named(prefix).ok_or_else(|| {
            Refusal::CannotDisseminateFormat(format!(
                "metadataPrefix={prefix:?} is not served; the formats are ivo_vor and oai_dc"
            ))
        })
    };
    match verb {
        "Identify" => Ok(Request::Identify),
        "ListMetadataFormats" => Ok(Request::ListMetadataFormats {
            identifier: get("identifier").map(str::to_string),
        }),
        "ListSets" => match get("resumptionToken") {
            Some(token) => Err(Refusal::BadResumptionToken(format!(
                "{token:?}: the list of sets is never split, so it has no resumption tokens"
            ))),
            None => Ok(Request::ListSets),
        },
        "GetRecord" => Ok(Request::GetRecord {
            identifier: required("identifier")?.to_string(),
            format: format(required("metadataPrefix")?)?,
        }),
        _ => {
            let listing = match get("resumptionToken") {
                Some(text) => {
                    if seen.len() > 1 {
                        return Err(Refusal::BadArgument(
                            "resumptionToken is exclusive: send it with the verb alone".into(),
                        ));
                    }
                    let token = Token::decode(text)?;
                    Listing {
                        format: format(&token.prefix)?,
                        from: token.from,
                        until: token.until,
                        unknown_set: token.set.as_deref().is_some_and(|s| s != SET),
                        resume: Some(token),
                    }
                }
                None => {
                    let prefix = required("metadataPrefix")?;
                    let from = get("from")
                        .map(|t| datestamp("from", t, false))
                        .transpose()?;
                    let until = get("until")
                        .map(|t| datestamp("until", t, true))
                        .transpose()?;
                    if let (Some((from, a)), Some((until, b))) = (from, until) {
                        if a != b {
                            return Err(Refusal::BadArgument(
                                "from and until have different granularities: write both as days or both to the second".into(),
                            ));
                        }
                        if from > until {
                            return Err(Refusal::BadArgument(format!(
                                "from ({}) is later than until ({})",
                                get("from").unwrap_or_default(),
                                get("until").unwrap_or_default()
                            )));
                        }
                    }
                    Listing {
                        format: format(prefix)?,
                        from: from.map(|f| f.0),
                        until: until.map(|u| u.0),
                        unknown_set: get("set").is_some_and(|s| s != SET),
                        resume: None,
                    }
                }
            };
            Ok(if verb == "ListRecords" {
                Request::ListRecords(listing)
            } else {
                Request::ListIdentifiers(listing)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn code(pairs: &[(&str, &str)]) -> &'static str {
        parse(&args(pairs)).unwrap_err().code()
    }

    #[test]
    fn verbs_and_their_arguments_follow_the_protocol() {
        assert_eq!(parse(&args(&[("verb", "Identify")])), Ok(Request::Identify));
        assert_eq!(code(&[]), "badVerb");
        assert_eq!(code(&[("verb", "identify")]), "badVerb");
        assert!(parse(&args(&[("verb", "identify")]))
            .unwrap_err()
            .message()
            .contains("did you mean Identify?"));
        assert_eq!(
            code(&[("verb", "Identify"), ("verb", "Identify")]),
            "badVerb"
        );
        assert_eq!(code(&[("verb", "Identify"), ("set", "x")]), "badArgument");
        assert_eq!(code(&[("verb", "ListRecords")]), "badArgument");
        assert_eq!(
            code(&[("verb", "ListRecords"), ("metadataPrefix", "mods")]),
            "cannotDisseminateFormat"
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("metadataPrefix", "oai_dc")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[("verb", "ListRecords"), ("metadataprefix", "oai_dc")]),
            "badArgument"
        );
        assert_eq!(
            code(&[
                ("verb", "ListIdentifiers"),
                ("resumptionToken", "x"),
                ("metadataPrefix", "oai_dc")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[("verb", "ListIdentifiers"), ("resumptionToken", "nonsense")]),
            "badResumptionToken"
        );
        assert_eq!(
            code(&[("verb", "GetRecord"), ("identifier", "ivo://a/b")]),
            "badArgument"
        );
    }

    #[test]
    fn datestamps_are_days_or_seconds_and_agree() {
        let listing = |pairs: &[(&str, &str)]| match parse(&args(pairs)) {
            Ok(Request::ListRecords(l)) => Ok(l),
            Ok(other) => panic!("{other:?}"),
            Err(e) => Err(e.code()),
        };
        let day = listing(&[
            ("verb", "ListRecords"),
            ("metadataPrefix", "ivo_vor"),
            ("from", "2026-01-31"),
            ("until", "2026-01-31"),
        ])
        .unwrap();
        assert_eq!(day.from.unwrap().to_rfc3339(), "2026-01-31T00:00:00+00:00");
        assert_eq!(day.until.unwrap().to_rfc3339(), "2026-01-31T23:59:59+00:00");
        let bad = |from: &str, until: &str| {
            listing(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "ivo_vor"),
                ("from", from),
                ("until", until),
            ])
            .unwrap_err()
        };
        assert_eq!(bad("2026-01-31", "2026-02-01T00:00:00Z"), "badArgument");
        assert_eq!(bad("2026-02-01", "2026-01-31"), "badArgument");
        assert_eq!(bad("2026-02-30", "2026-03-01"), "badArgument");
        assert_eq!(
            bad("2026-01-31T12:00:00", "2026-02-01T00:00:00"),
            "badArgument"
        );
        assert_eq!(
            bad("2026-01-31T12:00:00+01:00", "2026-02-01T00:00:00Z"),
            "badArgument"
        );
    }
}
