//! The window driven as a person would: menus, clicks on the map, typing, keys. No GPU and
//! no network: the map runs on the embedded basemap and dialogs are scripted.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::app::i18n::Lang;
use pistas::app::{AppOptions, PistasApp, Recovery, ScriptedDialogs, Settings};
use pistas::model::EventType;

struct Ui {
    harness: Harness<'static, PistasApp>,
    dialogs: ScriptedDialogs,
    dir: tempfile::TempDir,
}

fn app_with(file: Option<PathBuf>) -> Ui {
    let dir = tempfile::tempdir().expect("temp dir");
    let dialogs = ScriptedDialogs::default();
    let harness = common::window(file, &dialogs, Some(dir.path().join("recovery")));
    Ui {
        harness,
        dialogs,
        dir,
    }
}

/// A copy of the sample in a temporary folder, opened through File ▸ Open.
fn app_on_sample_copy() -> (Ui, PathBuf) {
    let ui = app_with(None);
    let path = ui.dir.path().join("strips.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &path).expect("copy");
    let mut ui = ui;
    open_via_menu(&mut ui, &path);
    (ui, path)
}

fn open_via_menu(ui: &mut Ui, path: &Path) {
    ui.dialogs.push(path);
    ui.harness.get_by_label("File").click();
    ui.harness.run_steps(2);
    ui.harness.get_by_label_contains("Open…").click();
    ui.harness.run_steps(2);
    wait(ui);
}

/// Steps until background work (open, save, export) is done.
fn wait(ui: &mut Ui) {
    let start = Instant::now();
    while ui.harness.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "background work did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
        ui.harness.step();
    }
    ui.harness.run_steps(3);
}

fn click_map(ui: &mut Ui, p: Pos2) {
    ui.harness.drag_at(p);
    ui.harness.drop_at(p);
    ui.harness.run_steps(3);
}

fn index_of(ui: &Ui, name: &str) -> usize {
    ui.harness
        .state()
        .document()
        .features()
        .iter()
        .position(|f| f.name() == Some(name))
        .unwrap_or_else(|| panic!("no strip named {name}"))
}

fn select_by_click(ui: &mut Ui, name: &str) -> usize {
    let index = index_of(ui, name);
    let p = ui
        .harness
        .state()
        .screen_position(index)
        .expect("the strip is drawn");
    click_map(ui, p);
    assert_eq!(
        ui.harness.state().selected(),
        Some(index),
        "clicking {name} at {p:?} selects it"
    );
    index
}

fn replace_text(ui: &mut Ui, label: &str, text: &str) {
    ui.harness.get_by_label(label).focus();
    ui.harness.run_steps(1);
    ui.harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    ui.harness.run_steps(1);
    ui.harness.get_by_label(label).type_text(text);
    ui.harness.run_steps(1);
    ui.harness.key_press(Key::Enter);
    ui.harness.run_steps(3);
}

fn ctrl(ui: &mut Ui, key: Key) {
    ui.harness.key_press_modifiers(Modifiers::COMMAND, key);
    ui.harness.run_steps(3);
}

