//! The window: a map of the strips with an inspector, menus, files and undo. UI code pushes
//! [`Action`]s and edit commands; `apply` carries them out in one place.

mod actions;
pub mod export_view;
mod files;
mod filters;
pub mod i18n;
mod inspector;
pub mod layers;
mod lifeline;
pub mod map;
mod merge_view;
mod panels;
mod settings;
mod stats_view;
mod table;
pub mod theme;
mod timeline;
mod unread_view;
mod workspace;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

pub use actions::Action;
pub use files::{FileDialogs, NativeDialogs, Recovery, ScriptedDialogs};
use files::{Job, JobKind, JobResult, Recovered};
use i18n::{Lang, T};
use inspector::Inspector;
use map::strips::StripCache;
use map::{BasemapChoice, MapView, Tool};
pub use settings::Settings;

use crate::analysis::{FactBook, Filter, Nearest, Stats, path_length_and_area};
use crate::edit::{Editor, parse_coordinates};
use crate::io::{Diagnostic, Format, Parsed, Severity, WriteOptions, read_bytes, write_geojson};
use crate::model::Document;
use crate::model::Status;

/// The bundled illustrative sample, shown when there is nothing else to open.
pub const SAMPLE_GEOJSON: &[u8] = include_bytes!("../../data/vraem-sample.geojson");
pub const SAMPLE_NAME: &str = "vraem-sample.geojson";

/// Seconds without edits before unsaved work is written to the recovery file.
const AUTOSAVE_IDLE: Duration = Duration::from_secs(3);

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
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            file: None,
            dialogs: Box::new(NativeDialogs),
            recovery: Recovery::default_dir().map(Recovery::new),
            settings: None,
            lang: None,
        }
    }
}

/// Something waiting for the person's answer.
enum Modal {
    /// Unsaved changes: Save / Discard / Cancel, then do `then`.
    Unsaved(Action),
    ConfirmDelete(usize),
    Recover(Recovered),
    Message(String),
    About,
}

/// The state of the window.
pub struct PistasApp {
    editor: Editor,
    /// The file the document is saved to; `None` for a new document or the sample.
    path: Option<PathBuf>,
    /// Shown in the title when there is no path.
    untitled: String,
    lang: Lang,
    settings: Settings,
    dialogs: Box<dyn FileDialogs>,
    recovery: Option<Recovery>,
    map: MapView,
    cache: StripCache,
    selected: Option<usize>,
    hovered: Option<usize>,
    tool: Tool,
    /// The date statuses are shown at.
    date: NaiveDate,
    date_text: String,
    goto_text: String,
    goto_error: Option<String>,
    inspector: Inspector,
    diagnostics: Vec<Diagnostic>,
    diagnostics_file: String,
    show_diagnostics: bool,
    modal: Option<Modal>,
    job: Option<Job>,
    pending: Vec<Action>,
    /// The window may close (the person answered the unsaved-changes question).
    allow_close: bool,
    last_edit: Instant,
    autosaved_state: u64,
    title: String,
    /// Status-bar message after a save or export.
    notice: Option<String>,
    /// What to do once the running save succeeds (the unsaved-changes question).
    after_save: Option<Action>,
    /// Set by the autosave thread when writing the recovery file failed.
    autosave_error: std::sync::Arc<std::sync::Mutex<Option<String>>>,
    facts: FactBook,
    /// Each feature's status at `date` and whether a fuzzy date decides it.
    statuses: Vec<(Status, bool)>,
    /// Features that pass the filters.
    passes: Vec<bool>,
    filter: Filter,
    /// Changes whenever `filter` does (cheap cache keys).
    filter_generation: u64,
    filter_panel: filters::FilterPanel,
    derived: Option<(u64, u64, NaiveDate, timeline::Mode, i64)>,
    timeline: timeline::Timeline,
    tab: Tab,
    table: table::Table,
    stats: Option<((u64, u64, NaiveDate), Stats)>,
    strip_points: Option<StripPlaces>,
    /// Where the last chart was saved as PNG, or why it was not (set by the screenshot).
    png_result: PngSlot,
    layers: layers::Layers,
    /// Files being read to import as layers.
    imports: Vec<Job>,
    /// The selected feature of an imported layer (layer key, index); shown read-only.
    selected_layer: Option<(u64, usize)>,
    layer_inspector: Inspector,
    merge: Option<merge_view::MergeReview>,
    export: Option<export_view::ExportDialog>,
    /// The project file the workspace was opened from or saved to.
    project: Option<PathBuf>,
}

/// Where a screenshot callback leaves the PNG it saved (or why not), with the notice to show.
type PngSlot = std::sync::Arc<std::sync::Mutex<Option<(T, Result<PathBuf, String>)>>>;

/// The strips as places, for "nearest other strip", per document state.
struct StripPlaces {
    state: u64,
    nearest: Nearest,
    /// Place index of each feature (strips with a position).
    own: Vec<Option<usize>>,
    names: Vec<String>,
}

/// The places the table measures distances to.
fn table_context(strips: &StripPlaces) -> table::Context<'_> {
    let context = context_places();
    table::Context {
        strips: table::Places {
            nearest: &strips.nearest,
            names: &strips.names,
            own: Some(&strips.own),
        },
        aerodromes: table::Places {
            nearest: &context.aerodromes,
            names: &context.aerodrome_names,
            own: None,
        },
        towns: table::Places {
            nearest: &context.towns,
            names: &context.town_names,
            own: None,
        },
    }
}

/// What the centre of the window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Map,
    Table,
    Statistics,
}

/// The registered aerodromes and towns of the basemap, for nearest-place measures.
struct ContextPlaces {
    aerodromes: Nearest,
    aerodrome_names: Vec<String>,
    towns: Nearest,
    town_names: Vec<String>,
}

