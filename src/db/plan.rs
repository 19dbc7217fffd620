//! The merge step of a sync: every strip either side changed, merged three-way, and what
//! follows from each (what to write to or delete from the database, the unkept side of a
//! resolved conflict to record, and the lines of the report).

use std::collections::{BTreeSet, HashMap};

use super::connect::Target;
use super::merge::{self, Conflict, Keep, Merged, Outcome, Part, Side};
use super::remote::Write;
use super::report::{ChangeKind, EventCounts, Resolved, StripChange, StripConflict, SyncReport};
use super::same::{keys_like, same_feature};
use super::state::Base;
use crate::model::{Document, Feature};

/// Features by id, hashed fast.
pub(super) type Map<'a, V> = HashMap<&'a str, V, foldhash::fast::RandomState>;

/// The three sides of the strips a sync looks at, by id.
pub(super) struct Sides<'a> {
    pub base: Option<&'a Base>,
    pub base_by_id: Map<'a, &'a Feature>,
    pub local: &'a Document,
    /// This side's strips with their places in its document.
    pub local_by_id: Map<'a, (usize, &'a Feature)>,
    pub remote_by_id: HashMap<&'a str, &'a Feature>,
    /// The row keys of the database's strips' read events.
    pub remote_keys: &'a HashMap<String, Vec<String>>,
}

/// One strip's three sides, as the merge saw them.
struct Strip<'a> {
    id: &'a String,
    mine: Option<&'a Feature>,
    theirs: Option<&'a Feature>,
    their_keys: &'a [String],
    mine_keys: &'a [String],
}

/// What a sync's merge decided.
#[derive(Default)]
pub(super) struct Plan {
    pub report: SyncReport,
    /// Every strip merged without conflicts left, as both sides are to hold it.
    pub merged: HashMap<String, (Option<Feature>, Vec<String>)>,
    /// Strips to write to the database, with their places.
    pub to_write: Vec<(String, usize)>,
    pub to_delete: Vec<String>,
    /// The unkept sides of resolved conflicts: strip, record, why.
    pub unkept: Vec<(String, String, String)>,
}

impl Plan {
    /// Merges the candidate strips in id order. `pick` chooses a side for a strip's
    /// conflict, or leaves it open.
    pub(super) fn make(
        sides: &Sides,
        candidates: &BTreeSet<String>,
        pick: &dyn Fn(&str, &Part) -> Option<Keep>,
        target: &Target,
    ) -> Plan {
        let mut plan = Plan::default();
        let no_keys: Vec<String> = Vec::new();
        for id in candidates {
            let base_feature = sides.base_by_id.get(id.as_str()).copied();
            let base_keys = sides
                .base
                .and_then(|b| b.state.strips.get(id))
                .map_or(&no_keys[..], |s| s.keys.as_slice());
            let mine = sides.local_by_id.get(id.as_str()).map(|(_, f)| *f);
            let theirs = sides.remote_by_id.get(id.as_str()).copied();
            let their_keys = sides.remote_keys.get(id).unwrap_or(&no_keys);
            // This side's events keep the keys of the base events they are; new ones get new
            // keys (a strip new here is written with all its events).
            let mine_keys = mine.map_or_else(Vec::new, |m| {
                let base_events = base_feature.map_or(&[][..], |b| b.events());
                keys_like(m.events(), base_events, base_keys)
            });
            let outcome = merge::merge(
                Side::new(base_feature, base_keys),
                Side::new(mine, &mine_keys),
                Side::new(theirs, their_keys),
                &|part| pick(id, part),
            );
            let strip = Strip {
                id,
                mine,
                theirs,
                their_keys,
                mine_keys: &mine_keys,
            };
            match outcome {
                Outcome::Conflicts(conflicts) => plan.report.conflicts.push(StripConflict {
                    strip: id.clone(),
                    label: mine
                        .or(theirs)
                        .map_or_else(|| id.clone(), |f| f.label().to_owned()),
                    conflicts,
                }),
                Outcome::Merged(m) => plan.take(sides, &strip, *m, target),
            }
        }
        plan
    }

