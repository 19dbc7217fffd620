//! The one place that carries out what the person asked for: actions from menus, shortcuts
//! and buttons, edits from every panel, and what finished jobs bring back. Errors are shown
//! here, once.

use std::path::PathBuf;

use super::PistasApp;
use super::actions::Action;
use super::i18n::T;
use super::map::{BasemapChoice, Tool};
use super::panels::inspector;
use super::panels::problems::ProblemsOf;
use super::state::document::Origin;
use super::state::files;
use super::state::jobs::{AfterSave, Finished};
use super::state::overlays::Overlay;
use super::state::selection::Selection;
use crate::edit::{EditError, Editor};
use crate::io::Format;
use crate::model::Document;

impl PistasApp {
    /// Carries out an action; one that would replace unsaved work asks first.
    pub(super) fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New | Action::Open | Action::OpenPath(_) | Action::Quit
                if self.doc.is_dirty() =>
            {
                // Asked once; another such action while the question is open waits for
                // its answer (it is dropped, never carried out over the unsaved work).
                if !self.overlays.asking_unsaved() {
                    self.overlays.push(Overlay::Unsaved(action));
                }
            }
            action => self.apply_now(ctx, action),
        }
    }

    /// Selects a strip, a layer's feature or nothing: the one place the selection changes.
    pub(super) fn set_selection(&mut self, selection: Selection) {
        self.selection = selection;
    }

    /// Takes a tool in hand (or the next step of one: a runway's second end, a polygon's
    /// next corner): the one place the tool changes.
    pub(super) fn set_tool(&mut self, tool: Tool) {
        self.tool = tool;
    }

    /// Shows a tab in the centre (the map, the table, the statistics): the one place the
    /// tab changes.
    pub fn show_tab(&mut self, tab: super::Tab) {
        self.tab = tab;
    }

    /// Ties the open document to a project file, or to none.
    pub(super) fn set_project(&mut self, project: Option<PathBuf>) {
        self.doc.project = project;
    }

    /// Changes what is remembered between sessions: the one place settings change.
    pub(super) fn remember(&mut self, change: impl FnOnce(&mut super::Settings)) {
        change(&mut self.settings);
    }

    pub(super) fn apply_now(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New => self.new_document(),
            Action::Open => {
                if let Some(path) = self.dialogs.open_geojson() {
                    self.apply_now(ctx, Action::OpenPath(path));
                }
            }
            Action::OpenPath(path) => {
                self.read_for(path, super::dialogs::import_view::ReadFor::Open)
            }
            Action::Save => self.save_then(AfterSave::Nothing),
            Action::SaveAs => self.save_as(),
            Action::Export(format) => self.export_as(format, false),
            Action::ExportFiltered(format) => self.export_as(format, true),
            Action::ImportLayer => {
                for path in self.dialogs.open_layers() {
                    self.read_for(path, super::dialogs::import_view::ReadFor::Layer);
                }
            }
            Action::ExportDialog => self.open_export(),
            Action::ExportMapPng => self.export_map_png(ctx),
            Action::ExportDossier => self.export_dossier(ctx),
            Action::PublishWebMap => self.publish_web_map(ctx),
            Action::SaveProject => self.save_project(),
            Action::ConnectDatabase => self.connect_database(),
            Action::SyncDatabase => self.start_sync(crate::db::Picks::default()),
            Action::Quit => self.quit(ctx),
            Action::Undo | Action::Redo => {
                if self.doc.step(action == Action::Redo) {
                    self.after_edit();
                }
            }
            Action::AddPoint => self.tool = Tool::AddPoint,
            Action::AddRunway => self.tool = Tool::AddRunway(None),
            Action::Delete => {
                if let Some(index) = self.selection.strip() {
                    let version = self.doc.version();
                    self.overlays
                        .push(Overlay::ConfirmDelete { index, version });
                }
            }
            Action::Escape => self.escape(),
            Action::FitToData => self.map.fit_pending = true,
            Action::ToggleLabels => {
                self.remember(|s| s.labels = !s.labels);
            }
            Action::Basemap(choice) => self.set_basemap(ctx, choice),
            Action::OpenPmtiles => {
                if let Some(path) = self.dialogs.open_pmtiles() {
                    self.set_basemap(ctx, BasemapChoice::PmTiles(path));
                }
            }
            Action::CustomTiles => self.custom_tiles(),
            Action::Language(lang) => {
                self.lang = lang;
                self.settings.lang = Some(lang);
            }
            Action::ToggleSidebar => self.settings.sidebar = !self.settings.sidebar,
            Action::ToggleInspector => self.settings.inspector = !self.settings.inspector,
            Action::Shortcuts => self.overlays.push(Overlay::Shortcuts),
            Action::About => self.overlays.push(Overlay::About),
        }
    }

    /// An empty, untitled document in place of the open one.
    fn new_document(&mut self) {
        self.doc.project = None;
        let untitled = self.lang.t(T::Untitled).to_owned();
        self.install(Document::default(), None, untitled, Origin::Fresh, None);
        self.problems.clear();
    }

    /// Saves the document under a name the person gives, in the background.
    fn save_as(&mut self) {
        let name = format!(
            "{}.geojson",
            self.doc.title_name().trim_end_matches(".geojson")
        );
        if let Some(path) = self.dialogs.save_as(&name, Format::GeoJson) {
            let doc = self.doc.shared();
            let version = self.doc.version();
            self.team.save_started(version);
            self.jobs
                .save(path, doc, self.date, version, AfterSave::Nothing);
        }
    }

    /// Exports the document (or only what the filters show) to a file the person names.
    fn export_as(&mut self, format: Format, filtered: bool) {
        let stem = self.doc.title_name();
        let stem = stem.split('.').next().unwrap_or("pistas");
        let suffix = if filtered { "filtered" } else { "export" };
        let name = format!("{stem}-{suffix}.{}", files::extension(format));
        if let Some(path) = self.dialogs.save_as(&name, format) {
            let doc = if filtered {
                std::sync::Arc::new(self.filtered_document())
            } else {
                self.doc.shared()
            };
            self.jobs.export(path, format, doc, self.date);
        }
    }

    /// Asks for the database to sync with, offering the one this file was synced with.
    fn connect_database(&mut self) {
        let url = self
            .team
            .link(self.doc.version().generation())
            .map(|l| l.target.describe())
            // A file synced before offers the database it was synced with.
            .or_else(|| {
                let path = self.doc.path.as_deref()?;
                let (state, _) = crate::db::state::paths(path);
                let text = std::fs::read_to_string(state).ok()?;
                let state: crate::db::SyncState = serde_json::from_str(&text).ok()?;
                Some(state.target)
            })
            .unwrap_or_default();
        self.overlays.push(Overlay::Connect {
            url,
            password: String::new(),
            error: None,
            fresh: true,
        });
    }

    /// Closes the window; nothing is left to recover.
    fn quit(&mut self, ctx: &egui::Context) {
        // Clean, saved, or the person chose to discard: nothing left to recover.
        self.allow_close = true;
        self.doc.discard();
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Escape: closes the top overlay, else leaves the tool, else clears the selection.
    fn escape(&mut self) {
        if !self.overlays.escape() {
            if self.tool != Tool::Select {
                self.tool = Tool::Select;
            } else {
                self.set_selection(Selection::Nothing);
                self.map.cancel_drag();
            }
        }
    }

    /// Asks for a tile server's address and attribution, starting from the current one.
    fn custom_tiles(&mut self) {
        let (url, attribution) = match &self.map.choice {
            BasemapChoice::Custom { url, attribution } => (url.clone(), attribution.clone()),
            _ => (String::new(), String::new()),
        };
        self.overlays.push(Overlay::CustomTiles {
            url,
            attribution,
            error: None,
        });
    }

    /// Runs one edit of the working document; shows its error, or brings everything that
    /// depends on the document up to date.
    pub(super) fn edit<R>(
        &mut self,
        edit: impl FnOnce(&mut Editor) -> Result<R, EditError>,
    ) -> Option<R> {
        match self.doc.edit(edit) {
            Ok(r) => {
                self.after_edit();
                Some(r)
            }
            Err(e) => {
                self.overlays.message(e.to_string());
                None
            }
        }
    }

    /// An edit asked for by the inspector or the problems panel.
    pub(super) fn inspector_edit(&mut self, command: inspector::Edit) {
        let mut go_to = None;
        self.edit(|editor| {
            let outcome = command.apply(editor);
            go_to = outcome.go_to;
            outcome.result
        });
        if let Some((lon, lat)) = go_to {
            self.map.go_to(lon, lat, self.map.view().2);
        }
    }

    /// After any change to the document.
    fn after_edit(&mut self) {
        self.map.cancel_drag();
        self.inspector.invalidate();
        self.refresh();
    }

    /// Replaces the working document: everything about the old one goes with it.
    pub(super) fn install(
        &mut self,
        document: Document,
        path: Option<PathBuf>,
        untitled: String,
        origin: Origin,
        source: Option<crate::io::journal::Fingerprint>,
    ) {
        self.doc.install(document, path, untitled, origin, source);
        self.set_selection(Selection::Nothing);
        self.hovered = None;
        self.tool = Tool::Select;
        self.map.cancel_drag();
        self.map.fit_pending = true;
        self.inspector = inspector::Inspector::default();
        self.overlays.document_replaced();
        self.refresh();
        if let Some(p) = self.doc.path.clone() {
            files::remember(&mut self.settings.recent, &p);
            self.settings.last_file = Some(self.doc.project.clone().unwrap_or(p));
        }
    }

    /// Takes in what background jobs finished.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        for finished in self.jobs.poll() {
            match finished {
                Finished::Opened {
                    path,
                    result: Ok(parsed),
                    purpose,
                    fingerprint,
                } => {
                    self.opened(path, parsed, purpose, fingerprint);
                }
                Finished::Opened { result: Err(e), .. } => self.overlays.message(e),
                Finished::Project { path, result } => match *result {
                    Ok(loaded) => self.project_loaded(&path, loaded),
                    // The open document and project stay as they were.
                    Err(e) => self.overlays.message(e),
                },
                Finished::Imported { path, result } => match result {
                    // The map moves to what was imported: a layer off screen looked like
                    // nothing had happened.
                    Ok(parsed) => {
                        if let Some(key) = self.layer_read(path, parsed) {
                            self.zoom_to_layer(key);
                        }
                    }
                    Err(e) => self.overlays.message(e),
                },
                Finished::Saved {
                    path,
                    version,
                    result,
                    then,
                } => match result {
                    Ok(fingerprint) => {
                        files::remember(&mut self.settings.recent, &path);
                        self.notice =
                            Some(self.lang.fill(T::Saved, &[&path.display().to_string()]));
                        // What follows a save is for the document that was saved; another
                        // one opened since goes on untouched.
                        if version.generation() == self.doc.version().generation() {
                            self.doc.saved(version, &path, fingerprint);
                            self.team.saved(version, &path);
                            // In a project, the next start reopens the project.
                            self.settings.last_file =
                                Some(self.doc.project.clone().unwrap_or(path.clone()));
                            if let AfterSave::Then(action) = then {
                                self.pending.push(action);
                            }
                        }
                    }
                    Err(e) => self.overlays.message(e),
                },
                Finished::Exported { path, result } => match result {
                    Ok(()) => {
                        self.notice =
                            Some(self.lang.fill(T::Exported, &[&path.display().to_string()]));
                    }
                    Err(e) => self.overlays.message(e),
                },
            }
        }
        if self.jobs.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    /// A file to import was read: add it as a layer, every feature of it.
    pub(super) fn layer_read(&mut self, path: PathBuf, parsed: crate::io::Parsed) -> Option<u64> {
        if parsed.fatal {
            self.problems
                .set(ProblemsOf::Nothing, &path, parsed.diagnostics);
            self.overlays.message(
                self.lang
                    .fill(T::CannotOpen, &[&path.display().to_string()]),
            );
            return None;
        }
        self.notice = Some(
            self.lang
                .fill(T::LayerImported, &[&path.display().to_string()]),
        );
        let unread = parsed
            .document
            .features()
            .iter()
            .filter(|f| f.unread().is_some())
            .count();
        let errors = parsed.has_errors();
        let diagnostics = parsed.diagnostics.clone();
        let key = self.layers.add(
            path.clone(),
            parsed.document,
            parsed.diagnostics,
            unread,
            self.date,
        );
        // Errors are worth showing at once; warnings stay behind the layer's "N problems"
        // button, and the working file's problems stay in the panel.
        if errors {
            self.problems
                .set(ProblemsOf::Layer(key), &path, diagnostics);
        }
        Some(key)
    }
}
