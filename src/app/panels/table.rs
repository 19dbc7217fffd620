//! The table of the (filtered) features: sortable columns, virtual scrolling (only the rows
//! on screen are laid out), selection shared with the map, double-click to centre.

use egui::{RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder, TableRow};

use crate::analysis::{FactBook, Nearest};
use crate::app::i18n::{Lang, T};
use crate::app::state::derived::{Derived, StripPlaces, ViewKey, context_places};
use crate::app::state::document::Version;
use crate::model::{Document, Status};

mod order;
mod rows;

use order::{property_cmp, sort_by_text};

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
    /// One of the file's own properties, by its place in [`Table::columns`].
    Property(usize),
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
    /// The places the table measures distances to: the strips, and South America's
    /// aerodromes and towns.
    pub fn of(strips: &'a StripPlaces) -> Self {
        let context = context_places();
        Context {
            strips: Places {
                nearest: &strips.nearest,
                names: &strips.names,
                own: Some(&strips.own),
            },
            aerodromes: Places {
                nearest: context.aerodromes,
                names: &context.aerodrome_names,
                own: None,
            },
            towns: Places {
                nearest: context.towns,
                names: &context.town_names,
                own: None,
            },
        }
    }

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

/// What the rows were derived for, sort column and direction, and the property columns.
type RowsKey = (ViewKey, SortBy, bool, u64);
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
    /// Every property key of the document, for the column chooser.
    pub property_keys: &'a [String],
}

impl<'a> Data<'a> {
    /// What the table shows for `key`, once the strips' places are computed.
    pub fn of(derived: &'a Derived, doc: &'a Document, key: ViewKey) -> Option<Self> {
        let places = derived.places_ready()?;
        Some(Data {
            doc,
            facts: &derived.facts,
            statuses: &derived.statuses,
            shown: &derived.shown,
            key,
            context: Context::of(places),
            property_keys: derived.property_keys(),
        })
    }
}

/// A property cell being edited: for one version of the document and one feature (by
/// index and id), so an edit can never land on another document or feature.
struct CellEdit {
    version: Version,
    index: usize,
    id: String,
    key: String,
    text: String,
    /// The text shown before editing: nothing is written when it is unchanged.
    shown: String,
    /// The value was a JSON string: it stays one whatever is typed.
    was_string: bool,
}

/// What a click in the table asked for.
pub enum TableAction {
    Select(usize),
    Centre(usize),
    /// A property cell was edited: feature, key, the new value as JSON.
    SetProperty(usize, String, String),
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
    /// The file's own properties shown as columns, in order.
    pub columns: Vec<String>,
    /// Changes whenever `columns` does.
    columns_generation: u64,
    /// The property cell being edited.
    editing: Option<CellEdit>,
}

impl Default for Table {
    fn default() -> Self {
        Table {
            sort: SortBy::Name,
            ascending: true,
            rows: None,
            distances: [None, None, None],
            scroll_to: None,
            last_click: None,
            columns: Vec::new(),
            columns_generation: 0,
            editing: None,
        }
    }
}

impl Table {
    /// Stops editing a cell (the table is not shown, or its document changed).
    pub fn cancel_edit(&mut self) {
        self.editing = None;
    }

