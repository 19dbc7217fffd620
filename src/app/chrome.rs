//! The window's chrome: the menu bar, the toolbar, the status bar and the title, and the
//! input that is not a panel's (shortcuts, dropped files, the close button).

use std::path::PathBuf;

use super::actions::Action;
use super::i18n::{Lang, T};
use super::map::{BasemapChoice, Tool, tiles};
use super::state::files::JobKind;
use super::state::overlays::Overlay;
use super::{PistasApp, Tab, theme};
use crate::analysis::path_length_and_area;
use crate::io::Format;

impl PistasApp {
    pub(super) fn handle_input(&mut self, ctx: &egui::Context) {
        let typing = ctx.memory(|m| m.focused().is_some()) && ctx.egui_wants_keyboard_input();
        // The in-window file picker is modal: its keys are its own.
        let shortcuts = if self.picker.is_some() {
            Vec::new()
        } else {
            Action::with_shortcuts().to_vec()
        };
        for action in shortcuts {
            if !action.global() && typing {
                continue;
            }
            // Escape on an open drop-down closes the drop-down only.
            if action == Action::Escape && self.popup_at_start {
                continue;
            }
            for shortcut in action.shortcuts() {
                if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                    self.pending.push(action.clone());
                    break;
                }
            }
        }
        if let Tool::Polygon(points) = &self.tool
            && !typing
            && ctx.input(|i| i.key_pressed(egui::Key::Enter))
        {
            let points = points.clone();
            self.finish_polygon(points);
        }
        // Files dropped on the window are imported as layers; a dropped project opens.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        // Images, PDFs and saved pages are evidence for the selected strip's event.
        let (evidence, dropped): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| super::evidence::is_evidence_file(p));
        if !evidence.is_empty() {
            self.evidence_dropped(ctx, evidence);
        }
        if ctx.input(|i| i.raw.hovered_files.is_empty() && i.raw.dropped_files.is_empty()) {
            self.evidence.drop_target = None;
        }
        // An image pasted (not into a text field) is evidence too.
        if !typing {
            let pasted: Vec<std::sync::Arc<egui::ColorImage>> = ctx.input(|i| {
                i.events
                    .iter()
                    .filter_map(|e| match e {
                        egui::Event::PasteImage(image) => Some(image.clone()),
                        _ => None,
                    })
                    .collect()
            });
            if let Some(image) = pasted.first() {
                self.evidence_pasted(ctx, image);
            }
        }
        let (projects, files): (Vec<PathBuf>, Vec<PathBuf>) = dropped.into_iter().partition(|p| {
            p.extension()
                .is_some_and(|e| e == crate::io::PROJECT_EXTENSION)
        });
        if let Some(project) = projects.into_iter().next() {
            self.pending.push(Action::OpenPath(project));
        } else if !files.is_empty() {
            for path in files {
                self.read_for(path, super::dialogs::import_view::ReadFor::Layer);
            }
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.doc.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if !self.overlays.asking_unsaved() {
                    self.overlays.push(Overlay::Unsaved(Action::Quit));
                }
            } else {
                // Nothing unsaved (work still to be restored stays for the next start).
                self.doc.clear_recovery();
                self.doc.flush_journal();
            }
        }
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.doc.is_dirty() { "● " } else { "" };
        let title = format!("{marker}{} — Pistas", self.doc.title_name());
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    pub(super) fn menu_item(&mut self, ui: &mut egui::Ui, action: Action, enabled: bool) {
        let mut button = egui::Button::new(action.text(self.lang));
        if let Some(shortcut) = action.shortcuts().first() {
            button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
        }
        if ui.add_enabled(enabled, button).clicked() {
            self.pending.push(action);
        }
    }

    pub(super) fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                let lang = self.lang;
                ui.menu_button(lang.t(T::File), |ui| self.file_menu_ui(ui));
                ui.menu_button(lang.t(T::Edit), |ui| self.edit_menu_ui(ui));
                ui.menu_button(lang.t(T::View), |ui| self.view_menu_ui(ui));
                ui.menu_button(lang.t(T::Help), |ui| {
                    self.menu_item(ui, Action::Shortcuts, true);
                    self.menu_item(ui, Action::About, true);
                });
            });
        });
    }

    /// The View menu: panels, labels, the basemap and the language.
    fn view_menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        for (action, on) in [
            (Action::ToggleSidebar, self.settings.sidebar),
            (Action::ToggleInspector, self.settings.inspector),
        ] {
            let mut shown = on;
            let keys = action
                .shortcuts()
                .first()
                .map(|k| ui.ctx().format_shortcut(k))
                .unwrap_or_default();
            let check = egui::Checkbox::new(&mut shown, action.text(lang));
            if ui.add(check).on_hover_text(keys).changed() {
                self.pending.push(action);
            }
        }
        ui.separator();
        self.menu_item(ui, Action::FitToData, true);
        let mut labels = self.settings.labels;
        if ui.checkbox(&mut labels, lang.t(T::Labels)).changed() {
            self.pending.push(Action::ToggleLabels);
        }
        ui.separator();
        ui.label(lang.t(T::Basemap));
        let current = self.map.choice.clone();
        if ui
            .radio(current == BasemapChoice::Offline, lang.t(T::BasemapOffline))
            .clicked()
        {
            self.pending.push(Action::Basemap(BasemapChoice::Offline));
        }
        if ui
            .radio(
                current == BasemapChoice::OpenStreetMap,
                lang.t(T::BasemapOsm),
            )
            .on_hover_text(lang.t(T::OsmWarning))
            .clicked()
        {
            self.pending
                .push(Action::Basemap(BasemapChoice::OpenStreetMap));
        }
        if ui
            .radio(
                matches!(current, BasemapChoice::PmTiles(_)),
                lang.t(T::OpenPmtiles),
            )
            .clicked()
        {
            self.pending.push(Action::OpenPmtiles);
        }
        ui.label(lang.t(T::Imagery));
        for provider in tiles::Imagery::ALL {
            let choice = BasemapChoice::Imagery(provider);
            if ui
                .radio(current == choice, provider.name())
                .on_hover_text(provider.attribution())
                .clicked()
            {
                self.pending.push(Action::Basemap(choice));
            }
        }
        if ui
            .radio(
                matches!(current, BasemapChoice::Custom { .. }),
                lang.t(T::CustomTiles),
            )
            .clicked()
        {
            self.pending.push(Action::CustomTiles);
        }
        let mut over = self.settings.context_over_tiles;
        if ui
            .checkbox(&mut over, lang.t(T::ContextOverTiles))
            .changed()
        {
            self.remember(|s| s.context_over_tiles = over);
        }
        ui.separator();
        ui.label(lang.t(T::Language));
        for l in [Lang::En, Lang::Es] {
            if ui
                .radio(self.lang == l, Action::Language(l).text(lang))
                .clicked()
            {
                self.pending.push(Action::Language(l));
            }
        }
    }

    /// The Edit menu: undo, redo, adding and deleting strips.
    fn edit_menu_ui(&mut self, ui: &mut egui::Ui) {
        let undo = self.doc.editor().can_undo();
        let redo = self.doc.editor().can_redo();
        self.menu_item(ui, Action::Undo, undo);
        self.menu_item(ui, Action::Redo, redo);
        ui.separator();
        self.menu_item(ui, Action::AddPoint, true);
        self.menu_item(ui, Action::AddRunway, true);
        let has = self.selection.strip().is_some();
        self.menu_item(ui, Action::Delete, has);
    }

    /// The File menu: documents, projects, the database and exports.
    fn file_menu_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        self.menu_item(ui, Action::New, true);
        self.menu_item(ui, Action::Open, true);
        ui.menu_button(lang.t(T::Recent), |ui| {
            if self.settings.recent.is_empty() {
                ui.label(lang.t(T::NoRecent));
            }
            for path in self.settings.recent.clone() {
                self.menu_item(ui, Action::OpenPath(path), true);
            }
        });
        self.menu_item(ui, Action::ImportLayer, true);
        ui.separator();
        self.menu_item(ui, Action::Save, true);
        self.menu_item(ui, Action::SaveAs, true);
        self.menu_item(ui, Action::SaveProject, true);
        ui.separator();
        self.menu_item(ui, Action::ConnectDatabase, true);
        let linked = self.team.link(self.doc.version().generation()).is_some();
        self.menu_item(ui, Action::SyncDatabase, linked && !self.team.busy());
        ui.separator();
        self.menu_item(ui, Action::ExportDialog, true);
        self.menu_item(ui, Action::ExportMapPng, true);
        let writing = self.story.busy();
        self.menu_item(ui, Action::ExportDossier, !writing);
        self.menu_item(ui, Action::PublishWebMap, !writing);
        ui.menu_button(lang.t(T::ExportFiltered), |ui| {
            for format in Format::ALL {
                self.menu_item(ui, Action::ExportFiltered(format), true);
            }
        });
        ui.menu_button(lang.t(T::Export), |ui| {
            for format in Format::ALL {
                self.menu_item(ui, Action::Export(format), true);
            }
        });
        ui.separator();
        self.menu_item(ui, Action::Quit, true);
    }

    pub(super) fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.horizontal(|ui| {
                self.panel_toggles_ui(ui);
                ui.separator();
                self.tools_ui(ui);
                ui.separator();
                let label = ui.label(lang.t(T::GoTo));
                let goto = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.goto.text)
                            // Narrower in a small window, so Go stays on screen.
                            .desired_width((ui.available_width() - 50.0).clamp(90.0, 220.0))
                            .hint_text(lang.t(T::GoToHint)),
                    )
                    .labelled_by(label.id);
                if goto.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    self.go_to();
                }
                if ui.button(lang.t(T::Go)).clicked() {
                    self.go_to();
                }
                if let Some(e) = &self.goto.error {
                    ui.colored_label(theme::ERROR_TEXT, e);
                }
            });
        });
    }

    /// The tools: adding a point or a runway, undo and redo, measuring.
    fn tools_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let adding_point = self.tool == Tool::AddPoint;
        if ui
            .selectable_label(adding_point, format!("+ {}", lang.t(T::AddPoint)))
            .on_hover_text(lang.t(T::AddPointHelp))
            .clicked()
        {
            self.pending.push(if adding_point {
                Action::Escape
            } else {
                Action::AddPoint
            });
        }
        let adding_runway = matches!(self.tool, Tool::AddRunway(_));
        if ui
            .selectable_label(adding_runway, lang.t(T::AddRunway).to_owned())
            .on_hover_text(lang.t(T::AddRunwayHelp))
            .clicked()
        {
            self.pending.push(if adding_runway {
                Action::Escape
            } else {
                Action::AddRunway
            });
        }
        ui.separator();
        if ui
            .add_enabled(
                self.doc.editor().can_undo(),
                egui::Button::new(lang.t(T::Undo)),
            )
            .clicked()
        {
            self.pending.push(Action::Undo);
        }
        if ui
            .add_enabled(
                self.doc.editor().can_redo(),
                egui::Button::new(lang.t(T::Redo)),
            )
            .clicked()
        {
            self.pending.push(Action::Redo);
        }
        ui.separator();
        let measuring = matches!(self.tool, Tool::Measure(_));
        if ui
            .selectable_label(measuring, lang.t(T::Measure))
            .on_hover_text(lang.t(T::MeasureHelp))
            .clicked()
        {
            self.set_tool(if measuring {
                Tool::Select
            } else {
                Tool::Measure(Vec::new())
            });
            self.show_tab(Tab::Map);
        }
    }

    /// The buttons that show and hide the sidebar and the inspector.
    fn panel_toggles_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        for (action, on, short) in [
            (
                Action::ToggleSidebar,
                self.settings.sidebar,
                T::PanelLayersShort,
            ),
            (
                Action::ToggleInspector,
                self.settings.inspector,
                T::PanelInspectorShort,
            ),
        ] {
            let keys = action
                .shortcuts()
                .first()
                .map(|k| ui.ctx().format_shortcut(k))
                .unwrap_or_default();
            if ui
                .selectable_label(on, lang.t(short))
                .on_hover_text(format!("{} ({keys})", action.text(lang)))
                .clicked()
            {
                self.pending.push(action);
            }
        }
    }

    pub(super) fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                match self.map.cursor {
                    Some((lon, lat)) => ui.monospace(format!(
                        "{lat:.5}, {lon:.5}  ({})",
                        crate::edit::format_dms(lon, lat)
                    )),
                    None => ui.monospace("—"),
                };
                ui.separator();
                // The strips are counted with the facts, not over every feature each frame.
                ui.label(lang.fill(
                    T::Counts,
                    &[
                        &self.derived.facts.strip_count().to_string(),
                        &self.doc.document().features().len().to_string(),
                    ],
                ));
                ui.separator();
                if self.doc.is_dirty() {
                    ui.colored_label(theme::WARNING_TEXT, lang.t(T::Unsaved));
                } else {
                    ui.label(lang.t(T::AllSaved));
                }
                let tool_hint = match self.tool {
                    Tool::Select => None,
                    Tool::AddPoint => Some(T::AddPointHelp),
                    Tool::AddRunway(None) => Some(T::AddRunwayHelp),
                    Tool::AddRunway(Some(_)) => Some(T::AddRunwaySecond),
                    Tool::Area(None) => Some(T::DrawRectangleHelp),
                    Tool::Area(Some(_)) => Some(T::AreaSecond),
                    Tool::Polygon(_) => Some(T::DrawPolygonHelp),
                    Tool::Measure(_) => None,
                };
                self.measure_ui(ui);
                if let Some((done, total)) = self.evidence.jobs.progress() {
                    ui.separator();
                    ui.spinner();
                    ui.label(lang.fill(T::Attaching, &[&done.to_string(), &total.to_string()]));
                }
                if let Some(hint) = tool_hint {
                    ui.separator();
                    ui.strong(lang.t(hint));
                } else if self.selection == crate::app::state::selection::Selection::Nothing
                    && self.tab == Tab::Map
                    && self.jobs.running().next().is_none()
                    // A database layer's status and last sync need the room.
                    && self.team.link(self.doc.version().generation()).is_none()
                {
                    ui.separator();
                    ui.add(egui::Label::new(lang.t(T::ClickToInspect)).truncate());
                }
                if !self.problems.list.is_empty() {
                    ui.separator();
                    let text = lang.fill(
                        T::Problems,
                        &[
                            &self.problems.list.len().to_string(),
                            &self.problems.errors().to_string(),
                        ],
                    );
                    if ui.selectable_label(self.problems.show, text).clicked() {
                        self.problems.show = !self.problems.show;
                    }
                }
                let running = self.jobs_status_ui(ui);
                self.team_status_ui(ui);
                if !running && let Some(notice) = &self.notice {
                    ui.separator();
                    ui.label(notice);
                }
            });
        });
    }

    /// Each job running in the background, with its progress, and Cancel; true when any is.
    fn jobs_status_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let lang = self.lang;
        let mut cancel = false;
        let mut running = false;
        for job in self.jobs.running() {
            running = true;
            ui.separator();
            // The file's name, so the bar and Cancel fit a narrow window; the
            // whole path on hover.
            let path = job.path().display().to_string();
            let name = job
                .path()
                .file_name()
                .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
            let what = match &job.kind {
                JobKind::Open(_) | JobKind::Import(_) | JobKind::Project(_) => T::Opening,
                JobKind::Save(_) => T::Saving,
                JobKind::Export { .. } => T::Exporting,
            };
            ui.label(lang.fill(what, &[&name])).on_hover_text(path);
            match job.progress() {
                Some(p) => {
                    ui.add(
                        egui::ProgressBar::new(p)
                            .desired_width(120.0)
                            .show_percentage(),
                    );
                }
                None => {
                    ui.spinner();
                }
            }
        }
        if running && ui.button(lang.t(T::Cancel)).clicked() {
            cancel = true;
        }
        if cancel {
            self.jobs.cancel();
        }
        running
    }

    /// The length (and area) measured so far, or how to measure.
    fn measure_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        if let Tool::Measure(points) = &self.tool {
            let lon_lat: Vec<(f64, f64)> = points.iter().map(|p| (p.x(), p.y())).collect();
            let (length, area) = path_length_and_area(&lon_lat);
            ui.separator();
            let mut text = lang.fill(T::MeasureLength, &[&lang.decimal(length / 1000.0, 2)]);
            if let Some(a) = area {
                text.push_str(&lang.fill(T::MeasureArea, &[&lang.decimal(a / 1e6, 3)]));
            }
            if points.is_empty() {
                text = lang.t(T::MeasureHelp).to_owned();
            }
            ui.strong(text);
        }
    }
}
