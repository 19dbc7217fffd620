//! The fast reader gives exactly what the full reader gives, for every file it accepts,
//! and it accepts the files Pistas and other tools write when they have no errors.

use std::path::{Path, PathBuf};

use pistas::io::{WriteOptions, read_fast, read_str, read_str_full, write_geojson};
use pistas::model::synthetic;

fn options() -> WriteOptions {
    WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "geojson" || e == "json")
        {
            out.push(path);
        }
    }
}

/// Checks that the fast reader, when it accepts `text`, agrees with the full reader.
/// Returns whether it accepted.
fn agrees(text: &str, name: &str) -> bool {
    let full = read_str_full(text, name);
    let Some(fast) = read_fast(text, name) else {
        return false;
    };
    assert!(
        !full.has_errors() && !full.fatal,
        "{name}: the fast reader accepted a file with errors: {:?}",
        full.diagnostics
    );
    assert_eq!(fast.diagnostics, full.diagnostics, "{name}");
    assert_eq!(fast.rejected, full.rejected, "{name}");
    assert_eq!(fast.document, full.document, "{name}: the documents differ");
    assert_eq!(
        write_geojson(&fast.document, &options()),
        write_geojson(&full.document, &options()),
        "{name}: the documents are written differently"
    );
    true
}

#[test]
fn every_fixture_reads_the_same_fast_or_full() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("tests/fixtures"), &mut paths);
    files(&root.join("data"), &mut paths);
    assert!(paths.len() > 50, "fixtures not found: {}", paths.len());
    let mut accepted = 0;
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.display().to_string();
        if agrees(&text, &name) {
            accepted += 1;
        } else {
            // Every FeatureCollection with nothing to report but the ids Pistas gave takes
            // the fast path.
            let full = read_str_full(&text, &name);
            let collection = serde_json::from_str::<serde_json::Value>(&text)
                .is_ok_and(|v| v["type"] == "FeatureCollection");
            let only_ids = full
                .diagnostics
                .iter()
                .all(|d| d.message.contains("Pistas gave"));
            assert!(
                !(only_ids && !full.fatal && collection),
                "{name}: a clean FeatureCollection did not take the fast path"
            );
        }
        // And read_str, whichever path it takes, gives the full reader's result.
        let (a, b) = (read_str(&text, &name), read_str_full(&text, &name));
        assert_eq!(a.document, b.document, "{name}");
        assert_eq!(a.diagnostics, b.diagnostics, "{name}");
        assert_eq!(a.rejected, b.rejected, "{name}");
    }
    // Clean FeatureCollections among the fixtures take the fast path.
    eprintln!("{accepted} of {} files took the fast path", paths.len());
    assert!(accepted >= 5, "only {accepted} files took the fast path");
}

#[test]
fn the_sample_and_generated_files_take_the_fast_path() {
    let sample = include_str!("../data/vraem-sample.geojson");
    assert!(agrees(sample, "vraem-sample.geojson"));
    let aerodromes = include_str!("../data/aerodromes-vraem.geojson");
    assert!(agrees(aerodromes, "aerodromes-vraem.geojson"));
    // Large enough to be read on several threads (parts of at least 1 MB).
    let doc = synthetic::generate(3_000, 7);
    let text = write_geojson(&doc, &options());
    assert!(text.len() > 2 << 20);
    assert!(agrees(&text, "synthetic"));
    assert_eq!(
        read_fast(&text, "synthetic")
            .expect("fast")
            .document
            .features
            .len(),
        3_000
    );
}
