//! The problems panel in the window: the file's diagnostics, going to the feature one is
//! about, and the offer of an id column.

use crate::app::i18n::T;
use crate::app::panels::inspector;
use crate::app::panels::problems::ProblemsOf;
use crate::app::state::selection::Selection;
use crate::app::{PistasApp, map, theme};

impl PistasApp {
    pub(crate) fn problems_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal_wrapped(|ui| {
            ui.strong(lang.fill(T::ProblemsIn, &[&self.problems.file]));
            let counts = lang.fill(
                T::ProblemCounts,
                &[
                    &lang.number(self.problems.errors()),
                    &lang.number(self.problems.warnings()),
                ],
            );
            let colour = if self.problems.errors() > 0 {
                theme::ERROR_TEXT
            } else {
                theme::WARNING_TEXT
            };
            ui.colored_label(colour, counts);
            let toggle = if self.problems.expanded {
                lang.t(T::HideList)
            } else {
                lang.t(T::ShowList)
            };
            if ui.small_button(toggle).clicked() {
                self.problems.expanded = !self.problems.expanded;
            }
            if ui.small_button(lang.t(T::Hide)).clicked() {
                self.problems.show = false;
            }
        });
        if self.problems.of == ProblemsOf::Working(self.doc.version().generation()) {
            self.id_column_ui(ui);
        }
        if !self.problems.expanded {
            return;
        }
        let mut clicked = None;
        let selectable = self.problems.of != ProblemsOf::Nothing;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (n, d) in self.problems.list.iter().enumerate() {
                    let colour = if d.is_error() {
                        theme::ERROR_TEXT
                    } else {
                        theme::WARNING_TEXT
                    };
                    let text = egui::RichText::new(d.to_string()).color(colour).monospace();
                    if selectable && d.feature_index.is_some() {
                        if ui
                            .link(text)
                            .on_hover_text(lang.t(T::ClickToSelect))
                            .clicked()
                        {
                            clicked = Some(n);
                        }
                    } else {
                        ui.label(text);
                    }
                }
            });
        if let Some(n) = clicked {
            self.select_problem(n);
        }
    }

    /// Selects the feature of problem `n`, in the layer the problems belong to, when that
    /// feature is still there (its index and id agree).
    fn select_problem(&mut self, n: usize) {
        let Some(d) = self.problems.list.get(n) else {
            return;
        };
        let Some(index) = d.feature_index else { return };
        let same = |f: &crate::model::Feature| {
            d.feature_id
                .as_deref()
                .is_none_or(|id| id == f.id().as_str())
        };
        let (selection, anchor) = match self.problems.of {
            ProblemsOf::Working(generation) if generation == self.doc.version().generation() => {
                if !self.doc.document().features().get(index).is_some_and(same) {
                    return;
                }
                let anchor = self.derived.cache.item(index);
                (Selection::Strip(index), anchor.map(|i| i.anchor))
            }
            ProblemsOf::Layer(key) => {
                let Some(layer) = self.layers.get(key) else {
                    return;
                };
                if !layer.document.features().get(index).is_some_and(same) {
                    return;
                }
                let anchor = layer.cache.item(index);
                (Selection::Layer { key, index }, anchor.map(|i| i.anchor))
            }
            _ => return,
        };
        self.set_selection(selection);
        if let Some(anchor) = anchor {
            let (lon, lat) = map::transform::lon_lat_of(anchor);
            self.map.go_to(lon, lat, 11.0);
        }
    }

    /// When features have no id of their own: offers to take one of their columns (a
    /// survey's `Airstrip ID`, say) as their id, as one undoable edit.
    fn id_column_ui(&mut self, ui: &mut egui::Ui) {
        let Some(found) = self.derived.id_columns(self.doc.document()) else {
            return;
        };
        let (assigned, columns) = (found.assigned, found.columns.clone());
        let lang = self.lang;
        let memory = egui::Id::unique("pistas-id-column");
        let mut chosen = ui
            .ctx()
            .data(|d| d.get_temp::<String>(memory))
            .filter(|c| columns.contains(c))
            .unwrap_or_else(|| {
                columns
                    .iter()
                    .find(|c| c.to_lowercase().contains("id"))
                    .unwrap_or(&columns[0])
                    .clone()
            });
        let mut take = false;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(lang.fill(T::NoIdsOwn, &[&lang.number(assigned)]));
            egui::ComboBox::from_id_salt("id-column")
                .selected_text(chosen.as_str())
                .show_ui(ui, |ui| {
                    for c in &columns {
                        ui.selectable_value(&mut chosen, c.clone(), c);
                    }
                })
                .response
                .labelled_by(label.id);
            take = ui.button(lang.t(T::UseAsId)).clicked();
        });
        ui.ctx().data_mut(|d| d.insert_temp(memory, chosen.clone()));
        if take {
            self.inspector_edit(inspector::Edit::TakeIds(chosen));
            self.drop_stale_id_warnings();
        }
    }

    /// After features took their ids from a column, the warnings that they had none are
    /// stale: those of features whose id changed, and the summary once none is left
    /// without one.
    fn drop_stale_id_warnings(&mut self) {
        let doc = self.doc.document();
        let none_left = self
            .derived
            .id_columns(doc)
            .is_none_or(|found| found.assigned == 0);
        self.problems.list.retain(|d| {
            if !d.is_missing_id() {
                return true;
            }
            match d.feature_index {
                Some(i) => doc
                    .features()
                    .get(i)
                    .is_some_and(|f| d.feature_id.as_deref() == Some(f.id().as_str())),
                None => !none_left,
            }
        });
        if self.problems.list.is_empty() {
            self.problems.show = false;
        }
    }
}
