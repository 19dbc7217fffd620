//! The inspector: the selected feature's name, coordinates, runway figures, notes, dated
//! history (add, edit, delete events) and every other property. It returns edits; the app
//! applies them as commands.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use crate::analysis::StripSummary;
use crate::app::evidence::EvidenceView;
use crate::app::i18n::{Lang, T};
use crate::app::state::document::Version;
use crate::app::theme;
use crate::edit::{format_dms, parse_coordinates};
use crate::model::{Document, Event, EventType, Feature, Source};

mod draft;
pub(crate) mod edit;
mod properties;

use draft::{Draft, source_line};
pub use edit::Edit;

/// Text buffers of the inspector, reloaded when the selection or the document changes.
#[derive(Default)]
pub struct Inspector {
    loaded: Option<(usize, Version)>,
    name: String,
    notes: String,
    /// One text per editable position: the point, or each end of a runway.
    coords: Vec<String>,
    coord_error: Option<String>,
    properties: Vec<(String, String)>,
    property_error: Option<String>,
    new_key: String,
    new_value: String,
    draft: Option<Draft>,
    draft_for: Option<usize>,
    /// Shows a feature of a read-only layer: no controls that would change it.
    read_only: bool,
    unread: crate::app::panels::unread_view::UnreadDrafts,
}

impl Inspector {
    /// An inspector for features of read-only layers: it shows everything and offers no
    /// controls that would change the feature.
    pub fn read_only() -> Self {
        Inspector {
            read_only: true,
            ..Inspector::default()
        }
    }
}

use crate::app::panels::values::value_text;

fn positions(feature: &Feature) -> Vec<(f64, f64)> {
    match feature.geometry().map(|g| g.shape()) {
        Some(geo::Geometry::Point(p)) => vec![(p.x(), p.y())],
        Some(geo::Geometry::LineString(ls)) if ls.0.len() >= 2 => {
            let (a, b) = (ls.0[0], ls.0[ls.0.len() - 1]);
            vec![(a.x, a.y), (b.x, b.y)]
        }
        _ => Vec::new(),
    }
}

impl Inspector {
    /// Reloads the buffers on the next frame.
    pub fn invalidate(&mut self) {
        self.loaded = None;
    }

    fn load(&mut self, feature: &Feature, index: usize, version: Version) {
        self.loaded = Some((index, version));
        self.name = feature.name().unwrap_or_default().to_owned();
        self.notes = feature.notes().unwrap_or_default().to_owned();
        self.coords = positions(feature)
            .into_iter()
            .map(|(lon, lat)| format_dms(lon, lat))
            .collect();
        self.coord_error = None;
        self.properties = feature
            .properties()
            .iter()
            .filter(|(k, _)| k != "name" && k != "notes")
            .map(|(k, v)| (k.clone(), value_text(v)))
            .collect();
        if self.draft_for != Some(index) {
            self.draft = None;
            self.draft_for = Some(index);
        }
    }

