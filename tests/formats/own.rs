//! Pistas' own exports read back into the same strips and events.

use pistas::io::{Format, ImportOptions, export, read_file};

use super::{assert_same, read, sample};

fn day() -> chrono::NaiveDate {
    "2016-06-30".parse().expect("date")
}

#[test]
fn own_csv_kml_geopackage_and_flatgeobuf_read_back_into_the_same_strips() {
    let doc = sample();
    let dir = tempfile::tempdir().expect("dir");
    // The strips CSV reads its events from the events CSV beside it.
    std::fs::write(
        dir.path().join("vraem-events.csv"),
        export(&doc, Format::EventsCsv, day()).expect("events"),
    )
    .expect("write");
    for (name, format) in [
        ("vraem.csv", Format::StripsCsv),
        ("vraem.kml", Format::Kml),
        ("vraem.gpkg", Format::GeoPackage),
        ("vraem.fgb", Format::FlatGeobuf),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, export(&doc, format, day()).expect("export")).expect("write");
        let parsed = read(&path);
        assert!(!parsed.has_errors(), "{name}: {:?}", parsed.diagnostics);
        assert_same(&doc, &parsed.document, name);
    }
}

#[test]
fn a_kmz_is_its_kml() {
    let doc = sample();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("vraem.kmz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    zip.start_file("doc.kml", zip::write::SimpleFileOptions::default())
        .expect("entry");
    std::io::Write::write_all(&mut zip, &export(&doc, Format::Kml, day()).expect("kml"))
        .expect("write");
    zip.finish().expect("zip");
    let parsed = read(&path);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert_same(&doc, &parsed.document, "kmz");
}

#[test]
fn the_events_csv_alone_gives_the_strips_their_histories_at_their_points() {
    let doc = sample();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("only-events.csv");
    std::fs::write(
        &path,
        export(&doc, Format::EventsCsv, day()).expect("events"),
    )
    .expect("write");
    let parsed = read(&path);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.document.features().len(), doc.strips().count());
    for (a, b) in doc.strips().zip(parsed.document.strips()) {
        assert_eq!(a.id(), b.id());
        assert_eq!(a.events(), b.events(), "{}", a.id().as_str());
    }
}

#[test]
fn a_kml_written_before_event_data_reads_its_times_and_descriptions() {
    // Pistas' KML of the first round had only strip_id and type on events, the time in
    // TimeStamp/TimeSpan and the rest in the description.
    let kml = r#"<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Pistas export</name>
<Folder><name>Strips</name><Placemark id="s1"><name>Uno</name><ExtendedData><Data name="id"><value>s1</value></Data><Data name="status"><value>rebuilt</value></Data></ExtendedData><Point><coordinates>-73.9,-12.4</coordinates></Point></Placemark></Folder>
<Folder><name>Events</name>
<Placemark><name>destroyed 2014-09: Uno</name><TimeSpan><begin>2014-09-01</begin><end>2014-09-30</end></TimeSpan><description>strip s1: destroyed 2014-09
operation: Operación Ene
sources: DEVIDA report | El Comercio</description><ExtendedData><Data name="strip_id"><value>s1</value></Data><Data name="type"><value>destroyed</value></Data></ExtendedData><Point><coordinates>-73.9,-12.4</coordinates></Point></Placemark>
<Placemark><name>rebuilt 2014-10-05: Uno</name><TimeStamp><when>2014-10-05</when></TimeStamp><description>strip s1: rebuilt 2014-10-05</description><ExtendedData><Data name="strip_id"><value>s1</value></Data><Data name="type"><value>rebuilt</value></Data></ExtendedData><Point><coordinates>-73.9,-12.4</coordinates></Point></Placemark>
</Folder></Document></kml>"#;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.kml");
    std::fs::write(&path, kml).expect("write");
    let parsed = read_file(&path, &ImportOptions::default()).expect("read");
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let strip = &parsed.document.features()[0];
    assert_eq!(strip.name(), Some("Uno"));
    assert!(
        strip.property("status").is_none(),
        "derived values are recomputed"
    );
    let events = strip.events();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].date().to_string(), "2014-09");
    assert_eq!(events[0].operation().as_deref(), Some("Operación Ene"));
    assert_eq!(events[0].sources().len(), 2);
    assert_eq!(events[1].date().to_string(), "2014-10-05");
}

