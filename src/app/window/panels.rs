//! Where the panels sit in the window: the sidebar, the inspector, the table, statistics
//! and the timeline, each given the state it shows.

use crate::analysis::stats_csv;
use crate::app::i18n::T;
use crate::app::panels::stats_view::{StatsAction, stats_ui};
use crate::app::panels::table::TableAction;
use crate::app::panels::{filters, with_png_extension};
use crate::app::state::derived::context_places;
use crate::app::state::selection::Selection;
use crate::app::{PistasApp, Tab, map, theme};
use crate::io::save_atomic;

impl PistasApp {
    /// The inspector: the selected strip (editable) or imported feature (read-only).
    pub(crate) fn inspector_panel_ui(&mut self, ui: &mut egui::Ui) {
        if self.layer_inspector_ui(ui) {
            return;
        }
        let nearest = self.nearest_lines();
        let (lang, date, version) = (self.lang, self.date, self.doc.version());
        let subject = self
            .selection
            .strip()
            .map(|i| (self.doc.document(), i, version));
        let commands =
            self.inspector
                .ui(ui, lang, subject, date, &nearest, Some(&mut self.evidence));
        for command in commands {
            self.inspector_edit(command);
        }
    }

    /// Lines for the inspector: nearest other strip, aerodrome and town, in km.
    fn nearest_lines(&mut self) -> Vec<String> {
        let Some(i) = self.selection.strip() else {
            return Vec::new();
        };
        let Some((lon, lat)) = self.derived.facts.facts.get(i).and_then(|f| f.lon_lat) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        let km = |m: f64| self.lang.decimal(m / 1000.0, 1);
        let places = self.derived.places(self.doc.document());
        if let Some((j, m)) = places
            .nearest
            .nearest(lon, lat, places.own.get(i).copied().flatten())
        {
            lines.push(self.lang.fill(T::NearestStrip, &[&places.names[j], &km(m)]));
        }
        // The embedded aerodromes and towns cover South America: farther than this, the
        // nearest one says nothing about the strip, so the line says there is none near.
        use crate::geodata::south_america::NEAR_M;
        /// Closer than this to a registered aerodrome, a strip is likely that aerodrome.
        const REGISTERED_M: f64 = 1_000.0;
        let near = NEAR_M / 1000.0;
        let context = context_places();
        match context.aerodromes.nearest(lon, lat, None) {
            // The check a survey needs: a "strip" on a registered aerodrome is likely that
            // aerodrome, not a clandestine strip.
            Some((j, m)) if m <= REGISTERED_M => lines.push(self.lang.fill(
                T::OnRegisteredAerodrome,
                &[&context.aerodrome_names[j], &format!("{m:.0}")],
            )),
            Some((j, m)) if m <= NEAR_M => lines.push(
                self.lang
                    .fill(T::NearestAerodrome, &[&context.aerodrome_names[j], &km(m)]),
            ),
            _ => lines.push(self.lang.fill(T::NoAerodromeNear, &[&near.to_string()])),
        }
        match context.towns.nearest(lon, lat, None) {
            Some((j, m)) if m <= NEAR_M => lines.push(
                self.lang
                    .fill(T::NearestTown, &[&context.town_names[j], &km(m)]),
            ),
            _ => lines.push(self.lang.fill(T::NoTownNear, &[&near.to_string()])),
        }
        lines
    }

