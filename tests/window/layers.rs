//! Layers in the window: import a second layer, hide and show it, select one of its features,
//! merge it into the working layer through the review (one match merged, others skipped),
//! undo the merge, export the filtered strips through the Export dialog, save a project and
//! open it again.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::analysis::Filter;
use pistas::app::{PistasApp, ScriptedDialogs};
use pistas::model::Document;

struct Ui {
    harness: Harness<'static, PistasApp>,
    dialogs: ScriptedDialogs,
    dir: tempfile::TempDir,
}

/// The window on a copy of the merge fixture's working layer.
fn app() -> Ui {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["working.geojson", "incoming.geojson"] {
        std::fs::copy(
            common::project_file(&format!("tests/fixtures/merge/{name}")),
            dir.path().join(name),
        )
        .expect("copy");
    }
    let dialogs = ScriptedDialogs::default();
    let mut harness = common::window(
        Some(dir.path().join("working.geojson")),
        &dialogs,
        Some(dir.path().join("recovery")),
    );
    wait(&mut harness);
    Ui {
        harness,
        dialogs,
        dir,
    }
}

fn wait(harness: &mut Harness<'static, PistasApp>) {
    let start = Instant::now();
    while harness.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "work did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run_steps(3);
}

fn load(path: &std::path::Path) -> Document {
    pistas::io::read_path(path)
        .expect("read")
        .into_strict()
        .expect("valid")
}

fn import_incoming(ui: &mut Ui) -> u64 {
    ui.dialogs.push(ui.dir.path().join("incoming.geojson"));
    ui.harness.get_by_label("Import layer…").click();
    ui.harness.run_steps(2);
    wait(&mut ui.harness);
    let layers = ui.harness.state().layers();
    assert_eq!(layers.imported.len(), 1);
    assert_eq!(layers.imported[0].document.features().len(), 5);
    layers.imported[0].key
}

fn click_at(ui: &mut Ui, p: egui::Pos2) {
    ui.harness.drag_at(p);
    ui.harness.drop_at(p);
    ui.harness.run_steps(3);
}

