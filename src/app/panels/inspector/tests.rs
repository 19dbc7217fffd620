use super::*;
use crate::app::panels::values::text_json;
use crate::model::Event;
use crate::model::{FuzzyDate, Reference};

#[test]
fn typed_values_stay_json_or_become_text() {
    assert_eq!(text_json("[1, 2]"), "[1, 2]");
    assert_eq!(text_json("12"), "12");
    assert_eq!(text_json("hello"), "\"hello\"");
    assert_eq!(text_json("\"12\""), "\"12\"");
    assert_eq!(text_json("[1,"), "\"[1,\"");
}

#[test]
fn drafts_keep_unknown_source_fields() {
    let mut e = Event::new(EventType::Destroyed, FuzzyDate::parse("2014-09").unwrap());
    let mut r = Reference::titled("AP", Some("https://apnews.com/x"));
    r.extra_mut().push(
        &Reference::FIELDS,
        "lang".into(),
        serde_json::value::RawValue::from_string("\"en\"".into()).unwrap(),
    );
    e.sources_mut().push(Source::Reference(r));
    let mut d = Draft::of(0, &e);
    d.sources.push_str("\nIDL-Reporteros");
    d.date = "2014-09~".into();
    let out = d.event().unwrap();
    assert_eq!(out.sources().len(), 2);
    assert_eq!(
        out.sources()[0],
        e.sources()[0],
        "the unchanged source keeps its extra members"
    );
    assert_eq!(out.sources()[1], Source::Text("IDL-Reporteros".into()));
    d.date = "Sept 2014".into();
    assert!(d.event().is_err());
}

#[test]
fn an_unchanged_draft_keeps_every_source() {
    let mut e = Event::new(EventType::Destroyed, FuzzyDate::parse("2014-09").unwrap());
    let mut untitled = Reference::default();
    untitled.extra_mut().push(
        &Reference::FIELDS,
        "publisher".into(),
        serde_json::value::RawValue::from_string("\"IDL\"".into()).unwrap(),
    );
    e.sources_mut().push(Source::Reference(untitled));
    e.sources_mut()
        .push(Source::Text("línea 1\nlínea 2".into()));
    let out = Draft::of(0, &e).event().unwrap();
    assert_eq!(out.sources(), e.sources());
}
