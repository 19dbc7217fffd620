//! The timeline, table and statistics panels of the window, and saving a chart as PNG.

use std::path::PathBuf;

use super::i18n::T;
use super::stats_view::{StatsAction, stats_ui};
use super::table::TableAction;
use super::{Modal, PistasApp, Tab, map, table_context};
use crate::analysis::{Stats, stats_csv};
use crate::io::save_atomic;

impl PistasApp {
    pub(super) fn timeline_panel_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.timeline.update(
            self.editor.state(),
            self.filter_generation,
            &self.facts,
            &self.passes,
        );
        if let Some(next) = self.timeline.tick(&ctx, self.date) {
            self.set_date(next);
        }
        egui::Panel::bottom("timeline")
            .resizable(true)
            .default_size(150.0)
            .min_size(110.0)
            .show(ui, |ui| {
                if let Some(d) = self
                    .timeline
                    .ui(ui, self.lang, self.date, &mut self.date_text)
                {
                    self.set_date(d);
                }
            });
    }

    fn centre_on(&mut self, index: usize) {
        if let Some(Some(item)) = self.cache.items.get(index) {
            let (lon, lat) = map::transform::lon_lat_of(item.anchor);
            self.map.go_to(lon, lat, 12.0);
        }
    }

    pub(super) fn table_ui(&mut self, ui: &mut egui::Ui) {
        let key = (self.editor.state(), self.filter_generation, self.date);
        self.ensure_strip_places();
        let Some(strips) = self.strip_points.as_ref() else {
            return;
        };
        let action = self.table.ui(
            ui,
            self.lang,
            self.editor.document(),
            &self.facts,
            &self.statuses,
            &self.passes,
            key,
            &table_context(strips),
            self.selected,
        );
        match action {
            Some(TableAction::Select(i)) => self.selected = Some(i),
            Some(TableAction::Centre(i)) => {
                self.selected = Some(i);
                self.centre_on(i);
                self.tab = Tab::Map;
            }
            None => {}
        }
    }

    /// The statistics of the filtered strips at the date (computed when they change).
    pub fn current_stats(&mut self) -> &Stats {
        let key = (self.editor.state(), self.filter_generation, self.date);
        if self.stats.as_ref().is_none_or(|(k, _)| *k != key) {
            let doc = self.editor.document();
            let features = doc
                .features
                .iter()
                .zip(&self.passes)
                .filter(|(_, p)| **p)
                .map(|(f, _)| f);
            self.stats = Some((key, Stats::of_features(features, self.date, 10)));
        }
        &self.stats.as_ref().expect("just computed").1
    }

    pub(super) fn stats_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let stats = self.current_stats().clone();
        match stats_ui(ui, lang, &stats) {
            Some(StatsAction::Show(id)) => {
                if let Some(i) = self.editor.document().position(&id) {
                    self.selected = Some(i);
                    self.centre_on(i);
                    self.tab = Tab::Map;
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
                        Err(e) => self.modal = Some(Modal::Message(e)),
                    }
                }
            }
            Some(StatsAction::SavePng(rect)) => {
                if let Some(path) = self.dialogs.save_file("pistas-chart.png", "PNG", "png") {
                    let path = with_png_extension(path);
                    self.screenshot_to_png(ui.ctx(), rect, path, T::ChartSaved);
                }
            }
            None => {}
        }
    }

    /// Reports a chart saved as PNG (or why it could not be).
    pub(super) fn save_png(&mut self, _ctx: &egui::Context) {
        let result = self.png_result.lock().ok().and_then(|mut r| r.take());
        match result {
            Some((done, Ok(path))) => {
                self.notice = Some(self.lang.fill(done, &[&path.display().to_string()]))
            }
            Some((_, Err(e))) => self.modal = Some(Modal::Message(e)),
            None => {}
        }
    }
}

pub(super) fn with_png_extension(path: PathBuf) -> PathBuf {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        path
    } else {
        path.with_extension("png")
    }
}
