//! The window: a map of the strips with an inspector, menus, files and undo.
//!
//! This module is the wiring. Each part has one owner:
//! - [`document`]: the open document (editor, generation, path, project, recovery and
//!   autosave);
//! - [`derived`]: everything derived from it, behind one key;
//! - [`selection`], the time (`date`, [`timeline`]), the filters ([`state::derived::Filters`]),
//!   the map view and its tool;
//! - [`jobs`]: background work with typed continuations;
//! - [`overlays`]: questions, messages, the merge review and the export dialog, as a stack;
//! - the panels ([`chrome`], [`map_panel`], [`panels`], [`workspace`], [`problems`]) read
//!   state and ask for actions and edits, which [`apply`] carries out in one place.

mod actions;
mod apply;
mod chrome;
pub mod dialogs;
pub mod evidence;
pub mod i18n;
pub mod map;
pub mod panels;
mod state;
pub mod theme;
mod window;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use actions::Action;
pub use state::files::{FileDialogs, NativeDialogs, ScriptedDialogs};
pub use state::recovery::{Recovered, Recovery, Slot};
pub use state::selection::Selection;
pub use state::settings::Settings;

use i18n::{Lang, T};
use map::{MapView, Tool};
use panels::inspector::Inspector;
use panels::problems::{Problems, ProblemsOf};
use state::derived::{Derived, Filters};
use state::document::OpenDocument;
use state::jobs::Jobs;
use state::overlays::{Overlay, Overlays};

use crate::io::read_bytes;

/// Below this width (in points) the inspector takes the sidebar's place.
const NARROW: f32 = 900.0;

/// The bundled illustrative sample, shown when there is nothing else to open.
pub const SAMPLE_GEOJSON: &[u8] = include_bytes!("../../data/vraem-sample.geojson");
pub const SAMPLE_NAME: &str = "vraem-sample.geojson";

/// How the window starts.
pub struct AppOptions {
    /// A file to open; else the last file, else the sample.
    pub file: Option<PathBuf>,
    pub dialogs: Box<dyn FileDialogs>,
    /// Where autosave writes; `None` turns autosave off.
    pub recovery: Option<Recovery>,
    /// Settings to start from; `None` reads them from eframe's storage.
    pub settings: Option<Settings>,
    /// Force a language (tests); else settings, else the system's.
    pub lang: Option<Lang>,
    /// Where online tiles are cached; `None` turns the disk cache off.
    pub tile_cache: Option<PathBuf>,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            file: None,
            dialogs: Box::new(NativeDialogs::default()),
            recovery: Recovery::default_dir().map(Recovery::new),
            settings: None,
            lang: None,
            tile_cache: map::tiles::default_cache(),
        }
    }
}

/// What the centre of the window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Map,
    Table,
    Statistics,
}

/// Files from this size on, asked for at start, open in the background with progress (a
/// 150 MB GeoJSON file opens in about 0.6 s, so 64 MB in about 0.3 s; smaller ones open before the
/// window shows, with nothing to wait for).
const OPEN_IN_BACKGROUND_FROM: u64 = 64 << 20;

