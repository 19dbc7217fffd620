//! The file dialogs in the window: the desktop's, or the in-window picker when the desktop
//! shows none, and the request asked again with its answer.

use crate::app::PistasApp;
use crate::app::dialogs::picker::{Picker, Replay};
use crate::app::i18n::T;
use crate::app::state::files::Request;
use std::path::PathBuf;

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
