//! Spreadsheets as people's programs save them.

use super::{fixture, read};

#[test]
fn a_semicolon_csv_in_windows_1252_with_decimal_commas_and_dms() {
    let parsed = read(&fixture("encuesta-windows1252.csv"));
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let f = &parsed.document.features();
    assert_eq!(f.len(), 3);
    assert_eq!(f[0].name(), Some("Pista Ñaupa"), "Nombre is the name");
    assert_eq!(
        f[0].id().as_str(),
        "007",
        "Código is the id, its leading zeros kept"
    );
    assert_eq!(f[0].property("Largo (m)").expect("length").get(), "1200.5");
    assert_eq!(
        f[0].property("Latitud").expect("kept").get(),
        "\"12°21'05\\\"S\"",
        "the original text is kept"
    );
    let point = |i: usize| match f[i].geometry().expect("located").shape() {
        geo::Geometry::Point(p) => (p.x(), p.y()),
        other => panic!("{other:?}"),
    };
    let (x, y) = point(0);
    assert!(
        (y + 12.351_389).abs() < 1e-6 && (x + 73.952_778).abs() < 1e-6,
        "{x} {y}"
    );
    let (x, y) = point(1);
    assert!(
        (y + (12.0 + 25.0 / 60.0 + 30.5 / 3600.0)).abs() < 1e-6 && (x + 74.036_389).abs() < 1e-6,
        "{x} {y}"
    );
    assert_eq!(point(2), (-74.2311, -11.9834));
}

#[test]
fn a_comma_csv_in_utf8_with_a_bom_and_portuguese_headers() {
    let parsed = read(&fixture("levantamento-utf8-bom.csv"));
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let f = &parsed.document.features();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].id().as_str(), "br-1", "the id column gives the ids");
    assert_eq!(f[0].name(), Some("Pista São João"), "nome is the name");
    assert_eq!(f[1].property("comprimento_m").expect("n").get(), "1100.5");
    assert!(
        f[0].property("observação").is_some(),
        "the BOM is not part of a header"
    );
    match f[1].geometry().expect("located").shape() {
        geo::Geometry::Point(p) => assert_eq!((p.x(), p.y()), (-61.5, -4.25)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn excel_unicode_text_is_utf16_tab_separated() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("unicode.txt");
    let text = "nombre\tlat\tlon\r\nPista Ñ\t-12.5\t-73.5\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&path, bytes).expect("write");
    let parsed = read(&path);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.document.features()[0].name(), Some("Pista Ñ"));
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(64))]
    /// Whatever text a spreadsheet's cells hold, each row opens as a feature with that
    /// text, and located rows land where their numbers say.
    #[test]
    fn every_row_of_any_csv_opens_with_its_cells(
        rows in proptest::collection::vec(("\\PC{0,10}", -90.0f64..90.0, -180.0f64..180.0), 1..12),
        semicolon: bool,
    ) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("any.csv");
        let d = if semicolon { b';' } else { b',' };
        let mut w = csv::WriterBuilder::new().delimiter(d).from_writer(Vec::new());
        w.write_record(["nota", "lat", "lon"]).expect("header");
        for (text, lat, lon) in &rows {
            let (lat, lon) = if semicolon {
                (lat.to_string().replace('.', ","), lon.to_string().replace('.', ","))
            } else {
                (lat.to_string(), lon.to_string())
            };
            w.write_record([text.as_str(), &lat, &lon]).expect("row");
        }
        std::fs::write(&path, w.into_inner().expect("bytes")).expect("write");
        let parsed = read(&path);
        proptest::prop_assert!(!parsed.fatal, "{:?}", parsed.diagnostics);
        proptest::prop_assert_eq!(parsed.document.features().len(), rows.len());
        for (f, (text, lat, lon)) in parsed.document.features().iter().zip(&rows) {
            let kept = f.property_str("nota").map(|s| s.into_owned()).unwrap_or_default();
            if !text.trim().is_empty() && !text.trim_start().starts_with(['[', '{']) && text.trim().parse::<f64>().is_err() && !["true", "false"].contains(&text.trim().to_lowercase().as_str()) {
                proptest::prop_assert_eq!(&kept, text);
            }
            match f.geometry().map(|g| g.shape()) {
                Some(geo::Geometry::Point(p)) => {
                    proptest::prop_assert!((p.x() - lon).abs() < 1e-9 && (p.y() - lat).abs() < 1e-9);
                }
                other => proptest::prop_assert!(false, "{:?}", other),
            }
        }
    }
}

