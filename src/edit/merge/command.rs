//! The merge as one undoable command, and its report: what became of each incoming feature.

use std::collections::HashSet;

use super::join::{MergeCounts, merge_features};
use super::plan::{Decision, Plan, Proposal, Side};
use crate::edit::changes::Change;
use crate::edit::command::{Command, EditKind};
use crate::model::{Document, Feature, FeatureId};

/// What became of an incoming feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAction {
    Merged,
    KeptBoth,
    Skipped,
    /// The same feature was already in the working layer.
    AlreadyThere,
    /// Nothing matched it: added as it is.
    Added,
}

impl RowAction {
    /// As the report's CSV says it.
    pub fn as_str(self) -> &'static str {
        match self {
            RowAction::Merged => "merged",
            RowAction::KeptBoth => "kept both",
            RowAction::Skipped => "skipped",
            RowAction::AlreadyThere => "already there",
            RowAction::Added => "added",
        }
    }

    /// Whether the feature is now a feature of its own in the working layer.
    pub fn added_a_feature(self) -> bool {
        matches!(self, RowAction::Added | RowAction::KeptBoth)
    }
}

impl From<&Decision> for RowAction {
    fn from(decision: &Decision) -> Self {
        match decision {
            Decision::Merge(_) => RowAction::Merged,
            Decision::KeepBoth => RowAction::KeptBoth,
            Decision::Skip => RowAction::Skipped,
        }
    }
}

/// One line of a merge report: what became of an incoming feature.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub incoming_id: String,
    pub incoming_name: String,
    pub action: RowAction,
    pub working_id: String,
    pub working_name: String,
    pub reason: &'static str,
    pub distance_m: Option<f64>,
    pub similarity: Option<f64>,
    pub counts: MergeCounts,
    /// `key: kept working|took incoming` per conflict.
    pub conflicts: String,
}

/// The merge as one undoable command, and a report row per incoming feature.
///
/// Merged features replace their working feature in place; kept-both and unmatched features
/// are appended, with a new id when theirs is taken.
pub fn merge_command(
    working: &Document,
    incoming: &Document,
    plan: &Plan,
    decisions: &[Decision],
) -> (Command, Vec<ReportRow>) {
    let mut changes = Vec::new();
    let mut rows = Vec::new();
    let mut appender = Appender {
        used: working
            .features()
            .iter()
            .map(|f| f.id().as_str().to_owned())
            .collect(),
        next: working.features().len(),
    };
    for (n, proposal) in plan.proposals.iter().enumerate() {
        let decision = decisions.get(n).cloned().unwrap_or(Decision::Skip);
        let (w, i) = (
            &working.features()[proposal.working],
            &incoming.features()[proposal.incoming],
        );
        let mut counts = MergeCounts::default();
        let mut conflict_text = String::new();
        match &decision {
            Decision::Merge(picks) => {
                let (merged, c) = merge_features(w, i, picks);
                counts = c;
                conflict_text = conflicts_text(proposal, picks);
                changes.push(Change::Replace {
                    index: proposal.working,
                    feature: Box::new(merged),
                });
            }
            Decision::KeepBoth => appender.append(i, &mut changes),
            Decision::Skip => {}
        }
        rows.push(ReportRow {
            incoming_id: i.id().to_string(),
            incoming_name: i.name().unwrap_or("").to_owned(),
            action: RowAction::from(&decision),
            working_id: w.id().to_string(),
            working_name: w.name().unwrap_or("").to_owned(),
            reason: proposal.reason.as_str(),
            distance_m: proposal.distance_m,
            similarity: proposal.similarity,
            counts,
            conflicts: conflict_text,
        });
    }
    for &i in &plan.identical {
        let feature = &incoming.features()[i];
        rows.push(ReportRow::unmatched(
            feature,
            RowAction::AlreadyThere,
            MergeCounts::default(),
        ));
    }
    for &i in &plan.unmatched {
        let feature = &incoming.features()[i];
        appender.append(feature, &mut changes);
        let counts = MergeCounts {
            events_added: feature.events().len(),
            ..MergeCounts::default()
        };
        rows.push(ReportRow::unmatched(feature, RowAction::Added, counts));
    }
    // Replacements name the working document's indices; appends go after its end, so
    // they never shift them and the order of the changes does not matter.
    (
        Command {
            kind: EditKind::Merge,
            changes,
        },
        rows,
    )
}

/// Appends features after the working document's end, each with an id of its own.
struct Appender {
    /// The ids taken so far.
    used: HashSet<String>,
    /// The index of the next feature appended.
    next: usize,
}

impl Appender {
    /// Adds an insert of `feature` to `changes`; a feature whose id is taken gets a new one
    /// (`id-2`, `id-3`, …).
    fn append(&mut self, feature: &Feature, changes: &mut Vec<Change>) {
        let mut feature = feature.clone();
        if !self.used.insert(feature.id().as_str().to_owned()) {
            let base = feature.id().as_str().to_owned();
            let fresh = (2..)
                .map(|n| format!("{base}-{n}"))
                .find(|c| !self.used.contains(c))
                .unwrap_or(base);
            self.used.insert(fresh.clone());
            // A feature whose file gave it no id keeps an id for this session only.
            if feature.id_assigned() {
                feature.assign_id(FeatureId::String(fresh));
            } else {
                feature.set_id(FeatureId::String(fresh));
            }
        }
        changes.push(Change::Insert {
            index: self.next,
            feature: Box::new(feature),
        });
        self.next += 1;
    }
}

/// `key: kept working|took incoming` for each conflict of a proposal, as `picks` decided.
fn conflicts_text(proposal: &Proposal, picks: &[Side]) -> String {
    proposal
        .conflicts
        .iter()
        .enumerate()
        .map(|(k, conflict)| {
            let side = match picks.get(k).copied().unwrap_or_default() {
                Side::Working => "kept working",
                Side::Incoming => "took incoming",
            };
            format!("{}: {side}", conflict.field.label())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl ReportRow {
    /// The row of an incoming feature no working feature was matched with.
    fn unmatched(feature: &Feature, action: RowAction, counts: MergeCounts) -> Self {
        ReportRow {
            incoming_id: feature.id().to_string(),
            incoming_name: feature.name().unwrap_or("").to_owned(),
            action,
            working_id: String::new(),
            working_name: String::new(),
            reason: "",
            distance_m: None,
            similarity: None,
            counts,
            conflicts: String::new(),
        }
    }
}

/// The report as CSV, one row per incoming feature.
pub fn report_csv(rows: &[ReportRow]) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "incoming_id",
        "incoming_name",
        "action",
        "working_id",
        "working_name",
        "matched_by",
        "distance_m",
        "name_similarity",
        "events_added",
        "duplicate_events",
        "sources_added",
        "properties_added",
        "conflicts",
    ])?;
    for r in rows {
        w.write_record([
            r.incoming_id.clone(),
            r.incoming_name.clone(),
            r.action.as_str().to_owned(),
            r.working_id.clone(),
            r.working_name.clone(),
            r.reason.to_owned(),
            r.distance_m.map(|d| format!("{d:.1}")).unwrap_or_default(),
            r.similarity.map(|s| format!("{s:.2}")).unwrap_or_default(),
            r.counts.events_added.to_string(),
            r.counts.duplicate_events.to_string(),
            r.counts.sources_added.to_string(),
            r.counts.properties_added.to_string(),
            r.conflicts.clone(),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