#[test]
fn import_toggle_select_merge_undo_and_export() {
    let mut ui = app();
    let original = ui.harness.state().document().clone();
    let key = import_incoming(&mut ui);
    // Its features are drawn and listed in the legend; c-far (index 2) is on the map.
    ui.harness.get_by_label("incoming.geojson");
    let far = ui
        .harness
        .state()
        .layer_screen_position(key, 2)
        .expect("on screen");

    // Hidden, its features cannot be picked; shown again, a click selects one read-only.
    ui.harness.get_by_label("Show incoming.geojson").click();
    ui.harness.run_steps(2);
    assert!(!ui.harness.state().layers().imported[0].visible);
    click_at(&mut ui, far);
    assert_eq!(ui.harness.state().selected_layer(), None);
    ui.harness.get_by_label("Show incoming.geojson").click();
    ui.harness.run_steps(2);
    assert!(ui.harness.state().layers().imported[0].visible);
    click_at(&mut ui, far);
    assert_eq!(ui.harness.state().selected_layer(), Some((key, 2)));
    ui.harness
        .get_by_label("From layer incoming.geojson (read-only)");
    assert_eq!(ui.harness.state().selected(), None);

    // Merge: three proposals; keep the first as "Merge", skip the other two.
    ui.harness.get_by_label("Merge…").click();
    ui.harness.run_steps(3);
    ui.harness
        .get_by_label_contains("3 proposed matches, 3 to merge");
    assert_eq!(ui.harness.query_all_by_label("Skip").count(), 3);
    ui.harness.get_by_label("Skip all").click();
    ui.harness.run_steps(2);
    ui.harness
        .get_by_label_contains("3 proposed matches, 0 to merge");
    ui.harness
        .query_all_by_label("Merge")
        .next()
        .expect("first row's Merge")
        .click();
    ui.harness.run_steps(2);
    ui.harness
        .get_by_label_contains("3 proposed matches, 1 to merge");
    ui.harness.get_by_label("Apply merge").click();
    ui.harness.run_steps(3);
    let merged = ui.harness.state().document().clone();
    let ids: Vec<&str> = merged.features().iter().map(|f| f.id().as_str()).collect();
    assert_eq!(ids, ["w1", "w2", "w3", "w4", "c-far", "c-diff"]);
    // w1 got the rebuild and the police source; skipped w2 and w3 are unchanged.
    assert_eq!(merged.features()[0].events().len(), 3);
    assert_eq!(merged.features()[1], original.features()[1]);
    assert_eq!(merged.features()[2], original.features()[2]);
    assert!(ui.harness.state().editor().is_dirty());

    // The whole merge is one undo step.
    ui.harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    ui.harness.run_steps(3);
    assert_eq!(ui.harness.state().document(), &original);
    ui.harness
        .key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    ui.harness.run_steps(3);
    assert_eq!(ui.harness.state().document(), &merged);

    // Export the filtered strips (destroyed at least once) as strips CSV with the dialog.
    ui.harness.state_mut().set_filter(Filter {
        min_destroyed: 1,
        ..Filter::default()
    });
    ui.harness.run_steps(2);
    let expected: Vec<String> = merged
        .features()
        .iter()
        .filter(|f| {
            f.events()
                .iter()
                .any(|e| e.kind() == pistas::model::EventType::Destroyed)
        })
        .map(|f| f.id().to_string())
        .collect();
    assert_eq!(expected, ["w1", "w2", "w4"]);
    ui.harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    ui.harness.run_steps(3);
    // A feature of the imported layer is still selected, so the dialog starts on that layer:
    // choose the working layer.
    ui.harness.get_by_label("All (5)");
    ui.harness.get_by_label("Layer").click();
    ui.harness.run_steps(2);
    ui.harness
        .get_by_label("working.geojson (working layer)")
        .click();
    ui.harness.run_steps(2);
    ui.harness
        .get_by_label("Those passing the filters (3)")
        .click();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Format").click();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Strips CSV").click();
    ui.harness.run_steps(2);
    let out = ui.dir.path().join("filtered.csv");
    ui.dialogs.push(&out);
    ui.harness.get_by_label("Export…").click();
    ui.harness.run_steps(2);
    wait(&mut ui.harness);
    let mut csv = csv::Reader::from_path(&out).expect("exported");
    let headers = csv.headers().expect("headers").clone();
    let id_column = headers.iter().position(|h| h == "id").expect("id column");
    let ids: Vec<String> = csv
        .records()
        .map(|r| r.expect("row")[id_column].to_owned())
        .collect();
    assert_eq!(ids, expected);
    // The choices are remembered for the next export.
    let remembered = &ui.harness.state().settings().export;
    assert_eq!(remembered.format, "csv");
    assert_eq!(
        remembered.scope,
        pistas::app::dialogs::export_view::Scope::Filtered
    );
}