    /// Shows `columns` as the property columns (a file's remembered choice).
    pub fn set_columns(&mut self, columns: Vec<String>) {
        if columns != self.columns {
            self.editing = None;
            self.columns = columns;
            self.columns_generation += 1;
            if matches!(self.sort, SortBy::Property(_)) {
                self.sort = SortBy::Name;
            }
        }
    }

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
            ..
        } = data;
        let full_key = (*key, self.sort, self.ascending, self.columns_generation);
        if let Some((k, rows)) = &self.rows
            && *k == full_key
        {
            return rows.clone();
        }
        let mut rows: Vec<usize> = (0..facts.facts.len())
            .filter(|&i| visible.get(i).copied().unwrap_or(false))
            .collect();
        match self.sort {
            // Each feature's key is looked up once, not at every comparison (a million
            // rows take some twenty million).
            SortBy::Id => sort_by_text(&mut rows, |i| doc.features()[i].id().as_str()),
            SortBy::Name => sort_by_text(&mut rows, |i| doc.features()[i].label()),
            SortBy::Status => rows.sort_by_key(|&i| statuses[i].0),
            SortBy::Property(k) => {
                let key = self.columns.get(k).cloned().unwrap_or_default();
                rows.sort_by(|&a, &b| {
                    property_cmp(
                        doc.features()[a].property(&key),
                        doc.features()[b].property(&key),
                    )
                })
            }
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

    /// The table: "Columns…", a header of sortable titles and a row per shown feature;
    /// answers the click or edit asked for.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        data: &Data<'_>,
        selected: Option<usize>,
    ) -> Option<TableAction> {
        let rows = self.rows(data);
        self.columns_ui(ui, lang, data.property_keys);
        let scroll_row = self
            .scroll_to
            .take()
            .and_then(|i| rows.iter().position(|r| *r == i));
        self.drop_stale_edit(data.doc, data.key.version);
        let mut asked = Asked::default();
        // Ten columns are wider than the centre of a small window: scroll sideways.
        egui::ScrollArea::horizontal().show(ui, |ui| {
            self.builder(ui, scroll_row)
                .header(ROW_HEIGHT + 4.0, |header| {
                    asked.sort = self.header_ui(header, lang);
                })
                .body(|body| {
                    body.rows(ROW_HEIGHT, rows.len(), |row| {
                        let i = rows[row.index()];
                        self.row_ui(row, lang, data, i, selected, &mut asked);
                    });
                });
        });
        self.carry_out(asked)
    }

    /// Ends an edit begun on another version of the document, or on a feature that is no
    /// longer at its index, unsaved.
    fn drop_stale_edit(&mut self, doc: &Document, version: Version) {
        if self.editing.as_ref().is_some_and(|e| {
            e.version != version
                || doc
                    .features()
                    .get(e.index)
                    .is_none_or(|f| f.id().as_str() != e.id)
        }) {
            self.editing = None;
        }
    }

    /// The table's columns, the file's own after the name; scrolled to `scroll_row`.
    fn builder<'u>(&self, ui: &'u mut Ui, scroll_row: Option<usize>) -> TableBuilder<'u> {
        let mut builder = TableBuilder::new(ui)
            .id_salt("strips-table")
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .column(Column::initial(90.0).at_least(60.0))
            .column(Column::initial(140.0).at_least(80.0));
        // The file's own columns come right after the name, where they are seen.
        for _ in &self.columns {
            builder = builder.column(Column::initial(120.0).at_least(50.0).clip(true));
        }
        builder = builder
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
    }

    /// The header: a button per column, its title with an arrow when sorted by it; the
    /// column clicked.
    fn header_ui(&self, mut header: TableRow<'_, '_>, lang: Lang) -> Option<SortBy> {
        let mut clicked = None;
        let properties = (0..self.columns.len()).map(SortBy::Property);
        let order = COLUMNS[..2]
            .iter()
            .copied()
            .chain(properties)
            .chain(COLUMNS[2..].iter().copied());
        for col in order {
            header.col(|ui| {
                let arrow = if self.sort == col {
                    if self.ascending { " ^" } else { " v" }
                } else {
                    ""
                };
                if ui
                    .button(RichText::new(format!("{}{arrow}", self.title(lang, col))).strong())
                    .clicked()
                {
                    clicked = Some(col);
                }
            });
        }
        clicked
    }

    /// Carries out what the frame asked of the table itself (the edit begun or ended, the
    /// sort) and answers the rest.
    fn carry_out(&mut self, asked: Asked) -> Option<TableAction> {
        // An edit whose cell was not drawn this frame (scrolled away, re-sorted, its row
        // filtered out) ends unsaved.
        if asked.finished_edit || !asked.edit_drawn {
            self.editing = None;
        }
        if let Some(edit) = asked.start_edit {
            self.editing = Some(edit);
        }
        if let Some(col) = asked.sort {
            if self.sort == col {
                self.ascending = !self.ascending;
            } else {
                self.sort = col;
                self.ascending = true;
            }
        }
        asked.action
    }
}

/// What the table's header and rows asked for in one frame.
#[derive(Default)]
struct Asked {
    action: Option<TableAction>,
    /// The column whose title was clicked.
    sort: Option<SortBy>,
    /// A property cell of the selected row was clicked: edit it.
    start_edit: Option<CellEdit>,
    /// The cell being edited lost the focus.
    finished_edit: bool,
    /// The cell being edited was drawn.
    edit_drawn: bool,
}

impl Table {
    fn title(&self, lang: Lang, col: SortBy) -> String {
        match col {
            SortBy::Property(k) => self.columns.get(k).cloned().unwrap_or_default(),
            col => column_title(lang, col).to_owned(),
        }
    }

    /// "Columns…": the file's own properties to show, each a checkbox.
    fn columns_ui(&mut self, ui: &mut Ui, lang: Lang, keys: &[String]) {
        ui.horizontal(|ui| {
            ui.menu_button(lang.t(T::Columns), |ui| {
                if keys.is_empty() {
                    ui.label(lang.t(T::NoProperties));
                }
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for key in keys {
                            let mut on = self.columns.contains(key);
                            if ui.checkbox(&mut on, key).changed() {
                                let mut columns = self.columns.clone();
                                if on {
                                    columns.push(key.clone());
                                } else {
                                    columns.retain(|c| c != key);
                                }
                                self.set_columns(columns);
                            }
                        }
                    });
            });
            ui.label(RichText::new(lang.t(T::ColumnsHelp)).weak().small());
        });
    }
}

fn column_title(lang: Lang, col: SortBy) -> &'static str {
    lang.t(match col {
        SortBy::Property(_) => T::Value,
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
