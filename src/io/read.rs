//! Reading GeoJSON into a document, validated against RFC 7946 and the Pistas profile.
//!
//! Syntax errors stop the read. Any other problem is reported against its feature, and
//! the features without errors are still read, so the caller can choose to refuse the
//! file (strict) or take the good features (partial).

use std::path::Path;

use serde::de::DeserializeSeed;
use serde_json::value::RawValue;

use super::diagnostic::{Diagnostic, LineIndex, Severity};
use super::geometry::{check_bbox, describe, parse_geometry, raw_str, serde_message};
use super::read_parse::{
    EventIn, FeatureIn, FeatureOffsets, Members, PropertiesIn, Root, RootSeed, Slot, Slots,
    SourceIn, read_feature,
};
use crate::model::{
    Confidence, DERIVED_PROPERTIES, Document, Event, EventType, Extra, Feature, FeatureId,
    FuzzyDate, Geometry, GeometryKind, IdChange, Reference, Source,
};

/// The result of reading a file: the good features, and every problem found.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The features that could be read; without the rejected ones.
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
    /// Indices (in the file) of the features left out because of errors.
    pub rejected: Vec<usize>,
    /// True when nothing could be read (not JSON, not GeoJSON at all).
    pub fatal: bool,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// The document only if there was no error at all.
    pub fn into_strict(self) -> Result<Document, Vec<Diagnostic>> {
        if self.has_errors() {
            Err(self.diagnostics)
        } else {
            Ok(self.document)
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct ReadFileError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Reads a GeoJSON file. `Err` only when the file cannot be opened.
pub fn read_path(path: &Path) -> Result<Parsed, ReadFileError> {
    let bytes = std::fs::read(path).map_err(|source| ReadFileError {
        path: path.display().to_string(),
        source,
    })?;
    Ok(read_bytes(&bytes, &path.display().to_string()))
}

/// The result of the fast path: features in file order, none rejected, the ones listed in
/// `missing` without an id. The only problems such a file can have are the ids Pistas
/// gives, reported as the full reader reports them.
pub(super) fn finish_clean(
    text: &str,
    file: &str,
    features: Vec<Feature>,
    foreign: Extra,
    missing: &[usize],
) -> Parsed {
    let mut reader = Reader::new(text, file);
    let (document, changes) = Document::with_unique_ids(features, foreign, missing);
    if !changes.is_empty() {
        let file_index: Vec<usize> = (0..document.features.len()).collect();
        reader.id_changes(&changes, &file_index);
    }
    reader.finish(document, Vec::new())
}

/// Reads GeoJSON bytes, which must be UTF-8 (a leading byte-order mark is ignored).
pub fn read_bytes(bytes: &[u8], file: &str) -> Parsed {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => read_str(text, file),
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = LineIndex::new(good).line_col(good.len());
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            fatal(
                file,
                Some((line, column)),
                format!(
                    "the file is not UTF-8 text (byte 0x{byte:02X} here); GeoJSON must be UTF-8: \
                     save it again as UTF-8, for example from QGIS with encoding UTF-8"
                ),
            )
        }
    }
}

fn fatal(file: &str, at: Option<(usize, usize)>, message: String) -> Parsed {
    Parsed {
        document: Document::default(),
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            feature_index: None,
            feature_id: None,
            event_index: None,
            message,
        }],
        rejected: Vec::new(),
        fatal: true,
    }
}

/// A problem before it is located.
struct Problem {
    severity: Severity,
    offset: Option<usize>,
    feature: Option<usize>,
    event: Option<usize>,
    message: String,
}

struct Reader<'t> {
    text: &'t str,
    file: &'t str,
    problems: Vec<Problem>,
    /// The file is a bare geometry: its problems are not about a "feature #1".
    bare: bool,
    /// Each feature's id by its index in the file, to name it in diagnostics.
    ids: std::collections::BTreeMap<usize, String>,
}

impl<'t> Reader<'t> {
    fn new(text: &'t str, file: &'t str) -> Self {
        Reader {
            text,
            file,
            problems: Vec::new(),
            bare: false,
            ids: Default::default(),
        }
    }

    fn offset_of(&self, raw: &RawValue) -> usize {
        raw.get().as_ptr() as usize - self.text.as_ptr() as usize
    }

    fn push(
        &mut self,
        severity: Severity,
        at: Option<&RawValue>,
        feature: Option<usize>,
        event: Option<usize>,
        message: String,
    ) {
        let offset = at.map(|raw| self.offset_of(raw));
        self.problems.push(Problem {
            severity,
            offset,
            feature,
            event,
            message,
        });
    }
}

