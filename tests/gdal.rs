//! GDAL as an independent reader of every export, and as a writer Pistas must read back.
//!
//! In CI (`CI` set) GDAL must be installed and these tests fail loudly without it. On a
//! machine without GDAL they pass but say, on the terminal, which checks they skipped.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use pistas::io::{Format, export, read_path};

fn gdal_available(test: &str) -> bool {
    let found = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "GDAL (ogrinfo) is missing in CI: .ci/run must install gdal-bin"
        );
        // Written past the test harness's capture, so a person running `cargo test` sees it.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: GDAL's ogrinfo is not installed (apt-get install gdal-bin)"
        );
    }
    found
}

/// A layer as `ogrinfo -so` describes it.
#[derive(Debug, Default)]
struct Layer {
    count: usize,
    geometry: String,
    fields: BTreeMap<String, String>,
}

fn ogrinfo(path: &Path, layer: Option<&str>, extra: &[&str]) -> Layer {
    let mut cmd = Command::new("ogrinfo");
    cmd.args(["-ro", "-so"]).args(extra).arg(path);
    match layer {
        Some(name) => cmd.arg(name),
        None => cmd.arg("-al"),
    };
    let out = cmd.output().expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut layer = Layer::default();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("Feature Count: ") {
            layer.count = n.trim().parse().expect("count");
        } else if let Some(g) = line.strip_prefix("Geometry: ") {
            layer.geometry = g.trim().to_owned();
        } else if let Some((name, rest)) = line.split_once(": ") {
            // Field lines read "name: Type (width.precision)".
            let Some((kind, width)) = rest.split_once(" (") else {
                continue;
            };
            let width = width.trim_end_matches(')');
            let is_width = width.split_once('.').is_some_and(|(a, b)| {
                a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit())
            });
            if is_width && !kind.contains(' ') {
                layer.fields.insert(name.trim().to_owned(), kind.to_owned());
            }
        }
    }
    layer
}

fn sample_export(dir: &Path, format: Format, name: &str) -> (std::path::PathBuf, usize, usize) {
    let parsed = read_path(&common::project_file("data/vraem-sample.geojson")).expect("sample");
    let doc = parsed.document;
    let strips = doc.strips().count();
    let events: usize = doc.strips().map(|f| f.events().len()).sum();
    let text = export(&doc, format, "2015-12-31".parse().expect("date")).expect("export");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    (path, strips, events)
}

fn assert_fields(layer: &Layer, expected: &[(&str, &str)]) {
    for (name, kind) in expected {
        assert_eq!(
            layer.fields.get(*name).map(String::as_str),
            Some(*kind),
            "field {name} in {layer:#?}"
        );
    }
}

#[test]
fn gdal_reads_the_profile_geojson() {
    if !gdal_available("gdal_reads_the_profile_geojson") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let (path, strips, _) = sample_export(dir.path(), Format::GeoJson, "strips.geojson");
    let layer = ogrinfo(&path, None, &[]);
    assert_eq!(layer.count, strips);
    assert_fields(
        &layer,
        &[
            ("name", "String"),
            ("events", "String(JSON)"),
            ("status", "String"),
            ("times_destroyed", "Integer"),
            ("times_rebuilt", "Integer"),
            ("first_event", "Date"),
            ("last_event", "Date"),
            ("runway_length_m", "Integer"),
        ],
    );
}

#[test]
fn gdal_reads_the_events_as_dated_points() {
    if !gdal_available("gdal_reads_the_events_as_dated_points") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let (path, _, events) = sample_export(dir.path(), Format::EventsGeoJson, "events.geojson");
    let layer = ogrinfo(&path, None, &[]);
    assert_eq!(layer.count, events);
    assert_eq!(layer.geometry, "Point");
    assert_fields(
        &layer,
        &[
            ("strip_id", "String"),
            ("type", "String"),
            ("date_start", "Date"),
            ("date_end", "Date"),
        ],
    );
}

