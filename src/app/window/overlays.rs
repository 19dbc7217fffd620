//! The overlays on top of the window, in their stack: questions, messages and dialogs, each
//! shown in turn, and what their answers start.

use crate::app::PistasApp;
use crate::app::actions::Action;
use crate::app::dialogs::help;
use crate::app::i18n::T;
use crate::app::panels::problems::ProblemsOf;
use crate::app::state::document::Origin;
use crate::app::state::jobs::{AfterSave, OpenFor};
use crate::app::state::overlays::Overlay;
use crate::io::Format;

impl PistasApp {
    /// Shows every overlay, bottom first.
    pub(crate) fn overlays_ui(&mut self, ctx: &egui::Context) {
        let mut kept = Vec::new();
        for (depth, overlay) in self.overlays.take().into_iter().enumerate() {
            let keep = match overlay {
                Overlay::Merge(mut review) => self
                    .merge_window(ctx, &mut review)
                    .then_some(Overlay::Merge(review)),
                Overlay::Export(mut dialog) => self
                    .export_window(ctx, &mut dialog)
                    .then_some(Overlay::Export(dialog)),
                Overlay::CustomTiles {
                    mut url,
                    mut attribution,
                    mut error,
                } => self
                    .custom_tiles_ui(ctx, (&mut url, &mut attribution, &mut error), depth)
                    .then_some(Overlay::CustomTiles {
                        url,
                        attribution,
                        error,
                    }),
                Overlay::Connect {
                    mut url,
                    mut password,
                    mut error,
                    mut fresh,
                } => self
                    .connect_ui(
                        ctx,
                        (&mut url, &mut password, &mut error, &mut fresh),
                        depth,
                    )
                    .then_some(Overlay::Connect {
                        url,
                        password,
                        error,
                        fresh,
                    }),
                Overlay::SyncConflicts(mut review) => self
                    .conflicts_ui(ctx, &mut review, depth)
                    .then_some(Overlay::SyncConflicts(review)),
                Overlay::SyncReport => self.sync_report_ui(ctx).then_some(Overlay::SyncReport),
                Overlay::Import(mut dialog) => self
                    .import_window(ctx, &mut dialog, depth)
                    .then_some(Overlay::Import(dialog)),
                modal => self.modal_ui(ctx, &modal, depth).then_some(modal),
            };
            kept.extend(keep);
        }
        self.overlays.restore(kept);
    }

