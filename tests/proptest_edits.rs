//! Property tests of the model's invariants: any sequence of edit commands and merges on
//! any loaded document writes a file that validates (with no error when the document had
//! none) and reads back equal, and status and counts always agree.

mod common;

use pistas::edit::merge::{self, MatchOptions};
use pistas::edit::{Change, Command, EditError, EditKind, Editor};
use pistas::io::{WriteOptions, read_path, read_str, write_geojson};
use pistas::model::{
    Confidence, Document, Event, EventType, Field, FuzzyDate, History, Source, Status,
};
use proptest::prelude::*;

fn options() -> WriteOptions {
    WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    }
}

/// The documents edits start from: files of other producers, the profile's fixtures with
/// and without errors, and the sample.
fn bases() -> Vec<Document> {
    let mut paths = vec![
        "data/vraem-sample.geojson",
        "tests/fixtures/pistas/bad/bad-events.geojson",
        "tests/fixtures/producers/python-json-dump/default.geojson",
        "tests/fixtures/producers/python-json-dump/default-profile.geojson",
        "tests/fixtures/producers/qgis/qgis-no-ids.geojson",
        "tests/fixtures/producers/geojsonio/geojsonio-drawn.geojson",
        "tests/fixtures/producers/dateline/us-states-style-beyond-180.json",
        "tests/fixtures/producers/gdal-autotest/ogr_geojson_14.geojson",
        "tests/fixtures/merge/working.geojson",
        "tests/fixtures/merge/incoming.geojson",
    ];
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            read_path(&common::project_file(p))
                .expect("fixture")
                .document
        })
        .collect()
}

/// Text as people and other tools write it: accents, quotes, newlines, escapes, emoji.
fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Pista Ñuñoa",
        "Río \"Ene\"",
        "línea 1\nlínea 2",
        "\\u00f1 literal",
        "😀 tab\there",
        "",
        "   ",
        "Llochegua",
    ])
    .prop_map(str::to_owned)
}

