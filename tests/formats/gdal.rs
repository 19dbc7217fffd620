//! GDAL, the independent checker: it opens every new export with the right layers, counts
//! and field types, and what it writes of the sample reads back into the same strips.

use std::path::Path;
use std::process::Command;

use pistas::io::{Format, export};

use super::{assert_same, gdal_available, read, sample};

/// `ogrinfo -so` of one layer: its feature count and `name: Type` of each field.
fn ogrinfo(path: &Path, layer: &str) -> (usize, Vec<(String, String)>, String) {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(path)
        .arg(layer)
        .output()
        .expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "ogrinfo {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut count = 0;
    let mut geometry = String::new();
    let mut fields = Vec::new();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("Feature Count: ") {
            count = n.trim().parse().expect("count");
        } else if let Some(g) = line.strip_prefix("Geometry: ") {
            geometry = g.trim().to_owned();
        } else if !line.starts_with([' ', '\t'])
            && !line.starts_with("Extent")
            && let Some((name, kind)) = line.split_once(": ")
            && kind
                .split_once(" (")
                .is_some_and(|(_, rest)| rest.starts_with(|c: char| c.is_ascii_digit()))
        {
            // `name: Type (width.precision)`
            fields.push((
                name.trim().to_owned(),
                kind.split(' ').next().unwrap_or("").to_owned(),
            ));
        }
    }
    (count, fields, geometry)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, k)| k.as_str())
}

fn day() -> chrono::NaiveDate {
    "2016-06-30".parse().expect("date")
}