#[test]
fn gdal_reads_both_csv_exports() {
    if !gdal_available("gdal_reads_both_csv_exports") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let detect = ["-oo", "AUTODETECT_TYPE=YES"];
    let (path, strips, _) = sample_export(dir.path(), Format::StripsCsv, "strips.csv");
    let layer = ogrinfo(&path, None, &detect);
    assert_eq!(layer.count, strips);
    assert_eq!(
        layer.geometry, "Unknown (any)",
        "the WKT column is read as geometry"
    );
    assert_fields(
        &layer,
        &[
            ("id", "String"),
            ("times_destroyed", "Integer"),
            ("first_event", "Date"),
            ("lon", "Real"),
        ],
    );
    let (path, _, events) = sample_export(dir.path(), Format::EventsCsv, "events.csv");
    let layer = ogrinfo(&path, None, &detect);
    assert_eq!(layer.count, events);
    assert_fields(
        &layer,
        &[
            ("strip_id", "String"),
            ("date_start", "Date"),
            ("date_end", "Date"),
        ],
    );
}

#[test]
fn gdal_reads_the_kml_with_time_spans() {
    if !gdal_available("gdal_reads_the_kml_with_time_spans") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let (path, strips, events) = sample_export(dir.path(), Format::Kml, "strips.kml");
    let layer = ogrinfo(&path, Some("Strips"), &[]);
    assert_eq!(layer.count, strips);
    let layer = ogrinfo(&path, Some("Events"), &[]);
    assert_eq!(layer.count, events);
    // LIBKML reads TimeSpan as begin/end; the plain KML driver has no time fields.
    if layer.fields.contains_key("begin") {
        assert_fields(
            &layer,
            &[
                ("begin", "DateTime"),
                ("end", "DateTime"),
                ("timestamp", "DateTime"),
            ],
        );
    }
    let text = Command::new("ogrinfo")
        .args(["-ro", "-al"])
        .arg(&path)
        .arg("Events")
        .output()
        .expect("ogrinfo");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("2014/09/02") || text.contains("2014-09-02"),
        "event dates reach GDAL"
    );
}

#[test]
fn files_written_by_ogr2ogr_load_back_without_loss_of_meaning() {
    if !gdal_available("files_written_by_ogr2ogr_load_back_without_loss_of_meaning") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let (path, _, _) = sample_export(dir.path(), Format::GeoJson, "strips.geojson");
    let original = read_path(&path)
        .expect("read")
        .into_strict()
        .expect("valid");
    for (name, options) in [
        ("gdal.geojson", vec![]),
        ("gdal-rfc7946.geojson", vec!["-lco", "RFC7946=YES"]),
    ] {
        let back = dir.path().join(name);
        let status = Command::new("ogr2ogr")
            .args(["-f", "GeoJSON"])
            .args(&options)
            .arg(&back)
            .arg(&path)
            .status()
            .expect("ogr2ogr");
        assert!(status.success());
        let parsed = read_path(&back).expect("read back");
        assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
        let doc = parsed.document;
        assert_eq!(doc.features().len(), original.features().len());
        for (a, b) in original.features().iter().zip(doc.features()) {
            assert_eq!(a.id(), b.id());
            assert_eq!(a.name(), b.name());
            assert_eq!(a.events(), b.events(), "{}: history changed", a.id());
            let (ga, gb) = (
                a.geometry().expect("geometry"),
                b.geometry().expect("geometry"),
            );
            assert_eq!(ga.kind(), gb.kind());
            let close = geo::Relate::relate(ga.shape(), gb.shape()).is_equal_topo()
                || format!("{:?}", ga.shape()) == format!("{:?}", gb.shape());
            assert!(close, "{}: geometry changed", a.id());
        }
    }
}

/// The sample's strips rebuilt at least once, as the window's "filtered" export builds them.
fn filtered_sample() -> pistas::model::Document {
    use pistas::analysis::{FactBook, Filter};
    let doc = read_path(&common::project_file("data/vraem-sample.geojson"))
        .expect("sample")
        .into_strict()
        .expect("valid");
    let facts = FactBook::build(&doc);
    let day = "2015-12-31".parse().expect("date");
    let filter = Filter {
        min_rebuilt: 2,
        ..Filter::default()
    };
    let passes = facts.apply(&filter, &facts.statuses_at(day));
    doc.subset(|i, _| passes.get(i).copied().unwrap_or(false))
}

