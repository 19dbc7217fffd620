//! Flows that broke while the window was one struct: caches read for another document,
//! recovery losing work, saves racing, counts disagreeing, coordinates off the Earth, a
//! project with a missing working file, and an imported layer's problems selecting
//! features of the working layer. Each drives the real window.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::app::i18n::Lang;
use pistas::app::{
    Action, AppOptions, PistasApp, Recovery, ScriptedDialogs, Selection, Settings, Tab,
};

use crate::common;

const EMPTY_DAY: &str = "2026-01-01";

fn window_in(
    dir: &Path,
    file: Option<PathBuf>,
    dialogs: &ScriptedDialogs,
) -> Harness<'static, PistasApp> {
    common::window(file, dialogs, Some(dir.join("recovery")))
}

/// Steps until background work is done.
fn settle(harness: &mut Harness<'static, PistasApp>) {
    let start = Instant::now();
    while harness.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "background work did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run_steps(3);
}

fn ask(harness: &mut Harness<'static, PistasApp>, action: Action) {
    harness.state_mut().request(action);
    harness.run_steps(2);
    settle(harness);
}

fn copy_to(dir: &Path, relative: &str, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(common::project_file(relative), &path).expect("copy fixture");
    path
}

/// A recovery file left by a window that crashed: its slot is written and released.
fn crashed_session(dir: &Path, text: &str) -> Recovery {
    let recovery = Recovery::new(dir.join("recovery"));
    let slot = recovery.claim().expect("a slot");
    // Its journal: the work as a snapshot it wrote, and no edit after it.
    let journal = slot.journal();
    let base = pistas::io::journal::snapshot_path(&journal, 1);
    std::fs::write(&base, text).expect("snapshot written");
    let header = pistas::io::journal::Header {
        pistas_journal: pistas::io::journal::VERSION,
        fingerprint: Some(pistas::io::journal::Fingerprint::of(text.as_bytes())),
        base: Some(base),
        original: None,
    };
    pistas::io::journal::create(&journal, &header, &[]).expect("journal written");
    drop(slot);
    recovery
}

fn strips_text(n: usize) -> String {
    let doc = pistas::model::synthetic::generate(n, 3);
    pistas::io::write_geojson(
        &doc,
        &pistas::io::WriteOptions {
            status_date: EMPTY_DAY.parse().expect("date"),
        },
    )
}

fn start(dir: &Path, file: Option<PathBuf>) -> Harness<'static, PistasApp> {
    start_with(dir, file, &ScriptedDialogs::default())
}

fn start_with(
    dir: &Path,
    file: Option<PathBuf>,
    dialogs: &ScriptedDialogs,
) -> Harness<'static, PistasApp> {
    let options = AppOptions {
        file,
        dialogs: Box::new(dialogs.clone()),
        recovery: Some(Recovery::new(dir.join("recovery"))),
        settings: Some(Settings::default()),
        lang: Some(Lang::En),
        tile_cache: None,
    };
    let mut harness = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_eframe(move |cc| PistasApp::new(cc, options));
    harness.run_steps(3);
    harness
}

#[test]
fn another_file_after_the_table_the_merge_review_and_the_timeline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dialogs = ScriptedDialogs::default();
    let sample = copy_to(dir.path(), "data/vraem-sample.geojson", "sample.geojson");
    let mut h = window_in(dir.path(), Some(sample), &dialogs);
    assert_eq!(h.state().document().features().len(), 60);
    let sample_range = h.state().timeline_range();
    h.state_mut().show_tab(Tab::Table);
    h.run_steps(3);
    assert_eq!(h.state_mut().table_rows().len(), 60);

    // A smaller file: the table shows its rows, not the sample's (which panicked).
    let small = copy_to(
        dir.path(),
        "tests/fixtures/merge/working.geojson",
        "small.geojson",
    );
    ask(&mut h, Action::OpenPath(small));
    assert_eq!(h.state().document().features().len(), 4);
    h.run_steps(3);
    let rows = h.state_mut().table_rows();
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|&i| i < 4));
    assert_ne!(
        h.state().timeline_range(),
        sample_range,
        "the slider spans the new file"
    );

    // A merge review open when the document is replaced goes with it.
    let incoming = copy_to(
        dir.path(),
        "tests/fixtures/merge/incoming.geojson",
        "in.geojson",
    );
    dialogs.push(&incoming);
    ask(&mut h, Action::ImportLayer);
    h.state_mut().show_tab(Tab::Map);
    h.run_steps(2);
    h.get_by_label("Merge…").click();
    h.run_steps(3);
    assert!(h.state().merge_review().is_some());
    ask(&mut h, Action::New);
    assert!(h.state().merge_review().is_none());
    assert!(h.state().document().features().is_empty());
    h.state_mut().show_tab(Tab::Table);
    h.run_steps(3);
    assert!(h.state_mut().table_rows().is_empty());
}