/// Reads a GeoJSON text. `file` names it in diagnostics.
///
/// A clean FeatureCollection is read by the fast path (`read_fast`); anything else, and
/// anything with a problem to report, by the full reader (`read_str_full`). Both give the
/// same result for the files the fast path accepts.
pub fn read_str(text: &str, file: &str) -> Parsed {
    super::read_fast::read_fast(text, file).unwrap_or_else(|| read_str_full(text, file))
}

/// Reads a GeoJSON text with the full reader only, which reports every problem with its
/// place. `read_str` gives the same result, faster for clean files.
pub fn read_str_full(text: &str, file: &str) -> Parsed {
    let mut de = serde_json::Deserializer::from_str(text);
    let root = match RootSeed
        .deserialize(&mut de)
        .and_then(|root| de.end().map(|()| root))
    {
        Ok(root) => root,
        Err(e) => {
            let index = LineIndex::new(text);
            let at = index.line_col(index.offset(e.line(), e.column()));
            let message = match e.classify() {
                serde_json::error::Category::Eof => format!(
                    "the file ends too early ({}): it was cut off, or a bracket is missing",
                    serde_message(&e)
                ),
                _ => format!("this is not valid JSON: {}", serde_message(&e)),
            };
            return fatal(file, Some(at), message);
        }
    };
    let mut reader = Reader::new(text, file);
    let root = match root {
        Root::Object(root) => root,
        Root::NotObject(what) => {
            return fatal(
                file,
                Some((1, 1)),
                format!("the file holds {what}, not a GeoJSON object"),
            );
        }
    };
    for (key, value) in &root.duplicates {
        reader.push(
            Severity::Error,
            Some(value),
            None,
            None,
            format!("\"{key}\" appears twice at the top level; member names must be unique"),
        );
    }
    let Some(type_raw) = root.type_ else {
        return fatal(
            file,
            Some((1, 1)),
            "the top-level object has no \"type\": is this GeoJSON? Expected \"FeatureCollection\", \"Feature\" or a geometry".to_owned(),
        );
    };
    let Some(type_name) = raw_str(type_raw) else {
        let at = LineIndex::new(text).line_col(reader.offset_of(type_raw));
        return fatal(
            file,
            Some(at),
            format!(
                "the top-level \"type\" is {}; it must be text such as \"FeatureCollection\"",
                describe(type_raw.get())
            ),
        );
    };
    let mut foreign: Extra = Vec::new();
    let slots: Vec<Slot<FeatureIn>> = match type_name.as_ref() {
        "FeatureCollection" => {
            for (key, value) in &root.members {
                if ["coordinates", "geometries", "geometry", "properties"].contains(&key.as_ref()) {
                    reader.push(
                        Severity::Error,
                        Some(value),
                        None,
                        None,
                        format!(
                            "a FeatureCollection must not have a \"{key}\" member (RFC 7946 §7.1){}",
                            if key == "properties" { "; properties belong to each feature" } else { "" }
                        ),
                    );
                } else if key == "bbox"
                    && let Err(message) = check_bbox(value)
                {
                    reader.push(Severity::Error, Some(value), None, None, message);
                }
                foreign.push((key.to_string(), (*value).to_owned()));
            }
            match root.features {
                Some(Slots::List(slots)) => slots,
                Some(Slots::NotList(what)) => {
                    return reader.finish_fatal(format!(
                        "\"features\" holds {what}; it must be a list of features"
                    ));
                }
                None => {
                    return reader.finish_fatal(
                        "this FeatureCollection has no \"features\" list".to_owned(),
                    );
                }
            }
        }
        "Feature" => {
            let mut de = serde_json::Deserializer::from_str(text);
            match read_feature(&mut de) {
                Ok(slot) => vec![slot],
                Err(e) => return fatal(file, None, serde_message(&e)),
            }
        }
        name => match GeometryKind::parse(name) {
            Some(_) => {
                reader.bare = true;
                vec![Slot::Object(bare_geometry(text))]
            }
            None => {
                let at = LineIndex::new(text).line_col(reader.offset_of(type_raw));
                let hint = ["FeatureCollection", "Feature"]
                    .iter()
                    .copied()
                    .chain(GeometryKind::ALL.iter().map(|k| k.as_str()))
                    .find(|known| known.eq_ignore_ascii_case(name))
                    .map_or_else(
                        || {
                            "expected \"FeatureCollection\", \"Feature\" or a geometry type"
                                .to_owned()
                        },
                        |known| format!("GeoJSON types are case-sensitive: write \"{known}\""),
                    );
                return fatal(
                    file,
                    Some(at),
                    format!("unknown GeoJSON type \"{name}\"; {hint}"),
                );
            }
        },
    };
    reader.features(slots, foreign)
}