#[test]
fn gdal_opens_the_geopackage_with_strips_and_events_related() {
    if !gdal_available("gdal_opens_the_geopackage_with_strips_and_events_related") {
        return;
    }
    let doc = sample();
    let events: usize = doc.strips().map(|s| s.events().len()).sum();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("vraem.gpkg");
    std::fs::write(
        &path,
        export(&doc, Format::GeoPackage, day()).expect("gpkg"),
    )
    .expect("write");
    let (count, fields, _) = ogrinfo(&path, "strips");
    assert_eq!(count, doc.strips().count());
    for (name, kind) in [
        ("id", "String"),
        ("status", "String"),
        ("status_date", "Date"),
        ("times_destroyed", "Integer64"),
        ("first_event", "Date"),
        ("last_event", "Date"),
        ("runway_length_m", "Real"),
        ("notes", "String"),
        ("illustrative", "Integer(Boolean)"),
    ] {
        assert_eq!(field(&fields, name), kind, "strips.{name}: {fields:?}");
    }
    let (count, fields, geometry) = ogrinfo(&path, "events");
    assert_eq!((count, geometry.as_str()), (events, "Point"));
    for (name, kind) in [
        ("strip_fid", "Integer64"),
        ("strip_id", "String"),
        ("type", "String"),
        ("date_start", "Date"),
        ("date_end", "Date"),
        ("confidence", "String"),
        ("operation", "String"),
        ("sources", "String(JSON)"),
    ] {
        assert_eq!(field(&fields, name), kind, "events.{name}: {fields:?}");
    }
    // The relation: each event's strip_fid is the fid of its strip, through the mapping
    // table of the related-tables extension too.
    let sql = |q: &str| {
        let out = Command::new("ogrinfo")
            .args(["-ro", "-q"])
            .arg(&path)
            .args(["-sql", q])
            .output()
            .expect("ogrinfo");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let joined = sql(
        "SELECT count(*) AS n FROM events e JOIN strips s ON s.fid = e.strip_fid AND s.id = e.strip_id",
    );
    assert!(
        joined.contains(&format!("n (Integer) = {events}")),
        "{joined}"
    );
    let mapped = sql(
        "SELECT count(*) AS n FROM strips_events m JOIN events e ON e.fid = m.related_id AND e.strip_fid = m.base_id",
    );
    assert!(
        mapped.contains(&format!("n (Integer) = {events}")),
        "{mapped}"
    );
    let relation =
        sql("SELECT base_table_name, related_table_name, relation_name FROM gpkgext_relations");
    assert!(
        relation.contains("base_table_name (String) = strips")
            && relation.contains("relation_name (String) = features"),
        "{relation}"
    );
}

#[test]
fn gdal_opens_both_flatgeobuf_exports() {
    if !gdal_available("gdal_opens_both_flatgeobuf_exports") {
        return;
    }
    let doc = sample();
    let events: usize = doc.strips().map(|s| s.events().len()).sum();
    let dir = tempfile::tempdir().expect("dir");
    let strips = dir.path().join("strips.fgb");
    std::fs::write(
        &strips,
        export(&doc, Format::FlatGeobuf, day()).expect("fgb"),
    )
    .expect("write");
    let (count, fields, _) = ogrinfo(&strips, "strips");
    assert_eq!(count, doc.strips().count());
    assert_eq!(field(&fields, "times_destroyed"), "Integer64");
    // The history is a FlatGeobuf Json column, which GDAL 3.6 reads as a String.
    assert!(field(&fields, "events").starts_with("String"), "{fields:?}");
    let points = dir.path().join("events.fgb");
    std::fs::write(
        &points,
        export(&doc, Format::EventsFlatGeobuf, day()).expect("fgb"),
    )
    .expect("write");
    let (count, fields, geometry) = ogrinfo(&points, "events");
    assert_eq!((count, geometry.as_str()), (events, "Point"));
    // FlatGeobuf has no date type: the bounds are DateTime, which QGIS animates too.
    assert_eq!(field(&fields, "date_start"), "DateTime");
    assert_eq!(field(&fields, "strip_id"), "String");
}

fn ogr2ogr(args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("ogr2ogr runs");
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_sample_converted_by_ogr2ogr_imports_back_with_the_same_strips() {
    if !gdal_available("the_sample_converted_by_ogr2ogr_imports_back_with_the_same_strips") {
        return;
    }
    let doc = sample();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/vraem-sample.geojson");
    let sample = sample.to_str().expect("path");
    let dir = tempfile::tempdir().expect("dir");
    for (name, args) in [
        ("gdal.gpkg", vec!["-f", "GPKG"]),
        ("gdal.fgb", vec!["-f", "FlatGeobuf"]),
        ("gdal.kml", vec!["-f", "KML"]),
        ("gdal.csv", vec!["-f", "CSV", "-lco", "GEOMETRY=AS_WKT"]),
    ] {
        let path = dir.path().join(name);
        let out = path.to_str().expect("path");
        let mut all = args.clone();
        all.extend([out, sample]);
        ogr2ogr(&all);
        let parsed = read(&path);
        assert!(!parsed.has_errors(), "{name}: {:?}", parsed.diagnostics);
        if name.ends_with(".kml") || name.ends_with(".csv") {
            // GDAL's KML puts the layer in a folder (which Pistas reads as a property), and
            // its KML and CSV write booleans as 1 and 0.
            let mut got = parsed.document.clone();
            got.update_all(|f| {
                f.remove_property("folder");
                if f.property("illustrative").is_some_and(|v| v.get() == "1") {
                    f.set_property(
                        "illustrative",
                        serde_json::value::RawValue::from_string("true".into()).expect("json"),
                    );
                }
            })
            .unwrap();
            assert_same(&doc, &got, name);
        } else {
            assert_same(&doc, &parsed.document, name);
        }
    }
}

#[test]
fn a_geopackage_in_utm_18_south_lands_within_a_metre_of_where_gdal_puts_it() {
    if !gdal_available("a_geopackage_in_utm_18_south_lands_within_a_metre_of_where_gdal_puts_it") {
        return;
    }
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/vraem-sample.geojson");
    let dir = tempfile::tempdir().expect("dir");
    let utm = dir.path().join("utm18s.gpkg");
    let back = dir.path().join("gdal-wgs84.geojson");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        "EPSG:32718",
        utm.to_str().expect("p"),
        sample.to_str().expect("p"),
    ]);
    ogr2ogr(&[
        "-f",
        "GeoJSON",
        "-t_srs",
        "EPSG:4326",
        "-lco",
        "COORDINATE_PRECISION=9",
        back.to_str().expect("p"),
        utm.to_str().expect("p"),
    ]);
    let (srs, _, _) = {
        let out = Command::new("ogrinfo")
            .args(["-ro", "-so"])
            .arg(&utm)
            .arg("vraem-sample")
            .output()
            .expect("ogrinfo");
        (
            String::from_utf8_lossy(&out.stdout).contains("UTM zone 18S"),
            0,
            0,
        )
    };
    assert!(srs, "the GeoPackage is in UTM 18S");
    let ours = read(&utm).document;
    let gdal = read(&back).document;
    assert_eq!(ours.features().len(), gdal.features().len());
    let mut worst = 0.0f64;
    for (a, b) in ours.features().iter().zip(gdal.features()) {
        use geo::{CoordsIter, Distance, Haversine};
        let (ga, gb) = (
            a.geometry().expect("a").shape(),
            b.geometry().expect("b").shape(),
        );
        for (p, q) in ga.coords_iter().zip(gb.coords_iter()) {
            worst = worst.max(Haversine.distance(geo::Point(p), geo::Point(q)));
        }
    }
    assert!(
        worst < 1.0,
        "the farthest position is {worst} m from GDAL's"
    );
}