    /// Notes a merged strip: the unkept sides of the conflicts a pick resolved, whether it
    /// goes to the database (written or deleted) and whether it comes to this side.
    fn take(&mut self, sides: &Sides, strip: &Strip, m: Merged, target: &Target) {
        let Strip {
            id,
            mine,
            theirs,
            their_keys,
            mine_keys,
        } = *strip;
        for (conflict, keep) in &m.resolved {
            let (record, why) = unkept_record(conflict, *keep, mine, theirs, target);
            self.unkept.push((id.clone(), record, why));
        }
        let label = m
            .feature
            .as_ref()
            .or(mine)
            .or(theirs)
            .map_or_else(|| id.clone(), |f| f.label().to_owned());
        self.report
            .resolved
            .extend(m.resolved.iter().map(|(conflict, keep)| Resolved {
                strip: id.clone(),
                label: label.clone(),
                part: conflict.part.clone(),
                kept: *keep,
            }));
        let after = m.feature.as_ref().map(|f| (f, m.keys.as_slice()));
        let change = |before: Option<&Feature>, keys: &[String]| StripChange {
            id: id.clone(),
            label: label.clone(),
            kind: match (before, &m.feature) {
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Deleted,
                _ => ChangeKind::Changed,
            },
            events: EventCounts::between(before.map(|f| (f, keys)), after),
        };
        let remote_same = match (&m.feature, theirs) {
            (Some(f), Some(t)) => same_feature(f, t) && their_keys == m.keys,
            (None, None) => true,
            _ => false,
        };
        let local_same = match (&m.feature, mine) {
            (Some(f), Some(l)) => same_feature(f, l),
            (None, None) => true,
            _ => false,
        };
        if !remote_same {
            match &m.feature {
                Some(_) => {
                    let position = sides
                        .local_by_id
                        .get(id.as_str())
                        .map(|(i, _)| *i)
                        .unwrap_or(sides.local.features().len() + self.to_write.len());
                    self.to_write.push((id.clone(), position));
                }
                None => self.to_delete.push(id.clone()),
            }
            self.report.sent.push(change(theirs, their_keys));
        }
        if !local_same {
            self.report.received.push(change(mine, mine_keys));
        }
        self.merged.insert(id.clone(), (m.feature, m.keys));
    }

    /// The strips to write, as the database writer takes them.
    pub(super) fn writes(&self) -> Vec<Write<'_>> {
        self.to_write
            .iter()
            .filter_map(|(id, position)| {
                let (feature, keys) = self.merged.get(id)?;
                Some(Write {
                    feature: feature.as_ref()?,
                    position: *position,
                    keys,
                })
            })
            .collect()
    }
}

/// The record of the side of a conflict a pick did not keep, with the whole strip as that
/// side had it so nothing is lost; and why it was not kept.
fn unkept_record(
    conflict: &Conflict,
    keep: Keep,
    mine: Option<&Feature>,
    theirs: Option<&Feature>,
    target: &Target,
) -> (String, String) {
    let (side, value, unkept_feature) = match keep {
        Keep::Mine => ("theirs", &conflict.theirs, theirs),
        Keep::Theirs => ("mine", &conflict.mine, mine),
    };
    let strip = unkept_feature
        .map(feature_json)
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let record = serde_json::json!({
        "part": conflict.part.label(),
        "side": side,
        "value": value,
        "by": target.config.get_user(),
        "strip": strip,
    });
    let kept = if keep == Keep::Mine { "mine" } else { "theirs" };
    (record.to_string(), format!("sync kept {kept}"))
}

/// A feature as the GeoJSON a file would hold.
fn feature_json(feature: &Feature) -> String {
    let doc = Document::of_one(feature.clone());
    let text = crate::io::write_geojson(&doc, &crate::io::WriteOptions::default());
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("features")?.get(0).map(|f| f.to_string()))
        .unwrap_or_default()
}
