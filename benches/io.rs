//! Load (parse + validate + spatial index) and save of generated strips, against the floor
//! of serde_json merely scanning the same bytes into `IgnoredAny`.
//!
//! Run: `cargo bench --bench io` (figures in BENCHMARKS.md). The 1,000,000-strip rows
//! (1.5 GB of text, several GB of memory, minutes) run on demand:
//! `PISTAS_BENCH_1M=1 cargo bench --bench io -- 1000000`.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use pistas::analysis::SpatialIndex;
use pistas::edit::Editor;
use pistas::io::journal::{Base, Fingerprint, Writer};
use pistas::io::{
    WriteOptions, read_str, read_str_with_threads, save_atomic_parts, write_geojson,
    write_geojson_parts,
};
use pistas::model::synthetic;
use serde::de::IgnoredAny;

fn io(c: &mut Criterion) {
    let options = WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    };
    let mut group = c.benchmark_group("io");
    group.sample_size(10);
    let mut sizes = vec![1_000usize, 10_000, 100_000];
    if std::env::var_os("PISTAS_BENCH_1M").is_some() {
        sizes.push(1_000_000);
        group.sampling_mode(criterion::SamplingMode::Flat);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for strips in sizes {
        let doc = synthetic::generate(strips, 1);
        let text = write_geojson(&doc, &options);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("floor_ignored_any", strips),
            &text,
            |b, text| b.iter(|| serde_json::from_str::<IgnoredAny>(text).expect("json")),
        );
        // For reference: a generic DOM of the same bytes (no validation, no model).
        group.bench_with_input(
            BenchmarkId::new("serde_json_value", strips),
            &text,
            |b, text| b.iter(|| serde_json::from_str::<serde_json::Value>(text).expect("json")),
        );
        group.bench_with_input(BenchmarkId::new("load", strips), &text, |b, text| {
            // The document is dropped after each timing: freeing it is not part of loading,
            // and its memory is reused by the next load, as when a file is opened again.
            b.iter_batched(
                || (),
                |()| {
                    let parsed = read_str(text, "bench");
                    assert!(!parsed.has_errors());
                    let index = SpatialIndex::build(&parsed.document);
                    (parsed, index)
                },
                BatchSize::PerIteration,
            )
        });
        // The same load on one thread.
        group.bench_with_input(
            BenchmarkId::new("load_one_thread", strips),
            &text,
            |b, text| {
                b.iter_batched(
                    || (),
                    |()| {
                        let parsed = read_str_with_threads(text, "bench", 1);
                        let index = SpatialIndex::build(&parsed.document);
                        (parsed, index)
                    },
                    BatchSize::PerIteration,
                )
            },
        );
        group.bench_with_input(BenchmarkId::new("save", strips), &doc, |b, doc| {
            b.iter(|| write_geojson(doc, &options))
        });
        // Recovery after one edit: a rename journaled and synced (what the window does for
        // every edit), which must not grow with the document.
        let journal = dir.path().join(format!("{strips}.journal"));
        let base = dir.path().join(format!("{strips}.geojson"));
        std::fs::write(&base, &text).expect("base written");
        let writer = Writer::new(journal);
        writer.start(
            Base::File {
                fingerprint: Fingerprint::of(text.as_bytes()),
                path: base,
            },
            None,
            Vec::new(),
        );
        let mut editor = Editor::new(doc.clone());
        editor.set_recording(true);
        let mut n = 0u32;
        group.bench_function(BenchmarkId::new("journal_one_edit", strips), |b| {
            b.iter(|| {
                n += 1;
                editor.rename(7, &format!("renamed {n}")).expect("renamed");
                for (_, line) in editor.take_recorded() {
                    writer.append(line);
                }
                writer.flush();
            })
        });
        drop(editor);
        // What the window's Save does: the pieces written on every core, then to a file
        // atomically (synced), as `ogr2ogr -f GeoJSON` writes its file.
        let out = dir.path().join("saved.geojson");
        group.bench_with_input(BenchmarkId::new("save_to_file", strips), &doc, |b, doc| {
            b.iter(|| {
                let parts = write_geojson_parts(doc, &options, &|_, _| {});
                let bytes: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
                save_atomic_parts(&out, &bytes, true).expect("saved")
            })
        });
    }
    group.finish();
}

/// Small hostile files: one feature with many property keys, and one minified line with
/// many errors. Reading either must take time in proportion to its size (issue 11): the
/// time per key or per error stays flat as their number grows tenfold.
fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for keys in [30_000usize, 300_000] {
        let members: Vec<String> = (0..keys).map(|k| format!("\"k{k}\":{k}")).collect();
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"geometry\":null,\"properties\":{{{}}}}}]}}",
            members.join(",")
        );
        group.throughput(Throughput::Elements(keys as u64));
        group.bench_with_input(BenchmarkId::new("property_keys", keys), &text, |b, text| {
            b.iter(|| read_str(text, "keys"))
        });
    }
    for errors in [10_000usize, 100_000] {
        let features: Vec<String> = (0..errors)
            .map(|i| format!("{{\"type\":\"Feature\",\"id\":{i},\"geometry\":null,\"properties\":{{\"events\":[{{\"type\":\"bombed\",\"date\":\"2014\"}}]}}}}"))
            .collect();
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        );
        group.throughput(Throughput::Elements(errors as u64));
        group.bench_with_input(
            BenchmarkId::new("errors_on_one_line", errors),
            &text,
            |b, text| {
                b.iter(|| {
                    let parsed = read_str(text, "errors");
                    assert_eq!(parsed.error_count(), errors);
                    parsed
                })
            },
        );
    }
    group.finish();
}

/// Hashing evidence (issue 25): SHA-256 of a 256 MB file read from disk (the page cache),
/// 1 MB at a time, as `pistas evidence add` and `pistas verify` do.
fn evidence(c: &mut Criterion) {
    let mut group = c.benchmark_group("evidence");
    group.sample_size(10);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("image.bin");
    let size = 256usize << 20;
    let bytes: Vec<u8> = (0..size).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, &bytes).expect("write");
    drop(bytes);
    group.throughput(Throughput::Bytes(size as u64));
    group.bench_function("sha256_file/256MB", |b| {
        b.iter(|| pistas::io::evidence::sha256_file(&path).expect("hash"))
    });
    group.finish();
}

criterion_group!(benches, io, hostile, evidence);
criterion_main!(benches);

/// The allocator the application uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