    /// One question or message; true to keep it open.
    fn modal_ui(&mut self, ctx: &egui::Context, modal: &Overlay, depth: usize) -> bool {
        let lang = self.lang;
        let mut keep = true;
        // Stacked modals each have an area of their own.
        egui::Modal::new(egui::Id::unique(("pistas-modal", depth))).show(ctx, |ui| {
            ui.set_max_width(460.0);
            match modal {
                Overlay::Unsaved(action) => {
                    ui.heading(lang.t(T::UnsavedTitle));
                    ui.label(lang.fill(T::UnsavedBody, &[&self.doc.title_name()]));
                    ui.horizontal(|ui| {
                        if ui.button(lang.t(T::Save)).clicked() {
                            keep = false;
                            self.save_then(AfterSave::Then(action.clone()));
                        }
                        if ui.button(lang.t(T::Discard)).clicked() {
                            // Nothing is deleted here: the recovery file goes once the
                            // action has replaced the document (or at Quit).
                            keep = false;
                            self.discarding.push(action.clone());
                        }
                        if ui.button(lang.t(T::Cancel)).clicked() {
                            keep = false;
                        }
                    });
                }
                Overlay::ConfirmDelete { index, version } => {
                    let (name, events) = self
                        .doc
                        .document()
                        .features()
                        .get(*index)
                        .map(|f| (f.label().to_owned(), f.events().len()))
                        .unwrap_or_default();
                    ui.heading(lang.t(T::DeleteTitle));
                    ui.label(lang.fill(T::DeleteBody, &[&name, &events.to_string()]));
                    ui.horizontal(|ui| {
                        if ui.button(lang.t(T::Delete)).clicked() {
                            keep = false;
                            if *version == self.doc.version() {
                                let index = *index;
                                self.set_selection(
                                    crate::app::state::selection::Selection::Nothing,
                                );
                                self.edit(|e| e.delete(index));
                            }
                        }
                        if ui.button(lang.t(T::Cancel)).clicked() {
                            keep = false;
                        }
                    });
                }
                Overlay::Recover(found) => {
                    ui.heading(lang.t(T::RecoverTitle));
                    let original = found
                        .original
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| lang.t(T::Untitled).to_owned());
                    ui.label(lang.fill(T::RecoverBody, &[&found.written, &original]));
                    ui.horizontal(|ui| {
                        if ui.button(lang.t(T::Restore)).clicked() {
                            keep = false;
                            // The same reading as any file: problems listed, nothing
                            // dropped; the recovery file stays until the work is saved.
                            self.jobs.open(
                                found.journal.clone(),
                                OpenFor::Recovered(found.clone()),
                                crate::io::ImportOptions::default(),
                            );
                        }
                        if ui.button(lang.t(T::Discard)).clicked() {
                            keep = false;
                            self.doc.discard_recovered();
                        }
                    });
                }
                Overlay::Message(text) => {
                    ui.label(text);
                    if ui.button(lang.t(T::Ok)).clicked() {
                        keep = false;
                    }
                }
                Overlay::Shortcuts => keep = !help::shortcuts_ui(ui, lang),
                Overlay::About => keep = !help::about_ui(ui, lang),
                Overlay::Merge(_)
                | Overlay::Export(_)
                | Overlay::CustomTiles { .. }
                | Overlay::Connect { .. }
                | Overlay::SyncConflicts(_)
                | Overlay::SyncReport
                | Overlay::Import(_) => keep = false,
            }
        });
        keep
    }

    /// The custom tile server: a URL template and its attribution; true to keep it open.
    fn custom_tiles_ui(
        &mut self,
        ctx: &egui::Context,
        (url, attribution, error): (&mut String, &mut String, &mut Option<String>),
        depth: usize,
    ) -> bool {
        let lang = self.lang;
        let mut keep = true;
        egui::Modal::new(egui::Id::unique(("pistas-modal", depth))).show(ctx, |ui| {
            ui.set_width(480.0);
            ui.heading(lang.t(T::CustomTiles));
            ui.label(egui::RichText::new(lang.t(T::CustomTilesHelp)).small());
            egui::Grid::new("custom-tiles")
                .num_columns(2)
                .show(ui, |ui| {
                    let l = ui.label(lang.t(T::TileUrl));
                    ui.add(egui::TextEdit::singleline(url).desired_width(360.0))
                        .labelled_by(l.id);
                    ui.end_row();
                    let l = ui.label(lang.t(T::TileAttribution));
                    ui.add(egui::TextEdit::singleline(attribution).desired_width(360.0))
                        .labelled_by(l.id);
                    ui.end_row();
                });
            if let Some(e) = error.as_ref() {
                ui.colored_label(crate::app::theme::ERROR_TEXT, e.as_str());
            }
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::Use)).clicked() {
                    // Checked here, so a mistyped template stays to be corrected.
                    match crate::app::map::tiles::Template::check(url) {
                        Ok(()) => {
                            keep = false;
                            self.pending.push(Action::Basemap(
                                crate::app::map::BasemapChoice::Custom {
                                    url: url.trim().to_owned(),
                                    attribution: attribution.trim().to_owned(),
                                },
                            ));
                        }
                        Err(e) => *error = Some(e),
                    }
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    keep = false;
                }
            });
        });
        keep
    }

    /// Saves the document where it belongs (asking where when it has no file yet), then
    /// does `then`.
    pub(crate) fn save_then(&mut self, then: AfterSave) {
        let path = match self.doc.path.clone() {
            Some(path) => Some(path),
            None => {
                let name = format!(
                    "{}.geojson",
                    self.doc.title_name().trim_end_matches(".geojson")
                );
                let path = self.dialogs.save_as(&name, Format::GeoJson);
                if path.is_none() {
                    self.check_dialogs(Some(crate::app::dialogs::picker::Replay::SaveThen(
                        then.clone(),
                    )));
                }
                path
            }
        };
        if let Some(path) = path {
            self.team.save_started(self.doc.version());
            self.jobs
                .save(path, self.doc.shared(), self.date, self.doc.version(), then);
        }
    }

    /// A file read for the working layer: install it, or say why it cannot be.
    pub(crate) fn opened(
        &mut self,
        path: std::path::PathBuf,
        parsed: crate::io::Parsed,
        purpose: OpenFor,
        fingerprint: Option<crate::io::journal::Fingerprint>,
    ) {
        let (shown_path, origin, untitled) = match &purpose {
            // A spreadsheet, KML, GeoPackage or FlatGeobuf opens untitled: saving writes
            // GeoJSON, never over the file it came from.
            OpenFor::File
                if crate::io::InputFormat::of_file(&path) != crate::io::InputFormat::GeoJson =>
            {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (None, Origin::Fresh, stem)
            }
            OpenFor::File => (Some(path.clone()), Origin::Fresh, String::new()),
            OpenFor::Recovered(found) => (
                found.original.clone(),
                Origin::Recovered,
                self.lang.t(T::Recovered).to_owned(),
            ),
        };
        if parsed.fatal {
            // Nothing is installed: the open document, its project and a recovery file
            // stay. Unreadable recovered work is moved aside, kept, and said where.
            self.problems
                .set(ProblemsOf::Nothing, &path, parsed.diagnostics);
            let mut text = self
                .lang
                .fill(T::CannotOpen, &[&path.display().to_string()]);
            if matches!(purpose, OpenFor::Recovered(_))
                && let Some(aside) = self.doc.set_aside_recovered()
            {
                match aside {
                    Ok(to) => text.push_str(&format!(
                        "\n{}",
                        self.lang.fill(T::KeptAt, &[&to.display().to_string()])
                    )),
                    Err(e) => text.push_str(&format!("\n{e}")),
                }
            }
            self.overlays.message(text);
            return;
        }
        if matches!(purpose, OpenFor::File) {
            self.set_project(None);
        }
        self.derived.prepare_facts(parsed.facts);
        let own = shown_path.is_some();
        self.install(parsed.document, shown_path, untitled, origin, fingerprint);
        // A file opened but not the document's own (a GeoPackage, say): its evidence folder
        // serves until the document is saved.
        let generation = self.doc.version().generation();
        self.evidence.opened_from = (!own).then(|| (generation, path.clone()));
        let of = ProblemsOf::Working(self.doc.version().generation());
        self.problems.set(of, &path, parsed.diagnostics);
    }
}