/// A bare geometry read as a feature without properties.
fn bare_geometry(text: &str) -> FeatureIn<'_> {
    let raw: Option<&RawValue> = serde_json::from_str(text).ok();
    FeatureIn {
        type_: None,
        geometry: raw,
        properties: PropertiesIn::Null,
        anchor: raw,
        ..FeatureIn::default()
    }
}

impl<'t> Reader<'t> {
    fn finish_fatal(mut self, message: String) -> Parsed {
        self.push(Severity::Error, None, None, None, message);
        let mut parsed = self.finish(Document::default(), Vec::new());
        parsed.fatal = true;
        parsed
    }

    fn features(mut self, slots: Vec<Slot<FeatureIn<'t>>>, foreign: Extra) -> Parsed {
        let mut features = Vec::with_capacity(slots.len());
        let mut file_index = Vec::with_capacity(slots.len());
        let mut missing_ids = Vec::new();
        let mut rejected = Vec::new();
        let mut unplaced = Vec::new();
        for (index, slot) in slots.into_iter().enumerate() {
            let errors_before = self.error_count();
            let feature = match slot {
                Slot::Object(f) => self.feature(index, f),
                Slot::NotObject(what) => {
                    unplaced.push(self.problems.len());
                    self.push(
                        Severity::Error,
                        None,
                        Some(index),
                        None,
                        format!("this feature is {what}, not a Feature object"),
                    );
                    None
                }
            };
            match feature {
                Some((feature, had_id)) if self.error_count() == errors_before => {
                    if !had_id {
                        missing_ids.push(features.len());
                    }
                    file_index.push(index);
                    features.push(feature);
                }
                _ => rejected.push(index),
            }
        }
        self.place_unplaced(&unplaced);
        let (document, changes) = Document::with_unique_ids(features, foreign, &missing_ids);
        self.id_changes(&changes, &file_index);
        let mut parsed = self.finish(document, rejected);
        parsed.fatal = false;
        parsed
    }

    /// Warns of the ids Pistas gave: the first ten missing ones and every repeated one.
    /// `file_index` maps a feature's place in the document to its place in the file.
    fn id_changes(&mut self, changes: &[IdChange], file_index: &[usize]) {
        let mut missing_count = 0;
        for change in changes {
            let index = file_index[change.index];
            self.ids.insert(index, change.new.as_str().to_owned());
            match &change.old {
                None => {
                    missing_count += 1;
                    if missing_count <= 10 {
                        self.push(
                            Severity::Warning,
                            None,
                            Some(index),
                            None,
                            format!("this feature has no id; Pistas gave it the id \"{}\"", change.new),
                        );
                    }
                }
                Some(old) => self.push(
                    Severity::Warning,
                    None,
                    Some(index),
                    None,
                    format!(
                        "the id \"{old}\" is already used by an earlier feature; Pistas gave this one \
                         the id \"{}\" so that both are kept",
                        change.new
                    ),
                ),
            }
        }
        if missing_count > 10 {
            self.push(
                Severity::Warning,
                None,
                None,
                None,
                format!(
                    "{} more features have no id; Pistas gave them ids starting with \"pistas-\"",
                    missing_count - 10
                ),
            );
        }
    }

    fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// Gives a position to problems about list elements that are not objects.
    fn place_unplaced(&mut self, problems: &[usize]) {
        if problems.is_empty() {
            return;
        }
        let Ok(offsets) = serde_json::from_str::<FeatureOffsets>(self.text) else {
            return;
        };
        for &p in problems {
            let at = self.problems[p]
                .feature
                .and_then(|i| offsets.features.get(i))
                .map(|raw| raw.get().as_ptr() as usize - self.text.as_ptr() as usize);
            self.problems[p].offset = at;
        }
    }

