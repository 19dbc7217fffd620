//! Tests of the editor: commands, undo and redo, the saved state.

use super::*;
use crate::model::{Document, Event, EventType, Feature, FeatureId, FuzzyDate};
use geo::point;

fn editor() -> Editor {
    let mut doc = Document::default();
    doc.push(Feature::new_strip(
        FeatureId::String("a".into()),
        "Alfa",
        point!(x: -74.0, y: -12.0).into(),
    ))
    .unwrap();
    Editor::new(doc)
}

#[test]
fn undo_and_redo_restore_each_state() {
    let mut ed = editor();
    assert!(!ed.is_dirty());
    ed.rename(0, "Bravo").unwrap();
    assert!(ed.is_dirty());
    let date = FuzzyDate::parse("2014-09~").unwrap();
    ed.add_event(0, Event::new(EventType::Destroyed, date))
        .unwrap();
    assert_eq!(ed.document().features()[0].events().len(), 1);
    assert_eq!(ed.undo(), Some(EditKind::AddEvent));
    assert_eq!(ed.document().features()[0].events().len(), 0);
    assert_eq!(ed.document().features()[0].name(), Some("Bravo"));
    assert_eq!(ed.undo(), Some(EditKind::Rename));
    assert_eq!(ed.document().features()[0].name(), Some("Alfa"));
    assert!(!ed.is_dirty(), "back at the opened state");
    assert_eq!(ed.redo(), Some(EditKind::Rename));
    assert_eq!(ed.redo(), Some(EditKind::AddEvent));
    assert_eq!(ed.document().features()[0].events().len(), 1);
    assert!(ed.redo().is_none());
}

#[test]
fn saved_state_is_remembered_across_undo() {
    let mut ed = editor();
    ed.rename(0, "Bravo").unwrap();
    ed.mark_saved();
    assert!(!ed.is_dirty());
    ed.undo();
    assert!(ed.is_dirty());
    ed.redo();
    assert!(!ed.is_dirty());
}

#[test]
fn add_and_delete_strips() {
    let mut ed = editor();
    let i = ed
        .add_strip("New", point!(x: -73.5, y: -12.5).into())
        .unwrap();
    assert_eq!(i, 1);
    assert_ne!(
        ed.document().features()[1].id(),
        ed.document().features()[0].id()
    );
    ed.delete(0).unwrap();
    assert_eq!(ed.document().features().len(), 1);
    assert_eq!(ed.document().features()[0].name(), Some("New"));
    ed.undo();
    assert_eq!(ed.document().features()[0].name(), Some("Alfa"));
    assert!(ed.delete(7).is_err());
    assert_eq!(
        ed.document().features().len(),
        2,
        "a failed command changes nothing"
    );
}

#[test]
fn a_new_command_clears_redo() {
    let mut ed = editor();
    ed.rename(0, "B").unwrap();
    ed.undo();
    assert!(ed.can_redo());
    ed.set_notes(0, "seen from the air").unwrap();
    assert!(!ed.can_redo());
    assert_eq!(
        ed.document().features()[0].notes(),
        Some("seen from the air")
    );
}

#[test]
fn properties_stay_json() {
    let mut ed = editor();
    ed.set_property(0, "tags", r#"["a", 2]"#).unwrap();
    assert_eq!(
        ed.document().features()[0].property("tags").unwrap().get(),
        r#"["a", 2]"#
    );
    assert!(matches!(
        ed.set_property(0, "x", "not json"),
        Err(EditError::BadJson(_))
    ));
    ed.remove_property(0, "tags").unwrap();
    assert!(ed.document().features()[0].property("tags").is_none());
}

#[test]
fn events_on_non_strips_are_refused() {
    let mut doc = Document::default();
    let mut f = Feature::new_strip(
        FeatureId::number("1").expect("a number"),
        "x",
        point!(x: 0.0, y: 0.0).into(),
    );
    f = Feature::from_parts(crate::model::FeatureParts {
        id: Some(f.id().clone()),
        ..Default::default()
    });
    doc.push(f).unwrap();
    let mut ed = Editor::new(doc);
    let date = FuzzyDate::parse("2014").unwrap();
    assert_eq!(
        ed.add_event(0, Event::new(EventType::Built, date)),
        Err(EditError::NotStrip(0))
    );
    assert!(!ed.can_undo());
}

/// An edit that would give two features one id is refused whole, and says which id: a
/// file written so would have the repeat renamed on its next read.
#[test]
fn an_edit_never_leaves_two_features_with_one_id() {
    let strip = |id: &str| {
        Feature::new_strip(
            FeatureId::String(id.into()),
            id,
            geo::point!(x: -74.0, y: -12.0).into(),
        )
    };
    let doc = Document::with_unique_ids(vec![strip("a"), strip("b")], Vec::new()).0;
    let mut editor = Editor::new(doc);
    let insert = Command {
        kind: EditKind::AddStrip,
        changes: vec![Change::Insert {
            index: 2,
            feature: Box::new(strip("a")),
        }],
    };
    let err = editor.apply(insert).expect_err("a taken id");
    assert!(matches!(&err, EditError::IdTaken(id) if id == "a"), "{err}");
    assert_eq!(editor.document().features().len(), 2, "nothing applied");
    let mut renamed = strip("b");
    renamed.set_id(FeatureId::String("a".into()));
    let replace = Command {
        kind: EditKind::SetIds,
        changes: vec![Change::Replace {
            index: 1,
            feature: Box::new(renamed.clone()),
        }],
    };
    assert!(matches!(editor.apply(replace), Err(EditError::IdTaken(_))));
    assert_eq!(editor.document().features()[1].id().as_str(), "b");
    // One command may move an id: the first feature leaves it before the second takes it.
    let mut first = strip("a");
    first.set_id(FeatureId::String("c".into()));
    let swap = Command {
        kind: EditKind::SetIds,
        changes: vec![
            Change::Replace {
                index: 0,
                feature: Box::new(first),
            },
            Change::Replace {
                index: 1,
                feature: Box::new(renamed),
            },
        ],
    };
    editor.apply(swap).expect("the id moved");
    let ids: Vec<&str> = editor
        .document()
        .features()
        .iter()
        .map(|f| f.id().as_str())
        .collect();
    assert_eq!(ids, ["c", "a"]);
}