#[test]
fn gdal_reads_every_filtered_and_rounded_export() {
    if !gdal_available("gdal_reads_every_filtered_and_rounded_export") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let filtered = filtered_sample();
    let strips = filtered.strips().count();
    let events: usize = filtered.strips().map(|f| f.events().len()).sum();
    assert!(strips > 0 && strips < 60, "{strips}");
    // Rounded to 3 decimals (about 110 m), as the Export dialog's precision option does.
    let doc = pistas::io::round_coordinates(&filtered, 3);
    let day = "2015-12-31".parse().expect("date");
    let detect = ["-oo", "AUTODETECT_TYPE=YES"];
    for (format, name, layer, count) in [
        (Format::GeoJson, "f.geojson", None, strips),
        (Format::EventsGeoJson, "f-events.geojson", None, events),
        (Format::StripsCsv, "f.csv", None, strips),
        (Format::EventsCsv, "f-events.csv", None, events),
        (Format::Kml, "f.kml", Some("Strips"), strips),
        (Format::Kml, "f.kml", Some("Events"), events),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, export(&doc, format, day).expect("export")).expect("write");
        let extra: &[&str] = if name.ends_with(".csv") { &detect } else { &[] };
        let read = ogrinfo(&path, layer, extra);
        assert_eq!(read.count, count, "{name} {layer:?}");
        if format == Format::EventsGeoJson {
            assert_fields(&read, &[("date_start", "Date"), ("date_end", "Date")]);
        }
    }
    // Every coordinate GDAL reads back has at most 3 decimals.
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .arg(dir.path().join("f.geojson"))
        .output()
        .expect("ogrinfo");
    let text = String::from_utf8_lossy(&out.stdout);
    let geometries: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("POINT") || l.starts_with("LINESTRING") || l.starts_with("POLYGON")
        })
        .collect();
    assert_eq!(geometries.len(), strips);
    for wkt in geometries {
        let numbers = wkt
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|t| t.contains(|c: char| c.is_ascii_digit()));
        for number in numbers {
            let decimals = number.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 3, "{wkt}");
        }
    }
}

#[test]
fn gdal_reads_a_merged_layer() {
    if !gdal_available("gdal_reads_a_merged_layer") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("merged.geojson");
    let status = Command::new(env!("CARGO_BIN_EXE_pistas"))
        .arg("merge")
        .arg(common::project_file("tests/fixtures/merge/working.geojson"))
        .arg(common::project_file(
            "tests/fixtures/merge/incoming.geojson",
        ))
        .arg("-o")
        .arg(&out)
        .status()
        .expect("pistas merge");
    assert!(status.success());
    let layer = ogrinfo(&out, None, &[]);
    assert_eq!(layer.count, 6);
    assert_fields(
        &layer,
        &[
            ("times_rebuilt", "Integer"),
            ("last_event", "Date"),
            ("events", "String(JSON)"),
        ],
    );
}

#[test]
fn gdal_reads_what_pistas_writes_of_other_producers_files() {
    if !gdal_available("gdal_reads_what_pistas_writes_of_other_producers_files") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let root = common::project_file("tests/fixtures/producers");
    let mut checked = 0;
    for folder in ["python-json-dump", "gdal", "qgis", "geojsonio", "dateline"] {
        for entry in std::fs::read_dir(root.join(folder))
            .expect("folder")
            .flatten()
        {
            let path = entry.path();
            if !path
                .extension()
                .is_some_and(|e| e == "geojson" || e == "json")
            {
                continue;
            }
            let parsed = read_path(&path).expect("read");
            if parsed.has_errors() || parsed.document.features().is_empty() {
                continue;
            }
            let out = dir.path().join(format!("{checked}.geojson"));
            let text = pistas::io::write_geojson(&parsed.document, &common::options());
            std::fs::write(&out, text).expect("write");
            let layer = ogrinfo(&out, None, &[]);
            assert_eq!(
                layer.count,
                parsed.document.features().len(),
                "{}: GDAL sees every feature Pistas wrote",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked} files checked");
}
