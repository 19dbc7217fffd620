//! The interpret stage of reading: the one place where the Pistas profile's rules live.
//!
//! It turns the members the scan stage (`scan`) found into the model, and records every
//! problem against its place. It never drops what it cannot read: a feature with an error
//! is kept verbatim ([`Feature::unreadable`]), an event with an error is kept verbatim
//! among its feature's unread events, a value of the wrong type is kept in its field.

use serde_json::value::RawValue;

use super::diagnostic::Severity;
use super::geometry::{check_bbox, describe, parse_geometry, raw_str};
use super::scan::{EventIn, FeatureIn, PropertiesIn, Slot, Slots, SourceIn, scan_event};
use crate::model::{
    Confidence, Event, EventType, EventsPart, Extra, Feature, FeatureId, FeatureParts, Field,
    FuzzyDate, Geometry, Reference, Source, Unknown, Unread,
};

/// A problem before it is located: a byte offset in the text.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub severity: Severity,
    pub offset: Option<usize>,
    pub feature: Option<usize>,
    pub event: Option<usize>,
    pub message: String,
}

/// Interprets features of one text, collecting problems.
pub(super) struct Interpreter<'t> {
    text: &'t str,
    /// The file is a bare geometry: its problems are not about a "feature #1".
    pub bare: bool,
    pub problems: Vec<Problem>,
    /// The id of each feature that has a problem, by index in the file, to name it.
    pub ids: Vec<(usize, String)>,
    errors: usize,
    /// The errors that were about events, which cost only their event.
    event_errors: usize,
}

impl<'t> Interpreter<'t> {
    pub fn new(text: &'t str) -> Self {
        Interpreter {
            text,
            bare: false,
            problems: Vec::new(),
            ids: Vec::new(),
            errors: 0,
            event_errors: 0,
        }
    }

    pub fn offset_of(&self, raw: &RawValue) -> usize {
        let at = raw.get().as_ptr() as usize;
        let base = self.text.as_ptr() as usize;
        if at >= base && at <= base + self.text.len() {
            at - base
        } else {
            0
        }
    }

