//! Files that other tools wrote (`tests/fixtures/producers`: Python's `json.dump`, GDAL and
//! QGIS, GDAL's own test files, geojson.io and Placemark, dateline data) open with every
//! feature, every name and every note as those tools meant them, and round-trip.

mod common;

use std::path::PathBuf;

use pistas::io::{WriteOptions, read_path, read_str, write_geojson};

fn producer_files() -> Vec<PathBuf> {
    let found = common::files_below("producers", &["geojson", "json"]);
    assert!(found.len() > 30, "the producer fixtures are there");
    found
}

fn options() -> WriteOptions {
    WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    }
}

/// The features of a file as an independent JSON reader (serde_json's `Value`) sees them.
fn features_as_json(text: &str) -> Vec<serde_json::Value> {
    let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    match value.get("type").and_then(|t| t.as_str()) {
        Some("FeatureCollection") => value["features"].as_array().cloned().unwrap_or_default(),
        _ => vec![value],
    }
}

#[test]
fn every_feature_name_and_note_opens_as_the_producer_wrote_it() {
    for path in producer_files() {
        let text = std::fs::read_to_string(&path).expect("read");
        let parsed = read_path(&path).expect("read");
        let name = path.display();
        assert!(!parsed.fatal, "{name}: {:?}", parsed.diagnostics);
        let json = features_as_json(text.trim_start_matches('\u{feff}'));
        assert_eq!(
            parsed.document.features().len(),
            json.len(),
            "{name}: every feature opens"
        );
        for (feature, value) in parsed.document.features().iter().zip(&json) {
            if feature.unread().is_some() {
                continue;
            }
            let properties = value.get("properties");
            for (key, got) in [("name", feature.name()), ("notes", feature.notes())] {
                let expected = properties.and_then(|p| p.get(key)).and_then(|v| v.as_str());
                assert_eq!(got, expected, "{name}: the {key} of {}", feature.id());
            }
        }
    }
}

#[test]
fn every_producer_file_round_trips_and_clean_ones_stay_clean() {
    for path in producer_files() {
        let parsed = read_path(&path).expect("read");
        let name = path.display();
        let written = write_geojson(&parsed.document, &options());
        let again = read_str(&written, "written");
        assert_eq!(again.document, parsed.document, "{name}: round trip");
        if !parsed.has_errors() {
            assert!(
                !again.has_errors(),
                "{name}: Pistas wrote a file with errors: {:?}",
                again.diagnostics
            );
        }
    }
}

#[test]
fn python_escapes_are_text() {
    let path = common::project_file("tests/fixtures/producers/python-json-dump/default.geojson");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("\\u00f1"), "json.dump escapes ñ by default");
    let parsed = read_path(&path).expect("read");
    let names: Vec<&str> = parsed
        .document
        .features()
        .iter()
        .filter_map(|f| f.name())
        .collect();
    assert!(
        names.iter().any(|n| n.contains('ñ') || n.contains('Ñ')),
        "{names:?}"
    );
    // Search, labels and exports read the decoded name.
    let csv =
        pistas::io::strips_csv(&parsed.document, "2026-01-01".parse().expect("date")).expect("csv");
    assert!(csv.contains('ñ') || csv.contains('Ñ'), "{csv}");
}

#[test]
fn dateline_data_opens_with_warnings_not_errors() {
    let dir = common::project_file("tests/fixtures/producers/dateline");
    for file in [
        "us-states-style-beyond-180.json",
        "linestring-179-to-181.geojson",
        "empty-polygon.geojson",
        "rfc7946-split-antimeridian.geojson",
    ] {
        let parsed = read_path(&dir.join(file)).expect("read");
        assert!(!parsed.has_errors(), "{file}: {:#?}", parsed.diagnostics);
        assert!(
            parsed
                .document
                .features()
                .iter()
                .all(|f| f.unread().is_none())
        );
    }
    let beyond = read_path(&dir.join("us-states-style-beyond-180.json")).expect("read");
    assert!(
        beyond
            .diagnostics
            .iter()
            .any(|d| d.message.contains("dateline")),
        "{:#?}",
        beyond.diagnostics
    );
}
