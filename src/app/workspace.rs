//! The workspace around the working layer: imported layers, merging one into the working
//! layer, the Export… dialog, the map as PNG, and project files.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use egui::Pos2;

use super::export_view::{Counts, ExportDialog, ExportOutcome, Scope};
use super::files::{Job, JobKind, JobResult};
use super::i18n::T;
use super::layers::{ContextKind, LayerAction, Slot, hex, parse_hex};
use super::map::basemap::ContextAlpha;
use super::map::transform::{lon_lat_of, mercator};
use super::map::{DrawSlot, LayerDraw};
use super::merge_view::{MergeReview, ReviewOutcome};
use super::stats_view::png_bytes;
use super::{Modal, PistasApp, Tab, theme};
use crate::edit::merge::{self, MatchOptions};
use crate::io::{
    PROJECT_EXTENSION, Parsed, Project, ProjectContext, ProjectFilter, ProjectLayer, ProjectView,
    relative_to, round_coordinates, save_atomic,
};
use crate::model::Document;

/// What a click on the map hit, across layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    Working(usize),
    Layer(u64, usize),
}

impl PistasApp {
    // ----- queries for tests -----

    pub fn layers(&self) -> &super::layers::Layers {
        &self.layers
    }

    /// The selected feature of an imported layer: (layer key, feature index).
    pub fn selected_layer(&self) -> Option<(u64, usize)> {
        self.selected_layer
    }

    /// Where feature `index` of imported layer `key` is on screen.
    pub fn layer_screen_position(&self, key: u64, index: usize) -> Option<Pos2> {
        let t = self.map.transform?;
        let item = self.layers.get(key)?.cache.items.get(index)?.as_ref()?;
        Some(t.to_screen(item.anchor))
    }

    /// True while imported files are still being read.
    pub fn importing(&self) -> bool {
        !self.imports.is_empty()
    }

    // ----- layers -----

    pub(super) fn layers_panel_ui(&mut self, ui: &mut egui::Ui) {
        let working = self.title_name();
        let count = self.editor.document().features.len();
        let loading: Vec<(PathBuf, Option<f32>)> = self
            .imports
            .iter()
            .filter_map(|job| match &job.kind {
                JobKind::Import(p) => Some((p.clone(), job.progress())),
                _ => None,
            })
            .collect();
        let actions = self.layers.ui(ui, self.lang, (&working, count), &loading);
        for action in actions {
            match action {
                LayerAction::Import => self.pending.push(super::Action::ImportLayer),
                LayerAction::Remove(key) => {
                    self.layers.remove(key);
                    if self.selected_layer.is_some_and(|(k, _)| k == key) {
                        self.selected_layer = None;
                    }
                    if self.merge.as_ref().is_some_and(|m| m.key == key) {
                        self.merge = None;
                    }
                }
                LayerAction::Merge(key) => self.open_merge(key),
                LayerAction::ZoomTo(Slot::Working) => self.map.fit_pending = true,
                LayerAction::ZoomTo(Slot::Imported(key)) => {
                    if let (Some(layer), Some(t)) = (self.layers.get(key), self.map.transform)
                        && let Some(bounds) = layer.cache.bounds
                    {
                        self.map.fit(t.rect, bounds);
                    }
                    self.tab = Tab::Map;
                }
                LayerAction::ShowDiagnostics(key) => {
                    if let Some(layer) = self.layers.get(key) {
                        self.diagnostics = layer.diagnostics.clone();
                        self.diagnostics_file = layer.path.display().to_string();
                        self.show_diagnostics = true;
                    }
                }
            }
        }
    }

    /// Starts reading files to import as layers, each on its own thread.
    pub(super) fn start_imports(&mut self, paths: Vec<PathBuf>) {
        for path in paths {
            self.imports.push(Job::import(path));
        }
    }

