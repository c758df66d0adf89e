//! The external ADQL corpus (../shared/conformance/adql/all.jsonl), labelled as its
//! SOURCES.md says: std_valid over valid; version-only, disputed and 2.0-only conflicting
//! records dropped. Grammar and type cases are measured with `check`; `semantic` cases need
//! the catalogue and are measured by the resolver.

use serde_json::Value;

struct Case {
    adql: String,
    valid: bool,
    kind: String,
    source: String,
}

fn cases() -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/adql/all.jsonl");
    let text = std::fs::read_to_string(&path).expect("the ADQL corpus beside the project");
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: Value = serde_json::from_str(line).unwrap();
        let kind = r["invalid_kind"].as_str().unwrap_or("").to_string();
        if kind.starts_with("version")
            || r["disputed"].as_bool() == Some(true)
            || !r["disputed"].is_null() && r["disputed"] != Value::Bool(false)
        {
            continue;
        }
        if r.get("label_conflict").is_some() && r["version"].as_str() == Some("adql-2.0") {
            continue;
        }
        let valid = r
            .get("std_valid")
            .and_then(Value::as_bool)
            .unwrap_or_else(|| r["valid"].as_bool().unwrap());
        out.push(Case {
            adql: r["adql"].as_str().unwrap().to_string(),
            valid,
            kind,
            source: r["source"].as_str().unwrap().to_string(),
        });
    }
    out
}

#[test]
fn grammar_and_type_rules_against_the_corpus() {
    let cases = cases();
    let (mut valid_total, mut valid_accepted, mut invalid_total, mut invalid_rejected) =
        (0, 0, 0, 0);
    let mut misses = Vec::new();
    for case in cases
        .iter()
        .filter(|c| c.valid || !c.kind.starts_with("semantic"))
    {
        let result = vo_adql::check(&case.adql);
        if case.valid {
            valid_total += 1;
            match &result {
                Ok(()) => valid_accepted += 1,
                Err(e) => misses.push(format!(
                    "REJECTED valid [{}]: {}\n    -> {e}",
                    case.source,
                    case.adql.replace('\n', " ")
                )),
            }
        } else {
            invalid_total += 1;
            match &result {
                Err(e) => {
                    invalid_rejected += 1;
                    assert!(
                        e.line > 0 || e.message.contains("empty") || e.message.contains("nests"),
                        "no position for: {} -> {e}",
                        case.adql
                    );
                }
                Ok(()) => misses.push(format!(
                    "ACCEPTED invalid [{}] ({}): {}",
                    case.source,
                    case.kind,
                    case.adql.replace('\n', " ")
                )),
            }
        }
    }
    for m in &misses {
        println!("{m}");
    }
    let accepted = valid_accepted as f64 / valid_total as f64 * 100.0;
    let rejected = invalid_rejected as f64 / invalid_total as f64 * 100.0;
    println!("valid accepted: {valid_accepted}/{valid_total} = {accepted:.1}%; invalid rejected: {invalid_rejected}/{invalid_total} = {rejected:.1}%");
    // Floors at the rates reached so far; issue 3 asks for 100% and 98% once the semantic
    // cases are measured with a catalogue. The remaining grammar-level misses are label
    // disagreements between sources (a query one source calls valid and another invalid,
    // ADQL 2.0 rules such as a mandatory coordinate system, libadql rejecting what the 2.1
    // BNF allows) and VOLLT type cases that need its test table's column types.
    assert!(
        accepted >= FLOOR_VALID,
        "valid acceptance fell to {accepted:.1}%"
    );
    assert!(
        rejected >= FLOOR_INVALID,
        "invalid rejection fell to {rejected:.1}%"
    );
}

const FLOOR_VALID: f64 = 100.0;
const FLOOR_INVALID: f64 = 94.0;
