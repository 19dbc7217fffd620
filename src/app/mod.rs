//! The window. For now a reader of one document: its strips, each strip's dated history,
//! and the problems found in the file. The map window (issue 3) builds on this.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::analysis::StripSummary;
use crate::io::{Diagnostic, read_bytes, read_path};
use crate::model::{Document, Status};

/// The bundled illustrative sample, shown when no file is given.
pub const SAMPLE_GEOJSON: &[u8] = include_bytes!("../../data/vraem-sample.geojson");
pub const SAMPLE_NAME: &str = "vraem-sample.geojson (illustrative sample)";

/// The state of the window.
pub struct PistasApp {
    title: String,
    document: Document,
    diagnostics: Vec<Diagnostic>,
    rejected: usize,
    selected: Option<usize>,
    today: NaiveDate,
    /// Each feature's status today, computed once per document rather than every frame.
    statuses: Vec<Status>,
}

impl PistasApp {
    /// Opens `file`, or the bundled sample when `None`. Bad features are listed, not loaded.
    pub fn new(file: Option<&Path>) -> Self {
        let (title, parsed) = match file {
            Some(path) => match read_path(path) {
                Ok(parsed) => (path.display().to_string(), parsed),
                Err(e) => {
                    let mut parsed = read_bytes(SAMPLE_GEOJSON, SAMPLE_NAME);
                    parsed
                        .diagnostics
                        .insert(0, io_diagnostic(path, &e.to_string()));
                    (SAMPLE_NAME.to_owned(), parsed)
                }
            },
            None => (
                SAMPLE_NAME.to_owned(),
                read_bytes(SAMPLE_GEOJSON, SAMPLE_NAME),
            ),
        };
        let today = chrono::Local::now().date_naive();
        let statuses = parsed
            .document
            .features
            .iter()
            .map(|f| StripSummary::of(f, today).status)
            .collect();
        PistasApp {
            title,
            rejected: parsed.rejected.len(),
            document: parsed.document,
            diagnostics: parsed.diagnostics,
            selected: None,
            today,
            statuses,
        }
    }

    fn strips_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Strips");
        ui.label(format!(
            "{} features, {} strips",
            self.document.features.len(),
            self.document.strips().count()
        ));
        ui.separator();
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (index, feature) in self.document.features.iter().enumerate() {
                if !feature.is_strip() {
                    continue;
                }
                let status = self.statuses[index];
                let text = format!("{}  ·  {}", feature.label(), status);
                let selected = self.selected == Some(index);
                if ui
                    .selectable_label(
                        selected,
                        egui::RichText::new(text).color(status_colour(status)),
                    )
                    .clicked()
                {
                    self.selected = Some(index);
                }
            }
        });
    }

    fn history_ui(&self, ui: &mut egui::Ui) {
        let Some(feature) = self.selected.and_then(|i| self.document.features.get(i)) else {
            ui.heading("Select a strip on the left to read its history.");
            return;
        };
        let summary = StripSummary::of(feature, self.today);
        ui.heading(feature.label());
        ui.label(format!("id {}", feature.id));
        ui.label(format!(
            "status today: {}   ·   destroyed {}, rebuilt {}",
            summary.status,
            times(summary.history.times_destroyed),
            times(summary.history.times_rebuilt)
        ));
        if let Some(length) = summary.runway_length_m {
            ui.label(format!(
                "runway {:.0} m, heading {:.0}°",
                length,
                summary.runway_heading_deg.unwrap_or(0.0)
            ));
        }
        if let Some(notes) = feature.notes() {
            ui.label(notes);
        }
        ui.separator();
        egui::Grid::new("history").striped(true).show(ui, |ui| {
            for header in ["date", "event", "confidence", "operation", "sources"] {
                ui.strong(header);
            }
            ui.end_row();
            for &i in &summary.history.order {
                let e = &feature.events()[i];
                ui.label(e.date.to_string());
                ui.label(e.kind.as_str());
                ui.label(e.confidence.map_or("", |c| c.as_str()));
                ui.label(e.operation.as_deref().unwrap_or(""));
                let sources: Vec<&str> = e.sources.iter().map(|s| s.label()).collect();
                ui.label(sources.join("; "));
                ui.end_row();
            }
        });
        for r in &summary.history.rebuilds {
            ui.label(format!(
                "rebuilt {} days after the destruction of {}",
                r.days,
                feature.events()[r.destroyed].date
            ));
        }
    }

    fn diagnostics_ui(&self, ui: &mut egui::Ui) {
        ui.strong(format!(
            "{} problems in the file; {} features with errors were not loaded",
            self.diagnostics.len(),
            self.rejected
        ));
        egui::ScrollArea::vertical()
            .max_height(120.0)
            .show(ui, |ui| {
                for d in &self.diagnostics {
                    ui.label(d.to_string());
                }
            });
    }
}

/// "never", "once", "twice", "3 times".
fn times(n: usize) -> String {
    match n {
        0 => "never".to_owned(),
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    }
}

fn io_diagnostic(path: &Path, message: &str) -> Diagnostic {
    Diagnostic {
        severity: crate::io::Severity::Error,
        file: path.display().to_string(),
        line: None,
        column: None,
        feature_index: None,
        feature_id: None,
        event_index: None,
        message: message.to_owned(),
    }
}

fn status_colour(status: Status) -> egui::Color32 {
    match status {
        Status::Active => egui::Color32::from_rgb(0xd6, 0x2f, 0x2f),
        Status::Rebuilt => egui::Color32::from_rgb(0xf5, 0x8c, 0x0a),
        Status::Destroyed => egui::Color32::from_rgb(0x7f, 0x7f, 0x7f),
        Status::Unknown => egui::Color32::from_rgb(0x4a, 0x9a, 0xd0),
    }
}

impl eframe::App for PistasApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::top("title").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong("Pistas");
                ui.label(&self.title);
            });
        });
        if !self.diagnostics.is_empty() {
            egui::Panel::bottom("diagnostics").show(ui, |ui| self.diagnostics_ui(ui));
        }
        egui::Panel::left("strips")
            .default_size(320.0)
            .show(ui, |ui| self.strips_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| self.history_ui(ui));
    }
}

/// Opens the window; blocks until it is closed.
pub fn run(file: Option<PathBuf>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Pistas")
            .with_inner_size([1200.0, 800.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Pistas",
        options,
        Box::new(move |_cc| Ok(Box::new(PistasApp::new(file.as_deref())))),
    )
}