    /// Shows feature `index` of `doc` (at `version`), or that nothing is selected; returns
    /// the edits asked for.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        subject: Option<(&Document, usize, Version)>,
        date: NaiveDate,
        nearest: &[String],
        evidence: Option<&mut EvidenceView>,
    ) -> Vec<Edit> {
        let mut edits = Vec::new();
        let Some((index, feature, version)) =
            subject.and_then(|(doc, i, v)| doc.features().get(i).map(|f| (i, f, v)))
        else {
            ui.heading(lang.t(T::NothingSelected));
            ui.label(lang.t(T::NothingSelectedHelp));
            self.loaded = None;
            self.draft_for = None;
            return edits;
        };
        if feature.unread().is_some() {
            self.loaded = None;
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    crate::app::panels::unread_view::unread_feature_ui(ui, lang, feature)
                });
            return edits;
        }
        if self.loaded != Some((index, version)) {
            self.load(feature, index, version);
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.header_ui(ui, lang, feature, date);
                ui.separator();
                self.fields_ui(ui, lang, feature, index, &mut edits);
                if !nearest.is_empty() {
                    ui.label(RichText::new(lang.t(T::Distances)).strong());
                    for line in nearest {
                        ui.label(line);
                    }
                }
                if feature.is_strip() {
                    ui.separator();
                    self.history_ui(ui, lang, feature, index, date, &mut edits, evidence);
                }
                if !feature.unread_events().is_empty() {
                    ui.separator();
                    let read_only = self.read_only;
                    self.unread
                        .ui(ui, lang, feature, index, read_only, &mut edits);
                }
                ui.separator();
                self.properties_ui(ui, lang, index, feature, &mut edits);
            });
        edits
    }

    fn header_ui(&self, ui: &mut Ui, lang: Lang, feature: &Feature, date: NaiveDate) {
        ui.heading(feature.label());
        ui.label(format!(
            "{} {}  ·  {}",
            lang.t(T::Id),
            feature.id(),
            feature.geometry().map_or("—", |g| lang.geometry(g.kind()))
        ));
        if feature.is_strip() {
            let summary = StripSummary::of(feature, date);
            ui.horizontal_wrapped(|ui| {
                let text = format!(
                    "{} {}",
                    lang.fill(T::StatusAt, &[&date.to_string()]),
                    lang.status(summary.status)
                );
                ui.label(
                    RichText::new(text)
                        .strong()
                        .color(theme::status_colour(summary.status)),
                );
                if summary.status_fuzzy {
                    ui.label(RichText::new(lang.t(T::FuzzyStatus)).italics());
                }
            });
            ui.label(lang.fill(
                T::DestroyedRebuilt,
                &[
                    &lang.times(summary.history.times_destroyed()),
                    &lang.times(summary.history.times_rebuilt()),
                ],
            ));
            if let Some(length) = summary.runway_length_m {
                ui.label(lang.fill(
                    T::Runway,
                    &[
                        &lang.decimal(length, 0),
                        &format!("{:.0}", summary.runway_heading_deg.unwrap_or(0.0)),
                    ],
                ));
            }
        } else {
            ui.label(RichText::new(lang.t(T::NotAStrip)).italics());
        }
    }

    fn fields_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        feature: &Feature,
        index: usize,
        edits: &mut Vec<Edit>,
    ) {
        egui::Grid::new("fields")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(lang.t(T::Name));
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.name).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                if r.lost_focus() && self.name != feature.name().unwrap_or_default() {
                    edits.push(Edit::Rename(index, self.name.clone()));
                }
                ui.end_row();

                let ends = self.coords.len();
                for k in 0..ends {
                    let text = match (ends, k) {
                        (1, _) => lang.t(T::Coordinates),
                        (_, 0) => lang.t(T::RunwayStart),
                        _ => lang.t(T::RunwayEnd),
                    };
                    let label = ui.label(text);
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut self.coords[k])
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
                    if r.lost_focus() {
                        let current = positions(feature);
                        match parse_coordinates(&self.coords[k]) {
                            Ok((lon, lat)) => {
                                self.coord_error = None;
                                let (old_lon, old_lat) = current[k];
                                if (lon - old_lon).abs() > 1e-9 || (lat - old_lat).abs() > 1e-9 {
                                    let shape: geo::Geometry<f64> =
                                        match feature.geometry().map(|g| g.shape()) {
                                            Some(geo::Geometry::LineString(ls)) => {
                                                let mut ls = ls.clone();
                                                let v = if k == 0 { 0 } else { ls.0.len() - 1 };
                                                ls.0[v] = geo::Coord { x: lon, y: lat };
                                                ls.into()
                                            }
                                            _ => geo::Point::new(lon, lat).into(),
                                        };
                                    edits.push(Edit::Shape(index, shape, (lon, lat)));
                                }
                            }
                            Err(e) => self.coord_error = Some(e.to_string()),
                        }
                    }
                    ui.end_row();
                }
                if let Some(e) = &self.coord_error {
                    ui.label("");
                    ui.colored_label(theme::ERROR_TEXT, e);
                    ui.end_row();
                }
                if let Some(&(lon, lat)) = positions(feature).first().filter(|_| ends == 1) {
                    ui.label("");
                    ui.label(
                        RichText::new(format!("{lat:.6}, {lon:.6}"))
                            .monospace()
                            .weak(),
                    );
                    ui.end_row();
                }

                let label = ui.label(lang.t(T::Notes));
                let r = ui
                    .add(
                        egui::TextEdit::multiline(&mut self.notes)
                            .desired_rows(2)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if r.lost_focus() && self.notes != feature.notes().unwrap_or_default() {
                    edits.push(Edit::Notes(index, self.notes.clone()));
                }
                ui.end_row();
            });
    }

    /// A strip's history: its lifeline, a heading with the buttons to add or compare
    /// events, the event being written, each event with its sources, and the rebuilds.
    #[allow(clippy::too_many_arguments)]
    fn history_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        feature: &Feature,
        index: usize,
        date: NaiveDate,
        edits: &mut Vec<Edit>,
        mut evidence: Option<&mut EvidenceView>,
    ) {
        let summary = StripSummary::of(feature, date);
        let events = feature.events();
        crate::app::panels::lifeline::lifeline_ui(ui, lang, feature, date);
        self.history_heading_ui(ui, lang, feature, index, evidence.as_deref_mut());
        if let Some(draft) = &mut self.draft
            && draft_ui(ui, lang, draft, index, edits)
        {
            self.draft = None;
        }
        for &i in summary.history.order() {
            self.event_ui(
                ui,
                lang,
                index,
                i,
                &events[i],
                edits,
                evidence.as_deref_mut(),
            );
        }
        if !summary.history.rebuilds().is_empty() {
            ui.add_space(6.0);
            for r in summary.history.rebuilds() {
                let days = if r.fuzzy() {
                    format!("≈{} ({}–{})", r.days(), r.min_days(), r.max_days())
                } else {
                    r.days().to_string()
                };
                ui.label(lang.fill(
                    T::RebuiltAfter,
                    &[&days, &events[r.destroyed()].date().to_string()],
                ));
            }
        }
    }

    /// "History (n)", with the buttons to add an event and to compare the events' evidence.
    fn history_heading_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        feature: &Feature,
        index: usize,
        evidence: Option<&mut EvidenceView>,
    ) {
        ui.horizontal(|ui| {
            ui.strong(lang.fill(T::History, &[&feature.events().len().to_string()]));
            if !self.read_only && self.draft.is_none() && ui.button(lang.t(T::AddEvent)).clicked() {
                self.draft = Some(Draft::new());
            }
            if let Some(view) = evidence
                && crate::app::evidence::comparable(feature).len() >= 2
                && ui
                    .button(lang.t(T::CompareEvents))
                    .on_hover_text(lang.t(T::CompareHelp))
                    .clicked()
            {
                view.requests
                    .push(crate::app::evidence::Request::Compare { strip: index });
            }
        });
    }

    /// Event `i` of feature `index`: its date, kind, confidence and operation with the
    /// buttons to edit or delete it and attach evidence, then its sources and note.
    #[allow(clippy::too_many_arguments)]
    fn event_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        index: usize,
        i: usize,
        e: &Event,
        edits: &mut Vec<Edit>,
        mut evidence: Option<&mut EvidenceView>,
    ) {
        ui.add_space(4.0);
        let row = ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(e.date().to_string()).monospace().strong());
            ui.label(
                RichText::new(lang.event(e.kind()))
                    .color(theme::event_colour(e.kind()))
                    .strong(),
            );
            if let Some(c) = e.confidence().value() {
                ui.label(RichText::new(lang.confidence(c)).italics());
            }
            if let Some(op) = e.operation().get() {
                ui.label(format!("· {op}"));
            }
            if !self.read_only
                && ui
                    .small_button(lang.t(T::EditShort))
                    .on_hover_text(lang.t(T::EditEvent))
                    .clicked()
            {
                self.draft = Some(Draft::of(i, e));
            }
            if !self.read_only
                && ui
                    .small_button("×")
                    .on_hover_text(lang.t(T::DeleteEvent))
                    .clicked()
            {
                edits.push(Edit::DeleteEvent(index, i));
            }
            if !self.read_only
                && let Some(view) = evidence.as_deref_mut()
            {
                view.attach_button(ui, lang, index, i);
            }
        });
        if let Some(view) = evidence.as_deref_mut() {
            view.event_ui(ui, lang, (index, i), e, row.response.rect, self.read_only);
        }
        for (k, s) in e.sources().iter().enumerate() {
            let line = source_line(s);
            match s {
                Source::Reference(r) if r.url().get().is_some() => {
                    ui.hyperlink_to(
                        format!("  {}", s.label()),
                        r.url().value().unwrap_or_default(),
                    );
                }
                _ => {
                    ui.label(RichText::new(format!("  {line}")).weak());
                }
            }
            if let Some(view) = evidence.as_deref_mut() {
                view.source_ui(ui, lang, index, i, k, s, self.read_only);
            }
        }
        if let Some(note) = e.note().get() {
            ui.label(RichText::new(format!("  {note}")).italics());
        }
    }
}

