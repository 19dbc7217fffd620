//! What Pistas asks before it reads some files: a spreadsheet's preview (encoding,
//! separator, which columns are the coordinates and the id), and which layer of a
//! GeoPackage with several. Other files are read at once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::io::import::csv::{self, CsvPlan, CsvPreview, Locations, TableKind, TextEncoding};
use crate::io::import::gpkg::{self, LayerInfo};
use crate::io::{ImportOptions, InputFormat};

/// What a file is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFor {
    /// The working document.
    Open,
    /// An imported layer.
    Layer,
}

/// What the person chooses.
pub enum Choice {
    Csv {
        bytes: Arc<Vec<u8>>,
        preview: Box<CsvPreview>,
        /// Read the events CSV beside a strips CSV.
        with_events: bool,
    },
    Layer {
        layers: Vec<LayerInfo>,
        chosen: usize,
    },
}

/// A file waiting for the person's choices.
pub struct ImportDialog {
    pub path: PathBuf,
    pub purpose: ReadFor,
    pub choice: Choice,
    /// Why the file cannot be read as chosen.
    pub error: Option<String>,
}

impl ImportDialog {
    /// The dialog `path` needs before it is read, `Ok(None)` when it needs none, or why it
    /// cannot be read at all.
    pub fn needed(path: &Path, purpose: ReadFor) -> Result<Option<Self>, String> {
        let name = path.display().to_string();
        let choice = match InputFormat::of_file(path) {
            InputFormat::Csv => {
                let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
                let preview = csv::preview(&bytes, &name, Some(path)).map_err(|p| {
                    p.diagnostics
                        .first()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                })?;
                let with_events = preview.plan.events.is_some();
                Choice::Csv {
                    bytes: Arc::new(bytes),
                    preview: Box::new(preview),
                    with_events,
                }
            }
            InputFormat::GeoPackage => match gpkg::choice_needed(path) {
                Ok(Some(layers)) => Choice::Layer { layers, chosen: 0 },
                // An unreadable GeoPackage is read anyway, so its problem is reported
                // as any file's is.
                Ok(None) | Err(_) => return Ok(None),
            },
            _ => return Ok(None),
        };
        Ok(Some(ImportDialog {
            path: path.to_path_buf(),
            purpose,
            choice,
            error: None,
        }))
    }

    /// What to read the file with, as chosen.
    pub(crate) fn options(&self) -> ImportOptions {
        match &self.choice {
            Choice::Csv {
                preview,
                with_events,
                ..
            } => {
                let mut plan = preview.plan.clone();
                if !with_events {
                    plan.events = None;
                }
                ImportOptions {
                    csv: Some(plan),
                    ..ImportOptions::default()
                }
            }
            Choice::Layer { layers, chosen } => ImportOptions {
                layer: layers.get(*chosen).map(|l| l.name.clone()),
                ..ImportOptions::default()
            },
        }
    }
}

fn delimiter_label(lang: Lang, d: u8) -> String {
    match d {
        b'\t' => lang.t(T::ImportTab).to_owned(),
        other => format!("{}", other as char),
    }
}

/// A combo box of the columns, named by the label before it (`id` is also its salt);
/// `none` adds the empty choice.
fn column_combo(
    ui: &mut egui::Ui,
    id: &str,
    headers: &[String],
    value: &mut Option<usize>,
    none: Option<&str>,
    label: egui::Id,
) {
    let text = value
        .and_then(|i| headers.get(i).cloned())
        .unwrap_or_else(|| none.unwrap_or("").to_owned());
    egui::ComboBox::from_id_salt(id)
        .selected_text(text)
        .width(170.0)
        .show_ui(ui, |ui| {
            if let Some(none) = none {
                ui.selectable_value(value, None, none);
            }
            for (i, h) in headers.iter().enumerate() {
                ui.selectable_value(value, Some(i), h);
            }
        })
        .response
        .labelled_by(label);
}

/// The CSV part of the dialog: how to read the file, which columns say what, and its first
/// rows; the encoding and separator to make the preview again with, when they changed.
pub(crate) fn csv_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    path: &Path,
    preview: &mut CsvPreview,
    with_events: &mut bool,
) -> Option<(TextEncoding, u8)> {
    let mut again = None;
    let plan: &mut CsvPlan = &mut preview.plan;
    let headers = &preview.headers;
    egui::Grid::new("import-csv")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            again = reading_rows(ui, lang, plan);
            ui.label(lang.t(T::ImportLocations));
            ui.vertical(|ui| locations_ui(ui, lang, plan, headers));
            ui.end_row();
            if plan.kind != TableKind::PistasEvents {
                id_and_name_rows(ui, lang, plan, headers);
            }
        });
    kind_ui(ui, lang, plan, with_events);
    if let Some(problem) = &preview.problem
        && plan.locations == Locations::None
    {
        ui.colored_label(theme::ERROR_TEXT, problem.as_str());
    }
    ui.add_space(4.0);
    ui.label(
        egui::RichText::new(lang.fill(T::ImportFirstRows, &[&path.display().to_string()])).strong(),
    );
    first_rows_ui(ui, plan, headers, &preview.rows);
    again
}

