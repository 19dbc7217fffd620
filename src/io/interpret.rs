//! The interpret stage of reading: the one place where the Pistas profile's rules live.
//!
//! It turns the members the scan stage (`scan`) found into the model, and records every
//! problem against its place. It never drops what it cannot read: a feature with an error
//! is kept verbatim ([`Feature::unreadable`]), an event with an error is kept verbatim
//! among its feature's unread events, a value of the wrong type is kept in its field.

use serde_json::value::RawValue;

use super::diagnostic::Severity;
use super::geometry::{check_bbox, parse_geometry};
use super::raw::{describe, raw_str};
use super::scan::{FeatureIn, Members, PropertiesIn, Slot};
use crate::model::{Feature, FeatureId, FeatureParts, Foreign, Geometry};

mod event;
mod report;

pub(super) use report::Problem;
use report::Report;

pub use event::interpret_event;

/// Where a feature's errors are told: its index, and the text to point at when an error
/// has no place of its own.
#[derive(Clone, Copy)]
struct FeatureAt<'t> {
    index: usize,
    anchor: Option<&'t RawValue>,
}

impl FeatureAt<'_> {
    fn error(self, report: &mut Report, at: Option<&RawValue>, message: String) {
        report.push_at(
            Severity::Error,
            at.or(self.anchor),
            Some(self.index),
            None,
            message,
        );
    }
}

/// Interprets features of one text, collecting problems.
pub(super) struct Interpreter<'t> {
    /// The problems found, where they are.
    pub report: Report<'t>,
    /// The file is a bare geometry: its problems are not about a "feature #1".
    pub bare: bool,
    /// The id of each feature that has a problem, by index in the file, to name it.
    pub ids: Vec<(usize, String)>,
    /// The shared text being read, when geometries keep spans of it instead of copies.
    pub source: Option<std::sync::Arc<crate::model::SharedText>>,
}

impl<'t> Interpreter<'t> {
    pub fn new(text: &'t str) -> Self {
        Interpreter {
            report: Report::new(text),
            bare: false,
            ids: Vec::new(),
            source: None,
        }
    }