#[test]
fn escape_on_the_restore_question_keeps_the_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recovery = crashed_session(dir.path(), &strips_text(4));
    let mut h = start(dir.path(), None);
    assert!(h.state().asks_to_recover());
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(h.state().asks_to_recover(), "the question needs an answer");
    // A shortcut that replaces the document does not let the work go either.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::N);
    h.run_steps(3);
    assert_eq!(recovery.found_all().len(), 1);
    h.get_by_label("Restore").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().document().features().len(), 4);
    assert!(h.state().editor().is_dirty());
    assert_eq!(
        recovery.found_all().len(),
        1,
        "kept until the work is saved"
    );
}

#[test]
fn a_file_named_at_start_opens_beside_the_restore_question() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recovery = crashed_session(dir.path(), &strips_text(3));
    let file = copy_to(
        dir.path(),
        "tests/fixtures/merge/working.geojson",
        "w.geojson",
    );
    let mut h = start(dir.path(), Some(file.clone()));
    assert_eq!(h.state().path(), Some(file.as_path()));
    assert_eq!(h.state().document().features().len(), 4);
    assert!(h.state().asks_to_recover());
    assert_eq!(
        recovery.found_all().len(),
        1,
        "opening the file kept the work"
    );
    h.get_by_label("Restore").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(
        h.state().document().features().len(),
        3,
        "the restored work"
    );
}

#[test]
fn restore_reads_like_open_problems_listed_nothing_dropped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(common::project_file(
        "tests/fixtures/pistas/bad/bad-events.geojson",
    ))
    .expect("fixture");
    let features = pistas::io::read_bytes(text.as_bytes(), "bad")
        .document
        .features()
        .len();
    crashed_session(dir.path(), &text);
    let mut h = start(dir.path(), None);
    h.get_by_label("Restore").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().document().features().len(), features);
    assert!(
        !h.state().diagnostics().is_empty(),
        "its problems are listed"
    );
}

#[test]
fn a_recovery_file_that_cannot_be_read_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "{\"type\": \"FeatureCollection\", \"features\": [";
    let recovery = crashed_session(dir.path(), text);
    let mut h = start(dir.path(), None);
    h.get_by_label("Restore").click();
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().has_overlay(), "says why it cannot be read");
    assert_eq!(
        h.state().document().features().len(),
        60,
        "the sample stays"
    );
    // The unreadable work is moved aside, as it was, and stays after Quit.
    assert!(
        recovery.found_all().is_empty(),
        "the slot is free for this window"
    );
    h.state_mut().request(Action::Quit);
    h.run_steps(3);
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.path().join("recovery"))
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains("unreadable-"))
        .collect();
    assert_eq!(kept.len(), 2, "the journal and its snapshot: {kept:?}");
    let snapshot = kept
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "geojson"))
        .expect("the snapshot");
    assert_eq!(std::fs::read_to_string(snapshot).expect("read"), text);
}

#[test]
fn two_windows_keep_a_recovery_file_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = copy_to(dir.path(), "data/vraem-sample.geojson", "s.geojson");
    let recovery = Recovery::new(dir.path().join("recovery"));
    let mut first = start(dir.path(), Some(file.clone()));
    first.state_mut().rename(0, "Trabajo de la primera ventana");
    let t0 = Instant::now();
    while recovery.found_all().is_empty() {
        assert!(t0.elapsed() < Duration::from_secs(20), "no autosave");
        std::thread::sleep(Duration::from_millis(100));
        first.step();
    }
    // A second window does not offer the first one's live work, and its clean exit does
    // not delete it.
    let mut second = start(dir.path(), Some(file));
    assert!(!second.state().asks_to_recover());
    second.state_mut().request(Action::Quit);
    second.run_steps(2);
    drop(second);
    let found = recovery.found_all();
    assert_eq!(found.len(), 1);
    let restored = found[0].restore();
    assert_eq!(
        restored.document.features()[0].name(),
        Some("Trabajo de la primera ventana")
    );
}

