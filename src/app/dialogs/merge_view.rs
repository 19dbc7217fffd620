//! The merge review: every proposed match of an imported layer's features with the working
//! layer's, both sides' names, distance and events, a decision per match (merge, keep both,
//! skip) and a side per conflicting value. The matching and merging are `edit::merge`.

use egui::{RichText, Ui};

use crate::app::i18n::{Lang, T};
use crate::app::state::document::Version;
use crate::app::theme;
use crate::edit::merge::{self, Decision, MatchOptions, Plan, Proposal, Side};
use crate::model::{Document, Feature};

/// An open review.
pub struct MergeReview {
    /// The imported layer merged.
    pub key: u64,
    pub layer_name: String,
    pub options: MatchOptions,
    pub plan: Plan,
    pub decisions: Vec<Decision>,
    /// The working document's version the plan was made for.
    pub version: Version,
    /// The page of proposals shown (a large merge is reviewed a page at a time).
    page: usize,
}

/// Proposals per page of the review.
const PAGE: usize = 50;

/// What the person chose this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    None,
    Apply,
    Cancel,
    /// The options changed: match again.
    Rematch,
}

impl MergeReview {
    pub fn new(
        key: u64,
        layer_name: String,
        working: &Document,
        incoming: &Document,
        options: MatchOptions,
        version: Version,
    ) -> Self {
        let plan = merge::propose(working, incoming, &options);
        // Merging is the proposal; every conflict starts on the working side.
        let decisions = plan.default_decisions();
        MergeReview {
            key,
            layer_name,
            options,
            plan,
            decisions,
            version,
            page: 0,
        }
    }

    /// The review: the matching options, a summary, the proposals a page at a time with a
    /// decision each, and Apply or Cancel; what the person chose this frame.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        working: &Document,
        incoming: &Document,
    ) -> ReviewOutcome {
        ui.label(lang.t(T::MergeExplain));
        let rematch = self.options_ui(ui, lang);
        self.summary_ui(ui, lang);
        self.all_and_pages_ui(ui, lang);
        ui.separator();
        self.proposals_ui(ui, lang, working, incoming);
        ui.separator();
        match buttons_ui(ui, lang) {
            ReviewOutcome::None if rematch => ReviewOutcome::Rematch,
            chosen => chosen,
        }
    }

    /// The distance and name similarity that make a match; true when they were changed or
    /// "Match again" was clicked.
    fn options_ui(&mut self, ui: &mut Ui, lang: Lang) -> bool {
        let mut rematch = false;
        ui.horizontal(|ui| {
            let label = ui.label(lang.t(T::MatchWithin));
            let d = ui
                .add(
                    egui::DragValue::new(&mut self.options.within_m)
                        .range(0.0..=50_000.0)
                        .speed(10.0)
                        .suffix(" m"),
                )
                .labelled_by(label.id);
            let label = ui.label(lang.t(T::NameSimilarity));
            let s = ui
                .add(
                    egui::Slider::new(&mut self.options.min_similarity, 0.0..=1.0)
                        .fixed_decimals(2),
                )
                .labelled_by(label.id)
                .on_hover_text(lang.t(T::NameSimilarityHelp));
            if (d.changed() && !d.dragged()) || d.drag_stopped() || s.drag_stopped() {
                rematch = true;
            }
            if ui.button(lang.t(T::MatchAgain)).clicked() {
                rematch = true;
            }
        });
        rematch
    }

    /// How many matches were found, how many are merged and how many are left unmatched.
    fn summary_ui(&self, ui: &mut Ui, lang: Lang) {
        let merges = self
            .decisions
            .iter()
            .filter(|d| matches!(d, Decision::Merge(_)))
            .count();
        ui.label(
            RichText::new(lang.fill(
                T::MergeSummary,
                &[
                    &self.plan.proposals.len().to_string(),
                    &merges.to_string(),
                    &self.plan.unmatched.len().to_string(),
                ],
            ))
            .strong(),
        );
    }

    /// "Merge all" and "Skip all", and the pages when there are several.
    fn all_and_pages_ui(&mut self, ui: &mut Ui, lang: Lang) {
        ui.horizontal(|ui| {
            if ui.small_button(lang.t(T::MergeAll)).clicked() {
                for (d, p) in self.decisions.iter_mut().zip(&self.plan.proposals) {
                    *d = Decision::Merge(vec![Side::Working; p.conflicts.len()]);
                }
            }
            if ui.small_button(lang.t(T::SkipAll)).clicked() {
                self.decisions.fill(Decision::Skip);
            }
            let pages = self.plan.proposals.len().div_ceil(PAGE);
            if pages > 1 {
                ui.separator();
                if ui
                    .add_enabled(self.page > 0, egui::Button::new("<").small())
                    .on_hover_text(lang.t(T::PreviousPage))
                    .clicked()
                {
                    self.page -= 1;
                }
                ui.label(lang.fill(
                    T::PageOf,
                    &[&(self.page + 1).to_string(), &pages.to_string()],
                ));
                if ui
                    .add_enabled(self.page + 1 < pages, egui::Button::new(">").small())
                    .on_hover_text(lang.t(T::NextPage))
                    .clicked()
                {
                    self.page += 1;
                }
            }
        });
    }

    /// The page of proposals, each with its decision, then the features added unmatched;
    /// scrolled, above room for the buttons.
    fn proposals_ui(&mut self, ui: &mut Ui, lang: Lang, working: &Document, incoming: &Document) {
        let footer = 40.0;
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - footer).max(120.0))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if self.plan.proposals.is_empty() {
                    ui.label(lang.t(T::NoMatches));
                }
                let first = self.page * PAGE;
                for (n, proposal) in self
                    .plan
                    .proposals
                    .iter()
                    .enumerate()
                    .skip(first)
                    .take(PAGE)
                {
                    let sides = (
                        &working.features()[proposal.working],
                        &incoming.features()[proposal.incoming],
                    );
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_min_width(ui.available_width());
                        match_ui(ui, lang, n, proposal, sides);
                        decision_ui(ui, lang, n, proposal, &mut self.decisions[n]);
                    });
                }
                if !self.plan.unmatched.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new(lang.t(T::AddedUnmatched)).strong());
                    let names: Vec<&str> = self
                        .plan
                        .unmatched
                        .iter()
                        .map(|&i| incoming.features()[i].label())
                        .collect();
                    ui.label(names.join(", "));
                }
            });
    }
}

