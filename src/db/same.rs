//! When two strips, events or values mean the same, which event of one side is which
//! event of the other, and the row keys events are known by.
//!
//! Values compare by meaning (`800` and `800.0`, `"\u00f1"` and `"ñ"` are the same), so the
//! database's spelling of JSON never looks like a change.

use serde_json::value::RawValue;

use crate::edit::merge::same_json;
use crate::model::{Event, Feature, Field};

/// True when two values mean the same JSON.
pub(super) fn same_value(a: Option<&RawValue>, b: Option<&RawValue>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_json(a, b),
        _ => false,
    }
}

fn same_field(a: &Field<String>, b: &Field<String>) -> bool {
    match (a, b) {
        (Field::Kept(x), Field::Kept(y)) => same_json(x, y),
        _ => a == b,
    }
}

fn same_extra(a: &crate::model::Extra, b: &crate::model::Extra) -> bool {
    a.len() == b.len()
        && a.iter().all(|(k, v)| {
            b.iter()
                .find(|(kb, _)| kb == k)
                .is_some_and(|(_, w)| same_json(v, w))
        })
}

fn same_sources(a: &Event, b: &Event) -> bool {
    a.sources().len() == b.sources().len()
        && crate::io::sources_json(a) == crate::io::sources_json(b)
        || matches!(
            (
                RawValue::from_string(crate::io::sources_json(a)),
                RawValue::from_string(crate::io::sources_json(b)),
            ),
            (Ok(x), Ok(y)) if same_json(&x, &y)
        )
}

/// Events are the same when every field means the same.
pub fn same_event(a: &Event, b: &Event) -> bool {
    a == b || event_score(a, b) == EVENT_FIELDS
}

const EVENT_FIELDS: usize = 9;

/// How many of an event's fields two events share.
fn event_score(a: &Event, b: &Event) -> usize {
    let confidence = match (&a.confidence(), &b.confidence()) {
        (Field::Kept(x), Field::Kept(y)) => same_json(x, y),
        (x, y) => x == y,
    };
    [
        a.kind() == b.kind(),
        a.date() == b.date(),
        same_field(a.id(), b.id()),
        confidence,
        same_field(a.operation(), b.operation()),
        same_field(a.note(), b.note()),
        same_sources(a, b),
        a.evidence().len() == b.evidence().len()
            && a.evidence()
                .iter()
                .zip(b.evidence())
                .all(|(x, y)| same_extra(x.members(), y.members())),
        same_extra(a.extra().members(), b.extra().members()),
    ]
    .into_iter()
    .filter(|x| *x)
    .count()
}

/// True when two features mean the same: geometry, properties, events and the rest.
pub fn same_feature(a: &Feature, b: &Feature) -> bool {
    if a == b {
        return true;
    }
    match (a.unread(), b.unread()) {
        (Some(x), Some(y)) => return same_json(x.raw(), y.raw()),
        (None, None) => {}
        _ => return false,
    }
    a.id() == b.id()
        && a.geometry() == b.geometry()
        && a.properties().len() == b.properties().len()
        && a.properties()
            .iter()
            .all(|(k, v)| same_value(Some(v), b.property(k)))
        && a.events().len() == b.events().len()
        && a.events()
            .iter()
            .zip(b.events())
            .all(|(x, y)| same_event(x, y))
        && rest_same(a, b)
}

/// What a merge does not look into field by field: foreign members, the events member,
/// `"properties": null` and events Pistas could not read.
pub(super) fn rest_same(a: &Feature, b: &Feature) -> bool {
    same_extra(a.foreign().members(), b.foreign().members())
        && a.has_events_member() == b.has_events_member()
        && a.properties_null() == b.properties_null()
        && a.unread_events().len() == b.unread_events().len()
        && a.unread_events()
            .iter()
            .zip(b.unread_events())
            .all(|((_, x), (_, y))| same_json(x.raw(), y.raw()))
}

/// Pairs the events of `side` with those of `base`: first those that mean the same, then
/// the closest of the rest (an edited event: the same type or the same date, and at least
/// half the fields alike; a new sighting never passes for an old destruction). Returns,
/// for each event of `side`, the index of its base event.
pub(super) fn pair_events(side: &[Event], base: &[Event]) -> Vec<Option<usize>> {
    let mut out = vec![None; side.len()];
    let mut taken = vec![false; base.len()];
    for (i, event) in side.iter().enumerate() {
        if let Some(j) = (0..base.len()).find(|&j| !taken[j] && same_event(event, &base[j])) {
            out[i] = Some(j);
            taken[j] = true;
        }
    }
    loop {
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, event) in side.iter().enumerate() {
            if out[i].is_some() {
                continue;
            }
            for (j, b) in base.iter().enumerate() {
                if taken[j] {
                    continue;
                }
                let score = event_score(event, b);
                let related = event.kind() == b.kind() || event.date() == b.date();
                if related && score * 2 >= EVENT_FIELDS && best.is_none_or(|(_, _, s)| score > s) {
                    best = Some((i, j, score));
                }
            }
        }
        match best {
            Some((i, j, _)) => {
                out[i] = Some(j);
                taken[j] = true;
            }
            None => return out,
        }
    }
}

/// Keys for `events` taken from the `other` events they pair with (see [`pair_events`]);
/// fresh ones for the rest.
pub fn keys_like(events: &[Event], other: &[Event], other_keys: &[String]) -> Vec<String> {
    pair_events(events, other)
        .into_iter()
        .map(|j| {
            j.and_then(|j| other_keys.get(j).cloned())
                .unwrap_or_else(new_key)
        })
        .collect()
}

/// A fresh row key for a new event: time first (as UUIDv7 does), so that keys made
/// together sit together in the index, then a counter and random bits, so that two
/// machines never make the same one.
pub fn new_key() -> String {
    use rand::Rng;
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{millis:012x}{n:08x}{:012x}",
        rand::rng().random::<u64>() >> 16
    )
}
