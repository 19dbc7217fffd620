//! Bad files: each gets a message naming the file and the row, element or table, and
//! the problem; nothing panics.

use pistas::io::{Format, export};

use super::{read, sample};

fn first(parsed: &pistas::io::Parsed) -> String {
    parsed
        .diagnostics
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn day() -> chrono::NaiveDate {
    "2016-06-30".parse().expect("date")
}

#[test]
fn a_truncated_geopackage_says_it_is_cut_off() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("cut.gpkg");
    let bytes = export(&sample(), Format::GeoPackage, day()).expect("gpkg");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("write");
    let parsed = read(&path);
    assert!(parsed.fatal);
    let message = first(&parsed);
    assert!(
        message.starts_with(&format!("{}: error: ", path.display())),
        "{message}"
    );
    assert!(message.contains("cut off"), "{message}");
}

#[test]
fn a_damaged_geopackage_names_the_table() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("damaged.gpkg");
    let mut bytes = export(&sample(), Format::GeoPackage, day()).expect("gpkg");
    // Overwrite the last pages (the events table's rows) with garbage of the same size.
    let n = bytes.len();
    for b in &mut bytes[n - 8192..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).expect("write");
    let parsed = read(&path);
    let message = first(&parsed);
    assert!(parsed.fatal || parsed.has_errors(), "{message}");
    assert!(
        message.contains("table \"") || message.contains("GeoPackage"),
        "{message}"
    );
}

#[test]
fn kml_with_broken_xml_names_the_line_and_column() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("broken.kml");
    let kml = String::from_utf8(export(&sample(), Format::Kml, day()).expect("kml")).expect("utf8");
    let broken = kml.replacen("</name>", "</nmae>", 3);
    std::fs::write(&path, broken).expect("write");
    let parsed = read(&path);
    assert!(parsed.fatal);
    let message = first(&parsed);
    let prefix = format!("{}:", path.display());
    assert!(message.starts_with(&prefix), "{message}");
    let place: Vec<&str> = message[prefix.len()..].splitn(3, ':').collect();
    assert!(
        place[0].parse::<usize>().is_ok() && place[1].parse::<usize>().is_ok(),
        "line and column: {message}"
    );
    assert!(message.contains("not well-formed"), "{message}");
}

#[test]
fn a_csv_without_coordinate_columns_says_what_it_looked_for() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("names.csv");
    std::fs::write(&path, "nombre;departamento\nPista 1;Cusco\n").expect("write");
    let parsed = read(&path);
    assert!(parsed.fatal);
    let message = first(&parsed);
    assert!(
        message.starts_with(&format!(
            "{}:1: error: no coordinate columns",
            path.display()
        )),
        "{message}"
    );
    assert!(
        message.contains("\"nombre\", \"departamento\""),
        "{message}"
    );
}

#[test]
fn a_reference_system_pistas_cannot_handle_is_named() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("nowhere.gpkg");
    std::fs::write(
        &path,
        export(&sample(), Format::GeoPackage, day()).expect("gpkg"),
    )
    .expect("write");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('Local grid', 990001, 'NONE', 990001, 'LOCAL_CS[\"Mine survey grid\",UNIT[\"metre\",1]]', NULL);
             UPDATE gpkg_geometry_columns SET srs_id = 990001 WHERE table_name = 'strips';
             UPDATE gpkg_contents SET srs_id = 990001 WHERE table_name = 'strips';",
        )
        .expect("change the CRS");
    }
    let parsed = read(&path);
    assert!(parsed.fatal);
    let message = first(&parsed);
    assert!(
        message.contains("layer \"strips\"")
            && message.contains("cannot handle")
            && message.contains("Local grid"),
        "{message}"
    );
}

#[test]
fn a_geopackage_with_several_layers_asks_for_one_and_reads_the_one_named() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("two.gpkg");
    std::fs::write(
        &path,
        export(&sample(), Format::GeoPackage, day()).expect("gpkg"),
    )
    .expect("write");
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch("PRAGMA foreign_keys = OFF; ALTER TABLE events RENAME TO sightings; UPDATE gpkg_contents SET table_name = 'sightings', identifier = 'sightings' WHERE table_name = 'events'; UPDATE gpkg_geometry_columns SET table_name = 'sightings' WHERE table_name = 'events';").expect("rename");
    }
    let parsed = read(&path);
    assert!(parsed.fatal);
    let message = first(&parsed);
    assert!(
        message.contains("2 layers")
            && message.contains("\"strips\" (60 features)")
            && message.contains("--layer"),
        "{message}"
    );
    let options = pistas::io::ImportOptions {
        layer: Some("sightings".into()),
        ..Default::default()
    };
    let parsed = pistas::io::read_file(&path, &options).expect("read");
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert_eq!(
        parsed.document.features().len(),
        sample().strips().map(|s| s.events().len()).sum::<usize>()
    );
}

#[test]
fn a_truncated_flatgeobuf_and_an_empty_kmz_are_said() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("cut.fgb");
    let bytes = export(&sample(), Format::FlatGeobuf, day()).expect("fgb");
    std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).expect("write");
    let parsed = read(&path);
    assert!(parsed.fatal, "{:?}", parsed.diagnostics);
    assert!(
        first(&parsed).contains("cut off") || first(&parsed).contains("cannot be read"),
        "{}",
        first(&parsed)
    );
    let kmz = dir.path().join("empty.kmz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&kmz).expect("create"));
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .expect("entry");
    zip.finish().expect("zip");
    let parsed = read(&kmz);
    assert!(parsed.fatal);
    assert!(
        first(&parsed).contains("holds no .kml file"),
        "{}",
        first(&parsed)
    );
}

#[test]
fn random_bytes_in_any_format_never_panic() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
    let dir = tempfile::tempdir().expect("dir");
    let doc = sample();
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        (
            "gpkg",
            export(&doc, Format::GeoPackage, day()).expect("gpkg"),
        ),
        ("fgb", export(&doc, Format::FlatGeobuf, day()).expect("fgb")),
        ("kml", export(&doc, Format::Kml, day()).expect("kml")),
        ("csv", export(&doc, Format::StripsCsv, day()).expect("csv")),
    ];
    for round in 0..40 {
        for (ext, seed) in &seeds {
            let mut bytes = seed.clone();
            for _ in 0..rng.random_range(1..20) {
                let at = rng.random_range(0..bytes.len());
                bytes[at] = rng.random();
            }
            if round % 3 == 0 {
                bytes.truncate(rng.random_range(0..bytes.len()));
            }
            let path = dir.path().join(format!("r{round}.{ext}"));
            std::fs::write(&path, &bytes).expect("write");
            let parsed = read(&path);
            if parsed.fatal {
                assert!(!parsed.diagnostics.is_empty());
            }
        }
    }
}