#[test]
fn click_rename_add_event_undo_redo_save() {
    let (mut ui, path) = app_on_sample_copy();
    assert_eq!(ui.harness.state().path(), Some(path.as_path()));
    let index = select_by_click(&mut ui, "Pista ejemplo 20");
    ui.harness.get_by_label("Pista ejemplo 20");

    replace_text(&mut ui, "Name", "Pista renombrada");
    assert_eq!(
        ui.harness.state().document().features()[index].name(),
        Some("Pista renombrada")
    );
    assert!(ui.harness.state().editor().is_dirty());
    assert!(
        ui.harness.state().title().starts_with('●'),
        "unsaved marker in the title"
    );

    let before = ui.harness.state().document().features()[index]
        .events()
        .len();
    ui.harness.get_by_label("Add event").click();
    ui.harness.run_steps(2);
    ui.harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Type")
        .click();
    ui.harness.run_steps(2);
    ui.harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "destroyed")
        .click();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Date").focus();
    ui.harness.run_steps(1);
    ui.harness.get_by_label("Date").type_text("2014-09~");
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Save event").click();
    ui.harness.run_steps(3);
    let events = ui.harness.state().document().features()[index]
        .events()
        .to_vec();
    assert_eq!(events.len(), before + 1);
    let added = events.last().expect("the new event");
    assert_eq!(added.kind(), EventType::Destroyed);
    assert_eq!(added.date().to_string(), "2014-09~");

    ctrl(&mut ui, Key::Z);
    assert_eq!(
        ui.harness.state().document().features()[index]
            .events()
            .len(),
        before,
        "undo removes the event"
    );
    assert_eq!(
        ui.harness.state().document().features()[index].name(),
        Some("Pista renombrada"),
        "one step at a time"
    );
    ui.harness
        .key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    ui.harness.run_steps(3);
    assert_eq!(
        ui.harness.state().document().features()[index]
            .events()
            .len(),
        before + 1,
        "redo brings it back"
    );

    ctrl(&mut ui, Key::S);
    wait(&mut ui);
    assert!(!ui.harness.state().editor().is_dirty());
    let saved = pistas::io::read_path(&path)
        .expect("saved file")
        .into_strict()
        .expect("valid");
    let strip = &saved.features()[index];
    assert_eq!(strip.name(), Some("Pista renombrada"));
    assert!(
        strip
            .events()
            .iter()
            .any(|e| e.kind() == EventType::Destroyed && e.date().to_string() == "2014-09~")
    );
    // Nothing else changed: every other feature reads back equal.
    let original = pistas::io::read_path(&common::project_file("data/vraem-sample.geojson"))
        .unwrap()
        .document;
    for (i, (a, b)) in original.features().iter().zip(saved.features()).enumerate() {
        if i != index {
            assert_eq!(a, b, "feature {i} changed");
        }
    }
}

#[test]
fn delete_asks_first_and_undo_restores() {
    let (mut ui, _) = app_on_sample_copy();
    let count = ui.harness.state().document().features().len();
    select_by_click(&mut ui, "Pista ejemplo 10");
    ui.harness.key_press(Key::Delete);
    ui.harness.run_steps(3);
    ui.harness.get_by_label("Cancel").click();
    ui.harness.run_steps(3);
    assert_eq!(
        ui.harness.state().document().features().len(),
        count,
        "cancel keeps the strip"
    );
    ui.harness.key_press(Key::Delete);
    ui.harness.run_steps(3);
    ui.harness.get_by_label("Delete").click();
    ui.harness.run_steps(3);
    assert_eq!(ui.harness.state().document().features().len(), count - 1);
    assert!(
        ui.harness
            .state()
            .document()
            .features()
            .iter()
            .all(|f| f.name() != Some("Pista ejemplo 10"))
    );
    ctrl(&mut ui, Key::Z);
    assert_eq!(ui.harness.state().document().features().len(), count);
}

#[test]
fn unsaved_changes_ask_save_discard_cancel() {
    let (mut ui, _) = app_on_sample_copy();
    let index = select_by_click(&mut ui, "Pista ejemplo 15");
    replace_text(&mut ui, "Name", "Cambiada");
    ctrl(&mut ui, Key::N);
    ui.harness.get_by_label("Unsaved changes");
    ui.harness.get_by_label("Cancel").click();
    ui.harness.run_steps(3);
    assert_eq!(
        ui.harness.state().document().features()[index].name(),
        Some("Cambiada"),
        "cancel keeps the work"
    );
    ctrl(&mut ui, Key::N);
    ui.harness.get_by_label("Discard").click();
    ui.harness.run_steps(3);
    assert!(
        ui.harness.state().document().features().is_empty(),
        "discard then makes the new document"
    );
    assert!(!ui.harness.state().editor().is_dirty());
}