#[test]
fn a_project_keeps_layers_styles_view_and_filters() {
    let mut ui = app();
    let key = import_incoming(&mut ui);
    ui.harness.get_by_label("Show incoming.geojson").click();
    ui.harness.run_steps(2);
    ui.harness.state_mut().set_filter(Filter {
        min_rebuilt: 1,
        ..Filter::default()
    });
    ui.harness.state_mut().set_view(-73.9, -12.4, 11.0);
    ui.harness.run_steps(2);
    let project: PathBuf = ui.dir.path().join("story.pistas");
    ui.dialogs.push(&project);
    ui.harness.get_by_label("File").click();
    ui.harness.run_steps(2);
    ui.harness.get_by_label("Save project as…").click();
    ui.harness.run_steps(3);
    let text = std::fs::read_to_string(&project).expect("project written");
    assert_eq!(
        ui.harness.state().settings().last_file.as_deref(),
        Some(project.as_path()),
        "the next start reopens the project"
    );
    assert!(text.contains("\"path\": \"incoming.geojson\""), "{text}");
    assert!(text.contains("\"path\": \"working.geojson\""), "{text}");
    assert!(text.contains("\"min_rebuilt\": 1"), "{text}");
    let _ = key;

    // A fresh window on the project restores all of it.
    let mut harness = common::window(Some(project.clone()), &ScriptedDialogs::default(), None);
    harness.run_steps(1);
    let state = harness.state();
    assert_eq!(
        state.settings().last_file.as_deref(),
        Some(project.as_path())
    );
    assert_eq!(
        state.path(),
        Some(ui.dir.path().join("working.geojson").as_path())
    );
    let layers = state.layers();
    assert_eq!(layers.imported.len(), 1);
    assert!(!layers.imported[0].visible);
    assert_eq!(
        layers.imported[0].document,
        load(&ui.dir.path().join("incoming.geojson"))
    );
    let (lon, lat, zoom) = state.view();
    assert!(
        (lon + 73.9).abs() < 1e-6 && (lat + 12.4).abs() < 1e-6,
        "{lon} {lat}"
    );
    assert!((zoom - 11.0).abs() < 1e-6);
    assert_eq!(state.shown_counts().0, 0, "the rebuilt filter is back");
}

#[test]
fn layers_are_reordered_by_dragging_or_buttons() {
    use pistas::app::panels::layers::Slot;
    let mut ui = app();
    let key = import_incoming(&mut ui);
    assert_eq!(
        ui.harness.state().layers().order,
        [Slot::Imported(key), Slot::Working]
    );
    // Drag the working layer's handle onto the imported layer's card.
    let handles: Vec<egui::Rect> = ui
        .harness
        .query_all_by_label("::")
        .map(|n| n.rect())
        .collect();
    assert_eq!(handles.len(), 2);
    let (from, to) = (handles[1].center(), handles[0].center() + vec2(60.0, 4.0));
    ui.harness.drag_at(from);
    ui.harness.run_steps(2);
    for k in 1..=5 {
        let p = from + (to - from) * (k as f32 / 5.0);
        ui.harness.hover_at(p);
        ui.harness.run_steps(1);
    }
    ui.harness.drop_at(to);
    ui.harness.run_steps(3);
    assert_eq!(
        ui.harness.state().layers().order,
        [Slot::Working, Slot::Imported(key)]
    );
    // And back with the button.
    ui.harness
        .query_all_by_label("v")
        .next()
        .expect("move down")
        .click();
    ui.harness.run_steps(2);
    assert_eq!(
        ui.harness.state().layers().order,
        [Slot::Imported(key), Slot::Working]
    );
}

/// A file as the windowing system hands it over when dropped.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn files_dropped_on_the_window_are_imported_as_layers() {
    let mut ui = app();
    let working = ui.harness.state().document().clone();
    for name in ["incoming.geojson", "working.geojson"] {
        let file = Dropped(ui.dir.path().join(name));
        ui.harness
            .input_mut()
            .dropped_files
            .push(std::sync::Arc::new(file));
    }
    ui.harness.run_steps(1);
    wait(&mut ui.harness);
    let layers = ui.harness.state().layers();
    let mut names: Vec<&str> = layers.imported.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["incoming.geojson", "working.geojson"]);
    // The working layer is untouched: dropping never replaces the document being edited.
    assert_eq!(ui.harness.state().document(), &working);
    assert!(!ui.harness.state().editor().is_dirty());
}

