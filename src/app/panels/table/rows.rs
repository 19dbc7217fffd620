//! The table's body: a row per feature, its cells, the property cell being edited, and
//! what a click on a row asks for.

use egui::{Rect, Response, RichText, Ui};
use egui_extras::TableRow;

use super::{Asked, CellEdit, Context, Data, Table, TableAction};
use crate::analysis::Facts;
use crate::app::i18n::Lang;
use crate::app::panels::values::{text_json, value_text};
use crate::app::state::document::Version;
use crate::app::theme;
use crate::model::{Feature, Status};

/// Two clicks on the same row within this many seconds: a double-click.
const DOUBLE_CLICK_S: f64 = 0.5;

/// What became of the property cell being edited this frame.
enum EditEnd {
    /// Still being edited.
    Going,
    /// Left unchanged, or with Escape: nothing is written.
    Dropped,
    /// Left with a new value, as JSON.
    Set(String),
}

/// What a click on a row asked for.
enum RowClick {
    /// A property cell of the selected row: edit it.
    Edit(CellEdit),
    Centre,
    Select,
}

impl Table {
    /// Row `i` (a feature) of the table's body: its cells, then what a click on it asks.
    pub(super) fn row_ui(
        &mut self,
        mut row: TableRow<'_, '_>,
        lang: Lang,
        data: &Data<'_>,
        i: usize,
        selected: Option<usize>,
        asked: &mut Asked,
    ) {
        let feature = &data.doc.features()[i];
        let fact = &data.facts.facts[i];
        row.set_selected(selected == Some(i));
        row.col(|ui| {
            cell(ui, feature.id().as_str());
        });
        row.col(|ui| {
            cell(ui, feature.label());
        });
        let cells = self.property_cells(&mut row, feature, i, asked);
        let status = fact.strip.then(|| data.statuses[i].0);
        fact_cells(&mut row, lang, fact, status);
        self.distance_cells(&mut row, lang, &data.context, data.key.version, i, fact);
        let response = row.response();
        match self.row_click(&response, &cells, feature, i, selected, data.key.version) {
            Some(RowClick::Edit(edit)) => asked.start_edit = Some(edit),
            Some(RowClick::Centre) => asked.action = Some(TableAction::Centre(i)),
            Some(RowClick::Select) if asked.action.is_none() => {
                asked.action = Some(TableAction::Select(i));
            }
            Some(RowClick::Select) | None => {}
        }
    }

    /// The file's own property cells of row `i`, the one being edited as a text field;
    /// where each was drawn, with its key.
    fn property_cells(
        &mut self,
        row: &mut TableRow<'_, '_>,
        feature: &Feature,
        i: usize,
        asked: &mut Asked,
    ) -> Vec<(Rect, String)> {
        let mut cells = Vec::new();
        for key in &self.columns {
            let (rect, _) = row.col(|ui| match &mut self.editing {
                Some(edit) if edit.index == i && &edit.key == key => {
                    asked.edit_drawn = true;
                    match edit_cell(ui, edit) {
                        EditEnd::Going => {}
                        EditEnd::Dropped => asked.finished_edit = true,
                        EditEnd::Set(json) => {
                            asked.action = Some(TableAction::SetProperty(i, key.clone(), json));
                            asked.finished_edit = true;
                        }
                    }
                }
                _ => {
                    let text = feature.property(key).map(value_text).unwrap_or_default();
                    cell(ui, text);
                }
            });
            cells.push((rect, key.clone()));
        }
        cells
    }

    /// Row `i`'s nearest strip, aerodrome and town. Only rows on screen are measured,
    /// unless sorting needed them all.
    fn distance_cells(
        &self,
        row: &mut TableRow<'_, '_>,
        lang: Lang,
        context: &Context<'_>,
        version: Version,
        i: usize,
        fact: &Facts,
    ) {
        for slot in 0..3 {
            row.col(|ui| {
                let places = context.places(slot);
                let near = match &self.distances[slot] {
                    Some((s, all)) if *s == version => all[i],
                    _ => places.of(i, fact.lon_lat),
                };
                if let Some((a, m)) = near {
                    let name = places.names.get(a).map(String::as_str).unwrap_or("");
                    cell(ui, format!("{} km  {name}", lang.decimal(m / 1000.0, 1)));
                }
            });
        }
    }

