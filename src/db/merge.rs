//! Three-way merge of one strip: what it was at the last sync (the base), what this side
//! made of it (mine) and what the database holds now (theirs).
//!
//! A field one side changed takes that side's value; a field both changed the same way is
//! no conflict. A history is a set of events: events added on either side are all kept;
//! an event changed (or deleted) on one side takes that change. Two sides changing the
//! same field or the same event differently is a conflict, which a pick resolves.
//! Values compare by meaning (see `same.rs`).

use serde_json::value::RawValue;

use super::same::{new_key, pair_events, rest_same, same_event, same_feature, same_value};
use crate::model::{Event, Feature};

/// Which side a conflict keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Mine,
    Theirs,
}

/// What two sides both changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// The strip itself: one side deleted it, the other changed it.
    Existence,
    Geometry,
    Property(String),
    /// An event, by its row key.
    Event(String),
}

impl Part {
    pub fn label(&self) -> String {
        match self {
            Part::Existence => "the strip (deleted on one side)".to_owned(),
            Part::Geometry => "geometry".to_owned(),
            Part::Property(key) => key.clone(),
            Part::Event(key) => format!("event {key}"),
        }
    }
}

/// A conflict, with both values as short text for review.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub part: Part,
    pub mine: String,
    pub theirs: String,
}

/// One side of a strip: the feature (absent when deleted or never there) and the row key
/// of each of its read events, in order.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub feature: Option<&'a Feature>,
    pub keys: &'a [String],
}

impl<'a> Side<'a> {
    pub const NONE: Side<'static> = Side {
        feature: None,
        keys: &[],
    };

    pub fn new(feature: Option<&'a Feature>, keys: &'a [String]) -> Self {
        Side { feature, keys }
    }
}

/// The merge of one strip.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The strip as both sides are to hold it; `None` when it is deleted.
    pub feature: Option<Feature>,
    pub keys: Vec<String>,
    /// Conflicts a pick resolved, with the side that was kept.
    pub resolved: Vec<(Conflict, Keep)>,
}

/// The result of merging one strip.
#[derive(Debug, Clone)]
pub enum Outcome {
    Merged(Box<Merged>),
    /// Conflicts no pick resolved: nothing changes on either side until they are.
    Conflicts(Vec<Conflict>),
}

fn event_text(event: &Event) -> String {
    let mut text = format!("{} {}", event.kind(), event.date());
    if let Some(c) = event.confidence().get() {
        text.push_str(&format!(", {c}"));
    }
    if let Some(op) = event.operation().as_deref() {
        text.push_str(&format!(", operation {op}"));
    }
    if let Some(note) = event.note().as_deref() {
        text.push_str(&format!(", note: {note}"));
    }
    if !event.sources().is_empty() {
        let labels: Vec<&str> = event.sources().iter().map(|s| s.label()).collect();
        text.push_str(&format!(", sources: {}", labels.join("; ")));
    }
    text
}

fn geometry_text(feature: Option<&Feature>) -> String {
    match feature.and_then(|f| f.geometry()) {
        None => "(none)".to_owned(),
        Some(g) => match g.shape() {
            geo::Geometry::Point(p) => format!("Point {:.6}, {:.6}", p.y(), p.x()),
            shape => crate::model::GeometryKind::of(shape).as_str().to_owned(),
        },
    }
}

fn value_text(value: Option<&RawValue>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |v| v.get().to_owned())
}

/// Decides fields one by one, collecting the conflicts a pick resolved and those left.
struct Decider<'p> {
    pick: &'p dyn Fn(&Part) -> Option<Keep>,
    resolved: Vec<(Conflict, Keep)>,
    open: Vec<Conflict>,
}