#[test]
fn large_files_read_on_every_core_give_every_row_in_order() {
    // Over 1 MB of CSV and over 20,000 GeoPackage rows: the parts read on several threads
    // come back in the file's order, each row once, with its line.
    let doc = pistas::model::synthetic::generate(24_000, 7);
    let day: chrono::NaiveDate = "2020-01-01".parse().expect("day");
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("big.csv");
    let mut text = String::from("name,lat,lon,n\n");
    for (i, f) in doc.strips().enumerate() {
        let p =
            pistas::analysis::representative_point(f.geometry().expect("g").shape()).expect("p");
        text.push_str(&format!("\"{}, {i}\",{},{},{i}\n", f.label(), p.y(), p.x()));
        if i == 5_000 {
            text.push_str("broken,north,-73.9,-1\n");
        }
    }
    std::fs::write(&csv, &text).expect("write");
    assert!(text.len() > 1 << 20);
    let parsed = read(&csv);
    assert_eq!(parsed.document.features().len(), 24_001);
    let numbers: Vec<i64> = parsed
        .document
        .features()
        .iter()
        .map(|f| f.property("n").expect("n").get().parse().expect("number"))
        .collect();
    let mut expected: Vec<i64> = (0..24_000).collect();
    expected.insert(5_001, -1);
    assert_eq!(numbers, expected);
    let broken: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("north"))
        .map(ToString::to_string)
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(
        broken[0].starts_with(&format!("{}:5003:", csv.display())),
        "{broken:?}"
    );
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.message.contains("north"))
        .expect("d");
    assert_eq!(d.feature_index, Some(5_001));

    let gpkg = dir.path().join("big.gpkg");
    std::fs::write(
        &gpkg,
        pistas::io::export(&doc, pistas::io::Format::GeoPackage, day).expect("gpkg"),
    )
    .expect("write");
    let options = pistas::io::ImportOptions {
        layer: Some("strips".into()),
        ..Default::default()
    };
    let parsed = pistas::io::read_file(&gpkg, &options).expect("read");
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics.first());
    let ids: Vec<&str> = parsed
        .document
        .features()
        .iter()
        .map(|f| f.id().as_str())
        .collect();
    let expected: Vec<&str> = doc.strips().map(|f| f.id().as_str()).collect();
    assert_eq!(ids, expected);
}

#[test]
fn the_strips_csv_says_the_nearest_registered_aerodrome_and_town_anywhere_in_south_america() {
    let geojson = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","id":"manaus","properties":{"name":"near Manaus"},
       "geometry":{"type":"Point","coordinates":[-60.05,-3.08]}},
      {"type":"Feature","id":"vraem","properties":{"name":"near Pichari"},
       "geometry":{"type":"Point","coordinates":[-73.83,-12.52]}},
      {"type":"Feature","id":"sea","properties":{"name":"in the Pacific"},
       "geometry":{"type":"Point","coordinates":[-100.0,-30.0]}}]}"#;
    let doc = pistas::io::read_bytes(geojson.as_bytes(), "t.geojson").document;
    let csv = pistas::io::strips_csv(&doc, "2026-01-01".parse().expect("test value")).expect("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("test value")
        .iter()
        .map(str::to_owned)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let (aerodrome, km, town) = (
        col("nearest_aerodrome"),
        col("nearest_aerodrome_km"),
        col("nearest_town"),
    );
    // Manaus, Brazil: outside the VRAEM, the registry still answers.
    assert_eq!(&rows[0][town], "Manaus");
    assert!(rows[0][aerodrome].starts_with("SB") || rows[0][aerodrome].contains(' '));
    let d: f64 = rows[0][km].parse().expect("km");
    assert!(d < 100.0, "{d}");
    assert!(!rows[1][aerodrome].is_empty() && !rows[1][town].is_empty());
    // Nothing within 100 km: empty cells, not the nearest on another continent.
    assert_eq!(
        (&rows[2][aerodrome], &rows[2][km], &rows[2][town]),
        ("", "", "")
    );
    // Read back, the columns are derived, not properties.
    let dir = tempfile::tempdir().expect("test value");
    let path = dir.path().join("strips.csv");
    std::fs::write(&path, &csv).expect("test value");
    let back = read(&path).document;
    assert_eq!(back.features().len(), 3);
    assert!(back.features()[0].property("nearest_town").is_none());
}

#[test]
fn a_column_named_airstrip_id_is_taken_as_the_id() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("survey.csv");
    std::fs::write(
        &path,
        "Name,Airstrip ID,Width (m),Latitude,Longitude\n\
         Fazenda Boa Vista,BR-0007,18,-3.1,-60.0\n\
         Sítio Novo,BR-0012,20,-3.2,-60.1\n",
    )
    .expect("write");
    let parsed = read(&path);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let f = parsed.document.features();
    assert_eq!(f[0].id().as_str(), "BR-0007");
    assert_eq!(f[1].id().as_str(), "BR-0012");
    assert!(
        !parsed.diagnostics.iter().any(|d| d.is_missing_id()),
        "no feature lacks an id: {:?}",
        parsed.diagnostics
    );
}

#[test]
fn a_shared_code_column_is_not_taken_as_the_id() {
    // "Código UBIGEO" names a district: it repeats across strips, so it is no id.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("encuesta.csv");
    std::fs::write(
        &path,
        "Nombre,Código UBIGEO,Latitud,Longitud\n\
         Pista A,050409,-12.50,-73.80\n\
         Pista B,050409,-12.55,-73.82\n\
         Pista C,090718,-12.60,-73.90\n",
    )
    .expect("write");
    let parsed = read(&path);
    let f = parsed.document.features();
    assert_eq!(f.len(), 3);
    assert!(
        f.iter().all(|f| f.id().as_str() != "050409"),
        "{:?}",
        f.iter()
            .map(|f| f.id().as_str().to_owned())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        f[0].property("Código UBIGEO").map(|v| v.get()),
        Some("\"050409\"")
    );
}