#[test]
fn a_save_asked_for_while_a_save_runs_is_written_last() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = copy_to(dir.path(), "data/vraem-sample.geojson", "s.geojson");
    let mut h = start(dir.path(), Some(file.clone()));
    for name in ["Primera versión", "Segunda versión", "Tercera versión"] {
        h.state_mut().rename(0, name);
        h.state_mut().request(Action::Save);
        h.step();
    }
    settle(&mut h);
    let read = pistas::io::read_path(&file).expect("read back");
    assert_eq!(read.document.features()[0].name(), Some("Tercera versión"));
    assert!(
        !h.state().editor().is_dirty(),
        "saved: the last save wrote the last state"
    );
    assert!(!h.state().title().starts_with('●'));
}

#[test]
fn a_click_far_west_at_zoom_2_stays_on_the_earth() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = copy_to(
        dir.path(),
        "tests/fixtures/merge/working.geojson",
        "w.geojson",
    );
    let mut h = start(dir.path(), Some(file.clone()));
    h.state_mut().set_view(-175.0, 0.0, 2.0);
    h.run_steps(3);
    h.state_mut().request(Action::AddPoint);
    h.run_steps(2);
    let p = h
        .state()
        .screen_position_of(-250.0, 10.0)
        .expect("map shown");
    h.drag_at(p);
    h.drop_at(p);
    h.run_steps(3);
    let doc = h.state().document().clone();
    assert_eq!(doc.features().len(), 5, "a strip was added");
    let text = pistas::io::write_geojson(&doc, &common::options());
    let back = pistas::io::read_bytes(text.as_bytes(), "added");
    assert!(!back.has_errors(), "{:?}", back.diagnostics);
    let added = back.document.features().last().expect("added");
    let lon = match added.geometry().map(|g| g.shape()) {
        Some(geo::Geometry::Point(p)) => p.x(),
        other => panic!("not a point: {other:?}"),
    };
    assert!((-180.0..=180.0).contains(&lon), "{lon}");
    assert!((lon - 110.0).abs() < 1.0, "−250° is 110° east: {lon}");
}

#[test]
fn events_in_the_last_days_count_alike_on_the_map_the_table_and_the_filters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = copy_to(dir.path(), "data/vraem-sample.geojson", "s.geojson");
    let mut h = start(dir.path(), Some(file));
    // A date where some strips had events in the 30 days before and others did not.
    let facts = pistas::analysis::FactBook::build(h.state().document());
    let date = facts.facts[5].last_event.expect("a dated event");
    h.state_mut().set_date(date);
    h.state_mut().set_window(Some(30));
    h.run_steps(3);
    let (shown, drawn) = h.state().shown_counts();
    assert!(shown > 0 && shown < 60, "{shown}");
    assert_eq!(
        drawn,
        h.state().drawn_features().len(),
        "the map draws what is counted"
    );
    assert_eq!(shown, h.state_mut().table_rows().len());
    assert_eq!(shown, h.state().filtered_document().features().len());
    h.get_by_label_contains(&format!("{shown} of 60"));
}

#[test]
fn a_project_whose_working_file_is_missing_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = copy_to(dir.path(), "data/vraem-sample.geojson", "s.geojson");
    let dialogs = ScriptedDialogs::default();
    let mut h = start_with(dir.path(), Some(file.clone()), &dialogs);
    let layer = copy_to(
        dir.path(),
        "tests/fixtures/merge/incoming.geojson",
        "in.geojson",
    );
    dialogs.push(&layer);
    ask(&mut h, Action::ImportLayer);
    assert_eq!(h.state().layers().imported.len(), 1);
    let project = dir.path().join("gone.pistas");
    let mut text = h.state().project_at(&project).expect("a project").to_json();
    text = text.replace("s.geojson", "missing.geojson");
    std::fs::write(&project, text).expect("write project");
    ask(&mut h, Action::OpenPath(project));
    assert!(h.state().has_overlay(), "says why");
    assert_eq!(h.state().path(), Some(file.as_path()));
    assert_eq!(h.state().project(), None);
    assert_eq!(h.state().document().features().len(), 60);
    assert_eq!(
        h.state().layers().imported.len(),
        1,
        "the imported layer stays"
    );
}

