//! Pictures of the window on the bundled sample and the embedded offline basemap, compared
//! with `tests/snapshots/*.png`. `UPDATE_SNAPSHOTS=1 cargo test --test window snapshots` rewrites
//! them after an intended change. Rendering uses wgpu on the software driver (no GPU).

use egui::vec2;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use pistas::app::i18n::Lang;
use pistas::app::{AppOptions, PistasApp, ScriptedDialogs, Settings};

fn harness(lang: Lang) -> Harness<'static, PistasApp> {
    harness_on(None, lang)
}

fn harness_on(file: Option<std::path::PathBuf>, lang: Lang) -> Harness<'static, PistasApp> {
    let options = AppOptions {
        file,
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(lang),
        tile_cache: None,
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
        .features()
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

/// A PNG written through a screenshot: its size and whether it has drawn content.
fn png_facts(path: &std::path::Path) -> (u32, u32, usize) {
    let bytes = std::fs::read(path).expect("the PNG is written, with its extension");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let (w, h) = (reader.info().width, reader.info().height);
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    reader.next_frame(&mut buf).expect("pixels");
    let distinct: std::collections::HashSet<&[u8]> = buf.chunks(4).collect();
    (w, h, distinct.len())
}

fn window_with(dialogs: &ScriptedDialogs) -> Harness<'static, PistasApp> {
    let options = AppOptions {
        file: None,
        dialogs: Box::new(dialogs.clone()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(Lang::En),
        tile_cache: None,
    };
    let mut h = Harness::builder()
        .with_size(vec2(1200.0, 800.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| PistasApp::new(cc, options));
    h.run_steps(4);
    h
}

/// File ▸ Export map as PNG… writes the map as drawn: legend, scale bar and attribution
/// included, cropped to the map.
#[test]
fn the_map_is_exported_as_png() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("temp dir");
    let dialogs = ScriptedDialogs::default();
    let mut h = window_with(&dialogs);
    dialogs.push(dir.path().join("map"));
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export map as PNG…").click();
    h.run_steps(4);
    let (w, hgt, colours) = png_facts(&dir.path().join("map.png"));
    // The map, not the window: narrower than 1200 and shorter than 800.
    assert!(w > 300 && w < 1200 && hgt > 300 && hgt < 800, "{w}x{hgt}");
    assert!(colours > 50, "a drawn map, not a blank image");
    assert!(h.state().title().contains("vraem-sample"));
}

/// Statistics ▸ Save chart as PNG… writes the monthly chart.
#[test]
fn the_chart_is_saved_as_png() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().expect("temp dir");
    let dialogs = ScriptedDialogs::default();
    let mut h = window_with(&dialogs);
    h.get_by_label("Statistics").click();
    h.run_steps(3);
    dialogs.push(dir.path().join("chart.png"));
    h.get_by_label("Save chart as PNG…").click();
    h.run_steps(4);
    let (w, hgt, colours) = png_facts(&dir.path().join("chart.png"));
    assert!(w > 200 && w < 1200 && hgt > 80 && hgt < 800, "{w}x{hgt}");
    assert!(colours > 5, "a drawn chart");
}

/// A file with an event Pistas cannot read: the inspector shows it with its problem and
/// its JSON to fix.
#[test]
fn unread_event_in_the_inspector() {
    // Relative to the package (tests run there), so the picture is the same in any clone.
    let path = std::path::PathBuf::from("tests/fixtures/pistas/bad/bad-events.geojson");
    let mut h = harness_on(Some(path), Lang::En);
    let index = h.state().document().position("bad-date").expect("opened");
    h.state_mut().select(Some(index));
    h.run_steps(3);
    h.get_by_label("Apply fix").scroll_to_me();
    h.run_steps(3);
    h.snapshot("unread_event");
}
