//! Interpreting events and their sources: the profile's rules for a strip's history.

use serde_json::value::RawValue;

use super::report::Report;
use crate::io::diagnostic::Severity;
use crate::io::raw::{describe, raw_str};
use crate::io::scan::{EventIn, Slot, Slots, SourceIn, scan_event};
use crate::model::{
    Confidence, Event, EventType, EventsPart, Evidence, Field, FuzzyDate, Reference, Source,
    Unknown, Unread,
};

/// Reads the `events` member; `None` (an error of the feature) when it is not a list.
pub(super) fn events<'t>(
    report: &mut Report<'t>,
    index: usize,
    anchor: Option<&'t RawValue>,
    feature_raw: &'t RawValue,
    at: usize,
    list: Slots<EventIn<'t>>,
) -> Option<EventsPart> {
    let items = match list {
        Slots::List(items) => items,
        Slots::NotList(what) => {
            report.push_at(
                Severity::Error,
                anchor,
                Some(index),
                None,
                format!("its \"events\" is {what}; it must be a list of event objects"),
            );
            return None;
        }
    };
    let mut part = EventsPart {
        at,
        events: Vec::with_capacity(items.len()),
        unread: Vec::new(),
    };
    // The text of each event, found only when one must be kept as written.
    let mut raws: Option<Vec<&'t RawValue>> = None;
    for (e, slot) in items.into_iter().enumerate() {
        let errors_before = report.errors;
        let problems_before = report.problems.len();
        let event = match slot {
            Slot::Object(event) => read_event(report, index, e, anchor, event),
            Slot::NotObject(what) => {
                let at = raws
                    .get_or_insert_with(|| crate::io::scan::raw_events(feature_raw))
                    .get(e)
                    .copied()
                    .or(anchor);
                report.push_at(
                    Severity::Error,
                    at,
                    Some(index),
                    Some(e),
                    format!(
                        "this event is {what}; an event is an object such as \
                         {{\"type\": \"destroyed\", \"date\": \"2014-09-05\"}}"
                    ),
                );
                None
            }
        };
        report.event_errors += report.errors - errors_before;
        match event {
            Some(event) if report.errors == errors_before => part.events.push(event),
            _ => {
                let raws = raws.get_or_insert_with(|| crate::io::scan::raw_events(feature_raw));
                let Some(raw) = raws.get(e) else {
                    // Never lose an event: without its text, the feature is kept whole.
                    report.event_errors -= report.errors - errors_before;
                    report.push_at(
                        Severity::Error,
                        anchor,
                        Some(index),
                        Some(e),
                        "this event could not be kept as written, so its whole feature is".into(),
                    );
                    continue;
                };
                let problems = report.problems[problems_before..]
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .map(|p| p.message.clone())
                    .collect();
                let unread = Unread::new((*raw).to_owned(), problems);
                part.unread.push((part.events.len(), unread));
            }
        }
    }
    Some(part)
}

/// Where an event's problems are told: its feature and its place in the history, and the
/// text to point at when a problem has no place of its own.
#[derive(Clone, Copy)]
struct EventAt<'t> {
    index: usize,
    e: usize,
    anchor: Option<&'t RawValue>,
}

impl EventAt<'_> {
    fn problem(
        self,
        report: &mut Report,
        severity: Severity,
        raw: Option<&RawValue>,
        message: String,
    ) {
        report.push_at(
            severity,
            raw.or(self.anchor),
            Some(self.index),
            Some(self.e),
            message,
        );
    }
}

/// The members of an event the profile gives meaning to, as read so far.
#[derive(Default)]
struct Known {
    kind: Option<EventType>,
    date: Option<FuzzyDate>,
    evidence: Vec<Evidence>,
    confidence: Field<Confidence>,
    id: Field<String>,
    operation: Field<String>,
    note: Field<String>,
}

impl Known {
    /// Reads one member the profile knows, telling its problems at `at`.
    fn read<'t>(&mut self, report: &mut Report<'t>, at: EventAt<'t>, key: &str, raw: &'t RawValue) {
        let text = raw_str(raw);
        match (key, text) {
            ("type", Some(t)) => match EventType::parse(&t) {
                Some(k) => self.kind = Some(k),
                None => at.problem(report, Severity::Error, Some(raw), unknown_event_type(&t)),
            },
            ("type", None) => at.problem(
                report,
                Severity::Error,
                Some(raw),
                format!(
                    "the event type is {}; it must be text such as \"destroyed\"",
                    describe(raw.get())
                ),
            ),
            ("date", Some(t)) => match FuzzyDate::parse(&t) {
                Ok(d) => self.date = Some(d),
                Err(err) => at.problem(report, Severity::Error, Some(raw), err.to_string()),
            },
            ("date", None) => at.problem(
                report,
                Severity::Error,
                Some(raw),
                format!(
                    "the date is {}; write it as text, for example \"2014-09-05\" or \"2014-09~\"",
                    describe(raw.get())
                ),
            ),
            ("confidence", t) => {
                self.confidence = match t.as_deref().and_then(Confidence::parse) {
                    Some(c) => Field::Value(c),
                    None => {
                        if raw.get() != "null" {
                            at.problem(
                                report,
                                Severity::Warning,
                                Some(raw),
                                format!(
                                    "the confidence {} is not one Pistas knows (confirmed, \
                                     probable, unverified); it is kept as written",
                                    raw.get()
                                ),
                            );
                        }
                        Field::Kept(raw.to_owned())
                    }
                }
            }
            ("evidence", _) => {
                self.evidence = read_evidence(report, raw, &mut |me, place, message| {
                    at.problem(me, Severity::Error, Some(place), message)
                });
            }
            (name, t) => {
                let slot = match name {
                    "id" => &mut self.id,
                    "operation" => &mut self.operation,
                    _ => &mut self.note,
                };
                *slot = match t {
                    Some(t) => Field::Value(t.into_owned()),
                    None => Field::Kept(raw.to_owned()),
                };
            }
        }
    }
}