#[test]
fn unsaved_changes_save_then_continue() {
    let (mut ui, path) = app_on_sample_copy();
    select_by_click(&mut ui, "Pista ejemplo 15");
    replace_text(&mut ui, "Name", "Guardada");
    ctrl(&mut ui, Key::N);
    ui.harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Save")
        .click();
    ui.harness.run_steps(2);
    wait(&mut ui);
    ui.harness.run_steps(3);
    assert!(
        ui.harness.state().document().features().is_empty(),
        "after saving, New goes on"
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("Guardada"));
}

#[test]
fn bad_events_are_listed_and_every_feature_opens() {
    let ui = app_with(None);
    let mut ui = ui;
    let bad = common::project_file("tests/fixtures/pistas/bad/bad-events.geojson");
    open_via_menu(&mut ui, &bad);
    ui.harness.run_steps(3);
    let app = ui.harness.state();
    assert_eq!(app.document().features().len(), 5, "every feature opens");
    let bad_date = app.document().position("bad-date").expect("kept");
    assert_eq!(app.document().features()[bad_date].unread_events().len(), 1);
    assert!(
        app.diagnostics()
            .iter()
            .any(|d| d.message.contains("month 13"))
    );
    assert_eq!(
        app.path(),
        Some(bad.as_path()),
        "saving writes every feature back, the unread events as they were"
    );
    // The diagnostics panel lists the problem with its location.
    assert!(
        ui.harness
            .get_all_by_label_contains("bad-events.geojson:")
            .count()
            >= 2
    );
    // The inspector shows the unread event with its problem; fixing its JSON makes it an
    // event of the history, one undo step.
    ui.harness.state_mut().select(Some(bad_date));
    ui.harness.run_steps(3);
    ui.harness.get_by_label("Events Pistas could not read (1)");
    ui.harness.get_by_label("Event as JSON").scroll_to_me();
    ui.harness.run_steps(2);
    replace_text(
        &mut ui,
        "Event as JSON",
        r#"{"type": "destroyed", "date": "2014-12-04"}"#,
    );
    // The inspector scrolls to the button, as a person would.
    ui.harness.get_by_label("Apply fix").scroll_to_me();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Apply fix").click();
    ui.harness.run_steps(3);
    assert_eq!(ui.harness.state().selected(), Some(bad_date));
    let strip = &ui.harness.state().document().features()[bad_date];
    assert!(strip.unread_events().is_empty());
    assert_eq!(strip.events().len(), 2);
    assert_eq!(strip.events()[1].date().to_string(), "2014-12-04");
    ctrl(&mut ui, Key::Z);
    assert_eq!(
        ui.harness.state().document().features()[bad_date]
            .unread_events()
            .len(),
        1
    );
}

#[test]
fn language_switch_changes_the_menus() {
    let mut ui = app_with(None);
    ui.harness.get_by_label("View").click();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Español").click();
    ui.harness.run_steps(3);
    assert_eq!(ui.harness.state().lang(), Lang::Es);
    ui.harness.get_by_label("Archivo");
    ui.harness.get_by_label("Ver");
    assert!(ui.harness.query_by_label("File").is_none());
}

