//! Pictures of the window on the bundled sample and the embedded offline basemap, compared
//! with `tests/snapshots/*.png`. `UPDATE_SNAPSHOTS=1 cargo test --test snapshots` rewrites
//! them after an intended change. Rendering uses wgpu on the software driver (no GPU).

use egui::vec2;
use egui_kittest::{Harness, SnapshotOptions};
use pistas::app::i18n::Lang;
use pistas::app::{AppOptions, PistasApp, ScriptedDialogs, Settings};

fn harness(lang: Lang) -> Harness<'static, PistasApp> {
    let options = AppOptions {
        file: None,
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(lang),
    };
    let mut harness = Harness::builder()
        .with_size(vec2(1200.0, 800.0))
        .with_options(
            SnapshotOptions::default()
                .threshold(2.0)
                .max_failed_pixels(400),
        )
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| PistasApp::new(cc, options));
    // A fixed date keeps the statuses (and so the colours) the same on every day.
    harness
        .state_mut()
        .set_date("2014-10-01".parse().expect("date"));
    harness.run_steps(4);
    harness
}

#[test]
fn start_screen() {
    let mut h = harness(Lang::En);
    h.snapshot("start_screen");
}

#[test]
fn selected_strip_with_history() {
    let mut h = harness(Lang::En);
    let index = h
        .state()
        .document()
        .features
        .iter()
        .position(|f| f.name() == Some("Pista ejemplo 20"))
        .expect("sample strip");
    let p = h.state().screen_position(index).expect("drawn");
    h.drag_at(p);
    h.drop_at(p);
    h.run_steps(4);
    assert_eq!(h.state().selected(), Some(index));
    h.snapshot("selected_strip");
}

#[test]
fn spanish_window() {
    let mut h = harness(Lang::Es);
    h.snapshot("spanish");
}