impl Decider<'_> {
    /// The value both agree on, the one side that changed it, or a conflict for the pick to
    /// resolve. `None` when it stays unresolved.
    fn decide<T: Clone>(
        &mut self,
        [base, mine, theirs]: [Option<T>; 3],
        same: impl Fn(&Option<T>, &Option<T>) -> bool,
        conflict: impl FnOnce() -> Conflict,
    ) -> Option<Option<T>> {
        if same(&mine, &theirs) || same(&theirs, &base) {
            return Some(mine);
        }
        if same(&mine, &base) {
            return Some(theirs);
        }
        let conflict = conflict();
        match (self.pick)(&conflict.part) {
            Some(Keep::Mine) => {
                self.resolved.push((conflict, Keep::Mine));
                Some(mine)
            }
            Some(Keep::Theirs) => {
                self.resolved.push((conflict, Keep::Theirs));
                Some(theirs)
            }
            None => {
                self.open.push(conflict);
                None
            }
        }
    }

    /// Decides the geometry into `out`.
    fn geometry(&mut self, b: Option<&Feature>, m: &Feature, t: &Feature, out: &mut Feature) {
        let geometry = self.decide(
            [
                b.and_then(|f| f.geometry().cloned()),
                m.geometry().cloned(),
                t.geometry().cloned(),
            ],
            |x, y| x == y,
            || Conflict {
                part: Part::Geometry,
                mine: geometry_text(Some(m)),
                theirs: geometry_text(Some(t)),
            },
        );
        if let Some(g) = geometry {
            out.set_geometry(g);
        }
    }

    /// Decides the properties into `out`, in my order, then theirs that I do not have.
    fn properties(&mut self, b: Option<&Feature>, m: &Feature, t: &Feature, out: &mut Feature) {
        let mut keys: Vec<String> = m.properties().iter().map(|(k, _)| k.clone()).collect();
        for source in [Some(t), b].into_iter().flatten() {
            for (k, _) in source.properties() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
        for key in keys {
            let value = self.decide(
                [
                    b.and_then(|f| f.property(&key)),
                    m.property(&key),
                    t.property(&key),
                ],
                |x, y| same_value(*x, *y),
                || Conflict {
                    part: Part::Property(key.clone()),
                    mine: value_text(m.property(&key)),
                    theirs: value_text(t.property(&key)),
                },
            );
            match value {
                Some(Some(v)) if out.property(&key).is_none_or(|o| o.get() != v.get()) => {
                    out.set_property(&key, v.to_owned());
                }
                Some(Some(_)) => {}
                Some(None) => {
                    out.remove_property(&key);
                }
                None => {}
            }
        }
    }

    /// Decides my events (`mine_pairs` pairs them with the base's) into `history`: one added
    /// here is kept, one the base had is merged with theirs. Returns which base events I
    /// kept.
    fn my_events(
        &mut self,
        base: Side,
        m: &Feature,
        theirs: Side,
        mine_pairs: &[Option<usize>],
        history: &mut History,
    ) -> Vec<bool> {
        let base_events = base.feature.map(|f| f.events()).unwrap_or(&[]);
        let their_events = theirs.feature.map(|f| f.events()).unwrap_or(&[]);
        let mut seen_base = vec![false; base_events.len()];
        for (i, event) in m.events().iter().enumerate() {
            let Some(j) = mine_pairs[i] else {
                // Mine alone: added here (or added on both sides alike).
                let twin = (0..their_events.len()).find(|&k| {
                    same_event(event, &their_events[k])
                        && !base.keys.iter().any(|bk| Some(bk) == theirs.keys.get(k))
                        && !history.keys.iter().any(|ek| Some(ek) == theirs.keys.get(k))
                });
                let key = twin
                    .and_then(|k| theirs.keys.get(k).cloned())
                    .unwrap_or_else(new_key);
                history.push(event.clone(), key);
                continue;
            };
            seen_base[j] = true;
            let key = base.keys.get(j).cloned().unwrap_or_else(new_key);
            let their = event_by_key(theirs, &key);
            let value = self.decide(
                [Some(&base_events[j]), Some(event), their],
                |x, y| match (x, y) {
                    (Some(x), Some(y)) => same_event(x, y),
                    (None, None) => true,
                    _ => false,
                },
                || Conflict {
                    part: Part::Event(key.clone()),
                    mine: event_text(event),
                    theirs: their.map_or_else(|| "(deleted)".to_owned(), event_text),
                },
            );
            match value {
                Some(Some(e)) => history.push(e.clone(), key),
                Some(None) => {}
                None => history.push(event.clone(), key),
            }
        }
        seen_base
    }

    /// Decides the base events I deleted (those not in `seen_base`): gone unless they
    /// changed them.
    fn deleted_events(
        &mut self,
        base: Side,
        theirs: Side,
        seen_base: &[bool],
        history: &mut History,
    ) {
        let base_events = base.feature.map(|f| f.events()).unwrap_or(&[]);
        for (j, base_event) in base_events.iter().enumerate() {
            if seen_base[j] {
                continue;
            }
            let Some(key) = base.keys.get(j).cloned() else {
                continue;
            };
            let Some(their) = event_by_key(theirs, &key) else {
                continue;
            };
            if same_event(their, base_event) {
                continue;
            }
            let conflict = Conflict {
                part: Part::Event(key.clone()),
                mine: "(deleted)".to_owned(),
                theirs: event_text(their),
            };
            match (self.pick)(&conflict.part) {
                Some(Keep::Mine) => self.resolved.push((conflict, Keep::Mine)),
                Some(Keep::Theirs) => {
                    self.resolved.push((conflict, Keep::Theirs));
                    history.push(their.clone(), key);
                }
                None => self.open.push(conflict),
            }
        }
    }
}