    /// Reads list element `index` of a FeatureCollection from its raw text.
    pub fn element(&mut self, index: usize, raw: &'t RawValue) -> Feature {
        match super::scan::scan_feature(raw) {
            Ok(Slot::Object(f)) => self.feature(index, raw, f, None),
            Ok(Slot::NotObject(what)) => {
                self.report.push_at(
                    Severity::Error,
                    Some(raw),
                    Some(index),
                    None,
                    format!("this feature is {what}, not a Feature object"),
                );
                let from = self.report.problems.len() - 1;
                self.unreadable(index, None, raw.to_owned(), from)
            }
            Err(e) => {
                self.report.push_at(
                    Severity::Error,
                    Some(raw),
                    Some(index),
                    None,
                    super::raw::serde_message(&e),
                );
                let from = self.report.problems.len() - 1;
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
        let problems = self.report.problems[from.min(self.report.problems.len())..]
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
        let errors_before = self.report.errors - self.report.event_errors;
        let problems_before = self.report.problems.len();
        let at = FeatureAt {
            index,
            anchor: f.anchor.or(Some(raw)),
        };
        if !self.bare {
            self.check_type(at, f.type_);
        }
        for key in &f.duplicates {
            at.error(
                &mut self.report,
                None,
                format!("\"{key}\" appears twice in this feature; member names must be unique"),
            );
        }
        let foreign = self.foreign(at, &f.members);
        let id = f.id.and_then(|raw| self.id(index, raw));
        let geometry = if self.bare {
            f.geometry.and_then(|raw| self.geometry(index, raw))
        } else {
            match f.geometry {
                None => {
                    at.error(
                        &mut self.report,
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
        self.properties(at, raw, f.properties, &mut parts);
        if self.report.errors - self.report.event_errors > errors_before {
            let raw = verbatim.unwrap_or_else(|| raw.to_owned());
            return self.unreadable(index, id, raw, problems_before);
        }
        // Problems name their feature's id; only features with problems need it kept.
        if let Some(id) = &id
            && self.report.problems.len() > problems_before
        {
            self.ids.push((index, id.as_str().to_owned()));
        }
        Feature::from_parts(parts)
    }

    /// Checks a feature's `type`: `"Feature"`, case and all.
    fn check_type(&mut self, at: FeatureAt, type_: Option<&RawValue>) {
        let report = &mut self.report;
        match type_.map(|raw| (raw, raw_str(raw))) {
            None => at.error(
                report,
                None,
                "this feature has no \"type\"; it must be \"Feature\"".into(),
            ),
            Some((_, Some(t))) if t == "Feature" => {}
            Some((raw, Some(t))) if t.eq_ignore_ascii_case("Feature") => at.error(
                report,
                Some(raw),
                format!("its type is \"{t}\"; GeoJSON types are case-sensitive: write \"Feature\""),
            ),
            Some((raw, _)) => at.error(
                report,
                Some(raw),
                format!(
                    "its type is {} but must be \"Feature\"",
                    describe(raw.get())
                ),
            ),
        }
    }

    /// A feature's members beyond GeoJSON's own (foreign members), kept in order; the
    /// members only other objects have, and a wrong `bbox`, are errors.
    fn foreign(&mut self, at: FeatureAt, members: &Members<'t>) -> Foreign {
        let mut foreign = Foreign::default();
        for (key, value) in members {
            if ["coordinates", "geometries", "features"].contains(&key.as_ref()) {
                at.error(
                    &mut self.report,
                    Some(value),
                    format!(
                        "a Feature must not have a \"{key}\" member (RFC 7946 §7.1): \
                         put the shape in \"geometry\""
                    ),
                );
            } else if key == "bbox"
                && let Err(message) = check_bbox(value)
            {
                at.error(&mut self.report, Some(value), message);
            }
            // The scanner takes GeoJSON's own members apart and reports repeats, so a
            // refusal here is a scanner's fault; it is still said, never dropped quietly.
            if let Err(message) = foreign.push(key.to_string(), (*value).to_owned()) {
                at.error(&mut self.report, Some(value), message);
            }
        }
        foreign
    }

    /// Reads a feature's `properties` into `parts`: the members, and the history from
    /// `events`. `raw` is the feature's text, to find an event's when it must be kept.
    fn properties(
        &mut self,
        at: FeatureAt<'t>,
        raw: &'t RawValue,
        properties: PropertiesIn<'t>,
        parts: &mut FeatureParts,
    ) {
        match properties {
            PropertiesIn::Absent => at.error(
                &mut self.report,
                None,
                "this feature has no \"properties\" member; write \"properties\": {} (or null) if it has none".into(),
            ),
            PropertiesIn::Null => parts.properties_null = true,
            PropertiesIn::NotObject(what) => at.error(
                &mut self.report,
                None,
                format!("its \"properties\" is {what}; it must be an object or null"),
            ),
            PropertiesIn::Object {
                members,
                events,
                duplicates,
            } => {
                for key in &duplicates {
                    at.error(
                        &mut self.report,
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
                if let Some((first, list)) = events {
                    parts.events =
                        event::events(&mut self.report, at.index, at.anchor, raw, first, list);
                }
            }
        }
    }

    fn id(&mut self, index: usize, raw: &'t RawValue) -> Option<FeatureId> {
        match raw.get().as_bytes().first() {
            Some(b'"') => match raw_str(raw) {
                Some(s) => Some(FeatureId::String(s.into_owned())),
                None => {
                    let lossy = lossy_string(raw.get());
                    self.report.push_at(
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
            Some(b'-' | b'0'..=b'9') => FeatureId::number(raw.get()),
            Some(b'n') => {
                self.report.push_at(
                    Severity::Warning,
                    Some(raw),
                    Some(index),
                    None,
                    "its id is null; Pistas gives it a new id".into(),
                );
                None
            }
            _ => {
                self.report.push_at(
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
        let base = self.report.offset_of(raw);
        match parse_geometry(raw.get()) {
            Ok(shape) => {
                if let Some(lon) = beyond_dateline(&shape) {
                    self.report.push(
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
                let kept = self
                    .source
                    .as_ref()
                    .and_then(|s| crate::model::Span::of(s, raw.get()));
                Some(Geometry::from_read(shape, raw, kept))
            }
            Err(e) => {
                let message = if self.bare {
                    e.message
                } else {
                    format!("in its geometry: {}", e.message)
                };
                self.report.push(
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
