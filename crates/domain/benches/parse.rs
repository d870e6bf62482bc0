//! Criterion: parsing charters (issue #14: at least 2,000 a second on one core),
//! beside a reference measured in the same run — one pass of Unicode lower-casing
//! over the same text — so the figure reads as a ratio, not a promise in seconds.
//!
//!     cargo bench -p samordna-domain --bench parse

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use samordna_domain::templates::{AREA, TEMPLATES};

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(1));
    for t in TEMPLATES {
        let text = t.text().replace(AREA, "ortopedi");
        g.bench_function(format!("charter {}", t.id), |b| {
            b.iter(|| {
                samordna_domain::parse_charter(black_box(&text)).expect("the template parses")
            })
        });
        g.bench_function(format!("reference: lower-case {}", t.id), |b| {
            b.iter(|| black_box(&text).to_lowercase())
        });
    }
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
