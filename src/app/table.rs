//! The table of the (filtered) features: sortable columns, virtual scrolling (only the rows
//! on screen are laid out), selection shared with the map, double-click to centre.

use egui::{RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};

use super::derived::ViewKey;
use super::document::Version;
use super::i18n::{Lang, T};
use super::theme;
use crate::analysis::{FactBook, Nearest};
use crate::model::{Document, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Id,
    Name,
    Status,
    Destroyed,
    Rebuilt,
    LastEvent,
    Length,
    NearestStrip,
    Aerodrome,
    Town,
}

const COLUMNS: [SortBy; 10] = [
    SortBy::Id,
    SortBy::Name,
    SortBy::Status,
    SortBy::Destroyed,
    SortBy::Rebuilt,
    SortBy::LastEvent,
    SortBy::Length,
    SortBy::NearestStrip,
    SortBy::Aerodrome,
    SortBy::Town,
];

/// A set of places to measure the nearest of: other strips, aerodromes or towns.
pub struct Places<'a> {
    pub nearest: &'a Nearest,
    pub names: &'a [String],
    /// For strips: each feature's own place index, so a strip is not its own neighbour.
    pub own: Option<&'a [Option<usize>]>,
}

impl Places<'_> {
    fn of(&self, index: usize, lon_lat: Option<(f64, f64)>) -> NearestPlace {
        let (lon, lat) = lon_lat?;
        let own = self.own.and_then(|o| o.get(index).copied().flatten());
        self.nearest.nearest(lon, lat, own)
    }
}

/// The three distance columns: nearest other strip, registered aerodrome and town.
pub struct Context<'a> {
    pub strips: Places<'a>,
    pub aerodromes: Places<'a>,
    pub towns: Places<'a>,
}

impl<'a> Context<'a> {
    fn places(&self, slot: usize) -> &Places<'a> {
        match slot {
            0 => &self.strips,
            1 => &self.aerodromes,
            _ => &self.towns,
        }
    }
}

fn distance_slot(col: SortBy) -> Option<usize> {
    match col {
        SortBy::NearestStrip => Some(0),
        SortBy::Aerodrome => Some(1),
        SortBy::Town => Some(2),
        _ => None,
    }
}

pub const ROW_HEIGHT: f32 = 20.0;

/// What the rows were derived for, sort column and direction.
type RowsKey = (ViewKey, SortBy, bool);
/// The nearest place's index and distance in metres.
type NearestPlace = Option<(usize, f64)>;

/// What the table shows: the document and what is derived from it for `key`.
pub struct Data<'a> {
    pub doc: &'a Document,
    pub facts: &'a FactBook,
    pub statuses: &'a [(Status, bool)],
    pub shown: &'a [bool],
    pub key: ViewKey,
    pub context: Context<'a>,
}

/// What a click in the table asked for.
pub enum TableAction {
    Select(usize),
    Centre(usize),
}

pub struct Table {
    pub sort: SortBy,
    pub ascending: bool,
    /// Row order for a (state, filter, date, sort) key.
    rows: Option<(RowsKey, Vec<usize>)>,
    /// Nearest strip, aerodrome and town of every feature (index, metres), per document
    /// state: computed only when a distance column is sorted.
    distances: [Option<(Version, Vec<NearestPlace>)>; 3],
    /// Scroll to this row on the next frame (selection made on the map).
    pub scroll_to: Option<usize>,
    /// The last row clicked and when, to tell a double-click.
    last_click: Option<(usize, f64)>,
}

const DOUBLE_CLICK_S: f64 = 0.5;

impl Default for Table {
    fn default() -> Self {
        Table {
            sort: SortBy::Name,
            ascending: true,
            rows: None,
            distances: [None, None, None],
            scroll_to: None,
            last_click: None,
        }
    }
}

impl Table {
    fn all_distances(
        &mut self,
        slot: usize,
        state: Version,
        facts: &FactBook,
        places: &Places<'_>,
    ) -> &[NearestPlace] {
        if self.distances[slot]
            .as_ref()
            .is_none_or(|(s, _)| *s != state)
        {
            let all = facts
                .facts
                .iter()
                .enumerate()
                .map(|(i, f)| places.of(i, f.lon_lat))
                .collect();
            self.distances[slot] = Some((state, all));
        }
        self.distances[slot]
            .as_ref()
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }

