//! The filters panel: what the map, the table, the statistics and "Export filtered" show.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use crate::analysis::Filter;
use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::model::{EventType, FuzzyDate, Status};

/// What the filters panel asks of the app besides a new filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaRequest {
    None,
    /// Use the map's current view as the area.
    CurrentView,
    /// Let the person click two corners on the map.
    Draw,
    /// Let the person click the corners of a polygon on the map.
    DrawPolygon,
}

/// Text buffers of the panel.
#[derive(Default)]
pub struct FilterPanel {
    from: String,
    to: String,
    date_error: Option<String>,
}

fn day(text: &str, end: bool) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    FuzzyDate::parse(text.trim())
        .map(|d| Some(if end { d.end() } else { d.start() }))
        .map_err(|e| e.to_string())
}

impl FilterPanel {
    /// Shows the filters; edits `filter` in place. `shown` and `total` are counts.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        filter: &mut Filter,
        shown: usize,
        total: usize,
    ) -> AreaRequest {
        let mut area = AreaRequest::None;
        self.heading_ui(ui, lang, filter, shown, total);
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                search_ui(ui, lang, filter);
                ui.add_space(6.0);
                statuses_ui(ui, lang, filter);
                ui.add_space(6.0);
                self.event_ui(ui, lang, filter);
                ui.add_space(6.0);
                counts_ui(ui, lang, filter);
                ui.add_space(6.0);
                area = area_ui(ui, lang, filter);
            });
        area
    }

    /// The heading with a button that clears every filter, and how many strips are shown
    /// (in warning colours while a filter hides some).
    fn heading_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        filter: &mut Filter,
        shown: usize,
        total: usize,
    ) {
        ui.horizontal(|ui| {
            ui.heading(lang.t(T::Filters));
            if !filter.is_empty() && ui.button(lang.t(T::ClearFilters)).clicked() {
                *filter = Filter::default();
                self.from.clear();
                self.to.clear();
                self.date_error = None;
            }
        });
        let counts = lang.fill(T::ShownOf, &[&shown.to_string(), &total.to_string()]);
        if filter.is_empty() {
            ui.label(counts);
        } else {
            ui.label(RichText::new(counts).strong().color(theme::WARNING_TEXT));
        }
    }

    /// The kind of event and the dates it falls between, typed as fuzzy dates; a date that
    /// does not read keeps the filter as it was and says why.
    fn event_ui(&mut self, ui: &mut Ui, lang: Lang, filter: &mut Filter) {
        let event_label = ui.label(lang.t(T::EventBetween));
        egui::ComboBox::from_id_salt("filter-event")
            .selected_text(
                filter
                    .event_type
                    .map_or(lang.t(T::AnyEvent), |k| lang.event(k)),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.event_type, None, lang.t(T::AnyEvent));
                for k in EventType::ALL {
                    ui.selectable_value(&mut filter.event_type, Some(k), lang.event(k));
                }
            })
            .response
            .labelled_by(event_label.id);
        ui.horizontal(|ui| {
            let from = ui.add(
                egui::TextEdit::singleline(&mut self.from)
                    .hint_text(lang.t(T::From))
                    .desired_width(80.0),
            );
            ui.label("–");
            let to = ui.add(
                egui::TextEdit::singleline(&mut self.to)
                    .hint_text(lang.t(T::To))
                    .desired_width(80.0),
            );
            if from.changed() || to.changed() {
                match (day(&self.from, false), day(&self.to, true)) {
                    (Ok(a), Ok(b)) => {
                        filter.from = a;
                        filter.to = b;
                        self.date_error = None;
                    }
                    (Err(e), _) | (_, Err(e)) => self.date_error = Some(e),
                }
            }
        })
        .response
        .labelled_by(event_label.id);
        if let Some(e) = &self.date_error {
            ui.colored_label(theme::ERROR_TEXT, e);
        }
    }
}

