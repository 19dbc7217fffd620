//! The in-window file picker: when the desktop shows no file dialog (no XDG desktop portal
//! and no zenity, so rfd returns at once with nothing), the window says so and asks with
//! egui_file's picker instead, then carries out the command that asked, with the answer.

use std::path::PathBuf;

use crate::app::PistasApp;
use crate::app::actions::Action;
use crate::app::i18n::T;
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
    dialog: egui_file::FileDialog,
    /// What was asked: the answer goes to this request only.
    request: Request,
    /// What to ask again with the answer; `None` for a button whose answer waits for it to
    /// be pressed again (the export dialog's, which stays open).
    replay: Option<Replay>,
}

impl Picker {
    fn new(request: &Request, folder: PathBuf, replay: Option<Replay>) -> Picker {
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

impl PistasApp {
    /// After a command that asked for a file: when the desktop could not show the dialog,
    /// opens the in-window picker (and says why) to ask again for `replay`.
    pub(crate) fn check_dialogs(&mut self, replay: Option<Replay>) {
        let Some(request) = self.dialogs.unavailable() else {
            return;
        };
        let folder = self
            .doc
            .path
            .as_deref()
            .and_then(|p| p.parent())
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        self.notice = Some(self.lang.t(T::NoSystemDialog).to_owned());
        self.picker = Some(Picker::new(&request, folder, replay));
    }

    /// The in-window picker, while open; its answer goes to the command that asked.
    pub(crate) fn picker_ui(&mut self, ctx: &egui::Context) {
        let Some(picker) = &mut self.picker else {
            return;
        };
        match picker.dialog.show(ctx).state() {
            egui_file::State::Open => {}
            egui_file::State::Selected => {
                let mut paths: Vec<PathBuf> = picker
                    .dialog
                    .selection()
                    .into_iter()
                    .map(PathBuf::from)
                    .collect();
                if paths.is_empty() {
                    paths.extend(picker.dialog.path().map(PathBuf::from));
                }
                // A name typed without its extension gets the one asked for.
                if let Request::Save { extension, .. } = &picker.request {
                    for p in &mut paths {
                        if p.extension().is_none() {
                            p.set_extension(extension);
                        }
                    }
                }
                let replay = picker.replay.take();
                let request = picker.request.clone();
                self.picker = None;
                self.dialogs.answer_next(request, paths);
                match replay {
                    // Carried out as already confirmed: an unsaved-changes question it
                    // needed was answered before the dialog was asked.
                    Some(Replay::Action(action)) => self.discarding.push(action),
                    Some(Replay::Evidence(request)) => self.evidence.requests.push(request),
                    Some(Replay::Stats(action)) => self.replayed_stats = Some(action),
                    Some(Replay::SaveThen(then)) => self.save_then(then),
                    None => self.notice = Some(self.lang.t(T::PickedAgain).to_owned()),
                }
            }
            egui_file::State::Cancelled | egui_file::State::Closed => self.picker = None,
        }
    }

    /// Whether the in-window picker is open.
    pub fn picker_open(&self) -> bool {
        self.picker.is_some()
    }
}