    /// Reads one feature; `None` when it has errors (all of them are recorded).
    fn feature(&mut self, index: usize, f: FeatureIn<'t>) -> Option<(Feature, bool)> {
        let problems_before = self.problems.len();
        let at = f.anchor;
        let err = |reader: &mut Self, raw: Option<&RawValue>, message: String| {
            reader.push(Severity::Error, raw.or(at), Some(index), None, message);
        };
        let bare =
            f.type_.is_none() && matches!(f.properties, PropertiesIn::Null) && f.id.is_none();
        if !bare {
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
        let mut foreign: Extra = Vec::new();
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
        let id = match f.id {
            None => None,
            Some(raw) => match raw.get().as_bytes().first() {
                Some(b'"') => raw_str(raw).map(|s| FeatureId::String(s.into_owned())),
                Some(b'-' | b'0'..=b'9') => Some(FeatureId::Number(raw.get().to_owned())),
                Some(b'n') => {
                    self.push(
                        Severity::Warning,
                        Some(raw),
                        Some(index),
                        None,
                        "its id is null; Pistas gives it a new id".into(),
                    );
                    None
                }
                _ => {
                    err(
                        self,
                        Some(raw),
                        format!(
                            "its id is {}; an id must be text or a number",
                            describe(raw.get())
                        ),
                    );
                    None
                }
            },
        };
        let geometry = if bare {
            f.geometry.and_then(|raw| self.geometry(index, raw, 0))
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
                Some(raw) => self.geometry(index, raw, self.offset_of(raw)),
            }
        };
        let (properties, events, properties_null) = match f.properties {
            PropertiesIn::Absent => {
                err(
                    self,
                    None,
                    "this feature has no \"properties\" member; write \"properties\": {} (or null) if it has none".into(),
                );
                (Vec::new(), None, false)
            }
            PropertiesIn::Null => (Vec::new(), None, true),
            PropertiesIn::NotObject(what) => {
                err(
                    self,
                    None,
                    format!("its \"properties\" is {what}; it must be an object or null"),
                );
                (Vec::new(), None, false)
            }
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
                let events = events.and_then(|(at_index, slots)| {
                    self.events(index, at, slots)
                        .map(|events| (at_index, events))
                });
                let (kept, events_at) = strip_derived(members, events.as_ref().map(|e| e.0));
                (
                    kept,
                    events.zip(events_at).map(|((_, e), at)| (at, e)),
                    false,
                )
            }
        };
        // Problems name their feature's id; only features with problems need it kept.
        if let Some(id) = &id
            && self.problems.len() > problems_before
        {
            self.ids.insert(index, id.as_str().to_owned());
        }
        let had_id = id.is_some();
        let id = id.unwrap_or(FeatureId::String(String::new()));
        let feature =
            Feature::from_parts(id, geometry, properties, events, properties_null, foreign);
        Some((feature, had_id))
    }

    fn geometry(&mut self, index: usize, raw: &'t RawValue, base: usize) -> Option<Geometry> {
        match parse_geometry(raw.get()) {
            Ok(shape) => Some(Geometry::from_read(shape, raw.to_owned())),
            Err(e) => {
                self.problems.push(Problem {
                    severity: Severity::Error,
                    offset: Some(base + e.offset.unwrap_or(0)),
                    feature: Some(index),
                    event: None,
                    message: if self.bare {
                        e.message
                    } else {
                        format!("in its geometry: {}", e.message)
                    },
                });
                None
            }
        }
    }

    fn events(
        &mut self,
        index: usize,
        anchor: Option<&'t RawValue>,
        slots: Slots<EventIn<'t>>,
    ) -> Option<Vec<Event>> {
        let slots = match slots {
            Slots::List(slots) => slots,
            Slots::NotList(what) => {
                self.push(
                    Severity::Error,
                    anchor,
                    Some(index),
                    None,
                    format!("its \"events\" is {what}; it must be a list of event objects"),
                );
                return None;
            }
        };
        let mut events = Vec::with_capacity(slots.len());
        let mut ok = true;
        for (e, slot) in slots.into_iter().enumerate() {
            match slot {
                Slot::Object(event) => match self.event(index, e, anchor, event) {
                    Some(event) => events.push(event),
                    None => ok = false,
                },
                Slot::NotObject(what) => {
                    ok = false;
                    self.push(
                        Severity::Error,
                        anchor,
                        Some(index),
                        Some(e),
                        format!(
                            "this event is {what}; an event is an object such as \
                             {{\"type\": \"destroyed\", \"date\": \"2014-09-05\"}}"
                        ),
                    );
                }
            }
        }
        ok.then_some(events)
    }

    fn event(
        &mut self,
        index: usize,
        e: usize,
        feature_anchor: Option<&'t RawValue>,
        event: EventIn<'t>,
    ) -> Option<Event> {
        let anchor = event.anchor.or(feature_anchor);
        let mut ok = true;
        let mut problem = |reader: &mut Self, severity, raw: Option<&RawValue>, message: String| {
            if severity == Severity::Error {
                ok = false;
            }
            reader.push(severity, raw.or(anchor), Some(index), Some(e), message);
        };
        for key in &event.duplicates {
            problem(
                self,
                Severity::Error,
                None,
                format!("\"{key}\" appears twice in this event"),
            );
        }
        let mut extra: Extra = Vec::new();
        let mut kind = None;
        let mut date = None;
        let mut confidence = None;
        let (mut id, mut operation, mut note) = (None, None, None);
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
                ("confidence", Some(t)) if Confidence::parse(&t).is_some() => {
                    confidence = Confidence::parse(&t);
                }
                ("confidence", _) => {
                    if raw.get() != "null" {
                        problem(
                            self,
                            Severity::Warning,
                            Some(raw),
                            format!(
                                "the confidence {} is not one Pistas knows (confirmed, probable, unverified); \
                                 it is kept as written",
                                raw.get()
                            ),
                        );
                    }
                    extra.push((key.to_string(), (*raw).to_owned()));
                }
                ("id", Some(t)) => id = Some(t.into_owned()),
                ("operation", Some(t)) => operation = Some(t.into_owned()),
                ("note", Some(t)) => note = Some(t.into_owned()),
                _ => extra.push((key.to_string(), (*raw).to_owned())),
            }
        }
        if !event.known.iter().any(|(k, _)| k == "type") {
            problem(
                self,
                Severity::Error,
                None,
                "this event has no \"type\" (built, sighted, destroyed, rebuilt or reported)"
                    .into(),
            );
        }
        if !event.known.iter().any(|(k, _)| k == "date") {
            problem(self, Severity::Error, None, "this event has no \"date\"; write one such as \"2014-09-05\", \"2014-09\" or \"2014~\"".into());
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
                        Slot::Object(SourceIn::Reference(members)) => {
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
        extra.extend(
            event
                .extra
                .iter()
                .map(|(k, v)| (k.to_string(), (*v).to_owned())),
        );
        let (kind, date) = (kind?, date?);
        ok.then_some(Event {
            id,
            kind,
            date,
            confidence,
            sources,
            operation,
            note,
            extra,
        })
    }

    fn finish(self, document: Document, rejected: Vec<usize>) -> Parsed {
        // Building the line index scans the whole text: only worth it when there is a problem.
        let index = if self.problems.is_empty() {
            LineIndex::new("")
        } else {
            LineIndex::new(self.text)
        };
        let id_of = |i: usize| self.ids.get(&i).cloned();
        let mut diagnostics: Vec<Diagnostic> = self
            .problems
            .into_iter()
            .map(|p| {
                // A problem of the whole file with no better place is shown at its start.
                let offset = p.offset.or((p.feature.is_none() || self.bare).then_some(0));
                let at = offset.map(|o| index.line_col(o));
                Diagnostic {
                    severity: p.severity,
                    file: self.file.to_owned(),
                    line: at.map(|a| a.0),
                    column: at.map(|a| a.1),
                    feature_index: p.feature.filter(|_| !self.bare),
                    feature_id: p.feature.filter(|_| !self.bare).and_then(id_of),
                    event_index: p.event,
                    message: p.message,
                }
            })
            .collect();
        diagnostics.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.feature_index));
        Parsed {
            document,
            diagnostics,
            rejected,
            fatal: false,
        }
    }
}

