//! Parse + validate + resolve + translate, per query, over the 71 ADQL queries real ALMA
//! clients send. Run: `cargo bench -p vo-adql --bench translate`. It prints the median, 90th
//! percentile and slowest of the queries' own times (each the least of many runs), then
//! criterion's mean over all of them. Target: median ≤ 25 µs.

use criterion::{criterion_group, criterion_main, Criterion};
use vo_catalogue::Catalogue;

/// The allocator the server runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    print_distribution(&queries, &catalogue, &options);
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
                        std::hint::black_box(vo_adql::check(q)).unwrap();
                    }
                }
                start.elapsed() / queries.len() as u32
            })
        },
    );
    group.finish();
}

/// Each query's own time (the least of 200 runs after 50 to warm up), and the median, 90th
/// percentile and slowest of them: the median is the figure the target names.
fn print_distribution(queries: &[String], catalogue: &Catalogue, options: &vo_adql::Options) {
    let mut times: Vec<(std::time::Duration, &str)> = queries
        .iter()
        .map(|q| {
            for _ in 0..50 {
                std::hint::black_box(vo_adql::translate(q, catalogue, options).unwrap());
            }
            let least = (0..200)
                .map(|_| {
                    let start = std::time::Instant::now();
                    std::hint::black_box(vo_adql::translate(q, catalogue, options).unwrap());
                    start.elapsed()
                })
                .min()
                .unwrap();
            (least, q.as_str())
        })
        .collect();
    times.sort();
    let at = |f: f64| times[((times.len() - 1) as f64 * f).round() as usize].0;
    let (slowest, text) = times[times.len() - 1];
    println!(
        "translate, {} client queries: median {:.1} µs, 90th percentile {:.1} µs, slowest {:.1} µs ({} bytes)",
        times.len(),
        at(0.5).as_secs_f64() * 1e6,
        at(0.9).as_secs_f64() * 1e6,
        slowest.as_secs_f64() * 1e6,
        text.len()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
