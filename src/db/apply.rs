//! A sync's result brought into a document that went on being edited while it ran.
//!
//! The sync read this side as it was when it started (`before`) and made `merged`. Strips
//! the person did not touch meanwhile take the merged version. Strips they did touch get
//! their edits replayed on the merged version (a three-way merge with `before` as base,
//! their edits winning), and the merged version is their base: the next sync sends just
//! those edits, and never takes what was received for an edit undoing it.

use std::collections::{HashMap, HashSet};

use super::merge::{self, Keep, Outcome, Side, same_feature};
use super::state::Base;
use crate::edit::{Change, Command, EditKind};
use crate::model::{Document, Feature};

/// What to do with a finished sync.
#[derive(Debug)]
pub struct Applied {
    /// The edit that brings what was received into the document (empty: nothing to do).
    pub command: Command,
    /// The base to keep for the next sync.
    pub base: Base,
    /// Strips edited while the sync ran: their edits are kept, for the next sync to send.
    pub kept: Vec<String>,
}

fn by_id(doc: &Document) -> HashMap<&str, (usize, &Feature)> {
    doc.features
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), (i, f)))
        .collect()
}

/// Brings `merged` (made from `before`) into `now`, with the sync's `new_base` (and the
/// `old_base` it started from, for strips edited meanwhile).
pub fn apply(before: &Document, now: &Document, merged: &Document, base: Base) -> Applied {
    let (before_ids, now_ids, merged_ids) = (by_id(before), by_id(now), by_id(merged));
    let same = |a: Option<&Feature>, b: Option<&Feature>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => std::ptr::eq(a, b) || same_feature(a, b),
        _ => false,
    };
    let touched: HashSet<&str> = before_ids
        .keys()
        .chain(now_ids.keys())
        .copied()
        .filter(|id| {
            !same(
                before_ids.get(id).map(|x| x.1),
                now_ids.get(id).map(|x| x.1),
            )
        })
        .collect();
    let mut replaces = Vec::new();
    let mut removes = Vec::new();
    let mut inserts = Vec::new();
    for (id, (index, feature)) in &now_ids {
        if touched.contains(id) {
            // Their edits on top of what the sync made of the strip.
            let Some((_, m)) = merged_ids.get(id) else {
                continue;
            };
            let b = before_ids.get(id).map(|x| x.1);
            let (_, m_keys) = base.strip(id);
            let b_keys = b
                .map(|b| merge::keys_like(b.events(), m.events(), m_keys))
                .unwrap_or_default();
            if let Outcome::Merged(r) = merge::merge(
                Side::new(b, &b_keys),
                Side::new(Some(feature), &[]),
                Side::new(Some(m), m_keys),
                &|_| Some(Keep::Mine),
            ) && let Some(f) = r.feature
                && !same_feature(&f, feature)
            {
                replaces.push(Change::Replace {
                    index: *index,
                    feature: Box::new(f),
                });
            }
            continue;
        }
        match merged_ids.get(id) {
            Some((_, m)) if !same(Some(m), Some(feature)) => replaces.push(Change::Replace {
                index: *index,
                feature: Box::new((*m).clone()),
            }),
            Some(_) => {}
            None if before_ids.contains_key(id) => removes.push(*index),
            None => {}
        }
    }
    let mut next = now.features.len() - removes.len();
    for m in &merged.features {
        let id = m.id.as_str();
        if !now_ids.contains_key(id) && !before_ids.contains_key(id) && !touched.contains(id) {
            inserts.push(Change::Insert {
                index: next,
                feature: Box::new(m.clone()),
            });
            next += 1;
        }
    }
    // Replacements first (indices as they are now), then removals from the end, then the
    // new strips after what is left.
    removes.sort_unstable_by(|a, b| b.cmp(a));
    let mut changes = replaces;
    changes.extend(removes.into_iter().map(|index| Change::Remove { index }));
    changes.extend(inserts);
    let mut kept: Vec<String> = touched.iter().map(|s| (*s).to_owned()).collect();
    kept.sort();
    Applied {
        command: Command {
            kind: EditKind::Sync,
            changes,
        },
        base,
        kept,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Editor;
    use crate::model::{FeatureId, json_string};

    fn strip(id: &str, name: &str) -> Feature {
        Feature::new_strip(
            FeatureId::String(id.into()),
            name,
            geo::point!(x: -74.0, y: -12.0).into(),
        )
    }

    #[test]
    fn edits_made_while_a_sync_ran_are_kept_on_top_of_what_it_received() {
        let before = Document {
            features: vec![strip("a", "A"), strip("b", "B"), strip("c", "C")],
            foreign: Vec::new(),
        };
        // While the sync ran: "a" renamed here.
        let mut now = before.clone();
        now.features[0].set_name("A, renamed here");
        // The sync received: notes on "a", a new name for "b", "c" deleted, "d" added.
        let mut merged = before.clone();
        merged.features[0].set_property("notes", json_string("notes from the team"));
        merged.features[1].set_name("B from the team");
        merged.features.remove(2);
        merged.features.push(strip("d", "D"));
        let applied = apply(&before, &now, &merged, Base::default());
        assert_eq!(applied.kept, ["a"]);
        let mut editor = Editor::new(now);
        editor.apply(applied.command).expect("applies");
        let doc = editor.document();
        let names: Vec<&str> = doc.features.iter().map(|f| f.label()).collect();
        assert_eq!(names, ["A, renamed here", "B from the team", "D"]);
        assert_eq!(doc.features[0].notes(), Some("notes from the team"));
        // Undo takes the whole sync back in one step.
        assert!(editor.undo().is_some());
        assert_eq!(editor.document().features.len(), 3);
    }
}
