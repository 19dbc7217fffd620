//! File ▸ Connect to database…, Sync, the conflicts review and the sync's place in the
//! status bar.

use crate::app::i18n::{Lang, T};
use crate::db::{Keep, Part, Picks, StripConflict};

/// The conflicts a sync left, with a side picked for each (none: still open).
pub struct ConflictReview {
    pub generation: u64,
    pub strips: Vec<StripConflict>,
    pub picks: Vec<Vec<Option<Keep>>>,
}

impl ConflictReview {
    pub fn new(generation: u64, strips: Vec<StripConflict>) -> Self {
        let picks = strips
            .iter()
            .map(|s| vec![None; s.conflicts.len()])
            .collect();
        ConflictReview {
            generation,
            strips,
            picks,
        }
    }

    pub(crate) fn chosen(&self) -> Picks {
        let mut picks = Picks::default();
        for (strip, sides) in self.strips.iter().zip(&self.picks) {
            for (conflict, side) in strip.conflicts.iter().zip(sides) {
                if let Some(side) = side {
                    picks
                        .each
                        .insert((strip.strip.clone(), conflict.part.clone()), *side);
                }
            }
        }
        picks
    }
}

pub(crate) fn part_label(lang: crate::app::i18n::Lang, part: &Part) -> String {
    match part {
        Part::Existence => lang.t(T::ConflictExistence).to_owned(),
        Part::Geometry => lang.t(T::ConflictGeometry).to_owned(),
        Part::Property(key) => key.clone(),
        Part::Event(_) => lang.t(T::ConflictEvent).to_owned(),
    }
}

/// What the person answered in the conflicts' review.
pub(crate) enum ReviewAnswer {
    /// Still choosing.
    Open,
    /// Closed for later; the conflicts stay in the status bar.
    Later,
    /// Sync again with these parts kept.
    Resolve(Picks),
}

impl ConflictReview {
    /// The review as a modal: each conflict with mine and theirs to pick from.
    pub(crate) fn ui(&mut self, ctx: &egui::Context, lang: Lang, depth: usize) -> ReviewAnswer {
        let mut answer = ReviewAnswer::Open;
        egui::Modal::new(egui::Id::unique(("pistas-modal", depth))).show(ctx, |ui| {
            ui.set_width(620.0);
            ui.heading(lang.t(T::ConflictsTitle));
            ui.label(lang.t(T::ConflictsHelp));
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (s, strip) in self.strips.iter().enumerate() {
                        ui.strong(format!("{} ({})", strip.label, strip.strip));
                        egui::Grid::new(("conflicts", s))
                            .num_columns(3)
                            .striped(true)
                            .show(ui, |ui| {
                                for (c, conflict) in strip.conflicts.iter().enumerate() {
                                    ui.label(part_label(lang, &conflict.part));
                                    let pick = &mut self.picks[s][c];
                                    ui.radio_value(
                                        pick,
                                        Some(Keep::Mine),
                                        format!("{}: {}", lang.t(T::Mine), conflict.mine),
                                    );
                                    ui.radio_value(
                                        pick,
                                        Some(Keep::Theirs),
                                        format!("{}: {}", lang.t(T::Theirs), conflict.theirs),
                                    );
                                    ui.end_row();
                                }
                            });
                        ui.add_space(6.0);
                    }
                });
            ui.label(egui::RichText::new(lang.t(T::ConflictsKept)).small());
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::AllMine)).clicked() {
                    self.picks
                        .iter_mut()
                        .flatten()
                        .for_each(|p| *p = Some(Keep::Mine));
                }
                if ui.button(lang.t(T::AllTheirs)).clicked() {
                    self.picks
                        .iter_mut()
                        .flatten()
                        .for_each(|p| *p = Some(Keep::Theirs));
                }
                let any = self.picks.iter().flatten().any(Option::is_some);
                if ui
                    .add_enabled(any, egui::Button::new(lang.t(T::ResolveAndSync)))
                    .clicked()
                {
                    answer = ReviewAnswer::Resolve(self.chosen());
                }
                if ui.button(lang.t(T::Later)).clicked() {
                    answer = ReviewAnswer::Later;
                }
            });
        });
        answer
    }
}
