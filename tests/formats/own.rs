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
    assert_eq!(parsed.document.features.len(), doc.strips().count());
    for (a, b) in doc.strips().zip(parsed.document.strips()) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.events(), b.events(), "{}", a.id.as_str());
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
    let strip = &parsed.document.features[0];
    assert_eq!(strip.name(), Some("Uno"));
    assert!(
        strip.property("status").is_none(),
        "derived values are recomputed"
    );
    let events = strip.events();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].date.to_string(), "2014-09");
    assert_eq!(events[0].operation.as_deref(), Some("Operación Ene"));
    assert_eq!(events[0].sources.len(), 2);
    assert_eq!(events[1].date.to_string(), "2014-10-05");
}
