//! What Pistas could not read, in the inspector: a feature kept as written, and events kept
//! as written with their problems and a way to fix them (edit the JSON and apply: it is
//! read as a file would be, and becomes an event of the history).

use egui::{RichText, Ui};

use crate::app::i18n::{Lang, T};
use crate::app::panels::inspector::edit::Edit;
use crate::app::theme;
use crate::model::Feature;

/// The longest raw text shown; the rest is kept, not shown.
const SHOWN_CHARS: usize = 20_000;

fn shown(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A feature that could not be read: its problems and its text.
pub fn unread_feature_ui(ui: &mut Ui, lang: Lang, feature: &Feature) {
    let Some(unread) = feature.unread() else {
        return;
    };
    ui.heading(lang.t(T::UnreadFeature));
    ui.label(lang.t(T::UnreadFeatureHelp));
    for problem in unread.problems() {
        ui.label(RichText::new(format!("• {problem}")).color(theme::ERROR_TEXT));
    }
    ui.add_space(4.0);
    egui::ScrollArea::vertical()
        .id_salt("unread-feature")
        .max_height(260.0)
        .show(ui, |ui| {
            ui.label(RichText::new(shown(unread.raw().get())).monospace());
        });
}

/// Text buffers for fixing unread events, by event.
#[derive(Default)]
pub struct UnreadDrafts {
    /// What the buffers were made from: the feature's index and its unread events as
    /// written. An edit state alone restarts with every document, so the text is the key.
    for_feature: Option<(usize, Vec<String>)>,
    texts: Vec<String>,
    errors: Vec<Vec<String>>,
}

impl UnreadDrafts {
    /// The events of `feature` Pistas could not read, each with its problems, its JSON to
    /// edit, and buttons to apply the fix or delete it.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        feature: &Feature,
        index: usize,
        read_only: bool,
        edits: &mut Vec<Edit>,
    ) {
        let unread = feature.unread_events();
        if unread.is_empty() {
            return;
        }
        let same = self.for_feature.as_ref().is_some_and(|(i, raws)| {
            *i == index
                && raws.len() == unread.len()
                && raws
                    .iter()
                    .zip(unread)
                    .all(|(r, (_, u))| r == u.raw().get())
        });
        if !same {
            let raws: Vec<String> = unread
                .iter()
                .map(|(_, u)| u.raw().get().to_owned())
                .collect();
            self.texts = raws.clone();
            self.for_feature = Some((index, raws));
            self.errors = vec![Vec::new(); unread.len()];
        }
        ui.strong(lang.fill(T::UnreadEvents, &[&unread.len().to_string()]));
        ui.label(RichText::new(lang.t(T::UnreadEventsHelp)).weak());
        for (k, (_, event)) in unread.iter().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                for problem in event.problems() {
                    ui.label(RichText::new(format!("• {problem}")).color(theme::ERROR_TEXT));
                }
                if read_only {
                    ui.label(RichText::new(shown(event.raw().get())).monospace());
                    return;
                }
                let label = ui.label(lang.t(T::EventJson));
                ui.add(
                    egui::TextEdit::multiline(&mut self.texts[k])
                        .code_editor()
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                for problem in &self.errors[k] {
                    ui.label(RichText::new(format!("• {problem}")).color(theme::ERROR_TEXT));
                }
                ui.horizontal(|ui| {
                    if ui.button(lang.t(T::ApplyFix)).clicked() {
                        match crate::io::interpret_event(&self.texts[k]) {
                            Ok(event) => edits.push(Edit::FixUnreadEvent(index, k, event)),
                            Err(problems) => self.errors[k] = problems,
                        }
                    }
                    if ui.button(lang.t(T::DeleteUnreadEvent)).clicked() {
                        edits.push(Edit::DeleteUnreadEvent(index, k));
                    }
                });
            });
        }
    }
}
