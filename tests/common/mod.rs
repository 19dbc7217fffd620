//! Helpers shared by integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// All `.geojson` files below a folder of `tests/fixtures`, sorted.
pub fn fixtures(folder: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixture folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "geojson") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

pub fn project_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Write options with a fixed status date, so written files do not depend on the clock.
pub fn options() -> pistas::io::WriteOptions {
    pistas::io::WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    }
}

#[cfg(feature = "gui")]
/// The window at 1400×900 in English with default settings, scripted dialogs and, when
/// given, a recovery folder; a few frames already run.
pub fn window(
    file: Option<PathBuf>,
    dialogs: &pistas::app::ScriptedDialogs,
    recovery: Option<PathBuf>,
) -> egui_kittest::Harness<'static, pistas::app::PistasApp> {
    use pistas::app::{AppOptions, PistasApp, Recovery, Settings};
    let options = AppOptions {
        file,
        dialogs: Box::new(dialogs.clone()),
        recovery: recovery.map(Recovery::new),
        settings: Some(Settings::default()),
        lang: Some(pistas::app::i18n::Lang::En),
        tile_cache: None,
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| PistasApp::new(cc, options));
    harness.run_steps(3);
    harness
}

/// `incoming` merged into `working` with the decisions a merge takes by default, as one
/// command applied to an editor.
pub fn merge_default(
    working: &pistas::model::Document,
    incoming: &pistas::model::Document,
) -> pistas::model::Document {
    use pistas::edit::merge;
    let plan = merge::propose(working, incoming, &merge::MatchOptions::default());
    let (command, _) = merge::merge_command(working, incoming, &plan, &plan.default_decisions());
    let mut editor = pistas::edit::Editor::new(working.clone());
    editor.apply(command).expect("merge");
    editor.document().clone()
}

/// Every file below `tests/fixtures/<folder>` whose name ends in one of `extensions`.
pub fn files_below(folder: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![project_file("tests/fixtures").join(folder)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The window at `size` on `file` (the bundled sample when `None`), in English, with
/// default settings and no recovery.
#[cfg(feature = "gui")]
pub fn window_sized(
    file: Option<PathBuf>,
    size: egui::Vec2,
) -> egui_kittest::Harness<'static, pistas::app::PistasApp> {
    use pistas::app::{AppOptions, PistasApp, ScriptedDialogs, Settings};
    let options = AppOptions {
        file,
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(pistas::app::i18n::Lang::En),
        tile_cache: None,
    };
    let mut harness = egui_kittest::Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| PistasApp::new(cc, options));
    harness.run_steps(4);
    harness
}

/// A FeatureCollection of points at `positions`, each with `properties(i)` (JSON members).
pub fn points_collection(positions: &[(f64, f64)], properties: impl Fn(usize) -> String) -> String {
    let features: Vec<String> = positions
        .iter()
        .enumerate()
        .map(|(i, (lon, lat))| {
            format!(
                r#"{{"type":"Feature","properties":{{{}}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#,
                properties(i)
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}