/// The event being written for feature `index`, in a group: its fields, why it cannot be
/// saved, and Save and Cancel; true when it is closed (saved into `edits`, or cancelled).
fn draft_ui(
    ui: &mut Ui,
    lang: Lang,
    draft: &mut Draft,
    index: usize,
    edits: &mut Vec<Edit>,
) -> bool {
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong(if draft.index.is_some() {
            lang.t(T::EditEvent)
        } else {
            lang.t(T::NewEvent)
        });
        draft_fields_ui(ui, lang, draft);
        let event = draft.event();
        if let Err(e) = &event
            && !draft.date.trim().is_empty()
        {
            ui.colored_label(theme::ERROR_TEXT, e);
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(event.is_ok(), egui::Button::new(lang.t(T::SaveEvent)))
                .clicked()
                && let Ok(event) = event
            {
                edits.push(match draft.index {
                    Some(j) => Edit::SetEvent(index, j, event),
                    None => Edit::AddEvent(index, event),
                });
                close = true;
            }
            if ui.button(lang.t(T::Cancel)).clicked() {
                close = true;
            }
        });
    });
    close
}

/// The fields of the event being written: kind, date, confidence, operation, sources, note.
fn draft_fields_ui(ui: &mut Ui, lang: Lang, draft: &mut Draft) {
    egui::Grid::new("draft")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            let label = ui.label(lang.t(T::EventType));
            egui::ComboBox::from_id_salt("event-type")
                .selected_text(lang.event(draft.kind))
                .show_ui(ui, |ui| {
                    for k in EventType::ALL {
                        ui.selectable_value(&mut draft.kind, k, lang.event(k));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(lang.t(T::Date));
            ui.add(
                egui::TextEdit::singleline(&mut draft.date)
                    .hint_text("2014-09-05, 2014-09~, 2014?")
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            lang.confidence_combo(ui, "confidence", &mut draft.confidence, T::NotSaid);
            ui.end_row();
            let label = ui.label(lang.t(T::Operation));
            ui.add(egui::TextEdit::singleline(&mut draft.operation).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui
                .label(lang.t(T::Sources))
                .on_hover_text(lang.t(T::SourcesHelp));
            ui.add(
                egui::TextEdit::multiline(&mut draft.sources)
                    .desired_rows(2)
                    .hint_text("IDL-Reporteros | https://…")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(lang.t(T::Note));
            ui.add(
                egui::TextEdit::multiline(&mut draft.note)
                    .desired_rows(1)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
}

#[cfg(test)]
mod tests;