/// Reads one event object; `None` when it lacks a readable type or date (its problems
/// are in `report`).
fn read_event<'t>(
    report: &mut Report<'t>,
    index: usize,
    e: usize,
    fallback: Option<&'t RawValue>,
    event: EventIn<'t>,
) -> Option<Event> {
    let at = EventAt {
        index,
        e,
        anchor: event.anchor.or(fallback),
    };
    for key in &event.duplicates {
        at.problem(
            report,
            Severity::Error,
            None,
            format!("\"{key}\" appears twice in this event"),
        );
    }
    let mut known = Known::default();
    for (key, raw) in &event.known {
        known.read(report, at, key, raw);
    }
    missing_members(report, at, &event);
    let sources = match event.sources {
        None => Vec::new(),
        Some(Slots::NotList(what)) => {
            at.problem(
                report,
                Severity::Error,
                None,
                format!("its \"sources\" is {what}; it must be a list"),
            );
            Vec::new()
        }
        Some(Slots::List(slots)) => read_sources(report, at, slots),
    };
    let mut extra = Unknown::default();
    for (key, value) in event.extra {
        extra.push(&Event::FIELDS, key.into_owned(), value.to_owned());
    }
    let mut read = Event::new(known.kind?, known.date?).with_sources(sources);
    *read.evidence_mut() = known.evidence;
    *read.id_mut() = known.id;
    *read.confidence_mut() = known.confidence;
    *read.operation_mut() = known.operation;
    *read.note_mut() = known.note;
    *read.extra_mut() = extra;
    Some(read)
}

/// Tells an event's missing `type` (with a hint when a member looks like one) and `date`.
fn missing_members(report: &mut Report, at: EventAt, event: &EventIn) {
    if !event.known.iter().any(|(k, _)| k == "type") {
        let kind_like = event
            .extra
            .iter()
            .find(|(k, _)| ["kind", "event", "event_type", "tipo"].contains(&k.as_ref()));
        let hint = match kind_like {
            Some((k, _)) => format!(
                "; it has \"{k}\": Pistas reads the event's kind from \"type\", so rename it"
            ),
            None => String::new(),
        };
        at.problem(
            report,
            Severity::Error,
            None,
            format!(
                "this event has no \"type\" (built, sighted, destroyed, rebuilt or reported){hint}"
            ),
        );
    }
    if !event.known.iter().any(|(k, _)| k == "date") {
        at.problem(
            report,
            Severity::Error,
            None,
            "this event has no \"date\"; write one such as \"2014-09-05\", \"2014-09\" or \"2014~\"".into(),
        );
    }
}

/// Reads an event's `sources` list: text, or reference objects.
fn read_sources<'t>(
    report: &mut Report<'t>,
    at: EventAt<'t>,
    slots: Vec<Slot<SourceIn<'t>>>,
) -> Vec<Source> {
    let mut sources = Vec::with_capacity(slots.len());
    for (s, slot) in slots.into_iter().enumerate() {
        match slot {
            Slot::Object(SourceIn::Text(text)) => sources.push(Source::Text(text)),
            Slot::Object(SourceIn::Reference {
                members,
                duplicates,
            }) => {
                for key in duplicates {
                    at.problem(
                        report,
                        Severity::Error,
                        None,
                        format!("\"{key}\" appears twice in source #{}", s + 1),
                    );
                }
                let r = read_reference(report, members, &mut |me, place, message| {
                    at.problem(
                        me,
                        Severity::Error,
                        Some(place),
                        format!("source #{}: {message}", s + 1),
                    )
                });
                sources.push(Source::Reference(r));
            }
            Slot::NotObject(what) => at.problem(
                report,
                Severity::Error,
                None,
                format!(
                    "source #{} is {what}; a source is text or an object with a \"title\"",
                    s + 1
                ),
            ),
        }
    }
    sources
}