    /// What a click on row `i` asks for: a click on a property cell of the selected row
    /// edits it, two clicks on the same row within half a second centre on it, one selects
    /// it.
    fn row_click(
        &mut self,
        response: &Response,
        cells: &[(Rect, String)],
        feature: &Feature,
        i: usize,
        selected: Option<usize>,
        version: Version,
    ) -> Option<RowClick> {
        // (The row's response is a union of its cells' and does not carry the count.)
        let now = response.ctx.input(|i| i.time);
        let double = response.clicked()
            && self
                .last_click
                .is_some_and(|(row, t)| row == i && now - t < DOUBLE_CLICK_S);
        if response.clicked() {
            self.last_click = Some((i, now));
        }
        let on_cell = response
            .interact_pointer_pos()
            .and_then(|p| cells.iter().find(|(r, _)| r.contains(p)));
        if response.clicked()
            && selected == Some(i)
            && self.editing.is_none()
            && let Some((_, key)) = on_cell
        {
            let raw = feature.property(key);
            let text = raw.map(value_text).unwrap_or_default();
            Some(RowClick::Edit(CellEdit {
                version,
                index: i,
                id: feature.id().as_str().to_owned(),
                key: key.clone(),
                shown: text.clone(),
                text,
                was_string: raw.is_some_and(|r| r.get().starts_with('"')),
            }))
        } else if double {
            Some(RowClick::Centre)
        } else if response.clicked() {
            Some(RowClick::Select)
        } else {
            None
        }
    }
}

/// The property cell being edited: a text field that keeps the focus until it is left;
/// what became of the edit.
fn edit_cell(ui: &mut Ui, edit: &mut CellEdit) -> EditEnd {
    let r = ui.add(egui::TextEdit::singleline(&mut edit.text).desired_width(ui.available_width()));
    if !r.has_focus() && !r.lost_focus() {
        r.request_focus();
    }
    if !r.lost_focus() {
        return EditEnd::Going;
    }
    let kept = ui.input(|i| !i.key_pressed(egui::Key::Escape));
    if !kept || edit.text == edit.shown {
        return EditEnd::Dropped;
    }
    EditEnd::Set(if edit.was_string {
        serde_json::to_string(&edit.text).unwrap_or_else(|_| "\"\"".to_owned())
    } else {
        text_json(&edit.text)
    })
}

/// A feature's facts: its status (`None` for what is not a strip), times destroyed and
/// rebuilt, last event and runway length.
fn fact_cells(row: &mut TableRow<'_, '_>, lang: Lang, fact: &Facts, status: Option<Status>) {
    row.col(|ui| {
        if let Some(s) = status {
            cell(
                ui,
                RichText::new(lang.status(s)).color(theme::status_colour(s)),
            );
        }
    });
    row.col(|ui| {
        cell(ui, fact.times_destroyed.to_string());
    });
    row.col(|ui| {
        cell(ui, fact.times_rebuilt.to_string());
    });
    row.col(|ui| {
        cell(
            ui,
            fact.last_event.map(|d| d.to_string()).unwrap_or_default(),
        );
    });
    row.col(|ui| {
        cell(
            ui,
            fact.runway_length_m
                .map(|m| format!("{} m", lang.decimal(m, 0)))
                .unwrap_or_default(),
        );
    });
}

/// A table cell's text: not selectable, so a click selects the row.
/// A cell's text on one line, cut with "…" where the column is narrower: every row the
/// same height (a long name wrapping made some rows taller than others).
fn cell(ui: &mut Ui, text: impl Into<egui::WidgetText>) {
    ui.add(egui::Label::new(text).selectable(false).truncate());
}
