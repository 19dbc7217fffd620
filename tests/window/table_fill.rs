//! The Table tab fills the window's centre under a short list (it showed the window's
//! clear colour there: a black area on a desktop).

use egui_kittest::Harness;
use pistas::app::{AppOptions, PistasApp, ScriptedDialogs, Settings, Tab};

#[test]
fn the_table_fills_the_centre_under_a_short_list() {
    let options = AppOptions {
        file: None,
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(pistas::app::i18n::Lang::En),
        tile_cache: None,
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1024.0, 768.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| PistasApp::new(cc, options));
    h.run_steps(3);
    h.state_mut().set_filter(pistas::analysis::Filter {
        min_rebuilt: 4,
        ..Default::default()
    });
    h.state_mut().show_tab(Tab::Table);
    h.run_steps(4);
    assert_eq!(h.state().shown_count(), 2, "a short list");
    let image = h.render().expect("render");
    let fill = h.ctx.global_style().visuals.panel_fill;
    // Well under the two rows, inside the centre.
    let pixel = image.get_pixel(700, 450).0;
    assert_eq!(
        [pixel[0], pixel[1], pixel[2]],
        [fill.r(), fill.g(), fill.b()],
        "the centre under the list is painted"
    );
}
