//! The Help menu's windows: the keyboard shortcuts (with the map's own gestures) and
//! About (the version, what Pistas is, and the credits of the basemap's data).

use crate::app::actions::Action;
use crate::app::i18n::{Lang, T};
use crate::app::state::overlays::basemap_credits;

/// Every shortcut, in the help's order, and the map's gestures; true when OK is clicked.
pub(crate) fn shortcuts_ui(ui: &mut egui::Ui, lang: Lang) -> bool {
    ui.heading(lang.t(T::Shortcuts));
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for action in Action::in_help_order() {
                let keys: Vec<String> = action
                    .shortcuts()
                    .iter()
                    .map(|k| ui.ctx().format_shortcut(k))
                    .collect();
                ui.label(action.text(lang));
                ui.monospace(keys.join(", "));
                ui.end_row();
            }
            // The map's own gestures, which have no menu.
            for (what, how) in [
                (T::HelpPan, T::HelpPanHow),
                (T::HelpZoom, T::HelpZoomHow),
                (T::HelpInspect, T::HelpInspectHow),
            ] {
                ui.label(lang.t(what));
                ui.monospace(lang.t(how));
                ui.end_row();
            }
        });
    ui.button(lang.t(T::Ok)).clicked()
}

/// The version, what Pistas is, and the basemap's credits; true when OK is clicked.
pub(crate) fn about_ui(ui: &mut egui::Ui, lang: Lang) -> bool {
    ui.heading("Pistas");
    ui.label(lang.fill(T::VersionLine, &[crate::VERSION]));
    ui.label(lang.t(T::AboutBody));
    ui.label(basemap_credits());
    ui.button(lang.t(T::Ok)).clicked()
}
