//! Resolving names over the OpenNGC catalogue (VO_NAMES_CATALOGUE, as `deploy/test` writes
//! it): names found by key, found by constellation abbreviation, and not found (with "did
//! you mean" by trigrams, the slowest path). Run: `cargo bench -p vo-names --bench resolve`.
//! Target: median ≤ 1 ms per name.

use criterion::{criterion_group, criterion_main, Criterion};
use vo_names::{read_catalogue, Origin, Resolver};

fn bench(c: &mut Criterion) {
    let path = std::env::var("VO_NAMES_CATALOGUE").expect("VO_NAMES_CATALOGUE: the OpenNGC file");
    let text = std::fs::read_to_string(path).unwrap();
    let mut resolver = Resolver::new();
    for object in read_catalogue(&text, Origin::OpenNgc).unwrap() {
        resolver.add(object);
    }
    let mut group = c.benchmark_group("resolve");
    for (label, names) in [
        (
            "found",
            &["M83", "NGC 253", "ngc0891", "IC 342", "Orion Nebula"][..],
        ),
        ("constellation", &["Cen A", "omega Cen", "47 Tuc"][..]),
        (
            "not found, with suggestions",
            &["Sombero Galaxy", "Centarus A", "Foo Bar"][..],
        ),
    ] {
        group.bench_function(format!("{label}, per name"), |b| {
            let mut next = 0;
            b.iter(|| {
                next = (next + 1) % names.len();
                std::hint::black_box(resolver.resolve(names[next]));
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
