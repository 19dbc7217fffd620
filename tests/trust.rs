//! Each way a file once lost data or came back unreadable, as a test (issue 11 and the
//! review of its change).

mod common;

use pistas::edit::Editor;
use pistas::io::{read_str, write_geojson};
use pistas::model::Document;

fn round_trip(text: &str) -> (Document, String, Document) {
    let first = read_str(text, "in").document;
    let written = write_geojson(&first, &common::options());
    let again = read_str(&written, "out").document;
    (first, written, again)
}

#[test]
fn a_member_written_twice_at_the_top_keeps_both_values() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":null,"properties":{}}],"features":[{"type":"Feature","id":"b","geometry":null,"properties":{}}]}"#;
    let parsed = read_str(text, "t");
    assert!(parsed.has_errors(), "still reported");
    let (_, written, again) = round_trip(text);
    assert!(written.contains("\"id\":\"b\""), "{written}");
    assert_eq!(again.foreign().len(), 1);
}

#[test]
fn runway_figures_of_a_point_strip_are_the_files_own() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[],"runway_length_m":1200,"status":"active"}}]}"#;
    let (first, written, again) = round_trip(text);
    assert!(
        written.contains("\"runway_length_m_original\":1200"),
        "{written}"
    );
    assert!(
        !written.contains("\"status\":\"active\""),
        "status is derived: {written}"
    );
    assert_eq!(first, again);
}

#[test]
fn an_event_given_to_a_survey_point_keeps_its_status_column() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"status":"abandoned"}}]}"#;
    let doc = read_str(text, "t").document;
    let mut editor = Editor::new(doc);
    let event = pistas::model::Event::new(
        pistas::model::EventType::Sighted,
        pistas::model::FuzzyDate::parse("2020").expect("date"),
    );
    editor.add_event(0, event).expect("a point is a strip");
    let written = write_geojson(editor.document(), &common::options());
    assert!(
        written.contains("\"status_original\":\"abandoned\""),
        "{written}"
    );
    assert_eq!(written.matches("\"status\"").count(), 1, "{written}");
    assert!(!read_str(&written, "w").has_errors());
}

#[test]
fn an_empty_polygon_moved_or_rounded_is_written_readable() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"e","geometry":{"type":"Polygon","coordinates":[]},"properties":{}}]}"#;
    let doc = read_str(text, "t").document;
    assert!(!read_str(text, "t").has_errors());
    let rounded = pistas::io::round_coordinates(&doc, 3);
    let written = write_geojson(&rounded, &common::options());
    let again = read_str(&written, "w");
    assert!(!again.has_errors(), "{:?}\n{written}", again.diagnostics);
}

#[test]
fn merging_events_of_one_type_and_date_matches_them_one_to_one() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[
        {"type":"sighted","date":"2014","sources":["a"]},{"type":"sighted","date":"2014","sources":["b"]}]}}]}"#;
    let doc = read_str(text, "t").document;
    assert_eq!(
        &common::merge_default(&doc, &doc),
        &doc,
        "a file merged with itself is unchanged"
    );
}

#[test]
fn positions_off_the_earth_are_brought_back_onto_it() {
    let mut editor = Editor::new(Document::default());
    let i = editor
        .add_strip("far west", geo::point!(x: -200.0, y: -95.0).into())
        .expect("add");
    editor
        .set_shape(i, geo::point!(x: -420.0, y: 12.0).into())
        .expect("move");
    let written = write_geojson(editor.document(), &common::options());
    let again = read_str(&written, "w");
    assert!(!again.has_errors(), "{:?}\n{written}", again.diagnostics);
    let p = match again.document.features()[0].geometry().map(|g| g.shape()) {
        Some(geo::Geometry::Point(p)) => *p,
        other => panic!("{other:?}"),
    };
    assert!((p.x() - -60.0).abs() < 1e-9, "{p:?}");
}

#[test]
fn a_property_a_merge_brings_named_like_a_derived_field_is_kept_renamed() {
    let working = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[{"type":"built","date":"2013"}]}}]}"#;
    let incoming = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"status":"abandoned"}}]}"#;
    let (w, i) = (
        read_str(working, "w").document,
        read_str(incoming, "i").document,
    );
    let written = write_geojson(&common::merge_default(&w, &i), &common::options());
    assert!(
        written.contains("\"status_original\":\"abandoned\""),
        "{written}"
    );
    assert!(!read_str(&written, "x").has_errors());
}