/// Owned properties; for strips (`events_at` is `Some`) without the derived summary.
/// Returns the kept members and where `events` now stands among them.
fn strip_derived(members: Members<'_>, events_at: Option<usize>) -> (Extra, Option<usize>) {
    let mut kept = Vec::with_capacity(members.len());
    let mut new_at = events_at;
    for (i, (key, value)) in members.into_iter().enumerate() {
        if let Some(at) = events_at
            && DERIVED_PROPERTIES.contains(&key.as_ref())
        {
            if i < at {
                new_at = new_at.map(|n| n - 1);
            }
            continue;
        }
        kept.push((key.into_owned(), value.to_owned()));
    }
    (kept, new_at)
}

fn reference(members: Members<'_>) -> Reference {
    let mut r = Reference::default();
    for (key, raw) in members {
        let slot = match key.as_ref() {
            "title" => &mut r.title,
            "url" => &mut r.url,
            "archived_url" => &mut r.archived_url,
            "accessed" => &mut r.accessed,
            _ => {
                r.extra.push((key.into_owned(), raw.to_owned()));
                continue;
            }
        };
        match raw_str(raw) {
            Some(text) if slot.is_none() => *slot = Some(text.into_owned()),
            _ => r.extra.push((key.into_owned(), raw.to_owned())),
        }
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
