//! Time and analysis in the window: the timeline slider, filters with the table and the map,
//! table selection, and the statistics panel against `pistas stats`.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use egui::accesskit::Role;
use egui::{Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::analysis::FactBook;
use pistas::app::i18n::Lang;
use pistas::app::{AppOptions, PistasApp, ScriptedDialogs, Settings, Tab};

fn app_on_sample() -> (Harness<'static, PistasApp>, PathBuf, tempfile::TempDir) {
    app_on_sample_with_step(0.25)
}

/// `step_dt` is the simulated time per frame (kittest's default is a quarter second, longer
/// than a double-click may take).
fn app_on_sample_with_step(
    step_dt: f32,
) -> (Harness<'static, PistasApp>, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("strips.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &path).expect("copy");
    let options = AppOptions {
        file: Some(path.clone()),
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(Lang::En),
        tile_cache: None,
    };
    let mut harness = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_step_dt(step_dt)
        .build_eframe(move |cc| PistasApp::new(cc, options));
    harness.run_steps(3);
    (harness, path, dir)
}

fn index_of(h: &Harness<'_, PistasApp>, name: &str) -> usize {
    h.state()
        .document()
        .features()
        .iter()
        .position(|f| f.name() == Some(name))
        .expect("strip")
}

fn steps(h: &mut Harness<'_, PistasApp>, n: usize) {
    for _ in 0..n {
        h.step();
    }
}

#[test]
fn moving_the_slider_changes_the_status_in_the_inspector() {
    let (mut h, _, _dir) = app_on_sample();
    let index = index_of(&h, "Pista ejemplo 20");
    h.state_mut().select(Some(index));
    steps(&mut h, 3);
    // The timeline's date slider is the widest (the layers panel has opacity sliders).
    let slider = h
        .query_all_by_role(Role::Slider)
        .map(|n| n.rect())
        .max_by(|a, b| a.width().total_cmp(&b.width()))
        .expect("slider");
    // The left end of the slider is the first event of the data: before this strip's history.
    h.drag_at(slider.left_center() + vec2(2.0, 0.0));
    h.drop_at(slider.left_center() + vec2(2.0, 0.0));
    steps(&mut h, 3);
    let early = h.state().date();
    assert_eq!(
        h.state().status_of(index),
        Some(pistas::model::Status::Unknown),
        "on {early}"
    );
    h.get_by_label(&format!("Status on {early}: no history yet"));
    // The right end is the last event: the strip has been rebuilt by then.
    h.drag_at(slider.right_center() - vec2(2.0, 0.0));
    h.drop_at(slider.right_center() - vec2(2.0, 0.0));
    steps(&mut h, 3);
    let late = h.state().date();
    assert!(late > early);
    assert_eq!(
        h.state().status_of(index),
        Some(pistas::model::Status::Rebuilt),
        "on {late}"
    );
    h.get_by_label(&format!("Status on {late}: rebuilt"));
}

#[test]
fn filtering_rebuilt_at_least_twice_drives_table_and_map() {
    let (mut h, _, _dir) = app_on_sample();
    let expected = FactBook::build(h.state().document())
        .facts
        .iter()
        .filter(|f| f.times_rebuilt >= 2)
        .count();
    assert!(expected > 0 && expected < 60, "{expected}");
    let field = h.get_by_label("Rebuilt at least");
    field.focus();
    steps(&mut h, 2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_label("Rebuilt at least").type_text("2");
    h.key_press(Key::Enter);
    steps(&mut h, 4);
    let (passing, drawn) = h.state().shown_counts();
    assert_eq!(passing, expected);
    assert_eq!(drawn, expected, "the map draws the filtered strips");
    h.get_by_label(&format!("{expected} of 60 features shown"));
    h.get_by_label("Table").click();
    steps(&mut h, 3);
    assert_eq!(h.state().tab(), Tab::Table);
    assert_eq!(h.state_mut().table_rows().len(), expected);
    // The active filter shows and clears in one click.
    h.get_all_by_label("Clear filters")
        .next()
        .expect("clear button")
        .click();
    steps(&mut h, 3);
    assert_eq!(h.state().shown_counts().0, 60);
}

#[test]
fn clicking_a_table_row_selects_the_strip_and_double_click_centres() {
    let (mut h, _, _dir) = app_on_sample_with_step(1.0 / 60.0);
    h.get_by_label("Table").click();
    steps(&mut h, 3);
    let name = "Pista ejemplo 03";
    let index = index_of(&h, name);
    let cell = h.get_by_label(name).rect().center();
    // A double-click selects the strip, shows the map and centres it there.
    h.hover_at(cell);
    h.step();
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos: cell,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Default::default(),
        });
        h.step();
    }
    steps(&mut h, 4);
    assert_eq!(h.state().selected(), Some(index));
    assert_eq!(h.state().tab(), Tab::Map, "double-click goes to the map");
    let p = h.state().screen_position(index).expect("drawn");
    let centre = h
        .state()
        .screen_position_of(h.state().view().0, h.state().view().1)
        .unwrap();
    assert!(
        (p - centre).length() < 2.0,
        "the strip is centred: {p:?} vs {centre:?}"
    );
    // A single click on another row selects that strip, and the map shows it selected.
    h.get_by_label("Table").click();
    steps(&mut h, 3);
    let other = "Pista ejemplo 07";
    let other_index = index_of(&h, other);
    let cell = h.get_by_label(other).rect().center();
    h.drag_at(cell);
    h.drop_at(cell);
    steps(&mut h, 3);
    assert_eq!(h.state().selected(), Some(other_index));
    assert_eq!(h.state().tab(), Tab::Table);
}