/// Proposal `n`: both sides' names and ids, why they were matched, and their events.
fn match_ui(ui: &mut Ui, lang: Lang, n: usize, proposal: &Proposal, (w, i): (&Feature, &Feature)) {
    egui::Grid::new(("merge-row", n))
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            ui.label(RichText::new(lang.t(T::Incoming)).weak());
            ui.label(RichText::new(format!("{}  ({})", i.label(), i.id())).strong());
            ui.end_row();
            ui.label(RichText::new(lang.t(T::WorkingSide)).weak());
            ui.label(RichText::new(format!("{}  ({})", w.label(), w.id())).strong());
            ui.end_row();
            ui.label(RichText::new(lang.t(T::MatchedBy)).weak());
            ui.label(why_matched(lang, proposal));
            ui.end_row();
            ui.label(RichText::new(lang.t(T::EventsLabel)).weak());
            ui.label(lang.fill(
                T::EventsBothSides,
                &[
                    &proposal.events_working.to_string(),
                    &proposal.events_incoming.to_string(),
                    &proposal.duplicate_events.to_string(),
                ],
            ));
            ui.end_row();
        });
}

/// Why a proposal was matched: the same id or near and alike, how far apart and how alike.
fn why_matched(lang: Lang, proposal: &Proposal) -> String {
    let mut why = match proposal.reason {
        merge::MatchReason::SameId => lang.t(T::SameId).to_owned(),
        merge::MatchReason::SameIdFar => lang.t(T::SameIdTooFar).to_owned(),
        merge::MatchReason::Near => lang.t(T::NearAndNamed).to_owned(),
    };
    if let Some(d) = proposal.distance_m {
        why += &format!(" · {}", lang.fill(T::MetresApart, &[&format!("{d:.0}")]));
    }
    if let Some(s) = proposal.similarity {
        why += &format!(
            " · {}",
            lang.fill(T::NamesAlike, &[&format!("{:.0}", s * 100.0)])
        );
    }
    why
}

/// Proposal `n`'s decision: merge, keep both or skip, and when merging, a side for each
/// conflicting value.
fn decision_ui(ui: &mut Ui, lang: Lang, n: usize, proposal: &Proposal, decision: &mut Decision) {
    let merging = matches!(decision, Decision::Merge(_));
    ui.horizontal(|ui| {
        if ui.radio(merging, lang.t(T::MergeThem)).clicked() && !merging {
            *decision = Decision::Merge(vec![Side::Working; proposal.conflicts.len()]);
        }
        if ui
            .radio(*decision == Decision::KeepBoth, lang.t(T::KeepBoth))
            .clicked()
        {
            *decision = Decision::KeepBoth;
        }
        if ui
            .radio(*decision == Decision::Skip, lang.t(T::SkipIt))
            .clicked()
        {
            *decision = Decision::Skip;
        }
    });
    if let Decision::Merge(picks) = decision
        && !proposal.conflicts.is_empty()
    {
        ui.label(RichText::new(lang.t(T::ConflictsPick)).color(theme::WARNING_TEXT));
        picks.resize(proposal.conflicts.len(), Side::Working);
        egui::Grid::new(("merge-conflicts", n))
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for (c, conflict) in proposal.conflicts.iter().enumerate() {
                    ui.label(RichText::new(conflict.field.label()).monospace());
                    ui.radio_value(&mut picks[c], Side::Working, short(&conflict.working))
                        .on_hover_text(lang.t(T::WorkingSide));
                    ui.radio_value(&mut picks[c], Side::Incoming, short(&conflict.incoming))
                        .on_hover_text(lang.t(T::Incoming));
                    ui.end_row();
                }
            });
    }
}

/// Apply and Cancel, and a word that a merge can be undone; the one clicked.
fn buttons_ui(ui: &mut Ui, lang: Lang) -> ReviewOutcome {
    let mut outcome = ReviewOutcome::None;
    ui.horizontal(|ui| {
        if ui
            .button(RichText::new(lang.t(T::ApplyMerge)).strong())
            .clicked()
        {
            outcome = ReviewOutcome::Apply;
        }
        if ui.button(lang.t(T::Cancel)).clicked() {
            outcome = ReviewOutcome::Cancel;
        }
        ui.label(RichText::new(lang.t(T::MergeUndo)).weak());
    });
    outcome
}

/// A value short enough for a radio button.
fn short(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        text.chars().take(MAX - 1).collect::<String>() + "…"
    }
}
