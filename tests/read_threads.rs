//! Reading gives one result on any number of threads, for features of any size: files over
//! 1 MB (read on every core) with one feature far larger than a thread's share of the list
//! once killed the reader ("memory allocation of 3891110078047867056 bytes failed").

mod common;

use pistas::io::{WriteOptions, read_str, read_str_with_threads, write_geojson};
use pistas::model::synthetic;

fn options() -> WriteOptions {
    WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    }
}

/// 400 generated strips after `extra`, the first feature.
fn with_feature(extra: &str) -> String {
    let base = write_geojson(&synthetic::generate(400, 5), &options());
    let at = base.find('\n').expect("a feature line") + 1;
    let mut text = base;
    text.insert_str(at, &format!("{extra},\n"));
    text
}

fn check_every_thread_count(text: &str) {
    assert!(text.len() > 1 << 20, "over 1 MB, so read on every core");
    let one = read_str_with_threads(text, "t", 1);
    assert!(!one.has_errors(), "{:?}", one.diagnostics);
    assert_eq!(one.document.features().len(), 401);
    for threads in [2, 3, 16] {
        let many = read_str_with_threads(text, "t", threads);
        assert_eq!(many.document, one.document, "{threads} threads");
        assert_eq!(many.diagnostics, one.diagnostics, "{threads} threads");
    }
    assert_eq!(read_str(text, "t").document, one.document);
}

#[test]
fn a_polygon_of_40000_vertices_among_points() {
    let ring: Vec<String> = (0..40_000)
        .map(|i| {
            let a = i as f64 / 40_000.0 * std::f64::consts::TAU;
            format!("[{:.7},{:.7}]", -74.0 + a.cos(), -12.0 + a.sin())
        })
        .chain(std::iter::once("[-73.0000000,-12.0000000]".to_owned()))
        .collect();
    let polygon = format!(
        r#"{{"type":"Feature","id":"big","geometry":{{"type":"Polygon","coordinates":[[{}]]}},"properties":{{"name":"Área grande"}}}}"#,
        ring.join(",")
    );
    let text = with_feature(&polygon);
    check_every_thread_count(&text);
    let doc = read_str(&text, "t").document;
    assert_eq!(doc.features()[0].name(), Some("Área grande"));
}

#[test]
fn a_700_kb_note_with_escapes() {
    let note = "Nota con \\u00f1, \\\"comillas\\\" y\\nsaltos. ".repeat(16_000);
    let feature = format!(
        r#"{{"type":"Feature","id":"note","geometry":{{"type":"Point","coordinates":[-74,-12]}},"properties":{{"notes":"{note}","events":[]}}}}"#
    );
    let text = with_feature(&feature);
    check_every_thread_count(&text);
    let doc = read_str(&text, "t").document;
    let notes = doc.features()[0].notes().expect("the note is text");
    assert!(
        notes.starts_with("Nota con ñ, \"comillas\" y\nsaltos."),
        "{}",
        &notes[..40]
    );
}

#[test]
fn problems_are_the_same_on_any_thread_count() {
    let bad = r#"{"type":"Feature","id":"bad","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[{"type":"bombed","date":"2014"}]}}"#;
    let text = with_feature(bad);
    let one = read_str_with_threads(&text, "t", 1);
    let many = read_str_with_threads(&text, "t", 4);
    assert_eq!(one.diagnostics, many.diagnostics);
    assert_eq!(one.document, many.document);
    assert_eq!(one.document.features()[0].unread_events().len(), 1);
}