#[test]
fn add_a_point_and_a_runway_by_clicking() {
    let mut ui = app_with(None);
    let count = ui.harness.state().document().features().len();
    ui.harness.get_by_label("+ Add strip").click();
    ui.harness.run_steps(2);
    let p = ui
        .harness
        .state()
        .screen_position_of(-74.3, -12.6)
        .expect("map shown");
    click_map(&mut ui, p);
    assert_eq!(ui.harness.state().document().features().len(), count + 1);
    let added = ui
        .harness
        .state()
        .selected()
        .expect("the new strip is selected");
    let shape = ui.harness.state().document().features()[added]
        .geometry()
        .cloned()
        .unwrap();
    let geo::Geometry::Point(pt) = shape.shape() else {
        panic!("a point")
    };
    assert!(
        (pt.x() + 74.3).abs() < 0.01 && (pt.y() + 12.6).abs() < 0.01,
        "{pt:?}"
    );

    ui.harness.get_by_label("Add runway").click();
    ui.harness.run_steps(2);
    let a = ui.harness.state().screen_position_of(-74.4, -12.7).unwrap();
    click_map(&mut ui, a);
    click_map(&mut ui, a + vec2(40.0, 10.0));
    assert_eq!(ui.harness.state().document().features().len(), count + 2);
    let runway = ui.harness.state().selected().unwrap();
    let f = &ui.harness.state().document().features()[runway];
    assert!(matches!(
        f.geometry().unwrap().shape(),
        geo::Geometry::LineString(_)
    ));
    assert!(f.is_strip());
    // Both additions are undone one at a time.
    ctrl(&mut ui, Key::Z);
    ctrl(&mut ui, Key::Z);
    assert_eq!(ui.harness.state().document().features().len(), count);
}

#[test]
fn dragging_the_selected_strip_moves_it_in_one_step() {
    let (mut ui, _) = app_on_sample_copy();
    let index = select_by_click(&mut ui, "Pista ejemplo 10");
    let before = ui.harness.state().document().features()[index]
        .geometry()
        .cloned();
    // The inspector that came with the selection has settled its width.
    ui.harness.run_steps(5);
    let p = ui.harness.state().screen_position(index).unwrap();
    ui.harness.drag_at(p);
    ui.harness.run_steps(1);
    for k in 1..=6 {
        ui.harness
            .hover_at(p + vec2(10.0 * k as f32, 5.0 * k as f32));
        ui.harness.run_steps(1);
    }
    ui.harness.drop_at(p + vec2(60.0, 30.0));
    ui.harness.run_steps(3);
    let after = ui.harness.state().document().features()[index]
        .geometry()
        .cloned();
    assert_ne!(before, after, "the strip moved");
    let q = ui.harness.state().screen_position(index).unwrap();
    assert!(
        (q - (p + vec2(60.0, 30.0))).length() < 3.0,
        "it is where it was dropped: {q:?}"
    );
    ctrl(&mut ui, Key::Z);
    assert_eq!(
        ui.harness.state().document().features()[index].geometry(),
        before.as_ref(),
        "one drag, one undo step"
    );
}

#[test]
fn coordinates_typed_as_dms_move_the_strip() {
    let (mut ui, _) = app_on_sample_copy();
    let index = select_by_click(&mut ui, "Pista ejemplo 20");
    replace_text(&mut ui, "Coordinates", "12°21'05\"S 73°57'10\"W");
    let f = &ui.harness.state().document().features()[index];
    let geo::Geometry::Point(p) = f.geometry().unwrap().shape() else {
        panic!()
    };
    assert!((p.y() + 12.351_389).abs() < 1e-5 && (p.x() + 73.952_778).abs() < 1e-5);
}

#[test]
fn go_to_finds_towns_and_coordinates() {
    let mut ui = app_with(None);
    replace_text(&mut ui, "Go to", "Pichari");
    let (lon, lat, _) = ui.harness.state().view();
    assert!(
        (lon + 73.86).abs() < 0.2 && (lat + 12.52).abs() < 0.2,
        "{lon} {lat}"
    );
    replace_text(&mut ui, "Go to", "11°30'S 74°00'W");
    let (lon, lat, zoom) = ui.harness.state().view();
    assert!((lon + 74.0).abs() < 1e-6 && (lat + 11.5).abs() < 1e-6 && zoom >= 12.0);
}

