//! Parse + validate + resolve + translate, per query, over the 71 ADQL queries real ALMA
//! clients send. Run: `cargo bench -p vo-adql --bench translate`. Target: median ≤ 50 µs.

use criterion::{criterion_group, criterion_main, Criterion};
use vo_catalogue::Catalogue;

fn client_queries() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/clients/adql_real.jsonl");
    let text = std::fs::read_to_string(path).expect("the client queries beside the project");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["adql"].as_str().unwrap().to_string()
        })
        // the upload join needs an upload table in the catalogue; the rest are plain ObsCore
        .filter(|q| !q.contains("TAP_UPLOAD"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let catalogue = Catalogue::builtin();
    let queries = client_queries();
    // as the service translates: literal numbers as parameters
    let options = vo_adql::Options {
        maxrec: Some(100_000),
        parameterise: true,
    };
    let mut group = c.benchmark_group("translate");
    group.bench_function(
        format!("all {} client queries, per query", queries.len()),
        |b| {
            b.iter_custom(|iterations| {
                let start = std::time::Instant::now();
                for _ in 0..iterations {
                    for q in &queries {
                        std::hint::black_box(vo_adql::translate(q, &catalogue, &options).unwrap());
                    }
                }
                start.elapsed() / queries.len() as u32
            })
        },
    );
    group.bench_function(
        format!(
            "parse and validate only, {} queries, per query",
            queries.len()
        ),
        |b| {
            b.iter_custom(|iterations| {
                let start = std::time::Instant::now();
                for _ in 0..iterations {
                    for q in &queries {
                        std::hint::black_box(vo_adql::check(q).unwrap());
                    }
                }
                start.elapsed() / queries.len() as u32
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