/// Reads an `evidence` list: each item an object the profile's rules accept (see
/// [`Evidence::from_members`]); each problem is told to `problem` at its place.
fn read_evidence<'t>(
    report: &mut Report<'t>,
    raw: &'t RawValue,
    problem: &mut dyn FnMut(&mut Report<'t>, &'t RawValue, String),
) -> Vec<Evidence> {
    let Ok(items) = serde_json::from_str::<Vec<&'t RawValue>>(raw.get()) else {
        problem(
            report,
            raw,
            format!(
                "its \"evidence\" is {}; it must be a list of objects, each with a \"sha256\"",
                describe(raw.get())
            ),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (n, item) in items.into_iter().enumerate() {
        let Ok(ObjectMembers(members)) = serde_json::from_str::<ObjectMembers<'t>>(item.get())
        else {
            problem(
                report,
                item,
                format!(
                    "evidence #{} is {}; it must be an object with a \"sha256\"",
                    n + 1,
                    describe(item.get())
                ),
            );
            continue;
        };
        let mut seen = std::collections::HashSet::new();
        if let Some((key, at)) = members.iter().find(|(k, _)| !seen.insert(k.as_str())) {
            problem(
                report,
                at,
                format!("\"{key}\" appears twice in evidence #{}", n + 1),
            );
            continue;
        }
        let owned = members
            .iter()
            .map(|(k, v)| (k.clone(), (*v).to_owned()))
            .collect();
        match Evidence::from_members(owned) {
            Ok(e) => out.push(e),
            Err(e) => {
                let at = e
                    .member()
                    .and_then(|m| members.iter().find(|(k, _)| k == m))
                    .map_or(item, |(_, v)| *v);
                problem(report, at, format!("evidence #{}: {}", n + 1, e.message()));
            }
        }
    }
    out
}

/// An object's members in order, with their text (duplicates kept, to be told).
struct ObjectMembers<'a>(Vec<(String, &'a RawValue)>);

impl<'de> serde::Deserialize<'de> for ObjectMembers<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = ObjectMembers<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    out.push(entry);
                }
                Ok(ObjectMembers(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// A source object: its typed fields, its evidence, and the rest kept as written.
fn read_reference<'t>(
    report: &mut Report<'t>,
    members: crate::io::scan::Members<'t>,
    problem: &mut dyn FnMut(&mut Report<'t>, &'t RawValue, String),
) -> Reference {
    let mut r = Reference::default();
    for (key, raw) in members {
        if key == "evidence" {
            *r.evidence_mut() = read_evidence(report, raw, problem);
            continue;
        }
        let Some(slot) = r.field_mut(key.as_ref()) else {
            r.extra_mut()
                .push(&Reference::OWN, key.into_owned(), raw.to_owned());
            continue;
        };
        *slot = match raw_str(raw) {
            Some(text) => Field::Value(text.into_owned()),
            None => Field::Kept(raw.to_owned()),
        };
    }
    r
}

fn unknown_event_type(name: &str) -> String {
    let lower = name.to_lowercase();
    match EventType::ALL
        .iter()
        .find(|t| t.as_str() == lower || (lower.len() >= 4 && t.as_str().starts_with(&lower)))
    {
        Some(t) => format!("unknown event type \"{name}\"; did you mean \"{t}\"?"),
        None => format!(
            "unknown event type \"{name}\"; it must be one of built, sighted, destroyed, rebuilt, reported"
        ),
    }
}

/// Interprets one event from its JSON text, as reading a file would: the event, or what is
/// wrong with it (one sentence per problem). For fixing an event Pistas could not read.
pub fn interpret_event(text: &str) -> Result<Event, Vec<String>> {
    let raw: &RawValue = serde_json::from_str(text.trim()).map_err(|e| {
        vec![format!(
            "this is not valid JSON: {}",
            crate::io::raw::serde_message(&e)
        )]
    })?;
    let mut report = Report::new(text);
    let event = match scan_event(raw) {
        Ok(Slot::Object(event)) => read_event(&mut report, 0, 0, Some(raw), event),
        Ok(Slot::NotObject(what)) => {
            return Err(vec![format!(
                "this is {what}; an event is an object such as {{\"type\": \"destroyed\", \"date\": \"2014-09-05\"}}"
            )]);
        }
        Err(e) => return Err(vec![crate::io::raw::serde_message(&e)]),
    };
    let errors: Vec<String> = report
        .problems
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.message)
        .collect();
    match event {
        Some(event) if errors.is_empty() => Ok(event),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod fix_tests {
    use super::*;

    #[test]
    fn an_event_is_interpreted_as_a_file_would_be() {
        let event = interpret_event(r#"{"type": "destroyed", "date": "2014-09", "kind": "x"}"#)
            .expect("an event");
        assert_eq!(event.kind(), EventType::Destroyed);
        assert!(event.extra().get("kind").is_some());
        let problems =
            interpret_event(r#"{"kind": "destroyed", "date": "2014"}"#).expect_err("no type");
        assert!(problems[0].contains("rename it"), "{problems:?}");
        assert!(interpret_event("{").is_err());
    }
}