#[test]
fn export_writes_every_format() {
    let (mut ui, _) = app_on_sample_copy();
    let out = ui.dir.path().join("export.kml");
    ui.dialogs.push(&out);
    ui.harness.get_by_label("File").click();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Export").hover();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("KML (Google Earth)…").click();
    ui.harness.run_steps(2);
    wait(&mut ui);
    let kml = std::fs::read_to_string(&out).expect("the export is written");
    assert!(kml.contains("<kml") && kml.contains("Pista ejemplo 20"));
}

#[test]
fn autosave_writes_recovery_and_next_start_offers_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recovery = Recovery::new(dir.path().join("recovery"));
    // A session that crashed left its journal behind: a snapshot and one edit.
    let doc = pistas::model::synthetic::generate(6, 3);
    let crashed = recovery.claim().expect("a slot");
    let mut editor = pistas::edit::Editor::new(doc.clone());
    editor.set_recording(true);
    editor.delete(2).expect("an edit");
    let lines: Vec<String> = editor.take_recorded().into_iter().map(|(_, l)| l).collect();
    crashed.writer().start(
        pistas::io::journal::Base::Snapshot(std::sync::Arc::new(doc)),
        None,
        Vec::new(),
    );
    for line in lines {
        crashed.writer().append(line);
    }
    crashed.writer().flush();
    drop(crashed);
    let options = AppOptions {
        file: None,
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: Some(recovery.clone()),
        settings: Some(Settings::default()),
        lang: Some(Lang::En),
        tile_cache: None,
    };
    let mut harness = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .build_eframe(move |cc| PistasApp::new(cc, options));
    harness.run_steps(3);
    harness.get_by_label("Restore unsaved work?");
    harness.get_by_label("Restore").click();
    harness.run_steps(3);
    for _ in 0..50 {
        if harness.state().document().features().len() == 5 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    assert_eq!(harness.state().document().features().len(), 5);
    assert!(
        harness.state().editor().is_dirty(),
        "restored work is unsaved until saved"
    );
}

#[test]
fn every_edit_is_journaled_on_the_file_and_a_save_clears_it() {
    let (mut ui, file) = app_on_sample_copy();
    select_by_click(&mut ui, "Pista ejemplo 15");
    replace_text(&mut ui, "Name", "Autoguardada");
    let recovery = Recovery::new(ui.dir.path().join("recovery"));
    ui.harness.state().flush_journal();
    let found = recovery.found_all().pop().expect("the edit is journaled");
    // The journal's base is the file itself (a hard link to it beside the journal):
    // nothing but the edit was written.
    let header = pistas::io::journal::read_header(&found.journal).expect("a journal");
    assert_eq!(header.original.as_deref(), Some(file.as_path()));
    let base = header.base.expect("a base");
    assert_eq!(
        std::fs::read(&base).expect("base"),
        std::fs::read(&file).expect("file")
    );
    let journal_size = std::fs::metadata(&found.journal).expect("journal").len();
    let file_size = std::fs::metadata(&file).expect("file").len();
    assert!(journal_size < file_size, "{journal_size} ≥ {file_size}");
    let restored = found.restore();
    assert_eq!(&restored.document, ui.harness.state().document());
    // Saving removes the journal.
    ctrl(&mut ui, Key::S);
    wait(&mut ui);
    ui.harness.state().flush_journal();
    assert!(recovery.found_all().is_empty());
}

#[test]
fn hovering_a_strip_shows_its_status_and_last_event() {
    let (mut ui, _) = app_on_sample_copy();
    let index = index_of(&ui, "Pista ejemplo 20");
    let p = ui.harness.state().screen_position(index).unwrap();
    ui.harness.hover_at(p);
    for _ in 0..40 {
        ui.harness.step();
    }
    ui.harness
        .get_by_label_contains("Last event: rebuilt on 2014-11-10");
    // Esc clears a selection.
    click_map(&mut ui, p);
    assert_eq!(ui.harness.state().selected(), Some(index));
    ui.harness.key_press(Key::Escape);
    ui.harness.run_steps(2);
    assert_eq!(ui.harness.state().selected(), None);
}
