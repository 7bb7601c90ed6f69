//! Throughput of the whole inspection (decoding, normalisation, detection
//! and the report) on one core, over generated ERP corpora of 1 MiB and
//! 32 MiB.
//!
//! Run with `cargo bench -p inspect-bench --bench throughput`; criterion
//! reports bytes per second for each corpus.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use inspect::{Inspector, Limits, Request};
use inspect_bench::{Shape, generate};

/// Corpus sizes: 1 MiB fits in the caches of most machines, 32 MiB does
/// not and matches the gateway's default `max_body_bytes`.
const SIZES: [(usize, &str); 2] = [(1 << 20, "1MiB"), (32 << 20, "32MiB")];

fn throughput(criterion: &mut Criterion) {
    let inspector = Inspector::new(Limits::default());
    let mut group = criterion.benchmark_group("inspect");
    group.sample_size(10);
    for (size, size_name) in SIZES {
        for shape in Shape::ALL {
            let body = generate(shape, size);
            let request = Request {
                path: "/api/import",
                content_type: Some(shape.content_type()),
                body: &body,
                ..Request::default()
            };
            group.throughput(Throughput::Bytes(body.len() as u64));
            group.bench_with_input(
                BenchmarkId::new(shape.name(), size_name),
                &request,
                |bencher, request| {
                    bencher.iter(|| {
                        inspector
                            .inspect(request)
                            .expect("generated corpus is valid")
                    });
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
