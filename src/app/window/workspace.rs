//! The workspace around the working layer: imported layers, merging one into the working
//! layer, the Export… dialog, the map as PNG, and project files.

use crate::app::map::view::Picked;
use std::borrow::Cow;
use std::path::PathBuf;

use crate::app::dialogs::export_view::{Counts, ExportDialog, ExportOutcome, Scope};
use crate::app::dialogs::merge_view::{MergeReview, ReviewOutcome};
use crate::app::i18n::T;
use crate::app::map::basemap::ContextAlpha;
use crate::app::map::transform::mercator;
use crate::app::map::{DrawSlot, LayerDraw};
use crate::app::panels::layers::{ContextKind, LayerAction, Slot};
use crate::app::panels::problems::ProblemsOf;
use crate::app::panels::stats_view::png_bytes;
use crate::app::state::derived::shown_into;
use crate::app::state::overlays::Overlay;
use crate::app::state::selection::Selection;
use crate::app::{PistasApp, Tab, theme};
use crate::edit::merge::{self, MatchOptions};
use crate::io::{round_coordinates, save_atomic};
use crate::model::Document;

impl PistasApp {
    // ----- layers -----

    pub(crate) fn layers_panel_ui(&mut self, ui: &mut egui::Ui) {
        let working = self.doc.title_name();
        let count = self.doc.document().features().len();
        let loading: Vec<(PathBuf, Option<f32>)> = self
            .jobs
            .imports()
            .iter()
            .map(|job| (job.path().to_path_buf(), job.progress()))
            .collect();
        let actions = self.layers.ui(ui, self.lang, (&working, count), &loading);
        ui.checkbox(&mut self.evidence.on_map, self.lang.t(T::ImageryOnMap))
            .on_hover_text(self.lang.t(T::ImageryOnMapHelp));
        for action in actions {
            match action {
                LayerAction::Import => self.pending.push(crate::app::actions::Action::ImportLayer),
                LayerAction::Remove(key) => {
                    self.layers.remove(key);
                    if self.selection.layer().is_some_and(|(k, _)| k == key) {
                        self.set_selection(Selection::Nothing);
                    }
                    self.overlays.layer_removed(key);
                }
                LayerAction::Merge(key) => self.open_merge(key),
                LayerAction::ZoomTo(Slot::Working) => self.map.fit_pending = true,
                LayerAction::ZoomTo(Slot::Imported(key)) => self.zoom_to_layer(key),
                LayerAction::ShowDiagnostics(key) => {
                    if let Some(layer) = self.layers.get(key) {
                        let list = layer.diagnostics.clone();
                        self.problems.set(ProblemsOf::Layer(key), &layer.path, list);
                    }
                }
            }
        }
    }

