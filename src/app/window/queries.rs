//! What tests, benchmarks and the status bar ask of the window, and the few ways they drive
//! it as a person would.

use std::path::Path;

use chrono::NaiveDate;

use crate::analysis::{Filter, Stats};
use crate::app::actions::Action;
use crate::app::state::selection::Selection;
use crate::app::state::settings::Settings;
use crate::app::{PistasApp, Tab, map, theme};
use crate::edit::Editor;
use crate::io::Diagnostic;
use crate::model::{Document, Status};

impl PistasApp {
    pub fn document(&self) -> &Document {
        self.doc.document()
    }

    pub fn editor(&self) -> &Editor {
        self.doc.editor()
    }

    /// The selected feature of the working layer.
    pub fn selected(&self) -> Option<usize> {
        self.selection.strip()
    }

    pub fn selection(&self) -> Selection {
        self.selection
    }

    /// The selected feature of an imported layer: (layer key, feature index).
    pub fn selected_layer(&self) -> Option<(u64, usize)> {
        self.selection.layer()
    }

    pub fn path(&self) -> Option<&Path> {
        self.doc.path.as_deref()
    }

    pub fn project(&self) -> Option<&Path> {
        self.doc.project.as_deref()
    }

    pub fn lang(&self) -> crate::app::i18n::Lang {
        self.lang
    }

    /// The problems listed in the problems panel.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.problems.list
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// True while a file is being opened, saved, exported or imported in the background,
    /// or evidence is being attached, archived or checked.
    pub fn is_busy(&self) -> bool {
        self.jobs.busy()
            || self.evidence.jobs.busy()
            || self.evidence.jobs.checking()
            || self.story.busy()
    }

    /// How many evidence pictures are still being decoded.
    pub fn pictures_pending(&self) -> usize {
        self.evidence.pictures.pending()
    }

    /// The hashes of the evidence images the map drew in the last frame.
    pub fn map_imagery(&self) -> &[String] {
        &self.evidence.drawn
    }

    /// What the background check found wrong, by hash.
    pub fn evidence_problems(
        &self,
    ) -> &std::collections::HashMap<String, crate::io::evidence::Problem> {
        &self.evidence.checked
    }

    /// True while the evidence viewer shows an item, and the comparison two events.
    pub fn evidence_windows(&self) -> (bool, bool) {
        (
            self.evidence.viewer.is_some(),
            self.evidence.compare.is_some(),
        )
    }

    /// True while imported files are still being read.
    pub fn importing(&self) -> bool {
        !self.jobs.imports().is_empty()
    }

    /// True while a question, message or dialog is open.
    pub fn has_overlay(&self) -> bool {
        !self.overlays.is_empty()
    }

    /// Waits until every edit made so far is in the recovery journal, synced.
    pub fn flush_journal(&self) {
        self.doc.flush_journal();
    }

    /// True while the window asks whether to restore work from the recovery file.
    pub fn asks_to_recover(&self) -> bool {
        self.overlays.recovering()
    }

    /// The open merge review's layer, when one is open.
    pub fn merge_review(&self) -> Option<u64> {
        self.overlays.merge().map(|m| m.key)
    }