/// Merges one strip. `pick` chooses a side for a conflict, or leaves it open (`None`).
pub fn merge(
    base: Side,
    mine: Side,
    theirs: Side,
    pick: &dyn Fn(&Part) -> Option<Keep>,
) -> Outcome {
    let (Some(m), Some(t)) = (mine.feature, theirs.feature) else {
        return merge_existence(base, mine, theirs, pick);
    };
    if same_feature(m, t) {
        return Outcome::Merged(Box::new(merge_same(m, t, theirs.keys)));
    }
    let mut d = Decider {
        pick,
        resolved: Vec::new(),
        open: Vec::new(),
    };
    let b = base.feature;
    let mut out = m.clone();
    d.geometry(b, m, t, &mut out);
    d.properties(b, m, t, &mut out);

    // Events: a set, each known to the base by its key.
    let base_events = b.map(|f| f.events()).unwrap_or(&[]);
    let mine_pairs = pair_events(m.events(), base_events);
    let mut history = History::default();
    let seen_base = d.my_events(base, m, theirs, &mine_pairs, &mut history);
    d.deleted_events(base, theirs, &seen_base, &mut history);
    history.add_theirs(base.keys, theirs);
    if !d.open.is_empty() {
        return Outcome::Conflicts(d.open);
    }
    // The order of the history: mine, unless I kept the base's and they changed it.
    let my_base_order: Vec<usize> = mine_pairs.iter().flatten().copied().collect();
    if my_base_order.windows(2).all(|w| w[0] < w[1]) {
        history.order_like(theirs.keys);
    }
    let events = history.events;
    if events.len() != out.events().len() || !events.iter().zip(out.events()).all(|(a, b)| a == b) {
        // A strip Pistas could not read keeps its text; its unread events are not merged.
        if let Some(slot) = out.events_mut() {
            *slot = events;
        }
    }
    // The rest: mine unless only they changed it.
    if let Some(b) = b
        && rest_same(m, b)
        && !rest_same(t, b)
    {
        out.set_foreign(t.foreign().clone());
    }
    Outcome::Merged(Box::new(Merged {
        feature: Some(out),
        keys: history.keys,
        resolved: d.resolved,
    }))
}