    pub(super) fn poll_imports(&mut self, ctx: &egui::Context) {
        if self.imports.is_empty() {
            return;
        }
        let mut still = Vec::new();
        for job in std::mem::take(&mut self.imports) {
            match job.poll() {
                None => still.push(job),
                Some(JobResult::Opened(Ok(parsed))) => {
                    if let JobKind::Import(path) = &job.kind {
                        self.layer_read(path.clone(), parsed);
                    }
                }
                Some(JobResult::Opened(Err(e))) | Some(JobResult::Written(Err(e))) => {
                    self.modal = Some(Modal::Message(e));
                }
                Some(JobResult::Written(Ok(()))) => {}
            }
        }
        self.imports = still;
        if !self.imports.is_empty() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    /// A file to import was read: add it as a layer, every feature of it.
    fn layer_read(&mut self, path: PathBuf, parsed: Parsed) -> Option<u64> {
        if parsed.fatal {
            self.diagnostics = parsed.diagnostics;
            self.diagnostics_file = path.display().to_string();
            self.show_diagnostics = true;
            self.modal = Some(Modal::Message(
                self.lang
                    .fill(T::CannotOpen, &[&path.display().to_string()]),
            ));
            return None;
        }
        // Errors are worth showing at once; warnings stay behind the layer's "N problems"
        // button, and the working file's diagnostics stay in the panel.
        if parsed.has_errors() {
            self.diagnostics = parsed.diagnostics.clone();
            self.diagnostics_file = path.display().to_string();
            self.show_diagnostics = true;
        }
        self.notice = Some(
            self.lang
                .fill(T::LayerImported, &[&path.display().to_string()]),
        );
        let unread = parsed
            .document
            .features
            .iter()
            .filter(|f| f.unread().is_some())
            .count();
        Some(
            self.layers
                .add(path, parsed.document, parsed.diagnostics, unread, self.date),
        )
    }

    /// The data layers bottom first, for the map.
    pub(super) fn draw_slots(
        layers: &super::layers::Layers,
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

    pub(super) fn working_opacity(&self) -> f32 {
        if self.layers.working_visible {
            self.layers.working_opacity
        } else {
            0.0
        }
    }

    pub(super) fn context_alpha(&self) -> ContextAlpha {
        ContextAlpha {
            aerodromes: self.layers.context_alpha(ContextKind::Aerodromes),
            towns: self.layers.context_alpha(ContextKind::Towns),
            rivers: self.layers.context_alpha(ContextKind::Rivers),
            borders: self.layers.context_alpha(ContextKind::Borders),
        }
    }

    /// Names and colours of the visible imported layers, top first, for the legend.
    pub(super) fn legend_layers(&self) -> Vec<(String, egui::Color32)> {
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
    pub(super) fn pick_at(&self, pos: walkers::Position, working: Option<usize>) -> Option<Picked> {
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
    pub(super) fn layer_inspector_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let Some((key, index)) = self.selected_layer else {
            return false;
        };
        let Some(layer) = self.layers.get(key) else {
            self.selected_layer = None;
            return false;
        };
        ui.colored_label(
            layer.colour,
            egui::RichText::new(self.lang.fill(T::FromLayer, &[&layer.name])).strong(),
        );
        let (lang, date) = (self.lang, self.date);
        ui.add_enabled_ui(false, |ui| {
            // Edits cannot be made in a disabled inspector; any that came would be dropped.
            let _ = self.layer_inspector.ui(
                ui,
                lang,
                &layer.document,
                Some(index),
                u64::MAX - key,
                date,
                &[],
            );
        });
        true
    }

    // ----- merge -----

    fn open_merge(&mut self, key: u64) {
        let Some(layer) = self.layers.get(key) else {
            return;
        };
        let options = self
            .merge
            .as_ref()
            .map_or_else(MatchOptions::default, |m| m.options);
        self.merge = Some(MergeReview::new(
            key,
            layer.name.clone(),
            self.editor.document(),
            &layer.document,
            options,
            self.editor.state(),
        ));
    }

    pub(super) fn merge_window(&mut self, ctx: &egui::Context) {
        let Some(review) = &mut self.merge else {
            return;
        };
        let Some(layer) = self.layers.get(review.key) else {
            self.merge = None;
            return;
        };
        // The working layer changed under the review: match again.
        if review.state != self.editor.state() {
            let key = review.key;
            self.open_merge(key);
            return;
        }
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
                outcome = review.ui(ui, lang, self.editor.document(), &layer.document);
            });
        if !open {
            outcome = ReviewOutcome::Cancel;
        }
        match outcome {
            ReviewOutcome::None => {}
            ReviewOutcome::Cancel => self.merge = None,
            ReviewOutcome::Rematch => {
                let key = review.key;
                self.open_merge(key);
            }
            ReviewOutcome::Apply => {
                let (command, rows) = merge::merge_command(
                    self.editor.document(),
                    &layer.document,
                    &review.plan,
                    &review.decisions,
                );
                let merged = rows.iter().filter(|r| r.action == "merged").count();
                let added = rows
                    .iter()
                    .filter(|r| r.action == "added" || r.action == "kept both")
                    .count();
                let notice = lang.fill(
                    T::MergedNotice,
                    &[&review.layer_name, &merged.to_string(), &added.to_string()],
                );
                self.merge = None;
                match self.editor.apply(command) {
                    Ok(()) => {
                        self.after_edit();
                        self.notice = Some(notice);
                    }
                    Err(e) => self.modal = Some(Modal::Message(e.to_string())),
                }
            }
        }
    }

    // ----- export -----

    pub(super) fn open_export(&mut self) {
        let layer = match self.selected_layer {
            Some((key, _)) if self.selected.is_none() => Some(key),
            _ => None,
        };
        self.export = Some(ExportDialog::new(self.settings.export.clone(), layer));
    }

    /// The features of a layer the export would write.
    pub fn export_document(&self, layer: Option<u64>, scope: Scope) -> Document {
        let (doc, selected) = match layer {
            None => (self.editor.document(), self.selected),
            Some(key) => {
                let Some(l) = self.layers.get(key) else {
                    return Document::default();
                };
                let selected = self.selected_layer.filter(|(k, _)| *k == key);
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
        Document {
            features: doc
                .features
                .iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, f)| f.clone())
                .collect(),
            foreign: doc.foreign.clone(),
        }
    }

    /// Which features of a layer pass the filters at the timeline's date.
    fn passes_of(&self, layer: Option<u64>) -> Cow<'_, [bool]> {
        match layer.and_then(|key| self.layers.get(key)) {
            None if layer.is_none() => Cow::Borrowed(&self.passes),
            None => Cow::Borrowed(&[]),
            Some(l) => {
                let statuses = l.facts.statuses_at(self.date);
                Cow::Owned(l.facts.apply(&self.filter, &statuses))
            }
        }
    }