    /// Where feature `index` is drawn on screen, once the map has been shown.
    pub fn screen_position(&self, index: usize) -> Option<egui::Pos2> {
        let t = self.map.transform?;
        let item = self.derived.cache.item(index)?;
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

    /// Where the map is on screen, once shown.
    pub fn map_rect(&self) -> Option<egui::Rect> {
        self.map.transform.map(|t| t.rect)
    }

    /// The map's view as (lon, lat, zoom).
    pub fn view(&self) -> (f64, f64, f64) {
        self.map.view()
    }

    /// Moves the map to a longitude, latitude and zoom.
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.map.set_view(lon, lat, zoom);
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Shows statuses at `date`.
    pub fn set_date(&mut self, date: NaiveDate) {
        self.date = date;
        self.date_text = date.to_string();
        self.refresh();
    }

    /// The feature drawn under a screen point, as a click would find it.
    pub fn pick(&self, pos: egui::Pos2) -> Option<usize> {
        let t = self.map.transform?;
        self.derived.cache.pick(&t, pos, theme::HIT_TOLERANCE_PX)
    }

    /// Shows only strips with events in the `days` before the date (`None`: every strip
    /// as of the date), as the timeline's mode switch does.
    pub fn set_window(&mut self, days: Option<i64>) {
        match days {
            Some(d) => {
                self.timeline.mode = crate::app::panels::timeline::Mode::Window;
                self.timeline.window_days = d;
            }
            None => self.timeline.mode = crate::app::panels::timeline::Mode::AsOf,
        }
        self.refresh();
    }

    /// The passing features' events per day, as the timeline counts them.
    pub fn event_counts(&self) -> &crate::analysis::DayCounts {
        &self.derived.histogram
    }

    /// The timeline chart's plot area as last drawn (none while folded or empty).
    pub fn timeline_plot(&self) -> Option<egui::Rect> {
        self.timeline.drawn().map(|(r, _)| r)
    }

    /// Where the timeline draws a date, and its month's bar (left and right), as last drawn.
    pub fn timeline_x(&self, date: NaiveDate) -> Option<(f32, (f32, f32))> {
        let (_, scale) = self.timeline.drawn()?;
        let month = crate::app::panels::timeline::scale::month_index(date);
        Some((scale.x_of(date), scale.month_x(month)?))
    }

    /// The first and last day the timeline's axis shows.
    pub fn timeline_view(&self) -> (NaiveDate, NaiveDate) {
        let span = self.timeline.view();
        let day = |d: f64| NaiveDate::from_num_days_from_ce_opt(d as i32).unwrap_or(self.date);
        (day(span.from.floor()), day((span.to - 1e-9).floor()))
    }

    /// Whether the timeline is folded to its line of controls.
    pub fn timeline_folded(&self) -> bool {
        self.timeline.folded || !self.timeline.has_events()
    }

    /// The first and last day of the events the timeline counts.
    pub fn timeline_range(&self) -> (NaiveDate, NaiveDate) {
        self.timeline.range()
    }

    /// The features shown, as a document of their own (what "Export filtered" writes).
    pub fn filtered_document(&self) -> Document {
        let shown = &self.derived.shown;
        self.doc
            .document()
            .subset(|i, _| shown.get(i).copied().unwrap_or(false))
    }

    /// How many features are shown (what the filters panel says).
    pub fn shown_count(&self) -> usize {
        self.derived.shown_count()
    }

    /// How many features are strips (what the status bar says), kept with the facts.
    pub fn strip_count(&self) -> usize {
        self.derived.facts.strip_count()
    }

    /// How many features are shown, and how many of them the map draws (those with a
    /// place on the map); the filters panel says the first.
    pub fn shown_counts(&self) -> (usize, usize) {
        let drawn = (0..self.derived.cache.len())
            .filter(|&i| self.derived.shown.get(i).copied().unwrap_or(false))
            .filter(|&i| self.derived.cache.item(i).is_some())
            .count();
        (self.derived.shown_count(), drawn)
    }

    /// The features the map draws in its whole extent (what a person sees, at any zoom).
    pub fn drawn_features(&self) -> Vec<usize> {
        let world = (
            [f64::MIN / 4.0, f64::MIN / 4.0],
            [f64::MAX / 4.0, f64::MAX / 4.0],
        );
        self.derived.cache.in_view(world)
    }

    /// The clusters the map's overview drew in the last frame: where, and how many
    /// features each holds.
    pub fn clusters(&self) -> Vec<(egui::Pos2, u32)> {
        self.map
            .last_drawn
            .clusters
            .iter()
            .map(|c| (c.at, c.count))
            .collect()
    }

    /// How many online tiles the map has drawn from the chosen source.
    pub fn tiles_served(&self) -> u64 {
        self.map.tile_status.served()
    }

    /// True while online tiles fail to arrive (the map shows its notice).
    pub fn tiles_failing(&self) -> bool {
        self.map.tile_status.failing()
    }

    /// Each feature's status at the current date.
    pub fn status_of(&self, index: usize) -> Option<Status> {
        self.derived.statuses.get(index).map(|s| s.0)
    }

    /// The table's rows (feature indices) in display order.
    pub fn table_rows(&mut self) -> Vec<usize> {
        self.refresh();
        let Some(key) = self.derived.key() else {
            return Vec::new();
        };
        let doc = self.doc.document();
        self.derived.places(doc);
        self.derived.ensure_property_keys(doc);
        let Some(data) =
            crate::app::panels::table::Data::of(&self.derived, self.doc.document(), key)
        else {
            return Vec::new();
        };
        self.table.rows(&data)
    }

    /// Shows the file's own properties `columns` in the table (as the column chooser does).
    pub fn set_table_columns(&mut self, columns: Vec<String>) {
        self.table.set_columns(columns);
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// The filters in force.
    pub fn filter(&self) -> &Filter {
        self.filters.get()
    }

    /// Filters what is shown (as the filters panel does).
    pub fn set_filter(&mut self, filter: Filter) {
        self.filters.set(filter);
        self.refresh();
    }

    /// Renames a feature through the editor, as the inspector does.
    pub fn rename(&mut self, index: usize, name: &str) {
        self.edit(|e| e.rename(index, name));
    }

    /// The status bar's message (after a save, an export or a sync).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// True while a sync with the database runs.
    pub fn syncing(&self) -> bool {
        self.team.busy()
    }

    /// The database the working layer is linked to, as shown.
    pub fn linked_to(&self) -> Option<String> {
        self.team
            .link(self.doc.version().generation())
            .map(|l| l.target.describe())
    }

    /// How many conflicts the last sync left.
    pub fn sync_conflicts(&self) -> usize {
        self.team
            .link(self.doc.version().generation())
            .map_or(0, |l| l.conflicts.iter().map(|s| s.conflicts.len()).sum())
    }

    /// Asks for an action as a menu or shortcut would.
    pub fn request(&mut self, action: Action) {
        self.pending.push(action);
    }

    pub fn select(&mut self, index: Option<usize>) {
        let selection = match index {
            Some(i) if i < self.document().features().len() => Selection::Strip(i),
            _ => Selection::Nothing,
        };
        self.set_selection(selection);
    }

    /// The window's title as last set.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The statistics of the shown strips at the date.
    pub fn current_stats(&mut self) -> &Stats {
        self.refresh();
        self.derived.stats(self.doc.document())
    }

    pub fn layers(&self) -> &crate::app::panels::layers::Layers {
        &self.layers
    }

    /// Where feature `index` of imported layer `key` is on screen.
    pub fn layer_screen_position(&self, key: u64, index: usize) -> Option<egui::Pos2> {
        let t = self.map.transform?;
        let item = self.layers.get(key)?.cache.item(index)?;
        Some(t.to_screen(item.anchor))
    }

    /// Centre of an imported layer's feature, for tests and "zoom to".
    pub fn layer_feature_lon_lat(&self, key: u64, index: usize) -> Option<(f64, f64)> {
        let item = self.layers.get(key)?.cache.item(index)?;
        Some(map::transform::lon_lat_of(item.anchor))
    }
}
