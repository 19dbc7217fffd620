//! Every public fixture: bad files are rejected with located, readable errors; good files
//! load and survive a save without losing anything.

mod common;

use pistas::io::{read_path, read_str, write_geojson};
use serde_json::Value;

#[test]
fn every_bad_fixture_is_rejected_with_a_clear_message() {
    let files = common::fixtures("check-geojson/bad");
    assert!(
        files.len() >= 40,
        "the bad suite is missing: {}",
        files.len()
    );
    for path in files {
        let parsed = read_path(&path).expect("readable");
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(!errors.is_empty(), "{} was accepted", path.display());
        for error in errors {
            let text = error.to_string();
            assert!(text.starts_with(&path.display().to_string()), "{text}");
            assert!(error.message.len() > 15, "terse message: {text}");
            assert!(
                error.line.is_some() || error.feature_index.is_some(),
                "unlocated: {text}"
            );
        }
    }
}

/// Every member of `input` is in `output` with the same value; `output` may add members.
/// In strips, the derived summary and event bounds are recomputed, so they are not compared.
fn assert_preserved(input: &Value, output: &Value, path: &str) {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            let strip = a.contains_key("events");
            for (key, value) in a {
                if strip && pistas::model::DERIVED_PROPERTIES.contains(&key.as_str()) {
                    continue;
                }
                if key == "date_start" || key == "date_end" {
                    continue;
                }
                let Some(other) = b.get(key) else {
                    panic!("{path}.{key} was lost");
                };
                assert_preserved(value, other, &format!("{path}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{path}: list length changed");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_preserved(x, y, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(input, output, "{path} changed"),
    }
}

/// The features of a GeoJSON value, as a FeatureCollection's list.
fn as_features(value: &Value) -> Vec<Value> {
    match value["type"].as_str() {
        Some("FeatureCollection") => value["features"].as_array().cloned().unwrap_or_default(),
        Some("Feature") => vec![value.clone()],
        _ => vec![serde_json::json!({"type": "Feature", "geometry": value, "properties": null})],
    }
}

fn round_trip(path: &std::path::Path) {
    let text = std::fs::read_to_string(path).expect("read");
    let name = path.display().to_string();
    let parsed = read_str(&text, &name);
    assert!(!parsed.has_errors(), "{name}: {:#?}", parsed.diagnostics);
    let written = write_geojson(&parsed.document, &common::options());
    let output: Value = serde_json::from_str(&written).expect("valid JSON out");
    let input: Value = serde_json::from_str(&text).expect("valid JSON in");
    let (inputs, outputs) = (as_features(&input), as_features(&output));
    assert_eq!(inputs.len(), outputs.len(), "{name}: feature count");
    for (i, (a, b)) in inputs.iter().zip(&outputs).enumerate() {
        assert_preserved(a, b, &format!("{name}: features[{i}]"));
    }
    if input["type"] == "FeatureCollection" {
        let mut top = input.clone();
        top.as_object_mut().expect("object").remove("features");
        assert_preserved(&top, &output, &name);
    }
    // Reading what was written gives the same document, and writing it again the same text.
    let again = read_str(&written, &name);
    assert!(!again.has_errors(), "{name}: {:#?}", again.diagnostics);
    assert_eq!(again.document, parsed.document, "{name}: document changed");
    assert_eq!(
        write_geojson(&again.document, &common::options()),
        written,
        "{name}: not stable"
    );
    // An independent parser accepts the output as GeoJSON.
    written
        .parse::<geojson::GeoJson>()
        .unwrap_or_else(|e| panic!("{name}: geojson crate rejects output: {e}"));
}

#[test]
fn every_good_fixture_loads_and_round_trips() {
    let mut files = common::fixtures("check-geojson/good");
    files.extend(common::fixtures("geojson-fixtures"));
    files.extend(common::fixtures("pistas/good"));
    assert!(
        files.len() >= 30,
        "good suites are missing: {}",
        files.len()
    );
    for path in files {
        round_trip(&path);
    }
}
