//! The problems panel: what reading a file found, for the working layer or an imported
//! layer. A click on a problem selects its feature in the layer the problems belong to, and
//! only while that layer still holds the document they were found in.

use std::path::Path;

use crate::app::i18n::T;
use crate::app::panels::inspector;
use crate::app::state::selection::Selection;
use crate::app::{PistasApp, map, theme};
use crate::io::{Diagnostic, Severity};

/// Whose problems are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemsOf {
    /// A file that could not be opened: nothing to select.
    Nothing,
    /// The working layer's document of this generation.
    Working(u64),
    /// The imported layer with this key.
    Layer(u64),
}

pub struct Problems {
    of: ProblemsOf,
    pub file: String,
    pub list: Vec<Diagnostic>,
    pub show: bool,
    /// The whole list, not only its one-line summary.
    pub expanded: bool,
}

impl Default for Problems {
    fn default() -> Self {
        Problems {
            of: ProblemsOf::Nothing,
            file: String::new(),
            list: Vec::new(),
            show: false,
            expanded: false,
        }
    }
}

impl Problems {
    /// Lists `list`, found in `file`; the panel opens when there is something to show.
    pub fn set(&mut self, of: ProblemsOf, file: &Path, list: Vec<Diagnostic>) {
        self.of = of;
        self.file = file.display().to_string();
        self.show = !list.is_empty();
        // Errors and a few warnings are listed at once; warnings only (a survey's 1,269
        // "no id") are a line until opened, so the map keeps the room.
        let errors = list.iter().any(Diagnostic::is_error);
        self.expanded = list.len() <= 3 || (errors && list.len() <= 50);
        self.list = list;
    }

    /// Adds `list` to what is listed for `of`, or lists it alone when another layer's
    /// problems were listed.
    pub fn extend(&mut self, of: ProblemsOf, file: &Path, list: Vec<Diagnostic>) {
        if self.of == of {
            self.show |= !list.is_empty();
            self.list.extend(list);
        } else {
            self.set(of, file, list);
        }
    }

    pub fn clear(&mut self) {
        *self = Problems::default();
    }

    pub fn warnings(&self) -> usize {
        self.list.len() - self.errors()
    }

    pub fn errors(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

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
        self.selection = selection;
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