/// The merge when at least one side has no strip: the side that changed (or deleted) it
/// wins, and both changing it is a conflict over its existence.
fn merge_existence(
    base: Side,
    mine: Side,
    theirs: Side,
    pick: &dyn Fn(&Part) -> Option<Keep>,
) -> Outcome {
    let changed = |a: Option<&Feature>, b: Option<&Feature>| match (a, b) {
        (None, None) => false,
        (Some(a), Some(b)) => !same_feature(a, b),
        _ => true,
    };
    let mine_changed = changed(mine.feature, base.feature);
    let theirs_changed = changed(theirs.feature, base.feature);
    let take = |side: Side| Merged {
        feature: side.feature.cloned(),
        keys: side.keys.to_vec(),
        resolved: Vec::new(),
    };
    if !theirs_changed || mine.feature.is_none() && theirs.feature.is_none() {
        return Outcome::Merged(Box::new(take(mine)));
    }
    if !mine_changed {
        return Outcome::Merged(Box::new(take(theirs)));
    }
    let what = |side: Side| match side.feature {
        Some(_) => "changed".to_owned(),
        None => "deleted".to_owned(),
    };
    let conflict = Conflict {
        part: Part::Existence,
        mine: what(mine),
        theirs: what(theirs),
    };
    match pick(&Part::Existence) {
        Some(keep) => {
            let mut merged = take(if keep == Keep::Mine { mine } else { theirs });
            merged.resolved.push((conflict, keep));
            Outcome::Merged(Box::new(merged))
        }
        None => Outcome::Conflicts(vec![conflict]),
    }
}

/// The merge when both sides hold the same strip: my text, with their keys where the
/// events pair up.
fn merge_same(m: &Feature, t: &Feature, their_keys: &[String]) -> Merged {
    let pairs = pair_events(m.events(), t.events());
    let keys = pairs
        .iter()
        .map(|j| {
            j.and_then(|j| their_keys.get(j).cloned())
                .unwrap_or_else(new_key)
        })
        .collect();
    Merged {
        feature: Some(m.clone()),
        keys,
        resolved: Vec::new(),
    }
}

/// Their event with a row key, if they still have it.
fn event_by_key<'a>(theirs: Side<'a>, key: &str) -> Option<&'a Event> {
    let i = theirs.keys.iter().position(|k| k == key)?;
    theirs.feature?.events().get(i)
}

/// The events of the merged strip and their row keys, as they are decided.
#[derive(Default)]
struct History {
    events: Vec<Event>,
    keys: Vec<String>,
}

impl History {
    fn push(&mut self, event: Event, key: String) {
        self.events.push(event);
        self.keys.push(key);
    }

    /// Adds their events the base did not know (added on their side), unless already kept.
    fn add_theirs(&mut self, base_keys: &[String], theirs: Side) {
        let their_events = theirs.feature.map(|f| f.events()).unwrap_or(&[]);
        for (k, event) in their_events.iter().enumerate() {
            let Some(key) = theirs.keys.get(k) else {
                continue;
            };
            if base_keys.contains(key) || self.keys.contains(key) {
                continue;
            }
            self.push(event.clone(), key.clone());
        }
    }