    /// The centre: tabs, the filters in force, and the map, table or statistics.
    pub(crate) fn centre_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        egui::Frame::new()
            .fill(ui.visuals().panel_fill)
            .inner_margin(egui::Margin::symmetric(6, 3))
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                ui.horizontal(|ui| {
                    let mut tab = self.tab;
                    ui.selectable_value(&mut tab, Tab::Map, lang.t(T::TabMap));
                    ui.selectable_value(&mut tab, Tab::Table, lang.t(T::TabTable));
                    ui.selectable_value(&mut tab, Tab::Statistics, lang.t(T::TabStats));
                    if tab != self.tab {
                        self.show_tab(tab);
                    }
                    let active = filters::summary(lang, self.filters.get());
                    if !active.is_empty() {
                        ui.separator();
                        ui.colored_label(
                            theme::WARNING_TEXT,
                            format!("{}: {}", lang.t(T::Filters), active.join(" · ")),
                        );
                        if ui.small_button(lang.t(T::ClearFilters)).clicked() {
                            self.filters.set(crate::analysis::Filter::default());
                        }
                    }
                });
            });
        if self.tab != Tab::Table {
            self.table.cancel_edit();
        }
        // The table and statistics fill the whole centre: under a short list the window
        // would otherwise show its clear colour, a black area that looks like a crash.
        if self.tab != Tab::Map {
            let fill = ui.visuals().panel_fill;
            ui.painter()
                .rect_filled(ui.available_rect_before_wrap(), 0.0, fill);
        }
        match self.tab {
            Tab::Map => self.map_ui(ui),
            Tab::Table => {
                egui::Frame::central_panel(ui.style()).show(ui, |ui| self.table_ui(ui));
            }
            Tab::Statistics => {
                egui::Frame::central_panel(ui.style()).show(ui, |ui| self.stats_ui(ui));
            }
        }
    }

    pub(crate) fn timeline_panel_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(next) = self.timeline.tick(&ctx, self.date) {
            self.set_date(next);
        }
        // Folded, or with nothing to chart, the timeline is its one line of controls.
        let chart = !self.timeline.folded && self.timeline.has_events();
        let panel = if chart {
            egui::Panel::bottom("timeline")
                .resizable(true)
                .default_size(135.0)
                .size_range(96.0..=(ui.available_height() * 0.4).max(100.0))
        } else {
            egui::Panel::bottom("timeline line").resizable(false)
        };
        panel.show(ui, |ui| {
            if let Some(d) = self
                .timeline
                .ui(ui, self.lang, self.date, &mut self.date_text)
            {
                self.set_date(d);
            }
        });
    }

    fn centre_on(&mut self, index: usize) {
        if let Some(item) = self.derived.cache.item(index) {
            let (lon, lat) = map::transform::lon_lat_of(item.anchor);
            self.map.go_to(lon, lat, 12.0);
        }
    }

    pub(crate) fn table_ui(&mut self, ui: &mut egui::Ui) {
        let Some(key) = self.derived.key() else {
            return;
        };
        self.derived.places(self.doc.document());
        self.derived.ensure_property_keys(self.doc.document());
        self.remembered_columns();
        let Some(data) =
            crate::app::panels::table::Data::of(&self.derived, self.doc.document(), key)
        else {
            return;
        };
        let before = self.table.columns.clone();
        let action = self.table.ui(ui, self.lang, &data, self.selection.strip());
        if self.table.columns != before {
            self.remember_columns();
        }
        match action {
            Some(TableAction::SetProperty(i, key, json)) => {
                self.inspector_edit(crate::app::panels::inspector::Edit::SetProperty(
                    i, key, json,
                ));
            }
            Some(TableAction::Select(i)) => self.set_selection(Selection::Strip(i)),
            Some(TableAction::Centre(i)) => {
                self.set_selection(Selection::Strip(i));
                self.centre_on(i);
                self.show_tab(Tab::Map);
            }
            None => {}
        }
    }

    /// The property columns this file had last time, when another file's were shown.
    fn remembered_columns(&mut self) {
        let path = self.doc.path.clone();
        let generation = self.doc.version().generation();
        if self.table_columns_for == (generation, path.clone()) {
            return;
        }
        // The same document under a new name (Save As): its columns go with it.
        if self.table_columns_for.0 == generation {
            self.table_columns_for = (generation, path);
            self.remember_columns();
            return;
        }
        let columns = path
            .as_ref()
            .and_then(|p| self.settings.table_columns.iter().find(|(q, _)| q == p))
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        self.table.set_columns(columns);
        self.table_columns_for = (generation, path);
    }

    /// Remembers this file's property columns (the last 50 files).
    fn remember_columns(&mut self) {
        let Some(path) = self.doc.path.clone() else {
            return;
        };
        let columns = self.table.columns.clone();
        self.remember(|s| {
            let list = &mut s.table_columns;
            list.retain(|(p, _)| *p != path);
            if !columns.is_empty() {
                list.insert(0, (path, columns));
            }
            list.truncate(50);
        });
    }

    pub(crate) fn stats_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let stats = self.derived.stats(self.doc.document()).clone();
        // A request asked again with the in-window picker's answer comes first.
        let asked = stats_ui(ui, lang, &stats);
        let action = self.replayed_stats.take().or(asked);
        match action.clone() {
            Some(StatsAction::Show(id)) => {
                if let Some(i) = self.doc.document().position(&id) {
                    self.set_selection(Selection::Strip(i));
                    self.centre_on(i);
                    self.show_tab(Tab::Map);
                }
            }
            Some(StatsAction::ExportCsv) => {
                if let Some(path) = self
                    .dialogs
                    .save_file("pistas-statistics.csv", "CSV", "csv")
                {
                    let result = stats_csv(&stats)
                        .map_err(|e| e.to_string())
                        .and_then(|text| {
                            save_atomic(&path, text.as_bytes(), true).map_err(|e| e.to_string())
                        });
                    match result {
                        Ok(()) => {
                            self.notice =
                                Some(lang.fill(T::Exported, &[&path.display().to_string()]))
                        }
                        Err(e) => self.overlays.message(e),
                    }
                } else {
                    self.check_dialogs(action.map(crate::app::dialogs::picker::Replay::Stats));
                }
            }
            Some(StatsAction::SavePng(rect)) => {
                if let Some(path) = self.dialogs.save_file("pistas-chart.png", "PNG", "png") {
                    let path = with_png_extension(path);
                    self.screenshot_to_png(ui.ctx(), rect, path, T::ChartSaved);
                } else {
                    self.check_dialogs(action.map(crate::app::dialogs::picker::Replay::Stats));
                }
            }
            None => {}
        }
    }

    /// Reports a chart saved as PNG (or why it could not be).
    pub(crate) fn save_png(&mut self) {
        let result = self.png_result.lock().ok().and_then(|mut r| r.take());
        match result {
            Some((done, Ok(path))) => {
                self.notice = Some(self.lang.fill(done, &[&path.display().to_string()]))
            }
            Some((_, Err(e))) => self.overlays.message(e),
            None => {}
        }
    }
}
