//! Opening and importing in the window: reading a file in the background for a purpose
//! (open, import as a layer, merge), and the import preview's window.

use crate::app::PistasApp;
use crate::app::dialogs::import_view::{Choice, ImportDialog, ReadFor, csv_ui};
use crate::app::i18n::T;
use crate::app::state::jobs::OpenFor;
use crate::app::theme;
use crate::io::ImportOptions;
use crate::io::import::csv::{self};
use std::path::PathBuf;

impl PistasApp {
    /// Reads a file for the working document or as a layer, asking first what the file
    /// needs asked (a spreadsheet's columns, a GeoPackage's layer).
    pub(crate) fn read_for(&mut self, path: PathBuf, purpose: ReadFor) {
        if path
            .extension()
            .is_some_and(|e| e == crate::io::PROJECT_EXTENSION)
        {
            self.jobs
                .open(path, OpenFor::File, ImportOptions::default());
            return;
        }
        match ImportDialog::needed(&path, purpose) {
            Ok(Some(dialog)) => self
                .overlays
                .push(crate::app::state::overlays::Overlay::Import(Box::new(
                    dialog,
                ))),
            Ok(None) => self.start_read(path, purpose, ImportOptions::default()),
            Err(e) => self.overlays.message(e),
        }
    }

    fn start_read(&mut self, path: PathBuf, purpose: ReadFor, options: ImportOptions) {
        match purpose {
            ReadFor::Open => self.jobs.open(path, OpenFor::File, options),
            ReadFor::Layer => self.jobs.import(path, options),
        }
    }

    /// The dialog; false once it is closed.
    pub(crate) fn import_window(
        &mut self,
        ctx: &egui::Context,
        dialog: &mut ImportDialog,
        depth: usize,
    ) -> bool {
        let lang = self.lang;
        let mut keep = true;
        let mut read = false;
        egui::Modal::new(egui::Id::unique(("pistas-modal", depth))).show(ctx, |ui| {
            // A spreadsheet's preview needs room for its columns; a list of layers does not.
            ui.set_max_width(match dialog.choice {
                Choice::Csv { .. } => 760.0,
                Choice::Layer { .. } => 460.0,
            });
            let name = dialog
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match &mut dialog.choice {
                Choice::Csv {
                    bytes,
                    preview,
                    with_events,
                } => {
                    ui.heading(lang.fill(T::ImportCsvTitle, &[&name]));
                    if let Some((encoding, delimiter)) =
                        csv_ui(ui, lang, &dialog.path, preview, with_events)
                    {
                        let file = dialog.path.display().to_string();
                        match csv::preview_as(
                            bytes,
                            &file,
                            Some(&dialog.path),
                            Some(encoding),
                            Some(delimiter),
                        ) {
                            Ok(p) => {
                                **preview = p;
                                dialog.error = None;
                            }
                            Err(p) => dialog.error = p.diagnostics.first().map(ToString::to_string),
                        }
                    }
                }
                Choice::Layer { layers, chosen } => {
                    ui.heading(lang.t(T::ImportLayerTitle));
                    ui.label(lang.fill(T::ImportChooseLayer, &[&name]));
                    for (i, layer) in layers.iter().enumerate() {
                        let text = format!(
                            "{} — {} ({})",
                            layer.name,
                            layer.geometry_type,
                            lang.fill(T::ImportFeatures, &[&layer.count.to_string()])
                        );
                        ui.radio_value(chosen, i, text);
                    }
                }
            }
            if let Some(e) = &dialog.error {
                ui.colored_label(theme::ERROR_TEXT, e.as_str());
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::ImportButton)).clicked() {
                    read = true;
                }
                // Escape on an open drop-down closes the drop-down, not the dialog.
                let escape = !self.popup_at_start && ui.input(|i| i.key_pressed(egui::Key::Escape));
                if ui.button(lang.t(T::Cancel)).clicked() || escape {
                    keep = false;
                }
            });
        });
        if read {
            let options = dialog.options();
            self.start_read(dialog.path.clone(), dialog.purpose, options);
            keep = false;
        }
        keep
    }
}