    pub fn push(
        &mut self,
        severity: Severity,
        offset: Option<usize>,
        feature: Option<usize>,
        event: Option<usize>,
        message: String,
    ) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.problems.push(Problem {
            severity,
            offset,
            feature,
            event,
            message,
        });
    }

    fn push_at(
        &mut self,
        severity: Severity,
        at: Option<&RawValue>,
        feature: Option<usize>,
        event: Option<usize>,
        message: String,
    ) {
        let offset = at.map(|raw| self.offset_of(raw));
        self.push(severity, offset, feature, event, message);
    }

    /// Reads list element `index` of a FeatureCollection from its raw text.
    pub fn element(&mut self, index: usize, raw: &'t RawValue) -> Feature {
        match super::scan::scan_feature(raw) {
            Ok(Slot::Object(f)) => self.feature(index, raw, f, None),
            Ok(Slot::NotObject(what)) => {
                self.push_at(
                    Severity::Error,
                    Some(raw),
                    Some(index),
                    None,
                    format!("this feature is {what}, not a Feature object"),
                );
                let from = self.problems.len() - 1;
                self.unreadable(index, None, raw.to_owned(), from)
            }
            Err(e) => {
                self.push_at(
                    Severity::Error,
                    Some(raw),
                    Some(index),
                    None,
                    super::geometry::serde_message(&e),
                );
                let from = self.problems.len() - 1;
                self.unreadable(index, None, raw.to_owned(), from)
            }
        }
    }

    /// A feature kept as written, with the messages of the errors from problem `from` on.
    fn unreadable(
        &mut self,
        index: usize,
        id: Option<FeatureId>,
        raw: Box<RawValue>,
        from: usize,
    ) -> Feature {
        let problems = self.problems[from.min(self.problems.len())..]
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| p.message.clone())
            .collect();
        if let Some(id) = &id {
            self.ids.push((index, id.as_str().to_owned()));
        }
        Feature::unreadable(id, raw, problems)
    }

    /// Reads one feature. `raw` is its whole text, kept when it has an error; `verbatim`
    /// replaces it when that text is not a Feature object (a bare geometry).
    pub fn feature(
        &mut self,
        index: usize,
        raw: &'t RawValue,
        f: FeatureIn<'t>,
        verbatim: Option<Box<RawValue>>,
    ) -> Feature {
        let errors_before = self.errors - self.event_errors;
        let problems_before = self.problems.len();
        let anchor = f.anchor.or(Some(raw));
        let err = |me: &mut Self, at: Option<&RawValue>, message: String| {
            me.push_at(Severity::Error, at.or(anchor), Some(index), None, message);
        };
        if !self.bare {
            match f.type_.map(|raw| (raw, raw_str(raw))) {
                None => err(
                    self,
                    None,
                    "this feature has no \"type\"; it must be \"Feature\"".into(),
                ),
                Some((_, Some(t))) if t == "Feature" => {}
                Some((raw, Some(t))) if t.eq_ignore_ascii_case("Feature") => err(
                    self,
                    Some(raw),
                    format!(
                        "its type is \"{t}\"; GeoJSON types are case-sensitive: write \"Feature\""
                    ),
                ),
                Some((raw, _)) => err(
                    self,
                    Some(raw),
                    format!(
                        "its type is {} but must be \"Feature\"",
                        describe(raw.get())
                    ),
                ),
            }
        }
        for key in &f.duplicates {
            err(
                self,
                None,
                format!("\"{key}\" appears twice in this feature; member names must be unique"),
            );
        }
        let mut foreign: Extra = Vec::with_capacity(f.members.len());
        for (key, value) in &f.members {
            if ["coordinates", "geometries", "features"].contains(&key.as_ref()) {
                err(
                    self,
                    Some(value),
                    format!(
                        "a Feature must not have a \"{key}\" member (RFC 7946 §7.1): \
                         put the shape in \"geometry\""
                    ),
                );
            } else if key == "bbox"
                && let Err(message) = check_bbox(value)
            {
                err(self, Some(value), message);
            }
            foreign.push((key.to_string(), (*value).to_owned()));
        }
        let id = f.id.and_then(|raw| self.id(index, raw));
        let geometry = if self.bare {
            f.geometry.and_then(|raw| self.geometry(index, raw))
        } else {
            match f.geometry {
                None => {
                    err(
                        self,
                        None,
                        "this feature has no \"geometry\" member; write \"geometry\": null if it has no location".into(),
                    );
                    None
                }
                Some(raw) if raw.get() == "null" => None,
                Some(raw) => self.geometry(index, raw),
            }
        };
        let mut parts = FeatureParts {
            id: id.clone(),
            geometry,
            foreign,
            ..FeatureParts::default()
        };
        match f.properties {
            PropertiesIn::Absent => err(
                self,
                None,
                "this feature has no \"properties\" member; write \"properties\": {} (or null) if it has none".into(),
            ),
            PropertiesIn::Null => parts.properties_null = true,
            PropertiesIn::NotObject(what) => err(
                self,
                None,
                format!("its \"properties\" is {what}; it must be an object or null"),
            ),
            PropertiesIn::Object {
                members,
                events,
                duplicates,
            } => {
                for key in &duplicates {
                    err(
                        self,
                        None,
                        format!(
                            "the property \"{key}\" appears twice; property names must be unique"
                        ),
                    );
                }
                parts.properties = members
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.to_owned()))
                    .collect();
                if let Some((at, list)) = events {
                    parts.events = self.events(index, anchor, raw, at, list);
                }
            }
        }
        if self.errors - self.event_errors > errors_before {
            let raw = verbatim.unwrap_or_else(|| raw.to_owned());
            return self.unreadable(index, id, raw, problems_before);
        }
        // Problems name their feature's id; only features with problems need it kept.
        if let Some(id) = &id
            && self.problems.len() > problems_before
        {
            self.ids.push((index, id.as_str().to_owned()));
        }
        Feature::from_parts(parts)
    }

    fn id(&mut self, index: usize, raw: &'t RawValue) -> Option<FeatureId> {
        match raw.get().as_bytes().first() {
            Some(b'"') => match raw_str(raw) {
                Some(s) => Some(FeatureId::String(s.into_owned())),
                None => {
                    let lossy = lossy_string(raw.get());
                    self.push_at(
                        Severity::Warning,
                        Some(raw),
                        Some(index),
                        None,
                        format!(
                            "its id {} holds an unpaired surrogate escape, which is not text; \
                             Pistas reads it as \"{lossy}\" (\u{FFFD} in its place)",
                            raw.get()
                        ),
                    );
                    Some(FeatureId::String(lossy))
                }
            },
            Some(b'-' | b'0'..=b'9') => Some(FeatureId::Number(raw.get().to_owned())),
            Some(b'n') => {
                self.push_at(
                    Severity::Warning,
                    Some(raw),
                    Some(index),
                    None,
                    "its id is null; Pistas gives it a new id".into(),
                );
                None
            }
            _ => {
                self.push_at(
                    Severity::Error,
                    Some(raw),
                    Some(index),
                    None,
                    format!(
                        "its id is {}; an id must be text or a number",
                        describe(raw.get())
                    ),
                );
                None
            }
        }
    }

    fn geometry(&mut self, index: usize, raw: &'t RawValue) -> Option<Geometry> {
        let base = self.offset_of(raw);
        match parse_geometry(raw.get()) {
            Ok(shape) => {
                if let Some(lon) = beyond_dateline(&shape) {
                    self.push(
                        Severity::Warning,
                        Some(base),
                        Some(index).filter(|_| !self.bare),
                        None,
                        format!(
                            "its geometry has longitude {lon}, beyond ±180: it crosses the \
                             dateline; Pistas keeps the coordinates as written"
                        ),
                    );
                }
                Some(Geometry::from_read(shape, raw.to_owned()))
            }
            Err(e) => {
                let message = if self.bare {
                    e.message
                } else {
                    format!("in its geometry: {}", e.message)
                };
                self.push(
                    Severity::Error,
                    Some(base + e.offset.unwrap_or(0)),
                    Some(index),
                    None,
                    message,
                );
                None
            }
        }
    }

    /// Reads the `events` member; `None` (an error of the feature) when it is not a list.
    fn events(
        &mut self,
        index: usize,
        anchor: Option<&'t RawValue>,
        feature_raw: &'t RawValue,
        at: usize,
        list: Slots<EventIn<'t>>,
    ) -> Option<EventsPart> {
        let items = match list {
            Slots::List(items) => items,
            Slots::NotList(what) => {
                self.push_at(
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
            let errors_before = self.errors;
            let problems_before = self.problems.len();
            let event = match slot {
                Slot::Object(event) => self.event(index, e, anchor, event),
                Slot::NotObject(what) => {
                    let at = raws
                        .get_or_insert_with(|| super::scan::raw_events(feature_raw))
                        .get(e)
                        .copied()
                        .or(anchor);
                    self.push_at(
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
            self.event_errors += self.errors - errors_before;
            match event {
                Some(event) if self.errors == errors_before => part.events.push(event),
                _ => {
                    let raws = raws.get_or_insert_with(|| super::scan::raw_events(feature_raw));
                    let Some(raw) = raws.get(e) else {
                        // Never lose an event: without its text, the feature is kept whole.
                        self.event_errors -= self.errors - errors_before;
                        self.push_at(
                            Severity::Error,
                            anchor,
                            Some(index),
                            Some(e),
                            "this event could not be kept as written, so its whole feature is"
                                .into(),
                        );
                        continue;
                    };
                    let problems = self.problems[problems_before..]
                        .iter()
                        .filter(|p| p.severity == Severity::Error)
                        .map(|p| p.message.clone())
                        .collect();
                    let unread = Unread {
                        raw: (*raw).to_owned(),
                        problems,
                    };
                    part.unread.push((part.events.len(), unread));
                }
            }
        }
        Some(part)
    }

    fn event(
        &mut self,
        index: usize,
        e: usize,
        fallback: Option<&'t RawValue>,
        event: EventIn<'t>,
    ) -> Option<Event> {
        let anchor = event.anchor.or(fallback);
        let problem = |me: &mut Self, severity, raw: Option<&RawValue>, message: String| {
            me.push_at(severity, raw.or(anchor), Some(index), Some(e), message);
        };
        for key in &event.duplicates {
            problem(
                self,
                Severity::Error,
                None,
                format!("\"{key}\" appears twice in this event"),
            );
        }
        let mut kind = None;
        let mut date = None;
        let mut confidence = Field::Absent;
        let (mut id, mut operation, mut note) = (Field::Absent, Field::Absent, Field::Absent);
        for (key, raw) in &event.known {
            let text = raw_str(raw);
            match (key.as_ref(), text) {
                ("type", Some(t)) => match EventType::parse(&t) {
                    Some(k) => kind = Some(k),
                    None => problem(self, Severity::Error, Some(raw), unknown_event_type(&t)),
                },
                ("type", None) => problem(
                    self,
                    Severity::Error,
                    Some(raw),
                    format!(
                        "the event type is {}; it must be text such as \"destroyed\"",
                        describe(raw.get())
                    ),
                ),
                ("date", Some(t)) => match FuzzyDate::parse(&t) {
                    Ok(d) => date = Some(d),
                    Err(err) => problem(self, Severity::Error, Some(raw), err.to_string()),
                },
                ("date", None) => problem(
                    self,
                    Severity::Error,
                    Some(raw),
                    format!(
                        "the date is {}; write it as text, for example \"2014-09-05\" or \"2014-09~\"",
                        describe(raw.get())
                    ),
                ),
                ("confidence", t) => {
                    confidence = match t.as_deref().and_then(Confidence::parse) {
                        Some(c) => Field::Value(c),
                        None => {
                            if raw.get() != "null" {
                                problem(
                                    self,
                                    Severity::Warning,
                                    Some(raw),
                                    format!(
                                        "the confidence {} is not one Pistas knows (confirmed, \
                                         probable, unverified); it is kept as written",
                                        raw.get()
                                    ),
                                );
                            }
                            Field::Kept((*raw).to_owned())
                        }
                    }
                }
                (name, t) => {
                    let slot = match name {
                        "id" => &mut id,
                        "operation" => &mut operation,
                        _ => &mut note,
                    };
                    *slot = match t {
                        Some(t) => Field::Value(t.into_owned()),
                        None => Field::Kept((*raw).to_owned()),
                    };
                }
            }
        }
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
            problem(
                self,
                Severity::Error,
                None,
                format!(
                    "this event has no \"type\" (built, sighted, destroyed, rebuilt or reported){hint}"
                ),
            );
        }
        if !event.known.iter().any(|(k, _)| k == "date") {
            problem(
                self,
                Severity::Error,
                None,
                "this event has no \"date\"; write one such as \"2014-09-05\", \"2014-09\" or \"2014~\"".into(),
            );
        }
        let sources = match event.sources {
            None => Vec::new(),
            Some(Slots::NotList(what)) => {
                problem(
                    self,
                    Severity::Error,
                    None,
                    format!("its \"sources\" is {what}; it must be a list"),
                );
                Vec::new()
            }
            Some(Slots::List(slots)) => {
                let mut sources = Vec::with_capacity(slots.len());
                for (s, slot) in slots.into_iter().enumerate() {
                    match slot {
                        Slot::Object(SourceIn::Text(text)) => sources.push(Source::Text(text)),
                        Slot::Object(SourceIn::Reference {
                            members,
                            duplicates,
                        }) => {
                            for key in duplicates {
                                problem(
                                    self,
                                    Severity::Error,
                                    None,
                                    format!("\"{key}\" appears twice in source #{}", s + 1),
                                );
                            }
                            sources.push(Source::Reference(reference(members)));
                        }
                        Slot::NotObject(what) => problem(
                            self,
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
        };
        let mut extra = Unknown::default();
        for (key, value) in event.extra {
            extra.push(&Event::FIELDS, key.into_owned(), value.to_owned());
        }
        Some(Event {
            id,
            kind: kind?,
            date: date?,
            confidence,
            sources,
            operation,
            note,
            extra,
        })
    }
}

fn reference(members: super::scan::Members<'_>) -> Reference {
    let mut r = Reference::default();
    for (key, raw) in members {
        let slot = match key.as_ref() {
            "title" => &mut r.title,
            "url" => &mut r.url,
            "archived_url" => &mut r.archived_url,
            "accessed" => &mut r.accessed,
            _ => {
                r.extra
                    .push(&Reference::FIELDS, key.into_owned(), raw.to_owned());
                continue;
            }
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

/// The longitude farthest beyond ±180 in a shape, if any.
fn beyond_dateline(shape: &geo::Geometry<f64>) -> Option<f64> {
    use geo::CoordsIter;
    shape
        .coords_iter()
        .map(|c| c.x)
        .filter(|x| x.abs() > 180.0)
        .max_by(|a, b| a.abs().total_cmp(&b.abs()))
}

/// A JSON string's text with every unpaired surrogate escape read as U+FFFD.
fn lossy_string(json: &str) -> String {
    let inner = json
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(json);
    let bytes = inner.as_bytes();
    let unit = |at: usize| -> Option<u16> {
        let hex = inner.get(at + 2..at + 6)?;
        (bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u'))
            .then(|| u16::from_str_radix(hex, 16).ok())
            .flatten()
    };
    let mut fixed = String::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'\\') {
            fixed.push_str("\\\\");
            i += 2;
            continue;
        }
        if let Some(u) = unit(i) {
            let high = (0xD800..0xDC00).contains(&u);
            let low = (0xDC00..0xE000).contains(&u);
            if high && unit(i + 6).is_some_and(|n| (0xDC00..0xE000).contains(&n)) {
                fixed.push_str(&inner[i..i + 12]);
                i += 12;
                continue;
            }
            if high || low {
                fixed.push_str("\\ufffd");
                i += 6;
                continue;
            }
        }
        let len = inner[i..].chars().next().map_or(1, char::len_utf8);
        fixed.push_str(&inner[i..i + len]);
        i += len;
    }
    serde_json::from_str::<String>(&format!("\"{fixed}\"")).unwrap_or_else(|_| "\u{FFFD}".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpaired_surrogates_read_as_replacement_characters() {
        assert_eq!(lossy_string(r#""a\ud800b""#), "a\u{FFFD}b");
        assert_eq!(lossy_string(r#""\udc00""#), "\u{FFFD}");
        assert_eq!(lossy_string(r#""\ud83d\ude00\ud800""#), "😀\u{FFFD}");
        assert_eq!(lossy_string(r#""\\ud800""#), "\\ud800");
    }
}

/// Interprets one event from its JSON text, as reading a file would: the event, or what is
/// wrong with it (one sentence per problem). For fixing an event Pistas could not read.
pub fn interpret_event(text: &str) -> Result<Event, Vec<String>> {
    let raw: &RawValue = serde_json::from_str(text.trim()).map_err(|e| {
        vec![format!(
            "this is not valid JSON: {}",
            super::geometry::serde_message(&e)
        )]
    })?;
    let mut interpreter = Interpreter::new(text);
    let event = match scan_event(raw) {
        Ok(Slot::Object(event)) => interpreter.event(0, 0, Some(raw), event),
        Ok(Slot::NotObject(what)) => {
            return Err(vec![format!(
                "this is {what}; an event is an object such as {{\"type\": \"destroyed\", \"date\": \"2014-09-05\"}}"
            )]);
        }
        Err(e) => return Err(vec![super::geometry::serde_message(&e)]),
    };
    let errors: Vec<String> = interpreter
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
        assert_eq!(event.kind, EventType::Destroyed);
        assert!(event.extra.get("kind").is_some());
        let problems =
            interpret_event(r#"{"kind": "destroyed", "date": "2014"}"#).expect_err("no type");
        assert!(problems[0].contains("rename it"), "{problems:?}");
        assert!(interpret_event("{").is_err());
    }
}