    /// The data layers bottom first, for the map.
    pub(crate) fn draw_slots(
        layers: &crate::app::panels::layers::Layers,
        selected_layer: Option<(u64, usize)>,
    ) -> Vec<DrawSlot<'_>> {
        layers
            .order
            .iter()
            .rev()
            .filter_map(|slot| match slot {
                Slot::Working => Some(DrawSlot::Working),
                Slot::Imported(key) => {
                    let layer = layers.get(*key).filter(|l| l.visible)?;
                    Some(DrawSlot::Imported(LayerDraw {
                        cache: &layer.cache,
                        colour: layer.colour,
                        opacity: layer.opacity,
                        selected: selected_layer.filter(|(k, _)| k == key).map(|(_, i)| i),
                    }))
                }
            })
            .collect()
    }

    pub(crate) fn working_opacity(&self) -> f32 {
        if self.layers.working_visible {
            self.layers.working_opacity
        } else {
            0.0
        }
    }

    pub(crate) fn context_alpha(&self) -> ContextAlpha {
        ContextAlpha {
            aerodromes: self.layers.context_alpha(ContextKind::Aerodromes),
            towns: self.layers.context_alpha(ContextKind::Towns),
            rivers: self.layers.context_alpha(ContextKind::Rivers),
            borders: self.layers.context_alpha(ContextKind::Borders),
        }
    }

    /// Names and colours of the visible imported layers, top first, for the legend.
    pub(crate) fn legend_layers(&self) -> Vec<(String, egui::Color32)> {
        self.layers
            .order
            .iter()
            .filter_map(|slot| match slot {
                Slot::Imported(key) => self.layers.get(*key).filter(|l| l.visible),
                Slot::Working => None,
            })
            .map(|l| {
                let name = if l.name.chars().count() > 24 {
                    l.name.chars().take(23).collect::<String>() + "…"
                } else {
                    l.name.clone()
                };
                (name, l.colour)
            })
            .collect()
    }

    /// What a click at `pos` hits, the top layer first; `working` is the working layer's hit.
    pub(crate) fn pick_at(&self, pos: walkers::Position, working: Option<usize>) -> Option<Picked> {
        let t = self.map.transform?;
        let screen = t.to_screen(mercator(pos.x(), pos.y()));
        for slot in &self.layers.order {
            match slot {
                Slot::Working => {
                    if let Some(i) = working.filter(|_| self.working_opacity() > 0.0) {
                        return Some(Picked::Working(i));
                    }
                }
                Slot::Imported(key) => {
                    let Some(layer) = self
                        .layers
                        .get(*key)
                        .filter(|l| l.visible && l.opacity > 0.0)
                    else {
                        continue;
                    };
                    if let Some(i) = layer.cache.pick(&t, screen, theme::HIT_TOLERANCE_PX) {
                        return Some(Picked::Layer(*key, i));
                    }
                }
            }
        }
        None
    }

    /// The inspector for a feature of an imported layer: everything shown, nothing editable.
    pub(crate) fn layer_inspector_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let Some((key, index)) = self.selection.layer() else {
            return false;
        };
        let Some(layer) = self.layers.get(key) else {
            return false;
        };
        ui.colored_label(
            layer.colour,
            egui::RichText::new(self.lang.fill(T::FromLayer, &[&layer.name])).strong(),
        );
        let (lang, date) = (self.lang, self.date);
        ui.add_enabled_ui(false, |ui| {
            // Edits cannot be made in a disabled inspector; any that came would be dropped.
            let subject = Some((&layer.document, index, layer.version));
            // Ignored: the layer inspector is read-only; it asks for no edits.
            let _ = self.layer_inspector.ui(ui, lang, subject, date, &[], None);
        });
        true
    }

    // ----- merge -----

    fn open_merge(&mut self, key: u64) {
        let options = self
            .overlays
            .merge()
            .map_or_else(MatchOptions::default, |m| m.options);
        if let Some(review) = self.review(key, options) {
            self.overlays.show_merge(review);
        }
    }

    /// Matches imported layer `key` against the working document as it is now.
    fn review(&self, key: u64, options: MatchOptions) -> Option<MergeReview> {
        let layer = self.layers.get(key)?;
        Some(MergeReview::new(
            key,
            layer.name.clone(),
            self.doc.document(),
            &layer.document,
            options,
            self.doc.version(),
        ))
    }

    /// The merge review's window; false once it is closed.
    pub(crate) fn merge_window(&mut self, ctx: &egui::Context, review: &mut MergeReview) -> bool {
        // The working layer changed under the review: match again (a plan is only ever
        // applied to the version it was made for).
        if review.version != self.doc.version() {
            match self.review(review.key, review.options) {
                Some(fresh) => *review = fresh,
                None => return false,
            }
        }
        let Some(layer) = self.layers.get(review.key) else {
            return false;
        };
        let lang = self.lang;
        let mut outcome = ReviewOutcome::None;
        let mut open = true;
        egui::Window::new(lang.fill(T::MergeTitle, &[&review.layer_name]))
            .id(egui::Id::unique("pistas-merge"))
            .open(&mut open)
            .default_size([760.0, 560.0])
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                outcome = review.ui(ui, lang, self.doc.document(), &layer.document);
            });
        if !open {
            outcome = ReviewOutcome::Cancel;
        }
        match outcome {
            ReviewOutcome::None => true,
            ReviewOutcome::Cancel => false,
            ReviewOutcome::Rematch => {
                if let Some(fresh) = self.review(review.key, review.options) {
                    *review = fresh;
                }
                true
            }
            ReviewOutcome::Apply => {
                let (command, rows) = merge::merge_command(
                    self.doc.document(),
                    &layer.document,
                    &review.plan,
                    &review.decisions,
                );
                let merged = rows
                    .iter()
                    .filter(|r| r.action == crate::edit::merge::RowAction::Merged)
                    .count();
                let added = rows.iter().filter(|r| r.action.added_a_feature()).count();
                let notice = lang.fill(
                    T::MergedNotice,
                    &[&review.layer_name, &merged.to_string(), &added.to_string()],
                );
                if self.edit(|e| e.apply(command)).is_some() {
                    self.notice = Some(notice);
                }
                false
            }
        }
    }

    // ----- export -----

    pub(crate) fn open_export(&mut self) {
        let layer = self.selection.layer().map(|(key, _)| key);
        let dialog = ExportDialog::new(self.settings.export.clone(), layer);
        self.overlays.push(Overlay::Export(Box::new(dialog)));
    }

    /// The features of a layer the export would write.
    pub fn export_document(&self, layer: Option<u64>, scope: Scope) -> Document {
        let (doc, selected) = match layer {
            None => (self.doc.document(), self.selection.strip()),
            Some(key) => {
                let Some(l) = self.layers.get(key) else {
                    return Document::default();
                };
                let selected = self.selection.layer().filter(|(k, _)| *k == key);
                (&l.document, selected.map(|(_, i)| i))
            }
        };
        let passes = match scope {
            Scope::Filtered => self.passes_of(layer),
            _ => Cow::Borrowed(&[][..]),
        };
        let keep = |i: usize| match scope {
            Scope::All => true,
            Scope::Filtered => passes.get(i).copied().unwrap_or(true),
            Scope::Selected => selected == Some(i),
        };
        doc.subset(|i, _| keep(i))
    }

    /// Which features of a layer are shown at the timeline's date: the working layer's as
    /// the map shows them, an imported layer's by the same rule.
    fn passes_of(&self, layer: Option<u64>) -> Cow<'_, [bool]> {
        match layer.and_then(|key| self.layers.get(key)) {
            None if layer.is_none() => Cow::Borrowed(&self.derived.shown),
            None => Cow::Borrowed(&[]),
            Some(l) => {
                let statuses = l.facts.statuses_at(self.date);
                let mut shown = Vec::new();
                let (filter, window) = (self.filters.get(), self.window());
                shown_into(&l.facts, filter, &statuses, self.date, window, &mut shown);
                Cow::Owned(shown)
            }
        }
    }

    /// The Export… dialog; false once it is closed.
    pub(crate) fn export_window(&mut self, ctx: &egui::Context, dialog: &mut ExportDialog) -> bool {
        let layer = dialog.layer;
        let lang = self.lang;
        let mut layers = vec![(
            None,
            format!("{} ({})", self.doc.title_name(), lang.t(T::WorkingLayer)),
        )];
        layers.extend(
            self.layers
                .imported
                .iter()
                .map(|l| (Some(l.key), l.name.clone())),
        );
        let counts = Counts {
            all: match layer {
                None => self.doc.document().features().len(),
                Some(key) => self
                    .layers
                    .get(key)
                    .map_or(0, |l| l.document.features().len()),
            },
            filtered: self.passes_of(layer).iter().filter(|p| **p).count(),
            selected: usize::from(match layer {
                None => self.selection.strip().is_some(),
                Some(key) => self.selection.layer().is_some_and(|(k, _)| k == key),
            }),
        };
        let date = self.date;
        let mut outcome = ExportOutcome::None;
        egui::Modal::new(egui::Id::unique("pistas-export")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(lang.t(T::ExportTitle));
            ui.add_space(4.0);
            outcome = dialog.ui(ui, lang, &layers, &counts, date);
        });
        match outcome {
            ExportOutcome::None => true,
            ExportOutcome::Cancel => false,
            ExportOutcome::Export => {
                let choices = dialog.choices.clone();
                self.remember(|s| s.export = choices.clone());
                let format = choices.format();
                let stem = layers
                    .iter()
                    .find(|(k, _)| *k == dialog.layer)
                    .map(|(_, n)| n.split('.').next().unwrap_or("pistas").to_owned())
                    .unwrap_or_else(|| "pistas".to_owned());
                let suffix = match choices.scope {
                    Scope::All => "export",
                    Scope::Filtered => "filtered",
                    Scope::Selected => "selected",
                };
                let name = format!(
                    "{stem}-{suffix}.{}",
                    crate::app::state::files::extension(format)
                );
                if let Some(path) = self.dialogs.save_as(&name, format) {
                    let mut doc = self.export_document(dialog.layer, choices.scope);
                    if choices.public {
                        let publication = crate::io::publication::Publication {
                            decimals: choices.precision.map(u32::from),
                        };
                        let (public, left) =
                            crate::io::publication::for_publication(&doc, publication);
                        doc = public;
                        let lines = left.lines();
                        if !lines.is_empty() {
                            self.overlays.message(format!(
                                "{}\n{}",
                                lang.t(T::LeftOutForPublication),
                                lines.join("\n")
                            ));
                        }
                    } else if let Some(digits) = choices.precision {
                        doc = round_coordinates(&doc, digits);
                    }
                    let status_date = choices.status_date.unwrap_or(self.date);
                    self.jobs
                        .export(path, format, std::sync::Arc::new(doc), status_date);
                    return false;
                }
                // No file dialog on this desktop: the window's own picker asks, and the
                // dialog stays open for Export to be pressed again with the answer.
                self.check_dialogs(None);
                self.picker_open()
            }
        }
    }

    /// Shows the whole of an imported layer on the map.
    pub(crate) fn zoom_to_layer(&mut self, key: u64) {
        if let (Some(layer), Some(t)) = (self.layers.get(key), self.map.transform)
            && let Some(bounds) = layer.cache.bounds
        {
            self.map.fit(t.rect, bounds);
        }
        self.show_tab(Tab::Map);
    }

    /// Saves the map as drawn (with legend, scale bar, attribution and date) as a PNG.
    pub(crate) fn export_map_png(&mut self, ctx: &egui::Context) {
        self.show_tab(Tab::Map);
        let Some(rect) = self.map.transform.map(|t| t.rect) else {
            return;
        };
        let Some(path) = self.dialogs.save_file("pistas-map.png", "PNG", "png") else {
            return;
        };
        let path = crate::app::panels::with_png_extension(path);
        self.screenshot_to_png(ctx, rect, path, T::MapPngSaved);
    }

    /// Crops the next window screenshot to `rect` and saves it as PNG; the notice `done`
    /// names the file when written.
    pub(crate) fn screenshot_to_png(
        &mut self,
        ctx: &egui::Context,
        rect: egui::Rect,
        path: PathBuf,
        done: T,
    ) {
        let ppp = ctx.pixels_per_point();
        let slot = self.png_result.clone();
        let repaint = ctx.clone();
        // The window's pixels arrive after the frame is drawn; crop then.
        let callback = egui::ScreenshotCallback::new(move |image| {
            let part = image.region(&rect, Some(ppp));
            let result = png_bytes(&part)
                .and_then(|b| save_atomic(&path, &b, true).map_err(|e| e.to_string()))
                .map(|()| path);
            if let Ok(mut slot) = slot.lock() {
                *slot = Some((done, result));
            }
            repaint.request_repaint();
        });
        ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(callback));
    }
}
