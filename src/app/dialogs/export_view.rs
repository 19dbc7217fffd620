//! The Export… dialog: which layer, which features (all, filtered, selected), the format, the
//! date the derived status is computed at, and coordinate rounding. The choices are
//! remembered between exports and sessions.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::io::Format;

/// Which features of the layer are exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
pub enum Scope {
    #[default]
    All,
    Filtered,
    Selected,
}

/// The remembered choices.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ExportChoices {
    /// Format name as on the command line (`geojson`, `csv`, `events-csv`, …).
    pub format: String,
    pub scope: Scope,
    /// `None`: the timeline's date.
    pub status_date: Option<NaiveDate>,
    /// Decimals coordinates are rounded to; `None` keeps them as they are.
    pub precision: Option<u8>,
    /// For publication: private sources and evidence, notes and local paths left out.
    pub public: bool,
}

impl Default for ExportChoices {
    fn default() -> Self {
        ExportChoices {
            format: Format::GeoJson.name().to_owned(),
            scope: Scope::All,
            status_date: None,
            precision: None,
            public: false,
        }
    }
}

impl ExportChoices {
    pub fn format(&self) -> Format {
        Format::from_name(&self.format).unwrap_or(Format::GeoJson)
    }
}

/// A layer the dialog can export: `None` is the working layer.
pub type LayerKey = Option<u64>;

/// How many features each scope would export, for the labels.
pub struct Counts {
    pub all: usize,
    pub filtered: usize,
    pub selected: usize,
}

/// The open dialog.
pub struct ExportDialog {
    pub layer: LayerKey,
    pub choices: ExportChoices,
    date_text: String,
    precision_on: bool,
    digits: u8,
    date_error: Option<String>,
}

/// What the person chose this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOutcome {
    None,
    Export,
    Cancel,
}

impl ExportDialog {
    pub fn new(choices: ExportChoices, layer: LayerKey) -> Self {
        ExportDialog {
            layer,
            date_text: choices
                .status_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            precision_on: choices.precision.is_some(),
            digits: choices.precision.unwrap_or(5),
            choices,
            date_error: None,
        }
    }