fn event() -> impl Strategy<Value = Event> {
    (
        prop::sample::select(EventType::ALL.to_vec()),
        prop::sample::select(vec!["2014", "2014-09", "2014-09-05", "2015~", "2013-02?"]),
        proptest::option::of(prop::sample::select(Confidence::ALL.to_vec())),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(|(kind, date, confidence, operation, note, source)| {
            let mut e = Event::new(kind, FuzzyDate::parse(date).expect("date"));
            e.confidence_mut().set(confidence);
            e.operation_mut().set(operation);
            e.note_mut().set(note);
            e.sources_mut().extend(source.map(Source::Text));
            e
        })
}

#[derive(Debug, Clone)]
enum Action {
    Rename(usize, String),
    Notes(usize, String),
    SetProperty(usize, &'static str, &'static str),
    RemoveProperty(usize, &'static str),
    AddEvent(usize, Event),
    /// Fill in the fields of an event as the inspector does: operation and note set.
    FillEvent(usize, usize, String),
    DeleteEvent(usize, usize),
    FixUnread(usize, Event),
    AddStrip(String, f64, f64),
    Delete(usize),
    Move(usize, f64, f64),
    Undo,
    Redo,
    /// Merge another base document (or the working one itself) with default decisions.
    Merge(usize, bool),
    TakeIds,
    /// Insert a copy of a feature under its own id: always refused, nothing changes.
    InsertTaken(usize),
}

fn action() -> impl Strategy<Value = Action> {
    let i = any::<prop::sample::Index>().prop_map(|i| i.index(1 << 16));
    let taken = i.clone();
    prop_oneof![
        (i.clone(), text()).prop_map(|(i, t)| Action::Rename(i, t)),
        (i.clone(), text()).prop_map(|(i, t)| Action::Notes(i, t)),
        (
            i.clone(),
            prop::sample::select(vec![
                "status",
                "times_rebuilt",
                "events",
                "name",
                "source_id",
                "Airstrip ID"
            ]),
            prop::sample::select(vec![
                "null",
                "\"x\\u00f1\"",
                "12",
                "{\"a\":[1,2]}",
                "\"rebuilt\""
            ]),
        )
            .prop_map(|(i, k, v)| Action::SetProperty(i, k, v)),
        (
            i.clone(),
            prop::sample::select(vec!["name", "notes", "status", "stroke"])
        )
            .prop_map(|(i, k)| Action::RemoveProperty(i, k)),
        (i.clone(), event()).prop_map(|(i, e)| Action::AddEvent(i, e)),
        (i.clone(), i.clone(), text()).prop_map(|(i, e, t)| Action::FillEvent(i, e, t)),
        (i.clone(), i.clone()).prop_map(|(i, e)| Action::DeleteEvent(i, e)),
        (i.clone(), event()).prop_map(|(i, e)| Action::FixUnread(i, e)),
        (text(), -200.0..200.0f64, -95.0..95.0f64).prop_map(|(t, x, y)| Action::AddStrip(t, x, y)),
        i.clone().prop_map(Action::Delete),
        (i.clone(), -75.0..-73.0f64, -13.0..-11.0f64).prop_map(|(i, x, y)| Action::Move(i, x, y)),
        Just(Action::Undo),
        Just(Action::Redo),
        (i, any::<bool>()).prop_map(|(i, own)| Action::Merge(i, own)),
        Just(Action::TakeIds),
        taken.prop_map(Action::InsertTaken),
    ]
}

fn apply(editor: &mut Editor, bases: &[Document], action: &Action) {
    let len = editor.document().features().len();
    let pick = |i: usize| (len > 0).then(|| i % len);
    // Edits the model refuses (a derived key, a feature that is not a strip) are errors
    // and change nothing; that is part of what is checked.
    let _ = match action.clone() {
        Action::Rename(i, t) => pick(i).map(|i| editor.rename(i, &t)),
        Action::Notes(i, t) => pick(i).map(|i| editor.set_notes(i, &t)),
        Action::SetProperty(i, k, v) => pick(i).map(|i| editor.set_property(i, k, v)),
        Action::RemoveProperty(i, k) => pick(i).map(|i| editor.remove_property(i, k)),
        Action::AddEvent(i, e) => pick(i).map(|i| editor.add_event(i, e).map(drop)),
        Action::FillEvent(i, e, t) => pick(i).and_then(|i| {
            let events = editor.document().features()[i].events();
            let e = (!events.is_empty()).then(|| e % events.len())?;
            let mut event = events[e].clone();
            event.operation_mut().set(Some(format!("Fase {t}")));
            event.note_mut().set(Some(t));
            event.id_mut().set(Some(format!("e-{e}")));
            event.confidence_mut().set(Some(Confidence::Probable));
            Some(editor.set_event(i, e, event))
        }),
        Action::DeleteEvent(i, e) => pick(i).and_then(|i| {
            let n = editor.document().features()[i].events().len();
            (n > 0).then(|| editor.delete_event(i, e % n))
        }),
        Action::FixUnread(i, e) => pick(i).and_then(|i| {
            let n = editor.document().features()[i].unread_events().len();
            (n > 0).then(|| editor.fix_unread_event(i, 0, e))
        }),
        Action::AddStrip(t, x, y) => {
            // The map hands in positions already on the Earth (issue 12 clamps clicks).
            let p = geo::point!(x: x.clamp(-180.0, 180.0), y: y.clamp(-90.0, 90.0));
            Some(editor.add_strip(&t, p.into()).map(drop))
        }
        Action::Delete(i) => pick(i).map(|i| editor.delete(i)),
        Action::Move(i, x, y) => pick(i).and_then(|i| {
            matches!(
                editor.document().features()[i]
                    .geometry()
                    .map(|g| g.shape()),
                Some(geo::Geometry::Point(_))
            )
            .then(|| editor.set_shape(i, geo::point!(x: x, y: y).into()))
        }),
        Action::Undo => {
            editor.undo();
            None
        }
        Action::Redo => {
            editor.redo();
            None
        }
        Action::Merge(i, own) => {
            let incoming = if own {
                editor.document().clone()
            } else {
                bases[i % bases.len()].clone()
            };
            let plan = merge::propose(editor.document(), &incoming, &MatchOptions::default());
            let decisions = plan.default_decisions();
            let (command, _) =
                merge::merge_command(editor.document(), &incoming, &plan, &decisions);
            Some(editor.apply(command))
        }
        Action::TakeIds => {
            let columns = editor.document().id_columns();
            columns.first().map(|c| editor.take_ids_from(c).map(drop))
        }
        Action::InsertTaken(i) => pick(i).and_then(|i| {
            let copy = editor.document().features()[i].clone();
            // A copy of an id given for the session only is not written; nothing to test.
            if copy.id_assigned() {
                return None;
            }
            let before = editor.document().clone();
            let result = editor.apply(Command {
                kind: EditKind::AddStrip,
                changes: vec![Change::Insert {
                    index: len,
                    feature: Box::new(copy),
                }],
            });
            assert!(
                matches!(result, Err(EditError::IdTaken(_))),
                "a taken id must be refused: {result:?}"
            );
            assert_eq!(editor.document(), &before, "a refused edit changes nothing");
            None
        }),
    };
}

/// What holds after every step: no two features share an own id (an id a file gave or
/// Pistas made a feature's own).
fn own_ids_are_unique(doc: &Document) -> Result<(), TestCaseError> {
    let mut seen = std::collections::HashSet::new();
    for f in doc.features().iter().filter(|f| !f.id_assigned()) {
        prop_assert!(seen.insert(f.id().as_str()), "id {} is repeated", f.id());
    }
    Ok(())
}

/// Status and counts come from one walk: a strip that is "rebuilt" has been rebuilt.
fn status_agrees_with_counts(doc: &Document) -> Result<(), TestCaseError> {
    for f in doc.strips() {
        let h = History::of(f.events());
        let far = "2100-01-01".parse().expect("date");
        let (status, _) = h.status_at(f.events(), far);
        if status == Status::Rebuilt {
            prop_assert!(
                h.times_rebuilt() > 0,
                "{}: rebuilt but never rebuilt",
                f.id()
            );
        }
        if status == Status::Destroyed {
            prop_assert!(h.times_destroyed() > 0);
        }
        prop_assert!(h.times_rebuilt() <= h.times_destroyed());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_edits_and_merges_write_a_file_that_reads_back_equal(
        base in any::<prop::sample::Index>(),
        actions in prop::collection::vec(action(), 1..14),
    ) {
        let bases = bases();
        let start = bases[base.index(bases.len())].clone();
        let errors_of = |doc: &Document| {
            let written = write_geojson(doc, &options());
            read_str(&written, "base").error_count()
        };
        // Edits never add an error; a merge brings the other file's unread parts along.
        let mut had_errors = errors_of(&start);
        // The same steps on a plain owned model (every feature decoded, nothing kept of
        // the file's text) write the same bytes at every step.
        let mut owned_start = start.clone();
        owned_start.make_own();
        let mut owned = Editor::new(owned_start);
        let mut editor = Editor::new(start);
        for action in &actions {
            if let Action::Merge(i, false) = action {
                had_errors += errors_of(&bases[i % bases.len()]);
            }
            apply(&mut editor, &bases, action);
            apply(&mut owned, &bases, action);
            let doc = editor.document();
            let written = write_geojson(doc, &options());
            prop_assert_eq!(
                &write_geojson(owned.document(), &options()),
                &written,
                "the owned model wrote otherwise after {:?}",
                action
            );
            prop_assert_eq!(owned.document(), doc);
            let again = read_str(&written, "written");
            prop_assert!(!again.fatal);
            prop_assert_eq!(&again.document, doc, "after {:?}\n{}", action, written);
            prop_assert!(
                again.error_count() <= had_errors,
                "after {:?}: {:#?}\n{}", action, again.diagnostics, written
            );
            status_agrees_with_counts(doc)?;
            own_ids_are_unique(doc)?;
        }
    }

    #[test]
    fn merging_a_document_with_itself_changes_nothing(base in any::<prop::sample::Index>()) {
        let bases = bases();
        let doc = bases[base.index(bases.len())].clone();
        let plan = merge::propose(&doc, &doc, &MatchOptions::default());
        let decisions = plan.default_decisions();
        let (command, _) = merge::merge_command(&doc, &doc, &plan, &decisions);
        let mut editor = Editor::new(doc.clone());
        editor.apply(command).expect("merge");
        prop_assert_eq!(editor.document(), &doc);
    }
}

#[test]
fn a_field_read_as_null_and_filled_in_is_written_once() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[{"type":"destroyed","date":"2014-09-05","operation":null,"id":5,"confidence":"alta"}]}}]}"#;
    let doc = read_str(text, "t").document;
    let mut editor = Editor::new(doc);
    let mut event = editor.document().features()[0].events()[0].clone();
    assert!(matches!(event.operation(), Field::Kept(_)));
    event.operation_mut().set(Some("Phase 1".into()));
    event.id_mut().set(Some("e1".into()));
    event.confidence_mut().set(Some(Confidence::Confirmed));
    editor.set_event(0, 0, event).expect("edit");
    let written = write_geojson(editor.document(), &options());
    assert_eq!(written.matches("\"operation\"").count(), 1, "{written}");
    assert_eq!(written.matches("\"confidence\"").count(), 1, "{written}");
    let again = read_str(&written, "written");
    assert!(!again.has_errors(), "{:?}", again.diagnostics);
    // A derived key cannot be set on a strip, by hand or by a merge.
    assert!(editor.set_property(0, "status", "\"rebuilt\"").is_err());
}