fn context_places() -> &'static ContextPlaces {
    static PLACES: std::sync::OnceLock<ContextPlaces> = std::sync::OnceLock::new();
    PLACES.get_or_init(|| {
        let b = map::basemap::basemap();
        ContextPlaces {
            aerodromes: Nearest::new(b.aerodromes.iter().map(|p| p.lon_lat).collect()),
            aerodrome_names: b.aerodromes.iter().map(|p| p.name.clone()).collect(),
            towns: Nearest::new(b.towns.iter().map(|p| p.lon_lat).collect()),
            town_names: b.towns.iter().map(|p| p.name.clone()).collect(),
        }
    })
}

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
    ) -> Self {
        // A light window matches the light map and keeps the status colours readable.
        ctx.set_theme(egui::ThemePreference::Light);
        let lang = lang.or(settings.lang).unwrap_or_else(Lang::system);
        let today = chrono::Local::now().date_naive();
        let parsed = read_bytes(SAMPLE_GEOJSON, SAMPLE_NAME);
        let document = parsed.document;
        let mut app = PistasApp {
            cache: StripCache::build(&document, 0, today),
            editor: Editor::new(document),
            path: None,
            untitled: format!("{SAMPLE_NAME} ({})", lang.t(T::Illustrative)),
            lang,
            dialogs,
            recovery,
            map: MapView::new(),
            selected: None,
            hovered: None,
            tool: Tool::Select,
            date: today,
            date_text: today.to_string(),
            goto_text: String::new(),
            goto_error: None,
            inspector: Inspector::default(),
            diagnostics: parsed.diagnostics,
            diagnostics_file: SAMPLE_NAME.to_owned(),
            show_diagnostics: false,
            modal: None,
            job: None,
            pending: Vec::new(),
            allow_close: false,
            last_edit: Instant::now(),
            autosaved_state: 0,
            title: String::new(),
            notice: None,
            after_save: None,
            autosave_error: Default::default(),
            facts: FactBook::default(),
            statuses: Vec::new(),
            passes: Vec::new(),
            filter: Filter::default(),
            filter_generation: 0,
            filter_panel: filters::FilterPanel::default(),
            derived: None,
            timeline: timeline::Timeline::default(),
            tab: Tab::Map,
            table: table::Table::default(),
            stats: None,
            strip_points: None,
            png_result: Default::default(),
            layers: layers::Layers::default(),
            imports: Vec::new(),
            selected_layer: None,
            layer_inspector: Inspector::read_only(),
            merge: None,
            export: None,
            project: None,
            settings,
        };
        app.facts = FactBook::build(app.editor.document());
        app.refresh_cache();
        app.map.show_labels = app.settings.labels;
        app.set_basemap(ctx, app.settings.basemap.clone());
        if let Some((lon, lat, zoom)) = app.settings.view {
            app.map.set_view(lon, lat, zoom);
        }
        let to_open = file.or_else(|| app.settings.last_file.clone().filter(|p| p.exists()));
        if let Some(found) = app.recovery.as_ref().and_then(Recovery::find) {
            app.modal = Some(Modal::Recover(found));
        } else if let Some(path) = to_open {
            app.open_now(&path);
        }
        app
    }

    // ----- queries used by tests and the status bar -----

    pub fn document(&self) -> &Document {
        self.editor.document()
    }

    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// True while a file is being opened, saved or exported in the background.
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || !self.imports.is_empty()
    }

    /// Where feature `index` is drawn on screen, once the map has been shown.
    pub fn screen_position(&self, index: usize) -> Option<egui::Pos2> {
        let t = self.map.transform?;
        let item = self.cache.items.get(index)?.as_ref()?;
        Some(t.to_screen(item.anchor))
    }

    /// The screen position of a longitude and latitude, once the map has been shown.
    pub fn screen_position_of(&self, lon: f64, lat: f64) -> Option<egui::Pos2> {
        Some(
            self.map
                .transform?
                .to_screen(map::transform::mercator(lon, lat)),
        )
    }

    /// The map's view as (lon, lat, zoom).
    pub fn view(&self) -> (f64, f64, f64) {
        self.map.view()
    }

    /// Shows statuses at `date`.
    pub fn set_date(&mut self, date: NaiveDate) {
        self.date = date;
        self.date_text = date.to_string();
        self.refresh_cache();
    }

    /// Moves the map to a longitude, latitude and zoom.
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.map.set_view(lon, lat, zoom);
    }

    /// The feature drawn under a screen point, as a click would find it.
    pub fn pick(&self, pos: egui::Pos2) -> Option<usize> {
        let t = self.map.transform?;
        self.cache.pick(&t, pos, theme::HIT_TOLERANCE_PX)
    }

    /// Renames a feature through the editor, as the inspector does (benchmarks).
    pub fn rename_for_bench(&mut self, index: usize, name: &str) {
        let r = self.editor.rename(index, name);
        self.edit_result(r);
    }

    /// The features that pass the filters, as a document of their own.
    pub fn filtered_document(&self) -> Document {
        let doc = self.editor.document();
        Document {
            features: doc
                .features
                .iter()
                .zip(&self.passes)
                .filter(|(_, p)| **p)
                .map(|(f, _)| f.clone())
                .collect(),
            foreign: doc.foreign.clone(),
        }
    }

    /// How many features the filters let through and how many are drawn now.
    pub fn shown_counts(&self) -> (usize, usize) {
        (
            self.passes.iter().filter(|p| **p).count(),
            self.cache.visible.iter().filter(|v| **v).count(),
        )
    }

    /// Each feature's status at the current date.
    pub fn status_of(&self, index: usize) -> Option<Status> {
        self.statuses.get(index).map(|s| s.0)
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The table's rows (feature indices) in display order.
    pub fn table_rows(&mut self) -> Vec<usize> {
        let key = (self.editor.state(), self.filter_generation, self.date);
        self.ensure_strip_places();
        let Some(strips) = self.strip_points.as_ref() else {
            return Vec::new();
        };
        self.table.rows(
            self.editor.document(),
            &self.facts,
            &self.statuses,
            &self.passes,
            key,
            &table_context(strips),
        )
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// Shows the map, the table or the statistics.
    pub fn show_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    /// Filters what is shown (as the filters panel does).
    /// The filters in force.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn set_filter(&mut self, filter: Filter) {
        self.filter = filter;
        self.filter_generation += 1;
        self.refresh_cache();
    }

    /// Asks for an action as a menu or shortcut would.
    pub fn request(&mut self, action: Action) {
        self.pending.push(action);
    }

    pub fn select(&mut self, index: Option<usize>) {
        self.selected = index.filter(|i| *i < self.document().features.len());
    }

    // ----- documents -----

    fn title_name(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            None => self.untitled.clone(),
        }
    }

    fn set_document(&mut self, document: Document, path: Option<PathBuf>, untitled: String) {
        self.editor.replace_document(document);
        self.path = path;
        self.untitled = untitled;
        self.selected = None;
        self.hovered = None;
        self.tool = Tool::Select;
        self.map.cancel_drag();
        self.map.fit_pending = true;
        self.autosaved_state = self.editor.state();
        self.inspector = Inspector::default();
        self.cache = StripCache::build(self.editor.document(), self.editor.state(), self.date);
        self.facts = FactBook::build(self.editor.document());
        self.derived = None;
        self.stats = None;
        self.strip_points = None;
        self.refresh_cache();
        // Start at the end of the data's history when today is far past it.
        self.timeline.update(
            self.editor.state(),
            self.filter_generation,
            &self.facts,
            &self.passes,
        );
        if let Some(p) = &self.path {
            files::remember(&mut self.settings.recent, p);
            self.settings.last_file = Some(p.clone());
        }
    }

    /// Opens a file on this thread (start-up, where the window is not yet shown).
    fn open_now(&mut self, path: &Path) {
        if path
            .extension()
            .is_some_and(|e| e == crate::io::PROJECT_EXTENSION)
        {
            self.open_project(path);
            return;
        }
        match crate::io::read_path(path) {
            Ok(parsed) => self.opened(path.to_path_buf(), parsed),
            Err(e) => self.modal = Some(Modal::Message(e.to_string())),
        }
    }

    /// A file was read: load it, ask about bad features, or show why it cannot be read.
    fn opened(&mut self, path: PathBuf, parsed: Parsed) {
        self.diagnostics_file = path.display().to_string();
        self.diagnostics = parsed.diagnostics.clone();
        self.show_diagnostics = !self.diagnostics.is_empty();
        if parsed.fatal {
            self.modal = Some(Modal::Message(
                self.lang
                    .fill(T::CannotOpen, &[&path.display().to_string()]),
            ));
            return;
        }
        // Every feature opens; what Pistas could not read is kept as written and listed in
        // the problems panel.
        self.set_document(parsed.document, Some(path), String::new());
    }

    /// Brings everything derived from the document, the date and the filters up to date:
    /// the map's projected features, the facts filters read, statuses and what is shown.
    fn refresh_cache(&mut self) {
        let doc = self.editor.document();
        let state = self.editor.state();
        if self.cache.state != state || self.cache.items.len() != doc.features.len() {
            match self.editor.touched() {
                // An edit in place: update only what changed (a full rebuild at 100k strips
                // takes a quarter of a second).
                Some((before, indices))
                    if before == self.cache.state
                        && self.cache.items.len() == doc.features.len()
                        && self.facts.facts.len() == doc.features.len() =>
                {
                    let indices = indices.to_vec();
                    self.cache.update(doc, &indices, state);
                    self.facts.update(doc, &indices);
                }
                _ => {
                    self.cache = StripCache::build(doc, state, self.date);
                    self.facts = FactBook::build(doc);
                }
            }
            self.derived = None;
        }
        let key = (
            state,
            self.filter_generation,
            self.date,
            self.timeline.mode,
            self.timeline.window_days,
        );
        if self.derived != Some(key) {
            self.facts.statuses_into(self.date, &mut self.statuses);
            self.facts
                .apply_into(&self.filter, &self.statuses, &mut self.passes);
            // What the map draws: the filtered features, and in window mode only those with
            // events in the window. Buffers are reused: this runs on every date change.
            let visible = &mut self.cache.visible;
            visible.clone_from(&self.passes);
            let window = self.timeline.mode == timeline::Mode::Window;
            if window {
                let from = self.date - chrono::Days::new(self.timeline.window_days.max(0) as u64);
                for (v, f) in visible.iter_mut().zip(&self.facts.facts) {
                    *v = *v && f.has_event_between(from, self.date);
                }
            }
            self.cache.set_view_state(self.date, &self.statuses, window);
            self.derived = Some(key);
        }
        if self.selected.is_some_and(|i| i >= doc.features.len()) {
            self.selected = None;
        }
    }

    fn ensure_strip_places(&mut self) {
        let state = self.editor.state();
        if self.strip_points.as_ref().is_some_and(|p| p.state == state) {
            return;
        }
        let doc = self.editor.document();
        let mut own = vec![None; self.facts.facts.len()];
        let mut points = Vec::new();
        let mut names = Vec::new();
        for (i, f) in self.facts.facts.iter().enumerate() {
            if let (true, Some(p)) = (f.strip, f.lon_lat) {
                own[i] = Some(points.len());
                points.push(p);
                names.push(doc.features[i].label().to_owned());
            }
        }
        self.strip_points = Some(StripPlaces {
            state,
            nearest: Nearest::new(points),
            own,
            names,
        });
    }

    /// Lines for the inspector: nearest other strip, aerodrome and town, in km.
    fn nearest_lines(&mut self) -> Vec<String> {
        let Some(i) = self.selected else {
            return Vec::new();
        };
        let Some((lon, lat)) = self.facts.facts.get(i).and_then(|f| f.lon_lat) else {
            return Vec::new();
        };
        self.ensure_strip_places();
        let mut lines = Vec::new();
        let km = |m: f64| format!("{:.1}", m / 1000.0);
        if let Some(places) = &self.strip_points
            && let Some((j, m)) =
                places
                    .nearest
                    .nearest(lon, lat, places.own.get(i).copied().flatten())
        {
            lines.push(self.lang.fill(T::NearestStrip, &[&places.names[j], &km(m)]));
        }
        let context = context_places();
        if let Some((j, m)) = context.aerodromes.nearest(lon, lat, None) {
            lines.push(
                self.lang
                    .fill(T::NearestAerodrome, &[&context.aerodrome_names[j], &km(m)]),
            );
        }
        if let Some((j, m)) = context.towns.nearest(lon, lat, None) {
            lines.push(
                self.lang
                    .fill(T::NearestTown, &[&context.town_names[j], &km(m)]),
            );
        }
        lines
    }

    fn set_basemap(&mut self, ctx: &egui::Context, choice: BasemapChoice) {
        self.map.tiles = match &choice {
            BasemapChoice::Offline => None,
            BasemapChoice::OpenStreetMap => {
                let cache = directories::ProjectDirs::from("org", "Pistas", "Pistas")
                    .map(|d| d.cache_dir().join("osm-tiles"));
                let options = walkers::HttpOptions {
                    cache,
                    user_agent: Some(walkers::HeaderValue::from_static(concat!(
                        "Pistas/",
                        env!("CARGO_PKG_VERSION"),
                        " (desktop research tool; tile usage per OSMF policy)"
                    ))),
                    ..Default::default()
                };
                Some(Box::new(walkers::HttpTiles::with_options(
                    walkers::sources::OpenStreetMap,
                    options,
                    ctx.clone(),
                )))
            }
            BasemapChoice::PmTiles(path) => {
                if !path.exists() {
                    self.modal = Some(Modal::Message(
                        self.lang
                            .fill(T::CannotOpen, &[&path.display().to_string()]),
                    ));
                    self.settings.basemap = BasemapChoice::Offline;
                    self.map.choice = BasemapChoice::Offline;
                    return;
                }
                Some(Box::new(walkers::PmTiles::with_style(
                    path,
                    walkers::Style::protomaps_basemap_light(),
                    ctx.clone(),
                )))
            }
        };
        self.map.choice = choice.clone();
        self.settings.basemap = choice;
    }

    fn status_date_for_writing(&self) -> NaiveDate {
        self.date
    }

    fn start_save(&mut self, path: PathBuf) {
        let kind = JobKind::Save {
            path,
            state: self.editor.state(),
        };
        self.job = Some(Job::write(
            kind,
            self.document().clone(),
            self.status_date_for_writing(),
        ));
    }

    /// Carries out an action (menus, shortcuts and buttons all end here).
    fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New | Action::Open | Action::OpenPath(_) | Action::Quit
                if self.editor.is_dirty() && !matches!(self.modal, Some(Modal::Unsaved(_))) =>
            {
                self.modal = Some(Modal::Unsaved(action));
            }
            action => self.apply_now(ctx, action),
        }
    }

    fn apply_now(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New => {
                self.project = None;
                let untitled = self.lang.t(T::Untitled).to_owned();
                self.set_document(Document::default(), None, untitled);
                self.diagnostics.clear();
                self.clear_recovery();
            }
            Action::Open => {
                if let Some(path) = self.dialogs.open_geojson() {
                    self.apply_now(ctx, Action::OpenPath(path));
                }
            }
            Action::OpenPath(path)
                if path
                    .extension()
                    .is_some_and(|e| e == crate::io::PROJECT_EXTENSION) =>
            {
                self.clear_recovery();
                self.open_project(&path);
            }
            Action::OpenPath(path) => {
                self.clear_recovery();
                self.project = None;
                if let Some(job) = self.job.take() {
                    job.cancel();
                }
                self.job = Some(Job::open(path));
            }
            Action::Save => match self.path.clone() {
                Some(path) => self.start_save(path),
                None => self.apply_now(ctx, Action::SaveAs),
            },
            Action::SaveAs => {
                let name = format!("{}.geojson", self.title_name().trim_end_matches(".geojson"));
                if let Some(path) = self.dialogs.save_as(&name, Format::GeoJson) {
                    self.start_save(path);
                }
            }
            Action::Export(format) | Action::ExportFiltered(format) => {
                let filtered = matches!(action, Action::ExportFiltered(_));
                let stem = self.title_name();
                let stem = stem.split('.').next().unwrap_or("pistas");
                let suffix = if filtered { "filtered" } else { "export" };
                let name = format!("{stem}-{suffix}.{}", files::extension(format));
                if let Some(path) = self.dialogs.save_as(&name, format) {
                    let doc = if filtered {
                        self.filtered_document()
                    } else {
                        self.document().clone()
                    };
                    self.job = Some(Job::write(JobKind::Export { path, format }, doc, self.date));
                }
            }
            Action::ImportLayer => {
                let paths = self.dialogs.open_layers();
                self.start_imports(paths);
            }
            Action::ExportDialog => self.open_export(),
            Action::ExportMapPng => self.export_map_png(ctx),
            Action::SaveProject => self.save_project(),
            Action::Quit => {
                self.allow_close = true;
                self.clear_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Action::Undo => {
                if self.editor.undo().is_some() {
                    self.after_edit();
                }
            }
            Action::Redo => {
                if self.editor.redo().is_some() {
                    self.after_edit();
                }
            }
            Action::AddPoint => self.tool = Tool::AddPoint,
            Action::AddRunway => self.tool = Tool::AddRunway(None),
            Action::Delete => {
                if let Some(i) = self.selected {
                    self.modal = Some(Modal::ConfirmDelete(i));
                }
            }
            Action::Escape => {
                if self.modal.is_some() {
                    self.modal = None;
                } else if self.export.is_some() {
                    self.export = None;
                } else if self.merge.is_some() {
                    self.merge = None;
                } else if self.tool != Tool::Select {
                    self.tool = Tool::Select;
                } else {
                    self.selected = None;
                    self.selected_layer = None;
                    self.map.cancel_drag();
                }
            }
            Action::FitToData => self.map.fit_pending = true,
            Action::ToggleLabels => {
                self.map.show_labels = !self.map.show_labels;
                self.settings.labels = self.map.show_labels;
            }
            Action::Basemap(choice) => self.set_basemap(ctx, choice),
            Action::OpenPmtiles => {
                if let Some(path) = self.dialogs.open_pmtiles() {
                    self.set_basemap(ctx, BasemapChoice::PmTiles(path));
                }
            }
            Action::Language(lang) => {
                self.lang = lang;
                self.settings.lang = Some(lang);
            }
            Action::About => self.modal = Some(Modal::About),
        }
    }

    /// After any change to the document: caches, selection and autosave timing.
    fn after_edit(&mut self) {
        self.last_edit = Instant::now();
        self.map.cancel_drag();
        self.refresh_cache();
        self.inspector.invalidate();
    }

    fn edit_result(&mut self, result: Result<(), crate::edit::EditError>) {
        match result {
            Ok(()) => self.after_edit(),
            Err(e) => self.modal = Some(Modal::Message(e.to_string())),
        }
    }

    fn clear_recovery(&mut self) {
        if let Some(r) = &self.recovery {
            r.clear();
        }
    }

    fn autosave(&mut self) {
        if let Some(e) = self.autosave_error.lock().ok().and_then(|mut e| e.take()) {
            self.notice = Some(format!("{}: {e}", self.lang.t(T::AutosaveFailed)));
        }
        let Some(recovery) = &self.recovery else {
            return;
        };
        if !self.editor.is_dirty()
            || self.editor.state() == self.autosaved_state
            || self.last_edit.elapsed() < AUTOSAVE_IDLE
        {
            return;
        }
        self.autosaved_state = self.editor.state();
        // Writing 100k strips takes about a second: do it off the UI thread on a copy.
        let (recovery, doc, date, path) = (
            recovery.clone(),
            self.document().clone(),
            self.date,
            self.path.clone(),
        );
        let failed = self.autosave_error.clone();
        std::thread::spawn(move || {
            let text = write_geojson(&doc, &WriteOptions { status_date: date });
            let result = recovery.write(&text, path.as_deref());
            if let (Err(e), Ok(mut slot)) = (result, failed.lock()) {
                *slot = Some(e);
            }
        });
    }

    fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.job else { return };
        let Some(result) = job.poll() else {
            ctx.request_repaint_after(Duration::from_millis(50));
            return;
        };
        let kind = job.kind.clone();
        self.job = None;
        match (kind, result) {
            (JobKind::Open(path), JobResult::Opened(Ok(parsed))) => self.opened(path, parsed),
            (JobKind::Open(_), JobResult::Opened(Err(e))) => self.modal = Some(Modal::Message(e)),
            (JobKind::Save { path, state }, JobResult::Written(Ok(()))) => {
                if self.editor.state() == state {
                    self.editor.mark_saved();
                    self.clear_recovery();
                }
                self.path = Some(path.clone());
                files::remember(&mut self.settings.recent, &path);
                // In a project, the next start reopens the project rather than this layer.
                self.settings.last_file = Some(self.project.clone().unwrap_or(path.clone()));
                self.notice = Some(self.lang.fill(T::Saved, &[&path.display().to_string()]));
                // A save that answered "Save" in the unsaved-changes question goes on.
                if let Some(then) = self.after_save.take() {
                    self.pending.push(then);
                }
            }
            (JobKind::Export { path, .. }, JobResult::Written(Ok(()))) => {
                self.notice = Some(self.lang.fill(T::Exported, &[&path.display().to_string()]));
            }
            (_, JobResult::Written(Err(e))) | (_, JobResult::Opened(Err(e))) => {
                self.after_save = None;
                self.modal = Some(Modal::Message(e));
            }
            _ => {}
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.editor.is_dirty() { "● " } else { "" };
        let title = format!("{marker}{} — Pistas", self.title_name());
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// The window's title as last set.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Go to: coordinates, then a strip's name or id, then a town or aerodrome.
    fn go_to(&mut self) {
        let text = self.goto_text.trim().to_owned();
        if text.is_empty() {
            return;
        }
        self.goto_error = None;
        if let Ok((lon, lat)) = parse_coordinates(&text) {
            self.map.go_to(lon, lat, 12.0);
            return;
        }
        let q = map::basemap::fold(&text);
        let doc = self.editor.document();
        let found = doc
            .features
            .iter()
            .position(|f| map::basemap::fold(f.label()) == q || f.id.as_str() == text)
            .or_else(|| {
                doc.features
                    .iter()
                    .position(|f| map::basemap::fold(f.label()).contains(&q))
            });
        if let Some(i) = found {
            self.selected = Some(i);
            if let Some(Some(item)) = self.cache.items.get(i) {
                let (lon, lat) = map::transform::lon_lat_of(item.anchor);
                self.map.go_to(lon, lat, 12.0);
            }
            return;
        }
        if let Some(place) = map::basemap::basemap().find_place(&text) {
            let (lon, lat) = place.lon_lat;
            self.map.go_to(lon, lat, 11.0);
            return;
        }
        self.goto_error = Some(self.lang.fill(T::NotFound, &[&text]));
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.memory(|m| m.focused().is_some()) && ctx.egui_wants_keyboard_input();
        for action in Action::with_shortcuts() {
            if !action.global() && typing {
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
        let (projects, files): (Vec<PathBuf>, Vec<PathBuf>) = dropped.into_iter().partition(|p| {
            p.extension()
                .is_some_and(|e| e == crate::io::PROJECT_EXTENSION)
        });
        if let Some(project) = projects.into_iter().next() {
            self.pending.push(Action::OpenPath(project));
        } else if !files.is_empty() {
            self.start_imports(files);
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.editor.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.modal = Some(Modal::Unsaved(Action::Quit));
            } else {
                self.clear_recovery();
            }
        }
    }

    /// One frame of the whole window.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.handle_shortcuts(&ctx);
        self.poll_job(&ctx);
        self.poll_imports(&ctx);
        self.menu_bar_ui(ui);
        self.toolbar_ui(ui);
        self.status_bar_ui(ui);
        self.timeline_panel_ui(ui);
        if self.show_diagnostics && !self.diagnostics.is_empty() {
            egui::Panel::bottom("diagnostics")
                .resizable(true)
                .default_size(140.0)
                .show(ui, |ui| self.diagnostics_ui(ui));
        }
        egui::Panel::left("filters")
            .resizable(true)
            .default_size(230.0)
            .min_size(200.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        self.layers_panel_ui(ui);
                        ui.separator();
                        self.filters_ui(ui);
                    });
            });
        let nearest = self.nearest_lines();
        egui::Panel::right("inspector")
            .resizable(true)
            .default_size(380.0)
            .min_size(300.0)
            .show(ui, |ui| {
                if self.selected.is_some() {
                    self.selected_layer = None;
                }
                if self.selected.is_none() && self.layer_inspector_ui(ui) {
                    return;
                }
                let commands = self.inspector.ui(
                    ui,
                    self.lang,
                    self.editor.document(),
                    self.selected,
                    self.editor.state(),
                    self.date,
                    &nearest,
                );
                for command in commands {
                    let result = command.apply(&mut self.editor);
                    if let Some(go) = result.go_to {
                        self.map.go_to(go.0, go.1, self.map.view().2);
                    }
                    self.edit_result(result.result);
                }
            });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                egui::Frame::new()
                    .fill(ui.visuals().panel_fill)
                    .inner_margin(egui::Margin::symmetric(6, 3))
                    .show(ui, |ui| {
                        ui.set_min_width(ui.available_width());
                        ui.horizontal(|ui| {
                            ui.selectable_value(&mut self.tab, Tab::Map, self.lang.t(T::TabMap));
                            ui.selectable_value(
                                &mut self.tab,
                                Tab::Table,
                                self.lang.t(T::TabTable),
                            );
                            ui.selectable_value(
                                &mut self.tab,
                                Tab::Statistics,
                                self.lang.t(T::TabStats),
                            );
                            let active = filters::summary(self.lang, &self.filter);
                            if !active.is_empty() {
                                ui.separator();
                                ui.colored_label(
                                    theme::WARNING_TEXT,
                                    format!("{}: {}", self.lang.t(T::Filters), active.join(" · ")),
                                );
                                if ui.small_button(self.lang.t(T::ClearFilters)).clicked() {
                                    self.filter = Filter::default();
                                    self.filter_generation += 1;
                                }
                            }
                        });
                    });
                match self.tab {
                    Tab::Map => self.map_ui(ui),
                    Tab::Table => {
                        egui::Frame::central_panel(ui.style()).show(ui, |ui| self.table_ui(ui));
                    }
                    Tab::Statistics => {
                        egui::Frame::central_panel(ui.style()).show(ui, |ui| self.stats_ui(ui));
                    }
                }
            });
        self.merge_window(&ctx);
        self.export_window(&ctx);
        self.modal_ui(&ctx);
        self.save_png(&ctx);
        for action in std::mem::take(&mut self.pending) {
            self.apply(&ctx, action);
        }
        self.refresh_cache();
        self.autosave();
        if self.editor.is_dirty()
            && self.recovery.is_some()
            && self.editor.state() != self.autosaved_state
        {
            ctx.request_repaint_after(AUTOSAVE_IDLE);
        }
        self.settings.view = Some(self.map.view());
        self.update_title(&ctx);
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui) {
        let before = self.filter.clone();
        let total = self.editor.document().features.len();
        let shown = self.cache.visible.iter().filter(|v| **v).count();
        match self
            .filter_panel
            .ui(ui, self.lang, &mut self.filter, shown, total)
        {
            filters::AreaRequest::None => {}
            filters::AreaRequest::CurrentView => {
                if let Some(t) = self.map.transform {
                    let (a, b) = t.visible(0.0);
                    let (w, n) = map::transform::lon_lat_of(a);
                    let (e, s) = map::transform::lon_lat_of(b);
                    self.filter.area = Some([w, s, e, n]);
                }
            }
            filters::AreaRequest::Draw => {
                self.tab = Tab::Map;
                self.tool = Tool::Area(None);
            }
            filters::AreaRequest::DrawPolygon => {
                self.tab = Tab::Map;
                self.tool = Tool::Polygon(Vec::new());
            }
        }
        if self.filter != before {
            self.filter_generation += 1;
        }
    }

    fn map_ui(&mut self, ui: &mut egui::Ui) {
        let (working_opacity, context, legend_layers) = (
            self.working_opacity(),
            self.context_alpha(),
            self.legend_layers(),
        );
        let frame = map::MapFrame {
            cache: &self.cache,
            selected: self.selected,
            hovered: self.hovered,
            tool: &self.tool,
            lang: self.lang,
            selected_feature: self
                .selected
                .and_then(|i| self.editor.document().features.get(i)),
            document: self.editor.document(),
            layers: Self::draw_slots(&self.layers, self.selected_layer),
            working_opacity,
            context,
            legend_layers,
            area_outline: self.filter.polygon.clone().or_else(|| {
                self.filter
                    .area
                    .map(|[w, s, e, n]| vec![(w, s), (e, s), (e, n), (w, n)])
            }),
        };
        let out = map::map_ui(ui, &mut self.map, frame);
        self.hovered = out.hovered;
        if let Some((index, shape)) = out.moved {
            let r = self.editor.set_shape(index, shape);
            self.edit_result(r);
        }
        if let Some((pos, picked)) = out.clicked {
            match self.tool.clone() {
                Tool::Select => match self.pick_at(pos, picked) {
                    Some(workspace::Picked::Working(i)) => {
                        self.selected = Some(i);
                        self.selected_layer = None;
                        self.table.scroll_to = Some(i);
                    }
                    Some(workspace::Picked::Layer(key, i)) => {
                        self.selected = None;
                        self.selected_layer = Some((key, i));
                    }
                    None => {
                        self.selected = None;
                        self.selected_layer = None;
                    }
                },
                Tool::AddPoint => {
                    let shape = geo::Point::new(pos.x(), pos.y()).into();
                    self.add_strip(T::NewStrip, shape);
                }
                Tool::AddRunway(None) => self.tool = Tool::AddRunway(Some(pos)),
                Tool::Measure(mut points) => {
                    points.push(pos);
                    self.tool = Tool::Measure(points);
                }
                Tool::Area(None) => self.tool = Tool::Area(Some(pos)),
                Tool::Polygon(mut points) => {
                    // A click on the first corner closes the polygon.
                    let closes = points.len() >= 3
                        && self.map.transform.is_some_and(|t| {
                            let first =
                                t.to_screen(map::transform::mercator(points[0].x(), points[0].y()));
                            let here = t.to_screen(map::transform::mercator(pos.x(), pos.y()));
                            first.distance(here) <= 10.0
                        });
                    if closes {
                        self.finish_polygon(points);
                    } else {
                        points.push(pos);
                        self.tool = Tool::Polygon(points);
                    }
                }
                Tool::Area(Some(first)) => {
                    let (w, e) = (first.x().min(pos.x()), first.x().max(pos.x()));
                    let (s, n) = (first.y().min(pos.y()), first.y().max(pos.y()));
                    self.filter.area = Some([w, s, e, n]);
                    self.filter_generation += 1;
                    self.tool = Tool::Select;
                }
                Tool::AddRunway(Some(first)) => {
                    let ends = vec![(first.x(), first.y()), (pos.x(), pos.y())];
                    self.add_strip(T::NewRunway, geo::LineString::from(ends).into());
                }
            }
        }
    }

    /// The polygon drawn on the map becomes the area filter.
    fn finish_polygon(&mut self, points: Vec<walkers::Position>) {
        if points.len() >= 3 {
            self.filter.polygon = Some(points.iter().map(|p| (p.x(), p.y())).collect());
            self.filter_generation += 1;
        }
        self.tool = Tool::Select;
    }

    /// Adds a strip drawn on the map, selects it and goes back to selecting.
    fn add_strip(&mut self, name: T, shape: geo::Geometry<f64>) {
        let name = self.lang.t(name).to_owned();
        match self.editor.add_strip(&name, shape) {
            Ok(i) => {
                self.selected = Some(i);
                self.after_edit();
            }
            Err(e) => self.modal = Some(Modal::Message(e.to_string())),
        }
        self.tool = Tool::Select;
    }

    fn menu_item(&mut self, ui: &mut egui::Ui, action: Action, enabled: bool) {
        let mut button = egui::Button::new(action.text(self.lang));
        if let Some(shortcut) = action.shortcuts().first() {
            button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
        }
        if ui.add_enabled(enabled, button).clicked() {
            self.pending.push(action);
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                let lang = self.lang;
                ui.menu_button(lang.t(T::File), |ui| {
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
                    self.menu_item(ui, Action::ExportDialog, true);
                    self.menu_item(ui, Action::ExportMapPng, true);
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
                });
                ui.menu_button(lang.t(T::Edit), |ui| {
                    let undo = self.editor.can_undo();
                    let redo = self.editor.can_redo();
                    self.menu_item(ui, Action::Undo, undo);
                    self.menu_item(ui, Action::Redo, redo);
                    ui.separator();
                    self.menu_item(ui, Action::AddPoint, true);
                    self.menu_item(ui, Action::AddRunway, true);
                    let has = self.selected.is_some();
                    self.menu_item(ui, Action::Delete, has);
                });
                ui.menu_button(lang.t(T::View), |ui| {
                    self.menu_item(ui, Action::FitToData, true);
                    let mut labels = self.map.show_labels;
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
                });
                ui.menu_button(lang.t(T::Help), |ui| {
                    self.menu_item(ui, Action::About, true)
                });
            });
        });
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.horizontal(|ui| {
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
                    .add_enabled(self.editor.can_undo(), egui::Button::new(lang.t(T::Undo)))
                    .clicked()
                {
                    self.pending.push(Action::Undo);
                }
                if ui
                    .add_enabled(self.editor.can_redo(), egui::Button::new(lang.t(T::Redo)))
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
                    self.tool = if measuring {
                        Tool::Select
                    } else {
                        Tool::Measure(Vec::new())
                    };
                    self.tab = Tab::Map;
                }
                ui.separator();
                let label = ui.label(lang.t(T::GoTo));
                let goto = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.goto_text)
                            .desired_width(220.0)
                            .hint_text(lang.t(T::GoToHint)),
                    )
                    .labelled_by(label.id);
                if goto.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    self.go_to();
                }
                if ui.button(lang.t(T::Go)).clicked() {
                    self.go_to();
                }
                if let Some(e) = &self.goto_error {
                    ui.colored_label(theme::ERROR_TEXT, e);
                }
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
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
                let doc = self.editor.document();
                ui.label(lang.fill(
                    T::Counts,
                    &[
                        &doc.strips().count().to_string(),
                        &doc.features.len().to_string(),
                    ],
                ));
                ui.separator();
                if self.editor.is_dirty() {
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
                if let Tool::Measure(points) = &self.tool {
                    let lon_lat: Vec<(f64, f64)> = points.iter().map(|p| (p.x(), p.y())).collect();
                    let (length, area) = path_length_and_area(&lon_lat);
                    ui.separator();
                    let mut text =
                        lang.fill(T::MeasureLength, &[&format!("{:.2}", length / 1000.0)]);
                    if let Some(a) = area {
                        text.push_str(&lang.fill(T::MeasureArea, &[&format!("{:.3}", a / 1e6)]));
                    }
                    if points.is_empty() {
                        text = lang.t(T::MeasureHelp).to_owned();
                    }
                    ui.strong(text);
                }
                if let Some(hint) = tool_hint {
                    ui.separator();
                    ui.strong(lang.t(hint));
                }
                if !self.diagnostics.is_empty() {
                    ui.separator();
                    let errors = self
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .count();
                    let text = lang.fill(
                        T::Problems,
                        &[&self.diagnostics.len().to_string(), &errors.to_string()],
                    );
                    if ui.selectable_label(self.show_diagnostics, text).clicked() {
                        self.show_diagnostics = !self.show_diagnostics;
                    }
                }
                if let Some(job) = &self.job {
                    ui.separator();
                    let what = match &job.kind {
                        JobKind::Open(p) | JobKind::Import(p) => {
                            lang.fill(T::Opening, &[&p.display().to_string()])
                        }
                        JobKind::Save { path, .. } => {
                            lang.fill(T::Saving, &[&path.display().to_string()])
                        }
                        JobKind::Export { path, .. } => {
                            lang.fill(T::Exporting, &[&path.display().to_string()])
                        }
                    };
                    ui.label(what);
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
                    if ui.button(lang.t(T::Cancel)).clicked() {
                        job.cancel();
                        self.job = None;
                        self.after_save = None;
                    }
                } else if let Some(notice) = &self.notice {
                    ui.separator();
                    ui.label(notice);
                }
            });
        });
    }

    fn diagnostics_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.strong(lang.fill(T::ProblemsIn, &[&self.diagnostics_file]));
            if ui.small_button(lang.t(T::Hide)).clicked() {
                self.show_diagnostics = false;
            }
        });
        self.id_column_ui(ui);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for d in &self.diagnostics {
                    let colour = if d.is_error() {
                        theme::ERROR_TEXT
                    } else {
                        theme::WARNING_TEXT
                    };
                    // Every feature of a file opens, in file order: the diagnostic's index is
                    // the feature's, when the ids agree (the list may be another layer's).
                    let features = &self.editor.document().features;
                    let target = d.feature_index.filter(|&i| {
                        features.get(i).is_some_and(|f| {
                            d.feature_id.as_deref().is_none_or(|id| id == f.id.as_str())
                        })
                    });
                    let text = egui::RichText::new(d.to_string()).color(colour).monospace();
                    if target.is_some() {
                        if ui
                            .link(text)
                            .on_hover_text(lang.t(T::ClickToSelect))
                            .clicked()
                        {
                            self.selected = target;
                            if let Some(Some(item)) = target.and_then(|i| self.cache.items.get(i)) {
                                let (lon, lat) = map::transform::lon_lat_of(item.anchor);
                                self.map.go_to(lon, lat, 11.0);
                            }
                        }
                    } else {
                        ui.label(text);
                    }
                }
            });
    }

    /// When features have no id of their own: offers to take one of their columns (a
    /// survey's `Airstrip ID`, say) as their id, as one undoable edit.
    fn id_column_ui(&mut self, ui: &mut egui::Ui) {
        let doc = self.editor.document();
        let Some(first) = doc.features.iter().find(|f| f.id_assigned()) else {
            return;
        };
        let columns: Vec<String> = first
            .properties()
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|k| k != "name" && k != "notes")
            .collect();
        if columns.is_empty() {
            return;
        }
        let lang = self.lang;
        let assigned = doc.features.iter().filter(|f| f.id_assigned()).count();
        let mut chosen = ui
            .ctx()
            .data(|d| d.get_temp::<String>(egui::Id::unique("pistas-id-column")))
            .filter(|c| columns.contains(c))
            .unwrap_or_else(|| {
                columns
                    .iter()
                    .find(|c| c.to_lowercase().contains("id"))
                    .unwrap_or(&columns[0])
                    .clone()
            });
        let mut take = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(lang.fill(T::NoIdsOwn, &[&assigned.to_string()]));
            egui::ComboBox::from_id_salt("id-column")
                .selected_text(chosen.as_str())
                .show_ui(ui, |ui| {
                    for c in &columns {
                        ui.selectable_value(&mut chosen, c.clone(), c);
                    }
                });
            take = ui.button(lang.t(T::UseAsId)).clicked();
        });
        ui.ctx()
            .data_mut(|d| d.insert_temp(egui::Id::unique("pistas-id-column"), chosen.clone()));
        if take {
            let result = inspector::Edit::TakeIds(chosen).apply(&mut self.editor);
            self.edit_result(result.result);
        }
    }

    fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        let lang = self.lang;
        let mut keep = true;
        let mut then: Vec<Action> = Vec::new();
        egui::Modal::new(egui::Id::unique("pistas-modal")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            match &modal {
                Modal::Unsaved(action) => {
                    ui.heading(lang.t(T::UnsavedTitle));
                    ui.label(lang.fill(T::UnsavedBody, &[&self.title_name()]));
                    ui.horizontal(|ui| {
                        if ui.button(lang.t(T::Save)).clicked() {
                            keep = false;
                            match self.path.clone() {
                                Some(path) => {
                                    self.start_save(path);
                                    self.after_save = Some(action.clone());
                                }
                                None => {
                                    let name = format!("{}.geojson", self.title_name());
                                    if let Some(path) = self.dialogs.save_as(&name, Format::GeoJson)
                                    {
                                        self.start_save(path);
                                        self.after_save = Some(action.clone());
                                    }
                                }
                            }
                        }
                        if ui.button(lang.t(T::Discard)).clicked() {
                            keep = false;
                            self.editor.mark_saved();
                            self.clear_recovery();
                            then.push(action.clone());
                        }
                        if ui.button(lang.t(T::Cancel)).clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::ConfirmDelete(index) => {
                    let (name, events) = self
                        .editor
                        .document()
                        .features
                        .get(*index)
                        .map(|f| (f.label().to_owned(), f.events().len()))
                        .unwrap_or_default();
                    ui.heading(lang.t(T::DeleteTitle));
                    ui.label(lang.fill(T::DeleteBody, &[&name, &events.to_string()]));
                    ui.horizontal(|ui| {
                        if ui.button(lang.t(T::Delete)).clicked() {
                            keep = false;
                            let r = self.editor.delete(*index);
                            self.selected = None;
                            self.edit_result(r);
                        }
                        if ui.button(lang.t(T::Cancel)).clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::Recover(found) => {
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
                            match crate::io::read_path(&found.geojson) {
                                Ok(parsed) => {
                                    let untitled = lang.t(T::Recovered).to_owned();
                                    self.set_document(
                                        parsed.document,
                                        found.original.clone(),
                                        untitled,
                                    );
                                    self.editor.mark_unsaved();
                                }
                                Err(e) => self.modal = Some(Modal::Message(e.to_string())),
                            }
                        }
                        if ui.button(lang.t(T::Discard)).clicked() {
                            keep = false;
                            self.clear_recovery();
                        }
                    });
                }
                Modal::Message(text) => {
                    ui.label(text);
                    if ui.button(lang.t(T::Ok)).clicked() {
                        keep = false;
                    }
                }
                Modal::About => {
                    ui.heading("Pistas");
                    ui.label(lang.t(T::AboutBody));
                    ui.label(basemap_credits());
                    if ui.button(lang.t(T::Ok)).clicked() {
                        keep = false;
                    }
                }
            }
        });
        match modal {
            modal if keep && self.modal.is_none() => self.modal = Some(modal),
            _ => {}
        }
        self.pending.extend(then);
    }
}

fn basemap_credits() -> String {
    format!(
        "{}\n{}",
        map::basemap::ATTRIBUTION,
        "Natural Earth (public domain); GSHHG/WDBII rivers, LGPL-3.0-or-later; GeoNames towns, CC BY 4.0; OurAirports aerodromes, public domain."
    )
}

impl eframe::App for PistasApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::KEY, &self.settings);
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
                app.request(Action::Basemap(BasemapChoice::PmTiles(path)));
            }
            Ok(Box::new(app))
        }),
    )
}