    /// `layers` are (key, name) with the working layer first; `counts` of the chosen layer.
    /// The choices a row each, then Export and Cancel; what the person chose this frame.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        layers: &[(LayerKey, String)],
        counts: &Counts,
        timeline_date: NaiveDate,
    ) -> ExportOutcome {
        egui::Grid::new("export-grid")
            .num_columns(2)
            .spacing([14.0, 8.0])
            .show(ui, |ui| {
                self.layer_row(ui, lang, layers);
                ui.end_row();
                self.scope_row(ui, lang, counts);
                ui.end_row();
                self.format_row(ui, lang);
                ui.end_row();
                self.date_row(ui, lang, timeline_date);
                ui.end_row();
                self.precision_row(ui, lang);
                ui.end_row();
                ui.label(lang.t(T::Publication));
                ui.checkbox(&mut self.choices.public, lang.t(T::ForPublication))
                    .on_hover_text(lang.t(T::ForPublicationHelp));
                ui.end_row();
            });
        if self.choices.scope == Scope::Filtered && counts.filtered == 0
            || self.choices.scope == Scope::Selected && counts.selected == 0
        {
            self.choices.scope = Scope::All;
        }
        ui.add_space(6.0);
        ui.label(RichText::new(lang.t(T::ExportRemembered)).weak());
        ui.separator();
        self.buttons_ui(ui, lang)
    }

    /// The layer to export, among `layers`.
    fn layer_row(&mut self, ui: &mut Ui, lang: Lang, layers: &[(LayerKey, String)]) {
        let label = ui.label(lang.t(T::ExportLayer));
        let current = layers
            .iter()
            .find(|(k, _)| *k == self.layer)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        egui::ComboBox::from_id_salt("export-layer")
            .selected_text(current)
            .width(260.0)
            .show_ui(ui, |ui| {
                for (key, name) in layers {
                    ui.selectable_value(&mut self.layer, *key, name);
                }
            })
            .response
            .labelled_by(label.id);
    }

    /// Which features: all, the filtered or the selected, each with its count (the last
    /// two only when there are some).
    fn scope_row(&mut self, ui: &mut Ui, lang: Lang, counts: &Counts) {
        ui.label(lang.t(T::ExportWhich));
        ui.vertical(|ui| {
            let scopes = [
                (Scope::All, T::ScopeAll, counts.all),
                (Scope::Filtered, T::ScopeFiltered, counts.filtered),
                (Scope::Selected, T::ScopeSelected, counts.selected),
            ];
            for (scope, text, n) in scopes {
                let enabled = scope == Scope::All || n > 0;
                ui.add_enabled_ui(enabled, |ui| {
                    ui.radio_value(
                        &mut self.choices.scope,
                        scope,
                        lang.fill(text, &[&n.to_string()]),
                    );
                });
            }
        });
    }

    /// The format to write.
    fn format_row(&mut self, ui: &mut Ui, lang: Lang) {
        let label = ui.label(lang.t(T::ExportFormat));
        let mut format = self.choices.format();
        egui::ComboBox::from_id_salt("export-format")
            .selected_text(lang.format(format).trim_end_matches('…'))
            .width(260.0)
            .show_ui(ui, |ui| {
                for f in Format::ALL {
                    ui.selectable_value(&mut format, f, lang.format(f).trim_end_matches('…'));
                }
            })
            .response
            .labelled_by(label.id);
        self.choices.format = format.name().to_owned();
    }

    /// The date the status is computed on: the timeline's, or one typed (checked as it is
    /// typed).
    fn date_row(&mut self, ui: &mut Ui, lang: Lang, timeline_date: NaiveDate) {
        ui.label(lang.t(T::StatusComputedOn));
        ui.vertical(|ui| {
            let mut own = self.choices.status_date.is_some() || !self.date_text.is_empty();
            if ui
                .radio(
                    !own,
                    lang.fill(T::TimelineDate, &[&timeline_date.to_string()]),
                )
                .clicked()
            {
                own = false;
                self.date_text.clear();
                self.choices.status_date = None;
                self.date_error = None;
            }
            ui.horizontal(|ui| {
                if ui.radio(own, lang.t(T::OtherDate)).clicked() && !own {
                    self.date_text = timeline_date.to_string();
                    self.choices.status_date = Some(timeline_date);
                }
                let edit = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.date_text)
                            .desired_width(100.0)
                            .hint_text("YYYY-MM-DD"),
                    )
                    .on_hover_text(lang.t(T::OtherDate));
                if edit.changed() {
                    self.read_date(lang);
                }
            });
            if let Some(e) = &self.date_error {
                ui.colored_label(theme::ERROR_TEXT, e);
            }
        });
    }

    /// Reads the date typed: a day, nothing (the timeline's), or an error to show.
    fn read_date(&mut self, lang: Lang) {
        match NaiveDate::parse_from_str(self.date_text.trim(), "%Y-%m-%d") {
            Ok(d) => {
                self.choices.status_date = Some(d);
                self.date_error = None;
            }
            Err(_) if self.date_text.trim().is_empty() => {
                self.choices.status_date = None;
                self.date_error = None;
            }
            Err(_) => self.date_error = Some(lang.t(T::BadDayText).to_owned()),
        }
    }

    /// Whether coordinates are rounded, and to how many decimals.
    fn precision_row(&mut self, ui: &mut Ui, lang: Lang) {
        ui.label(lang.t(T::Coordinates));
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.precision_on, lang.t(T::RoundCoordinates));
            ui.add_enabled(
                self.precision_on,
                egui::DragValue::new(&mut self.digits).range(0..=9),
            )
            .on_hover_text(lang.t(T::DecimalsHelp));
            ui.label(lang.t(T::Decimals));
        });
        self.choices.precision = self.precision_on.then_some(self.digits);
    }

    /// Export (not while the date typed is wrong) and Cancel; the one clicked.
    fn buttons_ui(&self, ui: &mut Ui, lang: Lang) -> ExportOutcome {
        let mut outcome = ExportOutcome::None;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    self.date_error.is_none(),
                    egui::Button::new(RichText::new(lang.t(T::ExportButton)).strong()),
                )
                .clicked()
            {
                outcome = ExportOutcome::Export;
            }
            if ui.button(lang.t(T::Cancel)).clicked() {
                outcome = ExportOutcome::Cancel;
            }
        });
        outcome
    }
}
