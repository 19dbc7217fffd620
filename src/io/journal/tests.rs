use super::entry::journal_options;
use super::*;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::edit::{Change, Editor};
use crate::io::save_atomic;
use crate::io::{read_str, write_geojson};

/// The file at `path` as it is now, as a journal's base.
fn on_file(path: &Path) -> Base {
    Base::File {
        fingerprint: Fingerprint::of_file(path).unwrap(),
        path: path.to_path_buf(),
    }
}

/// An editor keeping journal lines.
fn recording(doc: Document) -> Editor {
    let mut editor = Editor::new(doc);
    editor.set_recording(true);
    editor
}

/// The journal lines the editor recorded since last asked.
fn lines_of(editor: &mut Editor) -> Vec<String> {
    editor.take_recorded().into_iter().map(|(_, l)| l).collect()
}

fn sample() -> (tempfile::TempDir, PathBuf, Document) {
    let dir = tempfile::tempdir().unwrap();
    let doc = crate::model::synthetic::generate(20, 7);
    let text = write_geojson(&doc, &journal_options());
    let path = dir.path().join("strips.geojson");
    std::fs::write(&path, &text).unwrap();
    let doc = read_str(&text, "strips.geojson").document;
    (dir, path, doc)
}

#[test]
fn edits_undo_and_redo_replay_onto_the_file() {
    let (dir, path, doc) = sample();
    let journal = dir.path().join("slot.journal");
    let writer = Writer::new(journal.clone());
    let mut editor = recording(doc);
    editor.rename(3, "Renombrada").unwrap();
    editor.delete(5).unwrap();
    editor
        .add_strip("Nueva", geo::Point::new(-74.1, -12.2).into())
        .unwrap();
    editor.undo();
    editor.undo();
    editor.redo();
    let lines: Vec<String> = lines_of(&mut editor);
    assert_eq!(lines.len(), 6);
    writer.start(on_file(&path), Some(path.clone()), lines);
    writer.flush();
    let restored = restore(&journal).unwrap();
    assert!(restored.complete);
    assert_eq!(restored.applied, 6);
    assert_eq!(&restored.parsed.document, editor.document());
}

#[test]
fn a_save_over_the_base_leaves_the_journal_replayable() {
    let (dir, path, doc) = sample();
    let journal = dir.path().join("slot.journal");
    let writer = Writer::new(journal.clone());
    let mut editor = recording(doc);
    editor.rename(2, "Antes").unwrap();
    let lines = lines_of(&mut editor);
    writer.start(on_file(&path), Some(path.clone()), lines);
    writer.flush();
    // Another program (or a save whose end the window never heard of) replaces the
    // file by renaming over it; the window goes on editing.
    save_atomic(
        &path,
        b"{\"type\":\"FeatureCollection\",\"features\":[]}",
        true,
    )
    .unwrap();
    editor.delete(0).unwrap();
    for (_, line) in editor.take_recorded() {
        writer.append(line);
    }
    writer.flush();
    let restored = restore(&journal).unwrap();
    assert_eq!(&restored.parsed.document, editor.document());
    assert_eq!(restored.header.original.as_deref(), Some(path.as_path()));
}

#[test]
fn ids_given_while_reading_stay_unique_after_replay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("noids.geojson");
    let feature = |n: u32| {
        format!(
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[-74.{n},-12.0]}},\"properties\":{{\"name\":\"p{n}\"}}}}"
        )
    };
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{},{},{}]}}",
        feature(1),
        feature(2),
        feature(3)
    );
    std::fs::write(&path, &text).unwrap();
    let doc = read_str(&text, "noids").document;
    let mut editor = recording(doc);
    editor.delete(0).unwrap();
    let deleted = editor.document().clone();
    let saved = write_geojson(&deleted, &journal_options());
    std::fs::write(&path, &saved).unwrap();
    editor.take_recorded();
    // The saved file read again names its features pistas-1, pistas-2; the journal
    // keeps the session's pistas-2 for the first one, renamed.
    editor.rename(0, "renombrada").unwrap();
    let writer = Writer::new(dir.path().join("slot.journal"));
    let lines = lines_of(&mut editor);
    writer.start(
        Base::File {
            fingerprint: Fingerprint::of(saved.as_bytes()),
            path: path.clone(),
        },
        None,
        lines,
    );
    writer.flush();
    let restored = restore(&dir.path().join("slot.journal")).unwrap();
    let ids: std::collections::HashSet<&str> = restored
        .parsed
        .document
        .features()
        .iter()
        .map(|f| f.id().as_str())
        .collect();
    assert_eq!(ids.len(), 2, "ids stay unique");
    assert_eq!(
        restored.parsed.document.features()[0].name(),
        Some("renombrada")
    );
}

