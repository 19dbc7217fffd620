//! What a sync did, strip by strip: what it sent and received (added, changed, deleted,
//! and how many events of each strip), the conflicts a pick resolved and those left for a
//! person. The command line prints it; the window lists it.

use std::collections::{HashMap, HashSet};

use super::merge::{Conflict, Keep, Part};
use super::same::same_event;
use crate::model::Feature;

/// What happened to a strip on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Changed,
    Deleted,
}

/// Events of a strip added, changed and deleted by a sync, on one side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventCounts {
    pub added: usize,
    pub changed: usize,
    pub deleted: usize,
}

impl EventCounts {
    pub fn total(&self) -> usize {
        self.added + self.changed + self.deleted
    }

    /// The events of `from` (with their row keys) become those of `to`: which were added,
    /// changed or deleted, matched by key.
    pub fn between(
        from: Option<(&Feature, &[String])>,
        to: Option<(&Feature, &[String])>,
    ) -> EventCounts {
        let pairs = |side: Option<(&Feature, &[String])>| -> Vec<(String, crate::model::Event)> {
            side.map(|(f, keys)| {
                f.events()
                    .iter()
                    .zip(keys)
                    .map(|(e, k)| (k.clone(), e.clone()))
                    .collect()
            })
            .unwrap_or_default()
        };
        let (a, b) = (pairs(from), pairs(to));
        let b_by_key: HashMap<&str, &crate::model::Event> =
            b.iter().map(|(k, e)| (k.as_str(), e)).collect();
        let mut counts = EventCounts::default();
        for (key, event) in &a {
            match b_by_key.get(key.as_str()) {
                None => counts.deleted += 1,
                Some(other) if !same_event(event, other) => counts.changed += 1,
                Some(_) => {}
            }
        }
        let a_keys: HashSet<&str> = a.iter().map(|(k, _)| k.as_str()).collect();
        counts.added = b_by_key.keys().filter(|k| !a_keys.contains(*k)).count();
        counts
    }
}

/// A strip a sync changed on one side.
#[derive(Debug, Clone, PartialEq)]
pub struct StripChange {
    pub id: String,
    /// Its name (or id) as it now is, or as it was when deleted.
    pub label: String,
    pub kind: ChangeKind,
    pub events: EventCounts,
}

/// A strip whose conflicts are left for a person.
#[derive(Debug, Clone, PartialEq)]
pub struct StripConflict {
    pub strip: String,
    pub label: String,
    pub conflicts: Vec<Conflict>,
}

/// A conflict a pick resolved; the side not kept is in the `history` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub strip: String,
    pub label: String,
    pub part: Part,
    pub kept: Keep,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Strips written to the database (added, changed or deleted there).
    pub sent: Vec<StripChange>,
    /// Strips changed here by others' work (added, changed or deleted here).
    pub received: Vec<StripChange>,
    pub resolved: Vec<Resolved>,
    pub conflicts: Vec<StripConflict>,
    /// How many times the transaction was tried.
    pub attempts: usize,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn events(changes: &[StripChange]) -> usize {
    changes.iter().map(|c| c.events.total()).sum()
}

impl SyncReport {
    pub fn sent_ids(&self) -> Vec<&str> {
        self.sent.iter().map(|c| c.id.as_str()).collect()
    }

    pub fn received_ids(&self) -> Vec<&str> {
        self.received.iter().map(|c| c.id.as_str()).collect()
    }

    pub fn resolved_strips(&self) -> Vec<&str> {
        self.resolved.iter().map(|r| r.strip.as_str()).collect()
    }

    /// One line: counts of strips and events each way, and of conflicts.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "sent {} ({}), received {} ({})",
            plural(self.sent.len(), "strip", "strips"),
            plural(events(&self.sent), "event", "events"),
            plural(self.received.len(), "strip", "strips"),
            plural(events(&self.received), "event", "events"),
        );
        if !self.resolved.is_empty() {
            text.push_str(&format!(
                ", {} resolved (the side not kept is in the history table)",
                plural(self.resolved.len(), "conflict", "conflicts")
            ));
        }
        if !self.conflicts.is_empty() {
            let n: usize = self.conflicts.iter().map(|c| c.conflicts.len()).sum();
            text.push_str(&format!(
                ", {} in {} left to review",
                plural(n, "conflict", "conflicts"),
                plural(self.conflicts.len(), "strip", "strips")
            ));
        }
        text
    }

    /// A line per strip sent or received and per conflict resolved, for the command line.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (way, changes) in [("sent", &self.sent), ("received", &self.received)] {
            for c in changes {
                let kind = match c.kind {
                    ChangeKind::Added => "added",
                    ChangeKind::Changed => "changed",
                    ChangeKind::Deleted => "deleted",
                };
                let mut line = format!("{way}: {} ({}) {kind}", c.label, c.id);
                let e = c.events;
                let parts: Vec<String> = [
                    (e.added, "added"),
                    (e.changed, "changed"),
                    (e.deleted, "deleted"),
                ]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{} {what}", plural(*n, "event", "events")))
                .collect();
                if !parts.is_empty() {
                    line.push_str(&format!(", {}", parts.join(", ")));
                }
                lines.push(line);
            }
        }
        for r in &self.resolved {
            lines.push(format!(
                "resolved: {} ({}), {}: kept {}",
                r.label,
                r.strip,
                r.part.label(),
                match r.kept {
                    Keep::Mine => "mine",
                    Keep::Theirs => "theirs",
                }
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, EventType, FeatureId, FuzzyDate};

    fn strip(events: &[&str]) -> Feature {
        let mut f = Feature::new_strip(
            FeatureId::String("s".into()),
            "S",
            geo::point!(x: -74.0, y: -12.0).into(),
        );
        for note in events {
            let mut e = Event::new(EventType::Sighted, FuzzyDate::parse("2020").expect("date"));
            e.note_mut().set(Some((*note).into()));
            f.events_mut().expect("a readable strip").push(e);
        }
        f
    }

    #[test]
    fn events_are_counted_by_key() {
        let a = strip(&["one", "two", "three"]);
        let b = strip(&["one", "TWO", "four"]);
        let ka = ["k1".to_owned(), "k2".to_owned(), "k3".to_owned()];
        let kb = ["k1".to_owned(), "k2".to_owned(), "k4".to_owned()];
        let counts = EventCounts::between(Some((&a, &ka)), Some((&b, &kb)));
        assert_eq!(
            counts,
            EventCounts {
                added: 1,
                changed: 1,
                deleted: 1
            }
        );
        assert_eq!(EventCounts::between(None, Some((&b, &kb))).added, 3);
        assert_eq!(EventCounts::between(Some((&a, &ka)), None).deleted, 3);
    }

    #[test]
    fn the_summary_counts_strips_and_events_each_way() {
        let report = SyncReport {
            sent: vec![StripChange {
                id: "s".into(),
                label: "S".into(),
                kind: ChangeKind::Changed,
                events: EventCounts {
                    added: 2,
                    changed: 0,
                    deleted: 1,
                },
            }],
            ..SyncReport::default()
        };
        assert_eq!(
            report.summary(),
            "sent 1 strip (3 events), received 0 strips (0 events)"
        );
        assert_eq!(
            report.lines(),
            ["sent: S (s) changed, 2 events added, 1 event deleted"]
        );
    }
}