/// The state of the window, as parts.
pub struct PistasApp {
    doc: OpenDocument,
    derived: Derived,
    filters: Filters,
    filter_panel: panels::filters::FilterPanel,
    selection: Selection,
    hovered: Option<usize>,
    /// The date statuses are shown at, and its text field.
    date: NaiveDate,
    date_text: String,
    timeline: panels::timeline::Timeline,
    map: MapView,
    tool: Tool,
    goto: map::goto::GoTo,
    jobs: Jobs,
    overlays: Overlays,
    inspector: Inspector,
    layer_inspector: Inspector,
    problems: Problems,
    layers: panels::layers::Layers,
    tab: Tab,
    table: panels::table::Table,
    /// The document (generation) and file whose property columns the table shows.
    table_columns_for: (u64, Option<PathBuf>),
    lang: Lang,
    settings: Settings,
    dialogs: Box<dyn FileDialogs>,
    /// The in-window file picker, when the desktop showed no dialog.
    picker: Option<dialogs::picker::Picker>,
    /// A statistics request asked again with the in-window picker's answer.
    replayed_stats: Option<panels::stats_view::StatsAction>,
    /// A drop-down or menu was open when the frame began: Escape closes it, not the
    /// dialog under it.
    popup_at_start: bool,
    /// Actions asked for this frame, and those whose unsaved work the person discarded.
    pending: Vec<Action>,
    discarding: Vec<Action>,
    /// The window may close (the person answered the unsaved-changes question).
    allow_close: bool,
    title: String,
    /// Status-bar message after a save or export.
    notice: Option<String>,
    /// Where the last chart was saved as PNG, or why it was not (set by the screenshot).
    png_result: PngSlot,
    /// The database the working layer syncs with.
    team: state::team::Team,
    /// Evidence: thumbnails, attaching, the check on open, the viewer, imagery on the map.
    evidence: evidence::EvidenceView,
    /// A dossier or web map being written.
    story: dialogs::stories::StoryJob,
}

/// Where a screenshot callback leaves the PNG it saved (or why not), with the notice to show.
type PngSlot = std::sync::Arc<std::sync::Mutex<Option<(T, Result<PathBuf, String>)>>>;