#[test]
fn awkward_property_names_and_number_ids_read_back() {
    // Properties named as the GeoPackage's own columns, or as derived columns in another
    // case, and ids that are numbers.
    let text = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[-73.9,-12.4]},
       "properties":{"name":"Uno","fid":"qgis-1","Status":"activa","GEOM":"x","status_note":"ok","property:x":1,"empty":null,
         "events":[{"type":"built","date":"2014-03"}]}},
      {"type":"Feature","id":12,"geometry":{"type":"Point","coordinates":[-73.8,-12.5]},
       "properties":{"name":"Dos","fid":"qgis-2","Status":"destruida","GEOM":"y","status_note":"ok","property:x":2,"empty":null,
         "events":[]}}]}"#;
    let doc = pistas::io::read_str(text, "awkward.geojson").document;
    assert!(matches!(
        doc.features()[0].id(),
        pistas::model::FeatureId::Number(_)
    ));
    let dir = tempfile::tempdir().expect("dir");
    for (name, format) in [
        ("a.gpkg", Format::GeoPackage),
        ("a.fgb", Format::FlatGeobuf),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, export(&doc, format, day()).expect("export")).expect("write");
        let back = read(&path);
        assert!(!back.has_errors(), "{name}: {:?}", back.diagnostics);
        // (FlatGeobuf's spatial index orders features along a curve.)
        for a in doc.features() {
            let b = back
                .document
                .features()
                .iter()
                .find(|b| b.id().as_str() == a.id().as_str())
                .expect("the same ids");
            assert_eq!(a.id(), b.id(), "{name}: the id keeps its type");
            for key in ["fid", "Status", "GEOM", "status_note", "property:x"] {
                assert_eq!(
                    a.property(key).map(|v| v.get()),
                    b.property(key).map(|v| v.get()),
                    "{name}: {key}"
                );
            }
            assert_eq!(a.events(), b.events(), "{name}");
        }
    }
    // In a spreadsheet, null and absent are both an empty cell, and read back absent.
    let path = dir.path().join("a.csv");
    std::fs::write(&path, export(&doc, Format::StripsCsv, day()).expect("csv")).expect("write");
    let back = read(&path);
    assert!(back.document.features()[0].property("empty").is_none());
    assert_eq!(
        back.document.features()[1]
            .property("Status")
            .map(|v| v.get()),
        Some("\"destruida\"")
    );
}

#[test]
fn a_damaged_geometry_blob_is_refused_not_allocated() {
    // A line claiming four billion points in a few bytes.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("bomb.gpkg");
    std::fs::write(
        &path,
        export(&sample(), Format::GeoPackage, day()).expect("gpkg"),
    )
    .expect("write");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute(
            "UPDATE strips SET geom = X'47500001E61000000102000000FFFFFFFF0000000000000000' WHERE fid = 1",
            [],
        )
        .expect("damage");
    }
    let parsed = read(&path);
    assert!(!parsed.fatal);
    assert_eq!(parsed.document.strips().count(), sample().strips().count());
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.message.contains("damaged"))
        .expect("said");
    assert!(d.message.contains("fid 1"), "{d}");
}

#[test]
fn a_flatgeobuf_box_reads_what_its_index_finds_there() {
    let doc = sample();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("strips.fgb");
    std::fs::write(&path, export(&doc, Format::FlatGeobuf, day()).expect("fgb")).expect("write");
    let bbox = pistas::io::import::Bbox::parse("-74.1,-12.6,-73.8,-12.2").expect("box");
    let options = ImportOptions {
        bbox: Some(bbox),
        ..ImportOptions::default()
    };
    let inside = read_file(&path, &options).expect("read").document;
    let mut got: Vec<String> = inside
        .features()
        .iter()
        .map(|f| f.id().as_str().to_owned())
        .collect();
    let mut expected: Vec<String> = doc
        .strips()
        .filter(|f| f.geometry().is_some_and(|g| bbox.touches(g.shape())))
        .map(|f| f.id().as_str().to_owned())
        .collect();
    got.sort();
    expected.sort();
    assert!(!expected.is_empty() && expected.len() < doc.strips().count());
    assert_eq!(got, expected);
}

#[test]
fn every_format_converts_on_the_command_line() {
    let doc = sample();
    let dir = tempfile::tempdir().expect("dir");
    for (name, format) in [
        ("in.csv", Format::StripsCsv),
        ("in.kml", Format::Kml),
        ("in.gpkg", Format::GeoPackage),
        ("in.fgb", Format::FlatGeobuf),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, export(&doc, format, day()).expect("export")).expect("write");
        let out = dir.path().join(format!("{name}.geojson"));
        assert_cmd::Command::cargo_bin("pistas")
            .expect("binary")
            .arg("convert")
            .arg(&input)
            .arg(&out)
            .assert()
            .success();
        let back = read(&out).document;
        assert_eq!(back.strips().count(), doc.strips().count(), "{name}");
    }
    // A GeoPackage layer by name, a box, and the refusal of a layer that is not there.
    let gpkg = dir.path().join("in.gpkg");
    let out = dir.path().join("events.geojson");
    assert_cmd::Command::cargo_bin("pistas")
        .expect("binary")
        .args([
            "convert",
            "--layer",
            "events",
            "--bbox",
            "-74.1,-12.6,-73.8,-12.2",
        ])
        .arg(&gpkg)
        .arg(&out)
        .args(["--to", "geojson"])
        .assert()
        .success();
    assert!(!read(&out).document.features().is_empty());
    assert_cmd::Command::cargo_bin("pistas")
        .expect("binary")
        .args(["convert", "--layer", "nope"])
        .arg(&gpkg)
        .arg(dir.path().join("x.geojson"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("has no layer \"nope\""));
}
