use super::*;
use crate::model::json_string;
use geo::point;

fn strip(id: &str) -> Feature {
    Feature::new_strip(
        FeatureId::String(id.into()),
        id,
        point!(x: -74.0, y: -12.0).into(),
    )
}

#[test]
fn missing_and_duplicate_ids_are_replaced_and_reported() {
    let unnamed = Feature::from_parts(crate::model::FeatureParts::default());
    let features = vec![strip("a"), strip("pistas-1"), strip("a"), unnamed];
    let (doc, changes) = Document::with_unique_ids(features, Vec::new());
    let ids: Vec<&str> = doc.features.iter().map(|f| f.id().as_str()).collect();
    assert_eq!(ids, ["a", "pistas-1", "a-1", "pistas-2"]);
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].old, Some(FeatureId::String("a".into())));
    assert_eq!(changes[1].old, None);
    assert!(doc.features[3].id_assigned() && !doc.features[2].id_assigned());
    assert!(!doc.features[0].id_assigned());
    assert_eq!(
        doc.fresh_id("vraem"),
        FeatureId::String("vraem-0001".into())
    );
}

/// Every way into a document refuses a second feature with a written id: pushing,
/// inserting, replacing, setting an id, and a change through `update` that tries to
/// give a feature another's id (undone for the id, said in the error).
#[test]
fn a_document_refuses_a_taken_id_on_every_way_in() {
    let mut doc = Document::new(vec![strip("a"), strip("b")], Vec::new()).unwrap();
    assert_eq!(doc.push(strip("a")).unwrap_err().id(), "a");
    assert_eq!(doc.insert(0, strip("b")).unwrap_err().id(), "b");
    assert_eq!(doc.replace(0, strip("b")).unwrap().unwrap_err().id(), "b");
    assert!(
        doc.replace(0, strip("a")).unwrap().is_ok(),
        "its own id is free to it"
    );
    assert!(doc.replace(5, strip("z")).is_none());
    assert_eq!(
        doc.set_id(1, FeatureId::String("a".into()))
            .unwrap_err()
            .id(),
        "a"
    );
    let err = doc
        .update(1, |f| {
            f.set_name("renamed");
            f.set_id(FeatureId::String("a".into()));
        })
        .unwrap()
        .unwrap_err();
    assert_eq!(err.id(), "a");
    assert_eq!(doc.features()[1].id().as_str(), "b", "the id is put back");
    assert_eq!(
        doc.features()[1].name(),
        Some("renamed"),
        "the rest is kept"
    );
    assert!(Document::new(vec![strip("a"), strip("a")], Vec::new()).is_err());
    assert_eq!(doc.push(strip("c")).unwrap(), 2);
    doc.set_id(2, FeatureId::String("d".into())).unwrap();
    assert_eq!(doc.repeated_id(), None);
    // The collection's own members are never taken as foreign ones.
    doc.set_foreign(vec![
        ("type".into(), json_string("x")),
        ("name".into(), json_string("VRAEM")),
    ]);
    assert_eq!(doc.foreign().len(), 1);
}

/// Ids Pistas gave for the session become written ones only when none of them is
/// another feature's written id.
#[test]
fn assigned_ids_are_kept_only_when_free() {
    let unnamed = || Feature::from_parts(crate::model::FeatureParts::default());
    let (mut doc, _) =
        Document::with_unique_ids(vec![strip("a"), unnamed(), unnamed()], Vec::new());
    assert_eq!(doc.keep_assigned_ids().unwrap(), 2);
    assert!(doc.features().iter().all(|f| !f.id_assigned()));
    assert_eq!(doc.keep_assigned_ids().unwrap(), 0);
}

/// The property names of unedited features come from what the reader recorded; an
/// edited feature's own names are added to them.
#[test]
fn property_names_come_from_the_read_and_from_edits() {
    let text = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","id":"a","geometry":null,"properties":{"name":"A","b":1}},
        {"type":"Feature","id":"b","geometry":null,"properties":{"c":2,"b":3}}]}"#;
    let mut doc = crate::io::read_str(text, "t").document;
    assert_eq!(doc.property_keys(), ["name", "b", "c"]);
    doc.update(1, |f| f.set_property("d", json_string("x")))
        .unwrap()
        .unwrap();
    assert_eq!(doc.property_keys(), ["name", "b", "c", "d"]);
    doc.make_own();
    assert_eq!(doc.property_keys(), ["name", "b", "c", "d"]);
}

/// A change through `update` that makes a session's id a written one is undone
/// exactly: the id stays the session's, and is not written.
#[test]
fn update_puts_back_a_sessions_id_as_it_was() {
    let unnamed = Feature::from_parts(crate::model::FeatureParts::default());
    let (mut doc, _) = Document::with_unique_ids(vec![unnamed], Vec::new());
    let id = doc.features()[0].id().clone();
    doc.push(strip(id.as_str())).unwrap();
    let err = doc
        .update(0, |f| f.set_id(f.id().clone()))
        .unwrap()
        .unwrap_err();
    assert_eq!(err.id(), id.as_str());
    assert!(doc.features()[0].id_assigned());
    assert_eq!(doc.repeated_id(), None);
}

/// `"1"` and `1` are one id on every way in, as in `new` and in the reader.
#[test]
fn a_number_and_a_string_with_its_text_are_one_id() {
    let number = |text: &str| {
        let mut f = strip("x");
        f.set_id(FeatureId::number(text).unwrap());
        f
    };
    assert!(Document::new(vec![strip("1"), number("1")], Vec::new()).is_err());
    let mut doc = Document::new(vec![strip("1")], Vec::new()).unwrap();
    assert_eq!(doc.push(number("1")).unwrap_err().id(), "1");
    doc.push(number("2")).unwrap();
    assert!(doc.set_id(1, FeatureId::String("1".into())).is_err());
    assert_eq!(doc.repeated_id(), None);
}