    /// The rows in display order.
    pub fn rows(&mut self, data: &Data<'_>) -> Vec<usize> {
        let Data {
            doc,
            facts,
            statuses,
            shown: visible,
            key,
            context,
        } = data;
        let full_key = (*key, self.sort, self.ascending);
        if let Some((k, rows)) = &self.rows
            && *k == full_key
        {
            return rows.clone();
        }
        let mut rows: Vec<usize> = (0..facts.facts.len())
            .filter(|&i| visible.get(i).copied().unwrap_or(false))
            .collect();
        match self.sort {
            SortBy::Id => {
                rows.sort_by(|&a, &b| doc.features[a].id.as_str().cmp(doc.features[b].id.as_str()))
            }
            SortBy::Name => rows.sort_by_cached_key(|&i| doc.features[i].label().to_lowercase()),
            SortBy::Status => rows.sort_by_key(|&i| statuses[i].0),
            SortBy::Destroyed => rows.sort_by_key(|&i| facts.facts[i].times_destroyed),
            SortBy::Rebuilt => rows.sort_by_key(|&i| facts.facts[i].times_rebuilt),
            SortBy::LastEvent => rows.sort_by_key(|&i| facts.facts[i].last_event),
            SortBy::Length => rows.sort_by(|&a, &b| {
                let (x, y) = (
                    facts.facts[a].runway_length_m,
                    facts.facts[b].runway_length_m,
                );
                x.unwrap_or(-1.0).total_cmp(&y.unwrap_or(-1.0))
            }),
            SortBy::NearestStrip | SortBy::Aerodrome | SortBy::Town => {
                let slot = distance_slot(self.sort).unwrap_or(1);
                let d = self
                    .all_distances(slot, key.version, facts, context.places(slot))
                    .to_vec();
                rows.sort_by(|&a, &b| {
                    let x = d[a].map_or(f64::MAX, |v| v.1);
                    let y = d[b].map_or(f64::MAX, |v| v.1);
                    x.total_cmp(&y)
                });
            }
        }
        if !self.ascending {
            rows.reverse();
        }
        self.rows = Some((full_key, rows.clone()));
        rows
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        data: &Data<'_>,
        selected: Option<usize>,
    ) -> Option<TableAction> {
        let rows = self.rows(data);
        let Data {
            doc,
            facts,
            statuses,
            key,
            context,
            ..
        } = data;
        let mut action = None;
        let scroll_row = self
            .scroll_to
            .take()
            .and_then(|i| rows.iter().position(|r| *r == i));
        let mut clicked_sort = None;
        // Ten columns are wider than the centre of a small window: scroll sideways.
        egui::ScrollArea::horizontal().show(ui, |ui| {
            let mut builder = TableBuilder::new(ui)
                .id_salt("strips-table")
                .striped(true)
                .resizable(true)
                .sense(Sense::click())
                .column(Column::initial(90.0).at_least(60.0))
                .column(Column::initial(140.0).at_least(80.0))
                .column(Column::initial(80.0))
                .column(Column::initial(90.0))
                .column(Column::initial(80.0))
                .column(Column::initial(88.0))
                .column(Column::initial(66.0))
                .column(Column::initial(160.0))
                .column(Column::initial(170.0))
                .column(Column::initial(150.0));
            if let Some(r) = scroll_row {
                builder = builder.scroll_to_row(r, Some(egui::Align::Center));
            }
            builder
                .header(ROW_HEIGHT + 4.0, |mut header| {
                    for col in COLUMNS {
                        header.col(|ui| {
                            let arrow = if self.sort == col {
                                if self.ascending { " ^" } else { " v" }
                            } else {
                                ""
                            };
                            if ui
                                .button(
                                    RichText::new(format!("{}{arrow}", column_title(lang, col)))
                                        .strong(),
                                )
                                .clicked()
                            {
                                clicked_sort = Some(col);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                        let i = rows[row.index()];
                        let feature = &doc.features[i];
                        let fact = &facts.facts[i];
                        row.set_selected(selected == Some(i));
                        row.col(|ui| {
                            cell(ui, feature.id.as_str());
                        });
                        row.col(|ui| {
                            cell(ui, feature.label());
                        });
                        row.col(|ui| {
                            if fact.strip {
                                let s = statuses[i].0;
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
                                    .map(|m| format!("{m:.0} m"))
                                    .unwrap_or_default(),
                            );
                        });
                        for slot in 0..3 {
                            row.col(|ui| {
                                // Only rows on screen are measured, unless sorting needed them all.
                                let places = context.places(slot);
                                let near = match &self.distances[slot] {
                                    Some((s, all)) if *s == key.version => all[i],
                                    _ => places.of(i, fact.lon_lat),
                                };
                                if let Some((a, m)) = near {
                                    let name =
                                        places.names.get(a).map(String::as_str).unwrap_or("");
                                    cell(ui, format!("{:.1} km  {name}", m / 1000.0));
                                }
                            });
                        }
                        let response = row.response();
                        // Two clicks on the same row within half a second: a double-click. (The
                        // row's response is a union of its cells' and does not carry the count.)
                        let now = response.ctx.input(|i| i.time);
                        let double = response.clicked()
                            && self
                                .last_click
                                .is_some_and(|(row, t)| row == i && now - t < DOUBLE_CLICK_S);
                        if response.clicked() {
                            self.last_click = Some((i, now));
                        }
                        if double {
                            action = Some(TableAction::Centre(i));
                        } else if response.clicked() {
                            action = Some(TableAction::Select(i));
                        }
                    });
                });
        });
        if let Some(col) = clicked_sort {
            if self.sort == col {
                self.ascending = !self.ascending;
            } else {
                self.sort = col;
                self.ascending = true;
            }
        }
        action
    }
}

/// A table cell's text: not selectable, so a click selects the row.
fn cell(ui: &mut Ui, text: impl Into<egui::WidgetText>) {
    ui.add(egui::Label::new(text).selectable(false));
}

fn column_title(lang: Lang, col: SortBy) -> &'static str {
    lang.t(match col {
        SortBy::Id => T::Id,
        SortBy::Name => T::Name,
        SortBy::Status => T::Status,
        SortBy::Destroyed => T::ColDestroyed,
        SortBy::Rebuilt => T::ColRebuilt,
        SortBy::LastEvent => T::ColLastEvent,
        SortBy::Length => T::ColLength,
        SortBy::NearestStrip => T::ColNearestStrip,
        SortBy::Aerodrome => T::ColAerodrome,
        SortBy::Town => T::ColTown,
    })
}
