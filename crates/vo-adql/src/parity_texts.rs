//! (Tests only.) The query texts this crate's own readers are compared with sqlparser's on:
//! every query of the ADQL corpus, the real client queries and the fuzz inputs.

pub(crate) fn texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = Vec::new();
    for corpus in [
        "../../../shared/conformance/adql/all.jsonl",
        "../../../shared/conformance/clients/adql_real.jsonl",
    ] {
        let path = root.join(corpus);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            if let Some(adql) = record["adql"].as_str() {
                texts.push(adql.to_string());
            }
        }
    }
    for entry in std::fs::read_dir(root.join("fuzz/regressions/translate")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        // (deeply nested inputs are the nesting limit's, which stops them before the parser)
        if bytes.len() < 4096 {
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    assert!(texts.len() > 1000, "only {} texts", texts.len());
    texts
}