#[test]
fn an_imported_layers_problems_select_its_own_features() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dialogs = ScriptedDialogs::default();
    let file = copy_to(dir.path(), "data/vraem-sample.geojson", "s.geojson");
    let bad = copy_to(
        dir.path(),
        "tests/fixtures/pistas/bad/bad-events.geojson",
        "bad.geojson",
    );
    let mut h = window_in(dir.path(), Some(file), &dialogs);
    dialogs.push(&bad);
    ask(&mut h, Action::ImportLayer);
    let target = h
        .state()
        .diagnostics()
        .iter()
        .find(|d| d.feature_index.is_some() && d.is_error())
        .map(|d| d.to_string())
        .expect("an error with a feature");
    h.get_by_label(&target).scroll_to_me();
    h.run_steps(1);
    h.get_by_label(&target).click();
    h.run_steps(3);
    assert!(
        matches!(h.state().selection(), Selection::Layer { .. }),
        "selected in the imported layer: {:?}",
        h.state().selection()
    );
}

#[test]
fn discard_keeps_the_work_until_the_open_it_was_for_succeeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = copy_to(dir.path(), "data/vraem-sample.geojson", "s.geojson");
    let recovery = Recovery::new(dir.path().join("recovery"));
    let mut h = start(dir.path(), Some(file));
    h.state_mut().rename(0, "Sin guardar");
    let t0 = Instant::now();
    while recovery.found_all().is_empty() {
        assert!(t0.elapsed() < Duration::from_secs(20), "no autosave");
        std::thread::sleep(Duration::from_millis(100));
        h.step();
    }
    let broken = dir.path().join("broken.geojson");
    std::fs::write(&broken, "{\"type\": \"FeatureCollection\", \"features\": [").expect("write");
    assert!(h.state().editor().is_dirty());
    h.state_mut().request(Action::OpenPath(broken));
    h.run_steps(4);
    assert!(h.state().has_overlay(), "asks about the unsaved work");
    h.get_by_label("Discard").click();
    h.run_steps(2);
    settle(&mut h);
    assert!(
        h.state().editor().is_dirty(),
        "the open failed: the work is still unsaved"
    );
    assert_eq!(
        h.state().document().features()[0].name(),
        Some("Sin guardar")
    );
    assert_eq!(recovery.found_all().len(), 1, "and still recoverable");
    h.get_by_label("OK").click();
    h.run_steps(3);
    // An open that succeeds after Discard replaces it, and only then is it let go.
    let other = copy_to(
        dir.path(),
        "tests/fixtures/merge/working.geojson",
        "w.geojson",
    );
    h.state_mut().request(Action::OpenPath(other));
    h.run_steps(4);
    h.get_by_label("Discard").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().document().features().len(), 4);
    assert!(recovery.found_all().is_empty());
}

#[test]
fn a_save_as_asked_for_while_a_save_runs_is_written_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dialogs = ScriptedDialogs::default();
    let file = copy_to(dir.path(), "data/vraem-sample.geojson", "a.geojson");
    let other = dir.path().join("b.geojson");
    let mut h = start_with(dir.path(), Some(file.clone()), &dialogs);
    h.state_mut().rename(0, "Uno");
    h.state_mut().request(Action::Save);
    h.step();
    h.state_mut().rename(0, "Dos");
    dialogs.push(&other);
    h.state_mut().request(Action::SaveAs);
    h.step();
    h.state_mut().rename(0, "Tres");
    h.state_mut().request(Action::Save);
    h.step();
    settle(&mut h);
    let name = |p: &Path| {
        let read = pistas::io::read_path(p).expect("read back");
        read.document.features()[0].name().map(str::to_owned)
    };
    assert_eq!(name(&other).as_deref(), Some("Dos"));
    assert_eq!(name(&file).as_deref(), Some("Tres"));
    assert!(!h.state().editor().is_dirty());
}
