//! The in-window file picker: when the desktop shows no file dialog (no XDG desktop portal
//! and no zenity, so rfd returns at once with nothing), the window says so and asks with
//! egui_file's picker instead, then carries out the command that asked, with the answer.

use std::path::PathBuf;

use crate::app::actions::Action;
use crate::app::state::files::Request;

/// What asked for a file, to be asked again with the picker's answer.
#[derive(Debug, Clone)]
pub enum Replay {
    /// A command of the menus or shortcuts, already confirmed.
    Action(Action),
    /// The inspector's "Attach…".
    Evidence(crate::app::evidence::Request),
    /// The statistics' CSV or chart PNG.
    Stats(crate::app::panels::stats_view::StatsAction),
    /// Save (an untitled document, asked before another command).
    SaveThen(crate::app::state::jobs::AfterSave),
}

pub struct Picker {
    pub(crate) dialog: egui_file::FileDialog,
    /// What was asked: the answer goes to this request only.
    pub(crate) request: Request,
    /// What to ask again with the answer; `None` for a button whose answer waits for it to
    /// be pressed again (the export dialog's, which stays open).
    pub(crate) replay: Option<Replay>,
}

impl Picker {
    pub(crate) fn new(request: &Request, folder: PathBuf, replay: Option<Replay>) -> Picker {
        let dialog = match request {
            Request::Open {
                what,
                extensions,
                many,
            } => {
                let extensions = extensions.clone();
                egui_file::FileDialog::open_file()
                    .title(what)
                    .multi_select(*many)
                    .show_files_filter(Box::new(move |p: &std::path::Path| {
                        p.extension().is_some_and(|e| {
                            let e = e.to_string_lossy().to_lowercase();
                            extensions.iter().any(|x| *x == e || x == "*")
                        })
                    }))
            }
            Request::Save {
                name,
                what,
                extension: _,
            } => egui_file::FileDialog::save_file()
                .title(what)
                .default_filename(name.clone()),
        };
        let mut dialog = dialog
            .initial_path(folder)
            .id(egui::Id::unique("pistas-picker"))
            .show_rename(false)
            .default_size([640.0, 420.0]);
        dialog.open();
        Picker {
            dialog,
            request: request.clone(),
            replay,
        }
    }
}
