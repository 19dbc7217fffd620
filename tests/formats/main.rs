//! The formats researchers bring and take: CSV/TSV, KML/KMZ, GeoPackage, FlatGeobuf.
//! Pistas' own exports read back into the same strips and events; files GDAL writes of the
//! sample read back into the same strips; GDAL reads every new export; bad files get
//! messages that name the file and the place.

mod bad;
mod gdal;
mod own;
mod tables;

use std::path::Path;

use pistas::io::{ImportOptions, Parsed, WriteOptions, read_file, write_geojson};
use pistas::model::Document;
use serde_json::Value;

/// The illustrative sample shipped with Pistas.
pub fn sample() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/vraem-sample.geojson");
    let parsed = read_file(&path, &ImportOptions::default()).expect("sample");
    assert!(!parsed.has_errors());
    parsed.document
}

pub fn read(path: &Path) -> Parsed {
    read_file(path, &ImportOptions::default()).expect("readable")
}

/// What a strip means, by id: geometry, its own properties (not the derived ones), and
/// its events without the bounds the writer derives.
pub fn meaning(doc: &Document) -> std::collections::BTreeMap<String, Value> {
    let text = write_geojson(doc, &WriteOptions::default());
    let value: Value = serde_json::from_str(&text).expect("json");
    let mut out = std::collections::BTreeMap::new();
    for f in value["features"].as_array().expect("features") {
        let mut props = f["properties"].as_object().cloned().unwrap_or_default();
        for key in pistas::model::DERIVED_PROPERTIES {
            props.remove(key);
        }
        let events: Vec<Value> = props
            .remove("events")
            .and_then(|e| e.as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .map(|mut e| {
                if let Some(o) = e.as_object_mut() {
                    o.remove("date_start");
                    o.remove("date_end");
                }
                e
            })
            .collect();
        let id = match &f["id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.insert(
            id,
            serde_json::json!({"geometry": f["geometry"], "properties": props, "events": events}),
        );
    }
    out
}

/// Asserts two documents mean the same strips, naming the first difference.
pub fn assert_same(expected: &Document, got: &Document, what: &str) {
    let (a, b) = (meaning(expected), meaning(got));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the strips' ids differ"
    );
    for (id, value) in &a {
        assert_eq!(Some(value), b.get(id), "{what}: strip {id} differs");
    }
}

/// True when GDAL's command-line tools are installed; in CI they must be.
pub fn gdal_available(test: &str) -> bool {
    let found = std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "GDAL (ogrinfo) is missing in CI: .ci/run must install gdal-bin"
        );
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: GDAL's ogrinfo is not installed (apt-get install gdal-bin)"
        );
    }
    found
}

pub fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name)
}