impl PistasApp {
    /// Builds the window's state; `cc` gives storage and the renderer.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        // Vector tiles (PMTiles) draw with walkers' wgpu renderer when there is one.
        if cc.wgpu_render_state.is_some() {
            walkers::install_renderer(cc.wgpu_render_state.as_ref());
        }
        let settings = options
            .settings
            .unwrap_or_else(|| Settings::load(cc.storage));
        Self::with_context(
            &cc.egui_ctx,
            settings,
            options.file,
            options.dialogs,
            options.recovery,
            options.lang,
            options.tile_cache,
        )
    }

    /// Builds the window without eframe (benchmarks drive egui directly).
    pub fn with_context(
        ctx: &egui::Context,
        settings: Settings,
        file: Option<PathBuf>,
        dialogs: Box<dyn FileDialogs>,
        recovery: Option<Recovery>,
        lang: Option<Lang>,
        tile_cache: Option<PathBuf>,
    ) -> Self {
        // A light window matches the light map and keeps the status colours readable.
        ctx.set_theme(egui::ThemePreference::Light);
        let lang = lang.or(settings.lang).unwrap_or_else(Lang::system);
        let today = chrono::Local::now().date_naive();
        let parsed = read_bytes(SAMPLE_GEOJSON, SAMPLE_NAME);
        let mut overlays = Overlays::default();
        // This window's own recovery slot; a slot a crashed window left is offered back.
        let slot = recovery.and_then(|r| match r.claim() {
            Ok(slot) => Some(slot),
            Err(e) => {
                overlays.message(format!("{}: {e}", lang.t(T::AutosaveFailed)));
                None
            }
        });
        let found = slot.as_ref().and_then(state::recovery::Slot::found);
        let untitled = format!("{SAMPLE_NAME} ({})", lang.t(T::Illustrative));
        let mut app = PistasApp {
            doc: OpenDocument::new(parsed.document, untitled, slot),
            derived: Derived::new(today),
            filters: Filters::default(),
            filter_panel: panels::filters::FilterPanel::default(),
            selection: Selection::Nothing,
            hovered: None,
            date: today,
            date_text: today.to_string(),
            timeline: panels::timeline::Timeline::default(),
            map: MapView::new(),
            tool: Tool::Select,
            goto: map::goto::GoTo::default(),
            jobs: Jobs::default(),
            overlays,
            inspector: Inspector::default(),
            layer_inspector: Inspector::read_only(),
            problems: Problems::default(),
            layers: panels::layers::Layers::default(),
            tab: Tab::Map,
            table: panels::table::Table::default(),
            table_columns_for: (0, None),
            lang,
            settings,
            dialogs,
            pending: Vec::new(),
            picker: None,
            popup_at_start: false,
            replayed_stats: None,
            discarding: Vec::new(),
            allow_close: false,
            title: String::new(),
            notice: None,
            png_result: Default::default(),
            team: state::team::Team::default(),
            evidence: evidence::EvidenceView::default(),
            story: dialogs::stories::StoryJob::default(),
        };
        let of = ProblemsOf::Working(app.doc.version().generation());
        app.problems
            .set(of, std::path::Path::new(SAMPLE_NAME), parsed.diagnostics);
        app.problems.show = false;
        app.refresh();
        app.map.legend_open = app.settings.legend_open;
        app.map.tile_cache = tile_cache;
        app.set_basemap(ctx, app.settings.basemap.clone());
        if let Some((lon, lat, zoom)) = app.settings.view {
            app.map.set_view(lon, lat, zoom);
        }
        // The file asked for opens even when there is work to recover: the question
        // stays on top until it is answered.
        let to_open = file.or_else(|| app.settings.last_file.clone().filter(|p| p.exists()));
        if let Some(path) = to_open {
            app.open_now(path);
        }
        if let Some(found) = found {
            app.overlays.push(Overlay::Recover(found));
        }
        app
    }

    /// Opens a file or a project before the window is shown, with the same reading and
    /// installing as an open in the background (a large file opens in the background).
    fn open_now(&mut self, path: PathBuf) {
        if path
            .extension()
            .is_some_and(|e| e == crate::io::PROJECT_EXTENSION)
        {
            match state::project::LoadedProject::read(&path) {
                Ok(loaded) => self.project_loaded(&path, loaded),
                Err(e) => self.overlays.message(e),
            }
            return;
        }
        // A spreadsheet first shows its preview; GeoPackage layers are asked for there too.
        if matches!(
            crate::io::InputFormat::of_file(&path),
            crate::io::InputFormat::Csv | crate::io::InputFormat::GeoPackage
        ) {
            self.read_for(path, dialogs::import_view::ReadFor::Open);
            return;
        }
        // A large file opens in the background, as from the Open menu: the window shows at
        // once, with the bar of the open and its Cancel, instead of staying black while a
        // million strips are read.
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        if size >= OPEN_IN_BACKGROUND_FROM {
            self.jobs.open(
                path,
                state::jobs::OpenFor::File,
                crate::io::ImportOptions::default(),
            );
            return;
        }
        let format = crate::io::InputFormat::of_file(&path);
        let read = std::fs::read(&path).map(|bytes| {
            let name = path.display().to_string();
            // The window's facts are worked out as each feature is read.
            let options = crate::io::ImportOptions {
                facts: true,
                ..crate::io::ImportOptions::default()
            };
            // The bytes read are what the journal's edits will apply to.
            let fingerprint = (format == crate::io::InputFormat::GeoJson)
                .then(|| crate::io::journal::Fingerprint::of(&bytes));
            let parsed =
                crate::io::import::read_bytes_as(bytes, &name, Some(&path), format, &options);
            // The bytes became the features' shared text: held once, not copied.
            (parsed, fingerprint)
        });
        match read {
            Ok((parsed, fingerprint)) => {
                self.opened(path, parsed, state::jobs::OpenFor::File, fingerprint);
            }
            Err(e) => self
                .overlays
                .message(format!("cannot read {}: {e}", path.display())),
        }
    }

    /// The time window the map shows, in days before the date, when one is chosen.
    fn window(&self) -> Option<i64> {
        (self.timeline.mode == panels::timeline::Mode::Window).then_some(self.timeline.window_days)
    }

    /// Brings everything derived up to date, and the selection within the document.
    fn refresh(&mut self) {
        let window = self.window();
        self.derived
            .refresh(&self.doc, &self.filters, self.date, window);
        let layers = &self.layers;
        let within = self
            .selection
            .within(self.doc.document().features().len(), |key| {
                layers.get(key).map(|l| l.document.features().len())
            });
        self.set_selection(within);
        self.timeline
            .update(self.derived.events_key(), &self.derived.histogram);
    }

    /// One frame of the whole window.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.popup_at_start = egui::Popup::is_any_open(&ctx);
        self.handle_input(&ctx);
        self.poll_jobs(&ctx);
        self.poll_evidence(&ctx);
        self.poll_story(&ctx);
        self.poll_team(&ctx);
        self.refresh();
        self.menu_bar_ui(ui);
        self.toolbar_ui(ui);
        self.status_bar_ui(ui);
        self.timeline_panel_ui(ui);
        if self.problems.show && !self.problems.list.is_empty() {
            let panel = if self.problems.expanded {
                egui::Panel::bottom("diagnostics")
                    .resizable(true)
                    .default_size(140.0)
                    .size_range(60.0..=(ui.available_height() * 0.35).max(70.0))
            } else {
                egui::Panel::bottom("diagnostics line").resizable(false)
            };
            panel.show(ui, |ui| self.problems_ui(ui));
        }
        // The map is the hero: the inspector shows only with a selection, and in a narrow
        // window it takes the sidebar's place rather than squeezing the map between both.
        let inspector = self.settings.inspector && self.selection != Selection::Nothing;
        let narrow = ui.available_width() < NARROW;
        if self.settings.sidebar && !(narrow && inspector) {
            egui::Panel::left("filters")
                .resizable(true)
                .default_size(230.0)
                .min_size(190.0)
                // Gives way in a small window: the map keeps most of the width.
                .max_size((ui.available_width() * 0.3).max(200.0))
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            self.layers_panel_ui(ui);
                            ui.separator();
                            self.filters_ui(ui);
                        });
                });
        }
        if inspector {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(if narrow { 280.0 } else { 340.0 })
                .min_size(240.0)
                .show(ui, |ui| self.inspector_panel_ui(ui));
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.centre_ui(ui));
        self.evidence_requests(&ctx);
        self.evidence_windows_ui(&ctx);
        // The in-window file picker stands alone: a modal dialog under it (Export…)
        // would take its clicks; it comes back, as it was, when the picker closes.
        if self.picker.is_none() {
            self.overlays_ui(&ctx);
        }
        self.save_png();
        // A dialog asked for by a panel or a dialog of the window's own.
        self.check_dialogs(None);
        for action in std::mem::take(&mut self.discarding) {
            self.apply_now(&ctx, action.clone());
            self.check_dialogs(Some(dialogs::picker::Replay::Action(action)));
        }
        for action in std::mem::take(&mut self.pending) {
            self.apply(&ctx, action.clone());
            self.check_dialogs(Some(dialogs::picker::Replay::Action(action)));
        }
        self.picker_ui(&ctx);
        self.refresh();
        if let Some(e) = self.doc.journal_error() {
            self.notice = Some(format!("{}: {e}", self.lang.t(T::AutosaveFailed)));
        }
        let (view, legend_open) = (self.map.view(), self.map.legend_open);
        self.remember(|s| {
            s.view = Some(view);
            s.legend_open = legend_open;
        });
        self.update_title(&ctx);
    }
}

impl eframe::App for PistasApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, state::settings::KEY, &self.settings);
    }
}

/// Opens the window; blocks until it is closed.
pub fn run(file: Option<PathBuf>, tiles: Option<PathBuf>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Pistas")
            .with_inner_size([1200.0, 800.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "Pistas",
        options,
        Box::new(move |cc| {
            let mut app = PistasApp::new(
                cc,
                AppOptions {
                    file,
                    ..AppOptions::default()
                },
            );
            if let Some(path) = tiles {
                app.request(Action::Basemap(map::BasemapChoice::PmTiles(path)));
            }
            Ok(Box::new(app))
        }),
    )
}