/// The text searched for in names, ids and notes.
fn search_ui(ui: &mut Ui, lang: Lang, filter: &mut Filter) {
    let label = ui.label(lang.t(T::Search));
    ui.add(
        egui::TextEdit::singleline(&mut filter.text)
            .hint_text(lang.t(T::SearchHint))
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
}

/// A checkbox for each status at the timeline's date, in the status's colour.
fn statuses_ui(ui: &mut Ui, lang: Lang, filter: &mut Filter) {
    ui.label(lang.t(T::StatusAtDate));
    ui.horizontal_wrapped(|ui| {
        for s in Status::ALL {
            let mut on = filter.statuses.contains(&s);
            if ui
                .checkbox(
                    &mut on,
                    RichText::new(lang.status(s)).color(theme::status_colour(s)),
                )
                .changed()
            {
                if on {
                    filter.statuses.push(s);
                } else {
                    filter.statuses.retain(|x| *x != s);
                }
            }
        }
    });
}

/// The least destructions and rebuilds, the confidence and the operation, in a grid.
fn counts_ui(ui: &mut Ui, lang: Lang, filter: &mut Filter) {
    egui::Grid::new("counts").num_columns(2).show(ui, |ui| {
        let label = ui.label(lang.t(T::MinDestroyed));
        ui.add(egui::DragValue::new(&mut filter.min_destroyed).range(0..=50))
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label(lang.t(T::MinRebuilt));
        ui.add(egui::DragValue::new(&mut filter.min_rebuilt).range(0..=50))
            .labelled_by(label.id);
        ui.end_row();
        lang.confidence_combo(
            ui,
            "filter-confidence",
            &mut filter.confidence,
            T::AnyConfidence,
        );
        ui.end_row();
        let label = ui.label(lang.t(T::Operation));
        ui.add(egui::TextEdit::singleline(&mut filter.operation).desired_width(140.0))
            .labelled_by(label.id);
        ui.end_row();
    });
}

/// The area: buttons to take the map's view or draw a rectangle or polygon on the map
/// (asked of the app), one to drop the area, and the area set.
fn area_ui(ui: &mut Ui, lang: Lang, filter: &mut Filter) -> AreaRequest {
    let mut area = AreaRequest::None;
    ui.label(lang.t(T::Area));
    ui.horizontal_wrapped(|ui| {
        if ui.button(lang.t(T::InsideView)).clicked() {
            area = AreaRequest::CurrentView;
        }
        if ui
            .button(lang.t(T::DrawRectangle))
            .on_hover_text(lang.t(T::DrawRectangleHelp))
            .clicked()
        {
            area = AreaRequest::Draw;
        }
        if ui
            .button(lang.t(T::DrawPolygon))
            .on_hover_text(lang.t(T::DrawPolygonHelp))
            .clicked()
        {
            area = AreaRequest::DrawPolygon;
        }
        if (filter.area.is_some() || filter.polygon.is_some())
            && ui.button(lang.t(T::AnyArea)).clicked()
        {
            filter.area = None;
            filter.polygon = None;
        }
    });
    if let Some(ring) = &filter.polygon {
        ui.label(
            RichText::new(lang.fill(T::PolygonCorners, &[&ring.corners().len().to_string()]))
                .small(),
        );
    }
    if let Some([w, s, e, n]) = filter.area {
        ui.label(
            RichText::new(format!("{s:.3}…{n:.3}, {w:.3}…{e:.3}"))
                .monospace()
                .small(),
        );
    }
    area
}

/// A one-line summary of the active filters, for the map and the status bar.
pub fn summary(lang: Lang, filter: &Filter) -> Vec<String> {
    let mut parts = Vec::new();
    if !filter.text.is_empty() {
        parts.push(format!("“{}”", filter.text));
    }
    if !filter.statuses.is_empty() {
        parts.push(
            filter
                .statuses
                .iter()
                .map(|s| lang.status(*s))
                .collect::<Vec<_>>()
                .join("/"),
        );
    }
    if filter.event_type.is_some() || filter.from.is_some() || filter.to.is_some() {
        let kind = filter
            .event_type
            .map_or(lang.t(T::AnyEvent), |k| lang.event(k));
        let from = filter.from.map(|d| d.to_string()).unwrap_or_default();
        let to = filter.to.map(|d| d.to_string()).unwrap_or_default();
        parts.push(format!("{kind} {from}–{to}"));
    }
    if filter.min_destroyed > 0 {
        parts.push(format!(
            "{} ≥ {}",
            lang.t(T::MinDestroyed),
            filter.min_destroyed
        ));
    }
    if filter.min_rebuilt > 0 {
        parts.push(format!(
            "{} ≥ {}",
            lang.t(T::MinRebuilt),
            filter.min_rebuilt
        ));
    }
    if let Some(c) = filter.confidence {
        parts.push(lang.confidence(c).to_owned());
    }
    if !filter.operation.is_empty() {
        parts.push(format!("{}: {}", lang.t(T::Operation), filter.operation));
    }
    if filter.area.is_some() || filter.polygon.is_some() {
        parts.push(lang.t(T::Area).to_owned());
    }
    parts
}
