//! The map as the hero: panel toggles, the inspector that comes with a selection, the
//! legend that folds, the overview's clusters that zoom in when clicked, Help ▸ Keyboard
//! shortcuts, and pictures at 1024×768 of data outside Peru and of a large overview.

use std::path::PathBuf;

use egui::{Key, Modifiers, vec2};
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use pistas::app::i18n::Lang;
use pistas::app::{Action, AppOptions, PistasApp, ScriptedDialogs, Settings};

use crate::common;

fn window(file: Option<PathBuf>, size: egui::Vec2) -> Harness<'static, PistasApp> {
    let options = AppOptions {
        file,
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(Lang::En),
        tile_cache: None,
    };
    let mut harness = Harness::builder()
        .with_size(size)
        .with_options(
            SnapshotOptions::default()
                .threshold(2.0)
                .max_failed_pixels(400),
        )
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| PistasApp::new(cc, options));
    harness
        .state_mut()
        .set_date("2024-10-01".parse().expect("date"));
    harness.run_steps(4);
    harness
}

fn shortcut(h: &mut Harness<'static, PistasApp>, key: Key) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, key);
    h.run_steps(3);
}

#[test]
fn panels_toggle_and_the_inspector_comes_with_a_selection() {
    let mut h = window(None, vec2(1024.0, 768.0));
    assert!(h.query_by_label("Filters").is_some());
    assert!(
        h.query_by_label("No strip selected").is_none(),
        "no inspector without a selection"
    );
    shortcut(&mut h, Key::L);
    assert!(!h.state().settings().sidebar);
    assert!(h.query_by_label("Filters").is_none());
    // The toolbar's toggle brings it back.
    h.get_by_label("Layers").click();
    h.run_steps(3);
    assert!(h.state().settings().sidebar);
    let index = 20;
    let p = h.state().screen_position(index).expect("drawn");
    h.drag_at(p);
    h.drop_at(p);
    h.run_steps(4);
    assert_eq!(h.state().selected(), Some(index));
    assert!(
        h.query_by_label("Name").is_some(),
        "the inspector shows the strip"
    );
    shortcut(&mut h, Key::I);
    assert!(!h.state().settings().inspector);
    assert!(h.query_by_label("Name").is_none());
}

#[test]
fn the_legend_folds_and_is_remembered() {
    let mut h = window(None, vec2(1024.0, 768.0));
    assert!(h.state().settings().legend_open);
    let rect = h.state().map_rect().expect("map shown");
    let header = egui::pos2(rect.right() - 60.0, rect.top() + 18.0);
    h.drag_at(header);
    h.drop_at(header);
    h.run_steps(3);
    assert!(!h.state().settings().legend_open);
}

#[test]
fn clicking_a_cluster_zooms_into_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("many.geojson");
    let doc = pistas::model::synthetic::generate(3000, 4);
    std::fs::write(&path, pistas::io::write_geojson(&doc, &common::options())).expect("write");
    let mut h = window(Some(path), vec2(1024.0, 768.0));
    h.state_mut().set_view(-74.0, -12.4, 7.0);
    h.run_steps(4);
    let clusters = h.state().clusters();
    assert!(!clusters.is_empty(), "3,000 strips in view are clustered");
    let total: u32 = clusters.iter().map(|c| c.1).sum();
    assert!(total > 2000, "{total}");
    let (at, _) = *clusters.iter().max_by_key(|c| c.1).expect("a cluster");
    let zoom = h.state().view().2;
    h.drag_at(at);
    h.drop_at(at);
    h.run_steps(4);
    assert!(
        h.state().view().2 > zoom + 0.5,
        "zoomed in from {zoom} to {}",
        h.state().view().2
    );
    assert_eq!(
        h.state().selected(),
        None,
        "a cluster click selects nothing"
    );
}

#[test]
fn help_lists_every_keyboard_shortcut() {
    let mut h = window(None, vec2(1024.0, 768.0));
    h.state_mut().request(Action::Shortcuts);
    h.run_steps(4);
    assert!(
        h.query_all_by_label("Keyboard shortcuts").count() >= 2,
        "the title and its own line"
    );
    for text in ["Layers and filters panel", "Inspector (when", "Fit to data"] {
        assert!(
            h.query_by_label_contains(text).is_some(),
            "{text} is listed"
        );
    }
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(!h.state().has_overlay());
}

#[test]
fn data_outside_peru_has_borders_and_rivers() {
    let file = common::project_file("tests/fixtures/outside/brazil-illustrative.geojson");
    let mut h = window(Some(file), vec2(1024.0, 768.0));
    h.run_steps(4);
    h.snapshot("outside_peru_1024");
}

#[test]
fn an_overview_of_20k_strips_shows_each_status_mix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("20k.geojson");
    let doc = pistas::model::synthetic::generate(20_000, 1);
    std::fs::write(&path, pistas::io::write_geojson(&doc, &common::options())).expect("write");
    let mut h = window(Some(path), vec2(1400.0, 900.0));
    // A large file opens in the background: frames run until it is in.
    for _ in 0..500 {
        if !h.state().is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run_steps(1);
    }
    assert_eq!(h.state().document().features().len(), 20_000);
    h.run_steps(4);
    assert!(!h.state().clusters().is_empty());
    h.snapshot("overview_20k");
}

#[test]
fn the_table_shows_chosen_property_columns_and_edits_a_cell_in_one_undo_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.geojson");
    std::fs::copy(
        common::project_file("tests/fixtures/merge/working.geojson"),
        &path,
    )
    .expect("copy");
    let mut h = window(Some(path.clone()), vec2(1400.0, 900.0));
    h.state_mut().show_tab(pistas::app::Tab::Table);
    h.run_steps(3);
    h.get_by_label("Columns…").click();
    h.run_steps(2);
    h.get_by_label("length_est").click();
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(
        h.query_by_label("length_est").is_some(),
        "the column's header"
    );
    let remembered = h.state().settings().table_columns.clone();
    assert_eq!(
        remembered,
        vec![(path.clone(), vec!["length_est".to_owned()])]
    );
    // Select the row, then click its cell to edit it (the inspector, which would show
    // the same value, is hidden).
    shortcut(&mut h, Key::I);
    h.get_by_label("Pista Palmapampa").click();
    h.run_steps(2);
    h.get_by_label("800").click();
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.query_all_by_value("800")
        .find(|n| n.is_focused())
        .expect("the cell is being edited")
        .type_text("950");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let value = |h: &Harness<'static, PistasApp>| {
        h.state().document().features()[0]
            .property("length_est")
            .map(|v| v.get().to_owned())
    };
    assert_eq!(value(&h).as_deref(), Some("950"), "a number stays a number");
    h.state_mut().request(Action::Undo);
    h.run_steps(3);
    assert_eq!(value(&h).as_deref(), Some("800"), "one undo step");
    // A text value stays text, whatever is typed into it.
    h.state_mut()
        .set_table_columns(vec!["length_est".to_owned(), "region".to_owned()]);
    h.run_steps(3);
    h.get_by_label("Ayacucho").click();
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.query_all_by_value("Ayacucho")
        .find(|n| n.is_focused())
        .expect("the cell is being edited")
        .type_text("123");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let region = h.state().document().features()[0]
        .property("region")
        .map(|v| v.get().to_owned());
    assert_eq!(region.as_deref(), Some("\"123\""));
}