    pub(super) fn export_window(&mut self, ctx: &egui::Context) {
        let Some(layer) = self.export.as_ref().map(|d| d.layer) else {
            return;
        };
        let lang = self.lang;
        let mut layers = vec![(
            None,
            format!("{} ({})", self.title_name(), lang.t(T::WorkingLayer)),
        )];
        layers.extend(
            self.layers
                .imported
                .iter()
                .map(|l| (Some(l.key), l.name.clone())),
        );
        let counts = Counts {
            all: match layer {
                None => self.editor.document().features.len(),
                Some(key) => self
                    .layers
                    .get(key)
                    .map_or(0, |l| l.document.features.len()),
            },
            filtered: self.passes_of(layer).iter().filter(|p| **p).count(),
            selected: usize::from(match layer {
                None => self.selected.is_some(),
                Some(key) => self.selected_layer.is_some_and(|(k, _)| k == key),
            }),
        };
        let date = self.date;
        let Some(dialog) = &mut self.export else {
            return;
        };
        let mut outcome = ExportOutcome::None;
        egui::Modal::new(egui::Id::unique("pistas-export")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(lang.t(T::ExportTitle));
            ui.add_space(4.0);
            outcome = dialog.ui(ui, lang, &layers, &counts, date);
        });
        match outcome {
            ExportOutcome::None => {}
            ExportOutcome::Cancel => self.export = None,
            ExportOutcome::Export => {
                let Some(dialog) = self.export.take() else {
                    return;
                };
                let choices = dialog.choices.clone();
                self.settings.export = choices.clone();
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
                let name = format!("{stem}-{suffix}.{}", super::files::extension(format));
                if let Some(path) = self.dialogs.save_as(&name, format) {
                    let mut doc = self.export_document(dialog.layer, choices.scope);
                    if let Some(digits) = choices.precision {
                        doc = round_coordinates(&doc, digits);
                    }
                    let status_date = choices.status_date.unwrap_or(self.date);
                    self.job = Some(Job::write(
                        JobKind::Export { path, format },
                        doc,
                        status_date,
                    ));
                }
            }
        }
    }

    /// Saves the map as drawn (with legend, scale bar, attribution and date) as a PNG.
    pub(super) fn export_map_png(&mut self, ctx: &egui::Context) {
        self.tab = Tab::Map;
        let Some(rect) = self.map.transform.map(|t| t.rect) else {
            return;
        };
        let Some(path) = self.dialogs.save_file("pistas-map.png", "PNG", "png") else {
            return;
        };
        let path = super::panels::with_png_extension(path);
        self.screenshot_to_png(ctx, rect, path, T::MapPngSaved);
    }

    /// Crops the next window screenshot to `rect` and saves it as PNG; the notice `done`
    /// names the file when written.
    pub(super) fn screenshot_to_png(
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

    // ----- projects -----

    /// The workspace as a project file at `path`.
    pub fn project_at(&self, path: &Path) -> Result<Project, String> {
        let Some(working) = &self.path else {
            return Err(self.lang.t(T::SaveWorkingFirst).to_owned());
        };
        let layers = self
            .layers
            .order
            .iter()
            .filter_map(|slot| match slot {
                Slot::Working => Some(ProjectLayer {
                    path: relative_to(path, working),
                    name: None,
                    visible: self.layers.working_visible,
                    colour: None,
                    opacity: self.layers.working_opacity,
                    working: true,
                }),
                Slot::Imported(key) => self.layers.get(*key).map(|l| ProjectLayer {
                    path: relative_to(path, &l.path),
                    name: Some(l.name.clone()),
                    visible: l.visible,
                    colour: Some(hex(l.colour)),
                    opacity: l.opacity,
                    working: false,
                }),
            })
            .collect();
        let mut project = Project::new(layers);
        project.context = self
            .layers
            .context
            .iter()
            .map(|c| ProjectContext {
                name: c.kind.key().to_owned(),
                visible: c.visible,
                opacity: c.opacity,
            })
            .collect();
        let (lon, lat, zoom) = self.map.view();
        project.view = Some(ProjectView { lon, lat, zoom });
        project.date = Some(self.date);
        project.filter = ProjectFilter::from(&self.filter);
        Ok(project)
    }

    pub(super) fn save_project(&mut self) {
        if self.path.is_none() {
            self.modal = Some(Modal::Message(self.lang.t(T::SaveWorkingFirst).to_owned()));
            return;
        }
        let stem = self.title_name();
        let stem = stem.split('.').next().unwrap_or("pistas").to_owned();
        let name = format!("{stem}.{PROJECT_EXTENSION}");
        let Some(mut path) = self
            .dialogs
            .save_file(&name, "Pistas project", PROJECT_EXTENSION)
        else {
            return;
        };
        if path.extension().is_none_or(|e| e != PROJECT_EXTENSION) {
            path.set_extension(PROJECT_EXTENSION);
        }
        let result = self.project_at(&path).and_then(|p| {
            save_atomic(&path, p.to_json().as_bytes(), true).map_err(|e| e.to_string())
        });
        match result {
            Ok(()) => {
                self.notice = Some(
                    self.lang
                        .fill(T::ProjectSaved, &[&path.display().to_string()]),
                );
                super::files::remember(&mut self.settings.recent, &path);
                self.settings.last_file = Some(path.clone());
                self.project = Some(path.clone());
                // The project refers to the working layer's file: keep it current too.
                if self.editor.is_dirty() {
                    self.pending.push(super::Action::Save);
                }
            }
            Err(e) => self.modal = Some(Modal::Message(e)),
        }
    }

    /// Opens a project: the working layer, the imported layers with their styles, the view,
    /// the date and the filters. Layer files that cannot be read are reported; the others
    /// still open.
    pub(super) fn open_project(&mut self, path: &Path) {
        let project = match Project::read(path) {
            Ok(p) => p,
            Err(e) => {
                self.modal = Some(Modal::Message(e));
                return;
            }
        };
        let filter = match project.filter.to_filter() {
            Ok(f) => f,
            Err(e) => {
                self.modal = Some(Modal::Message(format!("{}: {e}", path.display())));
                return;
            }
        };
        self.layers.clear();
        self.selected_layer = None;
        self.merge = None;
        let mut problems = Vec::new();
        if let Some(working) = project.working() {
            let file = Project::resolve(path, &working.path);
            match crate::io::read_path(&file) {
                Ok(parsed) if !parsed.has_errors() => {
                    self.diagnostics = parsed.diagnostics.clone();
                    self.diagnostics_file = file.display().to_string();
                    self.set_document(parsed.document, Some(file), String::new());
                }
                Ok(parsed) => {
                    // Bad features: the same question as opening the file directly.
                    self.opened(file, parsed);
                }
                Err(e) => problems.push(e.to_string()),
            }
            self.layers.working_visible = working.visible;
            self.layers.working_opacity = working.opacity.clamp(0.0, 1.0);
        }
        let mut order = Vec::new();
        for entry in &project.layers {
            if entry.working {
                order.push(Slot::Working);
                continue;
            }
            let file = Project::resolve(path, &entry.path);
            match crate::io::read_path(&file) {
                Ok(parsed) if !parsed.fatal => {
                    if let Some(key) = self.layer_read(file, parsed) {
                        if let Some(layer) = self.layers.get_mut(key) {
                            layer.visible = entry.visible;
                            layer.opacity = entry.opacity.clamp(0.0, 1.0);
                            if let Some(c) = entry.colour.as_deref().and_then(parse_hex) {
                                layer.colour = c;
                            }
                            if let Some(name) = &entry.name {
                                layer.name.clone_from(name);
                            }
                        }
                        order.push(Slot::Imported(key));
                    }
                }
                Ok(_) => problems.push(format!("{}: cannot be read", file.display())),
                Err(e) => problems.push(e.to_string()),
            }
        }
        self.layers.order = order;
        if !self.layers.order.contains(&Slot::Working) {
            self.layers.order.push(Slot::Working);
        }
        for entry in &project.context {
            if let Some(c) = self
                .layers
                .context
                .iter_mut()
                .find(|c| c.kind.key() == entry.name)
            {
                c.visible = entry.visible;
                c.opacity = entry.opacity.clamp(0.0, 1.0);
            }
        }
        if let Some(v) = project.view {
            self.map.set_view(v.lon, v.lat, v.zoom);
        }
        if let Some(d) = project.date {
            self.set_date(d);
        }
        self.filter = filter;
        self.filter_generation += 1;
        super::files::remember(&mut self.settings.recent, path);
        // The next start reopens the whole workspace, not only its working layer.
        self.settings.last_file = Some(path.to_path_buf());
        self.project = Some(path.to_path_buf());
        if !problems.is_empty() {
            self.modal = Some(Modal::Message(problems.join("\n")));
        }
    }

    /// Centre of an imported layer's feature, for tests and "zoom to".
    pub fn layer_feature_lon_lat(&self, key: u64, index: usize) -> Option<(f64, f64)> {
        let item = self.layers.get(key)?.cache.items.get(index)?.as_ref()?;
        Some(lon_lat_of(item.anchor))
    }
}