#[test]
fn statistics_match_the_command_line() {
    let (mut h, path, _dir) = app_on_sample();
    h.state_mut().set_date("2014-10-01".parse().unwrap());
    h.get_by_label("Statistics").click();
    steps(&mut h, 3);
    h.get_by_label_contains("60 strips on 2014-10-01");
    let app_stats = serde_json::to_value(h.state_mut().current_stats()).unwrap();
    let out = Command::cargo_bin("pistas")
        .unwrap()
        .args(["stats", "--at", "2014-10-01", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "strips",
        "by_status",
        "per_year",
        "per_month",
        "per_operation",
        "days_to_rebuild",
        "rebuild_days",
        "most_rebuilt",
    ] {
        assert_eq!(app_stats[key], cli[key], "{key}");
    }
}

#[test]
fn playing_advances_the_date() {
    let (mut h, _, _dir) = app_on_sample();
    h.state_mut().set_date("2014-01-01".parse().unwrap());
    steps(&mut h, 2);
    h.get_by_label("Play").click();
    let start = Instant::now();
    while h.state().date() <= "2014-01-08".parse().unwrap() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the date did not move"
        );
        std::thread::sleep(Duration::from_millis(50));
        h.step();
    }
    h.get_by_label("Pause").click();
    steps(&mut h, 2);
    let stopped = h.state().date();
    std::thread::sleep(Duration::from_millis(400));
    steps(&mut h, 3);
    assert_eq!(h.state().date(), stopped);
}

#[test]
fn the_table_sorts_by_distance_to_the_nearest_other_strip() {
    let (mut h, _, _dir) = app_on_sample();
    h.get_by_label("Table").click();
    steps(&mut h, 3);
    h.get_by_label("Nearest strip").scroll_to_me();
    steps(&mut h, 3);
    h.get_by_label("Nearest strip").click();
    steps(&mut h, 3);
    let rows = h.state_mut().table_rows();
    assert_eq!(rows.len(), 60);
    let facts = FactBook::build(h.state().document());
    let points: Vec<(f64, f64)> = facts.facts.iter().map(|f| f.lon_lat.unwrap()).collect();
    let near = pistas::analysis::Nearest::new(points.clone());
    let d: Vec<f64> = rows
        .iter()
        .map(|&i| near.nearest(points[i].0, points[i].1, Some(i)).unwrap().1)
        .collect();
    assert!(
        d.windows(2).all(|w| w[0] <= w[1] + 1e-6),
        "sorted by distance: {d:?}"
    );
}

#[test]
fn a_polygon_drawn_on_the_map_filters_the_strips_inside() {
    let (mut h, _, _dir) = app_on_sample();
    h.state_mut().set_view(-73.95, -12.4, 9.0);
    steps(&mut h, 3);
    h.get_by_label("Draw a polygon").scroll_to_me();
    steps(&mut h, 2);
    h.get_by_label("Draw a polygon").click();
    steps(&mut h, 2);
    let corners = [(-74.3, -12.05), (-73.6, -12.05), (-73.95, -12.8)];
    let screen: Vec<egui::Pos2> = corners
        .iter()
        .map(|&(lon, lat)| h.state().screen_position_of(lon, lat).expect("on the map"))
        .collect();
    for p in screen.iter().chain(std::iter::once(&screen[0])) {
        h.drag_at(*p);
        h.drop_at(*p);
        steps(&mut h, 3);
    }
    let ring = h
        .state()
        .filter()
        .polygon
        .as_ref()
        .map(|r| r.corners().to_vec())
        .expect("the polygon closed");
    assert_eq!(ring.len(), 3, "clicking the first corner closes it");
    for ((lon, lat), (x, y)) in corners.iter().zip(&ring) {
        assert!((lon - x).abs() < 0.01 && (lat - y).abs() < 0.01, "{ring:?}");
    }
    // The table and the map show exactly the features the library finds inside.
    let doc = h.state().document().clone();
    let facts = FactBook::build(&doc);
    let statuses = facts.statuses_at(h.state().date());
    let expected = facts
        .apply(h.state().filter(), &statuses)
        .iter()
        .filter(|p| **p)
        .count();
    assert!(
        expected > 0 && expected < doc.features().len(),
        "{expected}"
    );
    assert_eq!(h.state().shown_counts().0, expected);
    h.get_by_label_contains("Inside a polygon of 3 corners");
}
