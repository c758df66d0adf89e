//! Similar projects over the million-row demo's 54,036 projects: the index built once, then
//! "more like this" for one project at a time (cycling through 500 of them). Run:
//! `cargo bench -p vo-similarity --bench similar`. Target: median ≤ 20 ms per project.

use criterion::{criterion_group, criterion_main, Criterion};
use vo_similarity::{ProjectIndex, ProjectText};

fn bench(c: &mut Criterion) {
    let archive = vo_demo::generate(vo_demo::DemoConfig {
        seed: 2026,
        rows: 1_000_000,
        file_mous: 0,
        small_files: vo_demo::SmallFiles::Absent,
        now: chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap(),
        public_url: "http://127.0.0.1:8080".into(),
    });
    let started = std::time::Instant::now();
    let mut index = ProjectIndex::new().unwrap();
    index
        .add(archive.projects.iter().map(|p| ProjectText {
            code: p.code.clone(),
            title: p.title.clone(),
            abstract_text: archive.abstract_of(p),
            keywords: p.keywords.clone(),
            category: p.category.to_string(),
        }))
        .unwrap();
    println!(
        "indexed {} projects in {:.1} s",
        index.len(),
        started.elapsed().as_secs_f64()
    );
    let codes: Vec<&str> = archive
        .projects
        .iter()
        .step_by(archive.projects.len() / 500)
        .map(|p| p.code.as_str())
        .collect();
    let mut next = 0;
    c.bench_function("similar projects, 10 of 54k, per project", |b| {
        b.iter(|| {
            next = (next + 1) % codes.len();
            std::hint::black_box(index.similar(codes[next], 10).unwrap());
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
