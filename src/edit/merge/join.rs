//! Joining two matched features: what differs between them (their conflicts), and the
//! working feature with what the incoming one adds.

use serde_json::value::RawValue;

use super::plan::{Conflict, Field, Side};
use crate::analysis::representative_point;
use crate::model::{Event, Feature, Field as ModelField, Source};

/// Two events are the same when they have the same type and the same date as written,
/// and not different ids (events with different ids are different reports).
pub fn same_event(a: &Event, b: &Event) -> bool {
    a.kind() == b.kind()
        && a.date() == b.date()
        && match (&a.id(), &b.id()) {
            (ModelField::Absent, _) | (_, ModelField::Absent) => true,
            (x, y) => x == y,
        }
}

pub(crate) fn same_json(a: &RawValue, b: &RawValue) -> bool {
    if a.get() == b.get() {
        return true;
    }
    match (
        serde_json::from_str::<serde_json::Value>(a.get()),
        serde_json::from_str::<serde_json::Value>(b.get()),
    ) {
        (Ok(x), Ok(y)) => json_equal(&x, &y),
        _ => false,
    }
}

/// JSON equality where numbers compare by value: `800` and `800.0` are the same.
fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn shape_text(feature: &Feature) -> String {
    match feature.geometry().map(|g| g.shape()) {
        None => "(none)".to_owned(),
        Some(geo::Geometry::Point(p)) => format!("Point {:.6}, {:.6}", p.y(), p.x()),
        Some(shape) => {
            let kind = crate::model::GeometryKind::of(shape).as_str();
            match representative_point(shape) {
                Some(c) => format!("{kind} around {:.6}, {:.6}", c.y(), c.x()),
                None => kind.to_owned(),
            }
        }
    }
}

/// The fields two features both have with different values.
pub fn conflicts(working: &Feature, incoming: &Feature) -> Vec<Conflict> {
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (working.geometry(), incoming.geometry())
        && a.shape() != b.shape()
    {
        out.push(Conflict {
            field: Field::Geometry,
            working: shape_text(working),
            incoming: shape_text(incoming),
        });
    }
    for (key, value) in incoming.properties() {
        if let Some(mine) = working.property(key)
            && !same_json(mine, value)
        {
            out.push(Conflict {
                field: Field::Property(key.clone()),
                working: mine.get().to_owned(),
                incoming: value.get().to_owned(),
            });
        }
    }
    out
}

/// How one merge went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeCounts {
    pub events_added: usize,
    pub duplicate_events: usize,
    pub sources_added: usize,
    pub properties_added: usize,
}

/// The working feature with what the incoming one adds; `picks` choose a side per conflict
/// (in the order of [`conflicts`]; missing picks keep the working side).
pub fn merge_features(
    working: &Feature,
    incoming: &Feature,
    picks: &[Side],
) -> (Feature, MergeCounts) {
    let mut merged = working.clone();
    let mut counts = MergeCounts::default();
    // A working feature Pistas could not read is kept as written until it is fixed:
    // nothing merges into it (an event or property added would not be written).
    if working.unread().is_some() {
        return (merged, counts);
    }
    for (n, conflict) in conflicts(working, incoming).iter().enumerate() {
        if picks.get(n).copied().unwrap_or_default() != Side::Incoming {
            continue;
        }
        match &conflict.field {
            Field::Geometry => merged.set_geometry(incoming.geometry().cloned()),
            Field::Property(key) => {
                if let Some(value) = incoming.property(key) {
                    merged.set_property(key, value.to_owned());
                }
            }
        }
    }
    for (key, value) in incoming.properties() {
        if merged.property(key).is_none() {
            // A name the working strip derives (its `status`, say) is the other file's own
            // value: kept under another name, never dropped.
            let key = if merged.accepts_property(key) {
                key.clone()
            } else {
                crate::model::free_name(merged.properties(), &format!("{key}_original"))
            };
            if merged.property(&key).is_none() && merged.set_property(&key, value.clone()) {
                counts.properties_added += 1;
            }
        }
    }
    if merged.geometry().is_none() {
        merged.set_geometry(incoming.geometry().cloned());
    }
    if incoming.has_events_member() || !incoming.events().is_empty() {
        // One to one, against the working side's own events: an equal event first, then
        // one of the same type and date.
        let own = merged.events().len();
        let mut used = vec![false; own];
        let Some(events) = merged.events_mut() else {
            return (merged, counts);
        };
        for event in incoming.events() {
            let found = (0..own)
                .find(|&k| !used[k] && events[k] == *event)
                .or_else(|| (0..own).find(|&k| !used[k] && same_event(&events[k], event)));
            match found {
                Some(k) => {
                    used[k] = true;
                    counts.duplicate_events += 1;
                    counts.sources_added += join_event(&mut events[k], event);
                }
                None => {
                    events.push(event.clone());
                    counts.events_added += 1;
                }
            }
        }
    }
    // Events Pistas could not read travel with their strip, once.
    for (_, unread) in incoming.unread_events() {
        if !merged
            .unread_events()
            .iter()
            .any(|(_, u)| u.raw().get() == unread.raw().get())
        {
            merged.push_unread_event(unread.clone());
        }
    }
    (merged, counts)
}

/// Adds to `mine` what `theirs` says that it does not: sources, and fields it lacks.
/// Returns how many sources were added.
fn join_event(mine: &mut Event, theirs: &Event) -> usize {
    let mut added = 0;
    for source in theirs.sources() {
        if !mine.sources().iter().any(|s| same_source(s, source)) {
            mine.sources_mut().push(source.clone());
            added += 1;
        }
    }
    // A field the working side has no value for takes the incoming value; one slot per
    // field, so what was kept for it is replaced, never written beside it.
    fn fill<T: Clone>(mine: &mut ModelField<T>, theirs: &ModelField<T>) {
        if mine.get().is_none() && (theirs.get().is_some() || mine.is_absent()) {
            *mine = theirs.clone();
        }
    }
    // Evidence the working side lacks (the same file is the same hash).
    for item in theirs.evidence() {
        if !mine.evidence().iter().any(|e| e.sha256() == item.sha256()) {
            mine.evidence_mut().push(item.clone());
        }
    }
    fill(mine.confidence_mut(), theirs.confidence());
    fill(mine.operation_mut(), theirs.operation());
    fill(mine.note_mut(), theirs.note());
    fill(mine.id_mut(), theirs.id());
    for (key, value) in theirs.extra().members() {
        if mine.extra().get(key).is_none() {
            mine.extra_mut()
                .push(&Event::FIELDS, key.clone(), value.clone());
        }
    }
    added
}

fn same_source(a: &Source, b: &Source) -> bool {
    if a == b {
        return true;
    }
    let url = |s: &Source| match s {
        Source::Reference(r) => r.url().value(),
        Source::Text(t) if t.starts_with("http://") || t.starts_with("https://") => Some(t.clone()),
        Source::Text(_) => None,
    };
    match (url(a), url(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.label().trim() == b.label().trim(),
    }
}