#[test]
fn a_torn_last_line_is_the_edit_in_flight() {
    let (dir, path, doc) = sample();
    let journal = dir.path().join("slot.journal");
    let writer = Writer::new(journal.clone());
    let mut editor = recording(doc);
    editor.rename(0, "Una").unwrap();
    let expected = editor.document().clone();
    editor.rename(1, "Dos").unwrap();
    let mut lines: Vec<String> = lines_of(&mut editor);
    let last = lines.pop().unwrap();
    writer.start(on_file(&path), None, lines);
    writer.flush();
    let mut f = OpenOptions::new().append(true).open(&journal).unwrap();
    f.write_all(&last.as_bytes()[..last.len() / 2]).unwrap();
    let restored = restore(&journal).unwrap();
    assert!(restored.complete);
    assert_eq!(restored.parsed.document, expected);
}

#[test]
fn a_changed_base_is_refused_and_a_snapshot_is_its_own_base() {
    let (dir, path, doc) = sample();
    let journal = dir.path().join("slot.journal");
    let writer = Writer::new(journal.clone());
    writer.start(
        on_file(&path),
        None,
        vec![entry(&[Change::Remove { index: 0 }])],
    );
    writer.flush();
    std::fs::write(&path, "{\"type\":\"FeatureCollection\",\"features\":[]}").unwrap();
    let error = restore(&journal).unwrap_err();
    assert!(error.contains("changed after the edits"), "{error}");
    writer.start(Base::Snapshot(Arc::new(doc.clone())), None, Vec::new());
    writer.append(entry(&[Change::Remove { index: 0 }]));
    writer.flush();
    let restored = restore(&journal).unwrap();
    assert_eq!(
        restored.parsed.document.features().len(),
        doc.features().len() - 1
    );
    writer.remove();
    writer.flush();
    assert!(!journal.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the strips file is left");
}

#[test]
fn a_file_written_in_pieces_has_the_fingerprint_of_its_whole() {
    let whole = b"{\"type\":\"FeatureCollection\",\"features\":[]}";
    let (a, b) = whole.split_at(17);
    assert_eq!(Fingerprint::of_parts(&[a, b]), Fingerprint::of(whole));
    assert_eq!(Fingerprint::of_parts(&[a, &[], b]), Fingerprint::of(whole));
}

proptest::proptest! {
    /// Whatever follows the header (damaged lines, JSON of another shape, indices out of
    /// range, features that are not features), restoring never panics: it replays what it
    /// can and says where it stopped.
    #[test]
    fn any_journal_lines_restore_without_panic(
        lines in proptest::collection::vec(
            proptest::prop_oneof![
                ".*",
                r#"\{"changes":\[\{"(replace|insert|remove)":[0-9]{1,3}(,"feature":\{"type":"Feature","geometry":null,"properties":\{\}\})?\}\]\}"#,
            ],
            0..6,
        )
    ) {
        let (dir, path, doc) = sample();
        let journal = dir.path().join("slot.journal");
        let header = Header {
            pistas_journal: VERSION,
            fingerprint: Some(Fingerprint::of_file(&path).unwrap()),
            base: Some(path),
            original: None,
        };
        let lines: Vec<String> = lines.into_iter().map(|l| format!("{}\n", l.replace('\n', " "))).collect();
        create(&journal, &header, &lines).unwrap();
        let restored = restore(&journal).unwrap();
        proptest::prop_assert!(restored.applied <= lines.len());
        proptest::prop_assert!(restored.complete || !restored.parsed.diagnostics.is_empty());
        proptest::prop_assert!(restored.parsed.document.features().len() <= doc.features().len() + lines.len());
    }
}
