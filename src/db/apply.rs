//! A sync's result brought into a document that went on being edited while it ran.
//!
//! The sync read this side as it was when it started (`before`) and made `merged`. Strips
//! the person did not touch meanwhile take the merged version. Strips they did touch get
//! their edits replayed on the merged version (a three-way merge with `before` as base,
//! their edits winning), and the merged version is their base: the next sync sends just
//! those edits, and never takes what was received for an edit undoing it.

use std::collections::HashMap;

use super::merge::{self, Keep, Outcome, Side};
use super::same::{keys_like, same_feature};
use super::settle::Synced;
use crate::edit::{Change, Command, EditKind};
use crate::model::{Document, Feature};

/// What to do with a finished sync (the base takes [`Synced::settle_base`]).
#[derive(Debug)]
pub struct Applied {
    /// The edit that brings what was received into the document (empty: nothing to do).
    pub command: Command,
    /// Strips edited while the sync ran: their edits are kept, for the next sync to send.
    pub kept: Vec<String>,
}

/// The edit that makes the ids Pistas gave features without one their own (a strip in a
/// database needs a lasting id: one given by position would point at another strip once
/// a feature before it is deleted). `None` when every feature has its own.
pub fn keep_given_ids(doc: &Document) -> Option<Command> {
    let changes: Vec<Change> = doc
        .features()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.id_assigned())
        .map(|(index, f)| {
            let mut f = f.clone();
            f.set_id(f.id().clone());
            Change::Replace {
                index,
                feature: Box::new(f),
            }
        })
        .collect();
    (!changes.is_empty()).then_some(Command {
        kind: EditKind::SetIds,
        changes,
    })
}

fn by_id(doc: &Document) -> HashMap<&str, (usize, &Feature)> {
    doc.features()
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id().as_str(), (i, f)))
        .collect()
}

/// Brings what a sync settled (it started from `before`) into `now`.
pub fn apply(before: &Document, now: &Document, synced: &Synced) -> Applied {
    let (before_ids, now_ids) = (by_id(before), by_id(now));
    let same = |a: Option<&Feature>, b: Option<&Feature>| match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => std::ptr::eq(a, b) || same_feature(a, b),
        _ => false,
    };
    let mut replaces = Vec::new();
    let mut removes = Vec::new();
    let mut inserts = Vec::new();
    let mut kept = Vec::new();
    let mut next = now.features().len();
    for s in &synced.settled {
        let id = s.id.as_str();
        let b = before_ids.get(id).map(|x| x.1);
        let n = now_ids.get(id).copied();
        let touched = !same(b, n.map(|x| x.1));
        if touched {
            kept.push(s.id.clone());
        }
        match (n, &s.feature) {
            (Some((index, feature)), Some(m)) if touched => {
                // Their edits on top of what the sync made of the strip.
                let b_keys = b
                    .map(|b| keys_like(b.events(), m.events(), &s.keys))
                    .unwrap_or_default();
                if let Outcome::Merged(r) = merge::merge(
                    Side::new(b, &b_keys),
                    Side::new(Some(feature), &[]),
                    Side::new(Some(m), &s.keys),
                    &|_| Some(Keep::Mine),
                ) && let Some(f) = r.feature
                    && !same_feature(&f, feature)
                {
                    replaces.push(Change::Replace {
                        index,
                        feature: Box::new(f),
                    });
                }
            }
            (Some((index, feature)), Some(m)) if !same_feature(m, feature) => {
                replaces.push(Change::Replace {
                    index,
                    feature: Box::new(m.clone()),
                });
            }
            (Some(_), Some(_)) => {}
            (Some((index, _)), None) if !touched => removes.push(index),
            (None, Some(m)) if !touched => {
                inserts.push(m.clone());
            }
            _ => {}
        }
    }
    // Replacements first (indices as they are now), then removals from the end, then the
    // new strips after what is left.
    removes.sort_unstable_by(|a, b| b.cmp(a));
    next -= removes.len();
    let mut changes = replaces;
    changes.extend(removes.into_iter().map(|index| Change::Remove { index }));
    for feature in inserts {
        changes.push(Change::Insert {
            index: next,
            feature: Box::new(feature),
        });
        next += 1;
    }
    kept.sort();
    Applied {
        command: Command {
            kind: EditKind::Sync,
            changes,
        },
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
        let before = Document::new(
            vec![strip("a", "A"), strip("b", "B"), strip("c", "C")],
            Vec::new(),
        )
        .unwrap();
        // While the sync ran: "a" renamed here.
        let mut now = before.clone();
        now.update(0, |f| {
            f.set_name("A, renamed here");
        })
        .unwrap()
        .unwrap();
        // The sync received: notes on "a", a new name for "b", "c" deleted, "d" added.
        let mut merged = before.clone();
        merged
            .update(0, |f| {
                f.set_property("notes", json_string("notes from the team"));
            })
            .unwrap()
            .unwrap();
        merged
            .update(1, |f| {
                f.set_name("B from the team");
            })
            .unwrap()
            .unwrap();
        merged.remove(2);
        merged.push(strip("d", "D")).unwrap();
        let synced = Synced::for_test(&before, &merged);
        let applied = apply(&before, &now, &synced);
        assert_eq!(applied.kept, ["a"]);
        let mut editor = Editor::new(now);
        editor.apply(applied.command).expect("applies");
        let doc = editor.document();
        let names: Vec<&str> = doc.features().iter().map(|f| f.label()).collect();
        assert_eq!(names, ["A, renamed here", "B from the team", "D"]);
        assert_eq!(doc.features()[0].notes(), Some("notes from the team"));
        // Undo takes the whole sync back in one step.
        assert!(editor.undo().is_some());
        assert_eq!(editor.document().features().len(), 3);
    }
}
