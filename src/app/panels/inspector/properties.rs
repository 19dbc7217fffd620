//! The inspector's other properties: one row per property, the value over the panel's
//! width, and a row to add one.

use egui::{RichText, Ui};

use crate::app::i18n::{Lang, T};
use crate::app::panels::inspector::{Edit, Inspector};
use crate::app::panels::values::text_json;
use crate::app::panels::values::value_text;
use crate::app::theme;
use crate::model::Feature;

impl Inspector {
    pub(super) fn properties_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        index: usize,
        feature: &Feature,
        edits: &mut Vec<Edit>,
    ) {
        ui.strong(lang.t(T::OtherProperties));
        // One row per property: the key in a column of its own, the value over the rest of
        // the panel's width (several lines when long), then the remove button.
        let key_w = (ui.available_width() * 0.3).clamp(70.0, 160.0);
        let read_only = self.read_only;
        for (key, text) in &mut self.properties {
            ui.horizontal(|ui| {
                let label = ui.add_sized([key_w, 18.0], egui::Label::new(key.as_str()).truncate());
                // The button is placed first from the right, so the value takes exactly the
                // width left: the panel never grows to fit it (and the map never shifts).
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if !read_only
                        && ui
                            .small_button("×")
                            .on_hover_text(lang.t(T::RemoveProperty))
                            .clicked()
                    {
                        edits.push(Edit::RemoveProperty(index, key.clone()));
                    }
                    let long = text.len() > 40 || text.contains('\n');
                    let edit = if long {
                        egui::TextEdit::multiline(text).desired_rows(2)
                    } else {
                        egui::TextEdit::singleline(text)
                    };
                    let width = ui.available_width().max(40.0);
                    let r = ui.add(edit.desired_width(width)).labelled_by(label.id);
                    if r.lost_focus() {
                        let old = feature.property(key).map(value_text).unwrap_or_default();
                        if *text != old {
                            edits.push(Edit::SetProperty(index, key.clone(), text_json(text)));
                        }
                    }
                });
            });
        }
        if !read_only {
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_key)
                        .hint_text(lang.t(T::Key))
                        .desired_width(key_w),
                );
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let add = ui.button(lang.t(T::Add)).clicked();
                    let width = ui.available_width().max(40.0);
                    ui.add(
                        egui::TextEdit::singleline(&mut self.new_value)
                            .hint_text(lang.t(T::Value))
                            .desired_width(width),
                    );
                    if add {
                        let key = self.new_key.trim().to_owned();
                        if key.is_empty()
                            || key == "events"
                            || crate::model::DERIVED_PROPERTIES.contains(&key.as_str())
                        {
                            self.property_error = Some(lang.t(T::BadKey).to_owned());
                        } else {
                            self.property_error = None;
                            edits.push(Edit::SetProperty(index, key, text_json(&self.new_value)));
                            self.new_key.clear();
                            self.new_value.clear();
                        }
                    }
                });
            });
        }
        if let Some(e) = &self.property_error {
            ui.colored_label(theme::ERROR_TEXT, e);
        }
        ui.label(RichText::new(lang.t(T::PropertiesHelp)).weak().small());
    }
}