    /// Puts the events in the order of their keys on their side (keys they lack last).
    fn order_like(&mut self, their_keys: &[String]) {
        let rank = |key: &String| {
            their_keys
                .iter()
                .position(|k| k == key)
                .unwrap_or(usize::MAX)
        };
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        order.sort_by_key(|&i| rank(&self.keys[i]));
        self.events = order.iter().map(|&i| self.events[i].clone()).collect();
        self.keys = order.iter().map(|&i| self.keys[i].clone()).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::same::keys_like;
    use crate::model::{EventType, FeatureId, FuzzyDate, json_string};
    use proptest::prelude::*;

    fn base_strip() -> (Feature, Vec<String>) {
        let mut f = Feature::new_strip(
            FeatureId::String("s".into()),
            "Pista",
            geo::point!(x: -74.0, y: -12.0).into(),
        );
        f.set_property("team", json_string("a"));
        for (i, kind) in [EventType::Built, EventType::Destroyed, EventType::Rebuilt]
            .into_iter()
            .enumerate()
        {
            let mut e = Event::new(
                kind,
                FuzzyDate::parse(&format!("201{i}-0{}", i + 1)).expect("date"),
            );
            e.note_mut().set(Some(format!("note {i}")));
            f.events_mut().expect("a readable strip").push(e);
        }
        let keys = (0..3).map(|i| format!("k{i}")).collect();
        (f, keys)
    }

    /// One edit: rename, set a property, add an event, change an event's note, delete one.
    fn edit(f: &mut Feature, op: u8, arg: u8) {
        match op % 5 {
            0 => f.set_name(&format!("name {arg}")),
            1 => {
                f.set_property(&format!("p{}", arg % 3), json_string(&format!("v{arg}")));
            }
            2 => {
                let mut e = Event::new(EventType::Sighted, FuzzyDate::parse("2020").expect("date"));
                e.note_mut().set(Some(format!("added {arg}")));
                f.events_mut().expect("a readable strip").push(e);
            }
            3 => {
                let n = f.events().len();
                if n > 0 {
                    f.events_mut().expect("a readable strip")[arg as usize % n]
                        .operation_mut()
                        .set(Some(format!("op {arg}")));
                }
            }
            _ => {
                let n = f.events().len();
                if n > 0 {
                    f.remove_event(arg as usize % n);
                }
            }
        }
    }

    fn merged(outcome: Outcome) -> Option<Feature> {
        match outcome {
            Outcome::Merged(m) => m.feature,
            Outcome::Conflicts(_) => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// One side's changes alone come through whole; both sides' make no conflict unless
        /// they touch the same thing, and the conflicts found do not depend on which side
        /// is "mine".
        #[test]
        fn three_way_merge_laws(
            mine_ops in proptest::collection::vec((0u8..5, 0u8..8), 0..5),
            their_ops in proptest::collection::vec((0u8..5, 0u8..8), 0..5),
        ) {
            let (base, keys) = base_strip();
            let mut mine = base.clone();
            for (op, arg) in &mine_ops { edit(&mut mine, *op, *arg); }
            let mut theirs = base.clone();
            for (op, arg) in &their_ops { edit(&mut theirs, *op, *arg + 100); }
            // Theirs keeps the keys of the base events it still has, new ones for its own.
            let their_keys = keys_like(theirs.events(), base.events(), &keys);
            let b = Side::new(Some(&base), &keys);
            let open = |_: &Part| None;
            // Only mine changed: mine. Only theirs: theirs.
            let only_mine = merged(merge(b, Side::new(Some(&mine), &[]), Side::new(Some(&base), &keys), &open));
            prop_assert!(only_mine.as_ref().is_some_and(|f| same_feature(f, &mine)));
            let only_theirs = merged(merge(b, Side::new(Some(&base), &[]), Side::new(Some(&theirs), &their_keys), &open));
            prop_assert!(only_theirs.as_ref().is_some_and(|f| same_feature(f, &theirs)));
            // The same change on both sides is no conflict.
            let same = merged(merge(b, Side::new(Some(&mine), &[]), Side::new(Some(&mine), &keys_like(mine.events(), base.events(), &keys)), &open));
            prop_assert!(same.is_some());
            // Conflicts are found whichever side is mine.
            let mine_keys = keys_like(mine.events(), base.events(), &keys);
            let one = merge(b, Side::new(Some(&mine), &[]), Side::new(Some(&theirs), &their_keys), &open);
            let other = merge(b, Side::new(Some(&theirs), &[]), Side::new(Some(&mine), &mine_keys), &open);
            let parts = |o: &Outcome| match o {
                Outcome::Conflicts(c) => { let mut p: Vec<Part> = c.iter().map(|c| c.part.clone()).collect(); p.sort(); p }
                Outcome::Merged(_) => Vec::new(),
            };
            let (p1, p2) = (parts(&one), parts(&other));
            prop_assert_eq!(p1.iter().filter(|p| !matches!(p, Part::Event(_))).collect::<Vec<_>>(),
                p2.iter().filter(|p| !matches!(p, Part::Event(_))).collect::<Vec<_>>());
            prop_assert_eq!(p1.len(), p2.len());
            // Every event added on either side is in a merge that keeps mine for conflicts.
            if let Some(f) = merged(merge(b, Side::new(Some(&mine), &[]), Side::new(Some(&theirs), &their_keys), &|_| Some(Keep::Mine))) {
                for added in mine.events().iter().chain(theirs.events()).filter(|e| e.kind() == EventType::Sighted) {
                    prop_assert!(f.events().iter().any(|e| same_event(e, added) || e.note() == added.note()));
                }
            } else {
                prop_assert!(false, "a pick for every conflict always merges");
            }
        }
    }
}