/// The encoding and separator rows (and whether decimals have a comma); the encoding and
/// separator chosen, when either changed.
fn reading_rows(ui: &mut egui::Ui, lang: Lang, plan: &mut CsvPlan) -> Option<(TextEncoding, u8)> {
    ui.label(lang.t(T::ImportEncoding));
    let mut encoding = plan.encoding;
    egui::ComboBox::from_id_salt("import-encoding")
        .selected_text(encoding.label())
        .show_ui(ui, |ui| {
            for e in TextEncoding::ALL {
                ui.selectable_value(&mut encoding, e, e.label());
            }
        });
    ui.end_row();
    ui.label(lang.t(T::ImportSeparator));
    let mut delimiter = plan.delimiter;
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("import-separator")
            .selected_text(delimiter_label(lang, delimiter))
            .show_ui(ui, |ui| {
                for d in [b',', b';', b'\t', b'|'] {
                    ui.selectable_value(&mut delimiter, d, delimiter_label(lang, d));
                }
            });
        ui.checkbox(&mut plan.decimal_comma, lang.t(T::ImportDecimalComma));
    });
    ui.end_row();
    (encoding != plan.encoding || delimiter != plan.delimiter).then_some((encoding, delimiter))
}

/// Where the locations are: longitude and latitude columns, a WKT column, a column with
/// both, or none; a radio each, with its columns under the one chosen.
fn locations_ui(ui: &mut egui::Ui, lang: Lang, plan: &mut CsvPlan, headers: &[String]) {
    let lonlat = matches!(plan.locations, Locations::LonLat { .. });
    if ui.radio(lonlat, lang.t(T::ImportLonLat)).clicked() && !lonlat {
        plan.locations = Locations::LonLat {
            lon: 0,
            lat: 1.min(headers.len().saturating_sub(1)),
        };
    }
    if let Locations::LonLat { lon, lat } = &mut plan.locations {
        ui.horizontal(|ui| {
            let label = ui.label(lang.t(T::ImportLongitude));
            let mut l = Some(*lon);
            column_combo(ui, "import-lon", headers, &mut l, None, label.id);
            *lon = l.unwrap_or(*lon);
            let label = ui.label(lang.t(T::ImportLatitude));
            let mut l = Some(*lat);
            column_combo(ui, "import-lat", headers, &mut l, None, label.id);
            *lat = l.unwrap_or(*lat);
        });
    }
    let wkt = matches!(plan.locations, Locations::Wkt(_));
    let wkt_radio = ui.radio(wkt, lang.t(T::ImportWkt));
    if wkt_radio.clicked() && !wkt {
        plan.locations = Locations::Wkt(0);
    }
    if let Locations::Wkt(column) = &mut plan.locations {
        let mut c = Some(*column);
        column_combo(ui, "import-wkt", headers, &mut c, None, wkt_radio.id);
        *column = c.unwrap_or(*column);
    }
    let pair = matches!(plan.locations, Locations::Pair(_));
    let pair_radio = ui.radio(pair, lang.t(T::ImportPair));
    if pair_radio.clicked() && !pair {
        plan.locations = Locations::Pair(0);
    }
    if let Locations::Pair(column) = &mut plan.locations {
        let mut c = Some(*column);
        column_combo(ui, "import-pair", headers, &mut c, None, pair_radio.id);
        *column = c.unwrap_or(*column);
    }
    if ui
        .radio(
            plan.locations == Locations::None,
            lang.t(T::ImportNoLocations),
        )
        .clicked()
    {
        plan.locations = Locations::None;
    }
}

/// The rows choosing the id and name columns.
fn id_and_name_rows(ui: &mut egui::Ui, lang: Lang, plan: &mut CsvPlan, headers: &[String]) {
    let label = ui.label(lang.t(T::ImportId));
    column_combo(
        ui,
        "import-id",
        headers,
        &mut plan.id,
        Some(lang.t(T::ImportNone)),
        label.id,
    );
    ui.end_row();
    let label = ui.label(lang.t(T::ImportName));
    column_combo(
        ui,
        "import-name",
        headers,
        &mut plan.name,
        Some(lang.t(T::ImportNoName)),
        label.id,
    );
    ui.end_row();
}

/// A word on Pistas's own tables, and for its strips, whether to read the events beside.
fn kind_ui(ui: &mut egui::Ui, lang: Lang, plan: &CsvPlan, with_events: &mut bool) {
    match plan.kind {
        TableKind::PistasStrips => {
            ui.label(egui::RichText::new(lang.t(T::ImportOwnStrips)).small());
            if let Some(events) = &plan.events {
                let name = events
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ui.checkbox(with_events, lang.fill(T::ImportEventsFrom, &[&name]));
            }
        }
        TableKind::PistasEvents => {
            ui.label(egui::RichText::new(lang.t(T::ImportOwnEvents)).small());
        }
        TableKind::Table => {}
    }
}

/// The file's first rows under its headers, the location columns coloured and the id's in
/// italics.
fn first_rows_ui(ui: &mut egui::Ui, plan: &CsvPlan, headers: &[String], rows: &[Vec<String>]) {
    let highlighted: Vec<usize> = match plan.locations {
        Locations::LonLat { lon, lat } => vec![lon, lat],
        Locations::Wkt(c) | Locations::Pair(c) => vec![c],
        Locations::None => Vec::new(),
    };
    egui::ScrollArea::both()
        .max_height(220.0)
        .max_width(f32::INFINITY)
        .show(ui, |ui| {
            egui::Grid::new("import-rows")
                .striped(true)
                .spacing([10.0, 2.0])
                .show(ui, |ui| {
                    for (i, h) in headers.iter().enumerate() {
                        let mut text = egui::RichText::new(h).strong();
                        if highlighted.contains(&i) {
                            text = text.color(theme::IMPORT_COLUMN);
                        } else if plan.id == Some(i) {
                            text = text.italics();
                        }
                        ui.label(text);
                    }
                    ui.end_row();
                    for row in rows.iter().take(8) {
                        for (i, cell) in row.iter().enumerate() {
                            let shown: String = cell.chars().take(40).collect();
                            let mut text = egui::RichText::new(shown);
                            if highlighted.contains(&i) {
                                text = text.color(theme::IMPORT_COLUMN);
                            }
                            ui.label(text);
                        }
                        ui.end_row();
                    }
                });
        });
}