#[test]
fn a_large_review_is_shown_a_page_at_a_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (working, copy) = (dir.path().join("a.geojson"), dir.path().join("b.geojson"));
    for path in [&working, &copy] {
        std::fs::copy(common::project_file("data/vraem-sample.geojson"), path).expect("copy");
    }
    let dialogs = ScriptedDialogs::default();
    let mut harness = common::window(Some(working), &dialogs, None);
    wait(&mut harness);
    dialogs.push(&copy);
    harness.get_by_label("Import layer…").click();
    harness.run_steps(2);
    wait(&mut harness);
    harness.get_by_label("Merge…").click();
    harness.run_steps(3);
    // The sample merged with itself: its 60 strips match by id, 50 to a page.
    harness.get_by_label_contains("60 proposed matches, 60 to merge");
    harness.get_by_label("page 1 of 2");
    assert_eq!(harness.query_all_by_label("Keep both").count(), 50);
    harness.get_by_label(">").click();
    harness.run_steps(2);
    harness.get_by_label("page 2 of 2");
    assert_eq!(harness.query_all_by_label("Keep both").count(), 10);
}

#[test]
fn an_imported_survey_is_shown_with_its_id_guessed_and_escape_closes_only_a_drop_down() {
    let mut ui = app();
    let (lon0, _, _) = ui.harness.state().view();
    let path = ui.dir.path().join("survey.csv");
    std::fs::write(
        &path,
        "Name,Airstrip ID,Latitude,Longitude\n\
         Fazenda Boa Vista,BR-0007,-3.10,-60.00\n\
         Sítio Novo,BR-0012,-3.20,-60.10\n\
         Faz. Esperança,BR-0031,-3.40,-60.30\n",
    )
    .expect("write");
    ui.dialogs.push(&path);
    ui.harness
        .state_mut()
        .request(pistas::app::Action::ImportLayer);
    ui.harness.run_steps(3);
    wait(&mut ui.harness);
    // The preview guessed the id column.
    let combo = ui
        .harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Id column");
    assert_eq!(combo.value().as_deref(), Some("Airstrip ID"), "{combo:?}");
    combo.click();
    ui.harness.run_steps(2);
    ui.harness.key_press(Key::Escape);
    ui.harness.run_steps(3);
    // The drop-down closed; the dialog is still there.
    ui.harness.get_by_label("Import").click();
    ui.harness.run_steps(3);
    wait(&mut ui.harness);
    let layers = ui.harness.state().layers();
    assert_eq!(layers.imported.len(), 1, "the survey is a layer");
    let layer = &layers.imported[0];
    let ids: Vec<&str> = layer
        .document
        .features()
        .iter()
        .map(|f| f.id().as_str())
        .collect();
    assert_eq!(ids, ["BR-0007", "BR-0012", "BR-0031"]);
    // The map went to Brazil.
    let (lon, lat, _) = ui.harness.state().view();
    assert!(
        (lon + 60.15).abs() < 1.0 && (lat + 3.25).abs() < 1.0,
        "the view {lon}, {lat} (was at {lon0})"
    );
}

#[test]
fn taking_ids_from_a_column_clears_the_warnings_that_they_had_none() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("survey.geojson");
    let positions: Vec<(f64, f64)> = (0..15)
        .map(|i| (-50.0 + f64::from(i) * 0.1, -10.0))
        .collect();
    let text = common::points_collection(&positions, |i| {
        format!(r#""name":"s{i}","Airstrip ID":"BR-{i:04}""#)
    });
    std::fs::write(&path, text).expect("write");
    let dialogs = ScriptedDialogs::default();
    let mut h = common::window(Some(path), &dialogs, Some(dir.path().join("recovery")));
    wait(&mut h);
    let missing = |h: &Harness<'static, PistasApp>| {
        h.state()
            .diagnostics()
            .iter()
            .filter(|d| d.is_missing_id())
            .count()
    };
    assert_eq!(missing(&h), 11, "ten named and one summary");
    h.get_by_label("Use column as id").click();
    h.run_steps(3);
    assert_eq!(h.state().document().features()[3].id().as_str(), "BR-0003");
    assert_eq!(missing(&h), 0, "{:?}", h.state().diagnostics());
}
