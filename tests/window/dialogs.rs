//! A desktop without a file dialog (no XDG portal, no zenity): File ▸ Open and Export do
//! not fail silently: the window says so, its own picker asks, and the command is carried
//! out with the answer.

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::app::{PistasApp, ScriptedDialogs};

fn settle(h: &mut Harness<'static, PistasApp>) {
    let start = Instant::now();
    while h.state().is_busy() {
        assert!(start.elapsed() < Duration::from_secs(30), "background work");
        std::thread::sleep(Duration::from_millis(20));
        h.run_steps(1);
    }
    h.run_steps(2);
}

/// A copy of the sample in a folder of its own (the picker starts in the document's folder).
fn sample_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let first = dir.path().join("first.geojson");
    std::fs::copy(
        super::common::project_file("data/vraem-sample.geojson"),
        &first,
    )
    .expect("copy");
    (dir, first)
}

#[test]
fn without_a_system_dialog_open_asks_in_the_window_and_opens_the_answer() {
    let (dir, first) = sample_copy();
    let other = dir.path().join("other.geojson");
    std::fs::write(
        &other,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"x","properties":{"name":"Otra"},"geometry":{"type":"Point","coordinates":[-74,-12]}}]}"#,
    )
    .expect("write");
    let dialogs = ScriptedDialogs::without_native();
    let mut h = super::common::window(Some(first), &dialogs, None);
    settle(&mut h);
    assert_eq!(h.state().document().features().len(), 60);
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label_contains("Open…").click();
    h.run_steps(3);
    assert!(h.state().picker_open(), "the window's own picker asks");
    h.get_by_label_contains("no XDG desktop portal or zenity");
    h.get_by_label_contains("other.geojson").click();
    h.run_steps(2);
    h.get_by_label("Open").click();
    h.run_steps(3);
    settle(&mut h);
    assert!(!h.state().picker_open());
    assert_eq!(
        h.state().path(),
        Some(other.as_path()),
        "the answer was opened"
    );
    assert_eq!(h.state().document().features().len(), 1);
}

#[test]
fn cancelling_the_in_window_picker_changes_nothing() {
    let dialogs = ScriptedDialogs::without_native();
    let mut h = super::common::window(None, &dialogs, None);
    settle(&mut h);
    let before = h.state().document().features().len();
    h.state_mut().request(pistas::app::Action::Open);
    h.run_steps(3);
    assert!(h.state().picker_open());
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(!h.state().picker_open());
    assert_eq!(h.state().document().features().len(), before);
}

#[test]
fn about_says_the_version_and_commit() {
    let dialogs = ScriptedDialogs::default();
    let mut h = super::common::window(None, &dialogs, None);
    h.state_mut().request(pistas::app::Action::About);
    h.run_steps(3);
    h.get_by_label(&format!("Version {}", pistas::VERSION));
}

#[test]
fn without_a_system_dialog_the_export_dialog_waits_for_the_pickers_answer() {
    let (dir, first) = sample_copy();
    let dialogs = ScriptedDialogs::without_native();
    let mut h = super::common::window(Some(first), &dialogs, None);
    settle(&mut h);
    h.state_mut().request(pistas::app::Action::ExportDialog);
    h.run_steps(3);
    h.get_by_label("Export…").click();
    h.run_steps(3);
    assert!(
        h.state().picker_open(),
        "the window's own picker asks where"
    );
    // The picker suggests the export's name in the document's folder.
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert!(!h.state().picker_open());
    assert_eq!(
        h.state().notice(),
        Some("File chosen: press the button again to use it.")
    );
    // The export dialog stayed open: Export again writes to the chosen file.
    h.get_by_label("Export…").click();
    h.run_steps(3);
    settle(&mut h);
    let written = dir.path().join("first-export.geojson");
    let text = std::fs::read_to_string(&written).expect("the export was written");
    assert!(text.contains("Pista ejemplo 01"));
}

#[test]
fn without_a_system_dialog_the_statistics_csv_is_written_where_the_picker_says() {
    let (dir, first) = sample_copy();
    let dialogs = ScriptedDialogs::without_native();
    let mut h = super::common::window(Some(first), &dialogs, None);
    settle(&mut h);
    h.state_mut().show_tab(pistas::app::Tab::Statistics);
    h.run_steps(3);
    h.get_by_label("Export statistics (CSV)…").click();
    h.run_steps(3);
    assert!(h.state().picker_open());
    h.get_by_label("Save").click();
    h.run_steps(4);
    assert!(!h.state().picker_open());
    // Asked again with the answer: written at once, no second press.
    let written = dir.path().join("pistas-statistics.csv");
    let text = std::fs::read_to_string(&written).expect("the statistics were written");
    assert!(text.lines().count() > 5, "{text}");
}
