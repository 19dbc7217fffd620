//! Rows of another format become GeoJSON features, read by the GeoJSON reader: the
//! profile's rules (events, derived properties, ids) live there only. Problems the reader
//! finds are told where the row is in the original file, not in the GeoJSON made from it.

use std::collections::HashMap;

use super::origin::Origin;
use super::own::EventRow;
use crate::io::diagnostic::{Diagnostic, Severity};
use crate::io::read::{Parsed, read_str};
use crate::io::write::string as json_string_into;

/// One feature to be: JSON texts of its parts.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The top-level id as JSON (a string or a number).
    pub id: Option<String>,
    /// The geometry as GeoJSON text; `None` is `null`.
    pub geometry: Option<String>,
    /// Properties in order, each value as JSON text.
    pub properties: Vec<(String, String)>,
    pub origin: Origin,
    /// What events name this feature by, when not its id (a GeoPackage fid: `fid:7`).
    pub link: Option<String>,
}

impl Row {
    pub fn set(&mut self, key: &str, json: String) {
        match self.properties.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = json,
            None => self.properties.push((key.to_owned(), json)),
        }
    }
}

/// The geometry of a `geo` shape as GeoJSON text.
pub fn shape_json(shape: &geo::Geometry<f64>) -> String {
    let mut out = String::new();
    crate::io::write::write_shape(&mut out, shape);
    out
}

/// Writes one feature; `first` leaves out the comma before it.
pub fn write_row(out: &mut String, row: &Row, first: bool) {
    if !first {
        out.push(',');
    }
    out.push_str("\n{\"type\":\"Feature\"");
    if let Some(id) = &row.id {
        out.push_str(",\"id\":");
        out.push_str(id);
    }
    out.push_str(",\"geometry\":");
    out.push_str(row.geometry.as_deref().unwrap_or("null"));
    out.push_str(",\"properties\":{");
    for (j, (key, value)) in row.properties.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        json_string_into(out, key);
        out.push(':');
        out.push_str(value);
    }
    out.push_str("}}");
}

/// Features written on another thread: their text (without a leading comma), where each
/// row is, and warnings by row within the part.
#[derive(Default)]
pub struct Part {
    pub text: String,
    pub origins: Vec<Origin>,
    pub warnings: Vec<(usize, Origin, String)>,
}

impl Part {
    pub fn push(&mut self, row: Row, warnings: Vec<String>) {
        for message in warnings {
            self.warnings
                .push((self.origins.len(), row.origin.clone(), message));
        }
        write_row(&mut self.text, &row, self.origins.is_empty());
        self.origins.push(row.origin);
    }
}

/// `read` run for each of `pieces` on rayon's threads; the results in the pieces' order.
/// A panic in one goes on in the caller (where the reader's guard reports it).
pub fn in_parts<P: Sync, R: Send>(pieces: &[P], read: impl Fn(&P) -> R + Sync) -> Vec<R> {
    use rayon::prelude::*;
    pieces.par_iter().map(&read).collect()
}

/// Features gathered from a file, written as GeoJSON as they come (a large file is never
/// held twice as rows), and the problems found on the way.
pub struct Collection {
    file: String,
    text: String,
    origins: Vec<Origin>,
    diagnostics: Vec<Diagnostic>,
    /// Members of the collection itself (`name`), as JSON; written before the features.
    members: Vec<(String, String)>,
    /// Histories waiting for their strips, by strip id, and the ids in order of first
    /// appearance (Pistas' own events tables).
    events: HashMap<String, Vec<EventRow>>,
    event_order: Vec<String>,
    /// Events whose strip was not pushed are dropped (their strips were left out on
    /// purpose, outside a bounding box).
    drop_orphans: bool,
}

impl Collection {
    pub fn new(file: &str) -> Self {
        Collection {
            file: file.to_owned(),
            text: String::new(),
            origins: Vec::new(),
            diagnostics: Vec::new(),
            members: Vec::new(),
            events: HashMap::new(),
            event_order: Vec::new(),
            drop_orphans: false,
        }
    }

    /// Events whose strip is not pushed are dropped, not made strips of their own.
    pub fn drop_orphan_events(&mut self) {
        self.drop_orphans = true;
    }

    /// Room for about `bytes` of GeoJSON.
    pub fn reserve(&mut self, bytes: usize) {
        self.text.reserve(bytes);
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// A member of the FeatureCollection, such as its `name`; before any feature.
    pub fn member(&mut self, key: &str, json: String) {
        self.members.push((key.to_owned(), json));
    }

    /// Events of Pistas' own events table: each strip pushed afterwards gets those of its
    /// id as its history (in `event_index` order); the others become strips of their own
    /// at [`Collection::finish`].
    pub fn set_events(&mut self, events: Vec<EventRow>) {
        for event in events {
            let key = event.link.clone().unwrap_or_else(|| event.strip_id.clone());
            if !self.events.contains_key(&key) {
                self.event_order.push(key.clone());
            }
            self.events.entry(key).or_default().push(event);
        }
    }

    fn start(&mut self) {
        if !self.text.is_empty() {
            return;
        }
        self.text.push_str("{\"type\":\"FeatureCollection\"");
        for (key, value) in &self.members {
            self.text.push(',');
            json_string_into(&mut self.text, key);
            self.text.push(':');
            self.text.push_str(value);
        }
        self.text.push_str(",\"features\":[");
    }

    /// Adds a feature (with its history, when events wait for its id).
    pub fn push(&mut self, mut row: Row) {
        if !self.events.is_empty()
            && let Some(key) = row
                .link
                .clone()
                .or_else(|| row.id.as_deref().and_then(id_text))
            && let Some(list) = self.events.remove(&key)
        {
            let json = self.history(list);
            row.set("events", json);
        }
        self.start();
        write_row(&mut self.text, &row, self.origins.is_empty());
        self.origins.push(row.origin);
    }

    /// Whether features pushed now are matched with waiting histories.
    pub fn expects_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// Features written elsewhere (on another thread), in order.
    pub fn append(&mut self, part: Part) {
        let base = self.origins.len();
        for (row, origin, message) in part.warnings {
            self.diagnostics.push(diagnostic(
                &self.file,
                Severity::Warning,
                &origin,
                Some(base + row),
                None,
                message,
            ));
        }
        if part.origins.is_empty() {
            return;
        }
        self.start();
        if !self.origins.is_empty() {
            self.text.push(',');
        }
        self.text.push_str(&part.text);
        self.origins.extend(part.origins);
    }

    /// The events of one strip as its `events` list; events that cannot be written are
    /// reported and left out.
    fn history(&mut self, mut list: Vec<EventRow>) -> String {
        list.sort_by_key(|e| e.index.unwrap_or(i64::MAX));
        let mut json = String::from("[");
        for event in &list {
            match event.event_json() {
                Ok(text) => {
                    if json.len() > 1 {
                        json.push(',');
                    }
                    json.push_str(&text);
                }
                Err(message) => {
                    let d = diagnostic(
                        &self.file,
                        Severity::Error,
                        &event.origin,
                        None,
                        None,
                        format!("event left out: {message}"),
                    );
                    self.diagnostics.push(d);
                }
            }
        }
        json.push(']');
        json
    }

    /// A problem with the row about to be pushed (or, with `row: None`, the file).
    pub fn problem(
        &mut self,
        severity: Severity,
        origin: &Origin,
        row: Option<usize>,
        message: String,
    ) {
        self.diagnostics
            .push(diagnostic(&self.file, severity, origin, row, None, message));
    }

    /// A problem with the feature about to be pushed.
    pub fn warn_next(&mut self, origin: &Origin, message: String) {
        let row = self.origins.len();
        self.problem(Severity::Warning, origin, Some(row), message);
    }

    /// Strips for the events whose strip was not among the features: at the first
    /// event's location, with its strip's name.
    fn strips_of_orphan_events(&mut self) {
        if self.drop_orphans {
            self.events.clear();
        }
        for key in std::mem::take(&mut self.event_order) {
            let Some(list) = self.events.remove(&key) else {
                continue;
            };
            let mut row = Row {
                id: Some(string_json(&list[0].strip_id)),
                geometry: list[0].location.clone(),
                properties: Vec::new(),
                link: None,
                origin: list[0].origin.clone(),
            };
            if let Some(name) = &list[0].strip_name {
                row.set("name", string_json(name));
            }
            let json = self.history(list);
            row.set("events", json);
            self.push(row);
        }
    }

    /// Reads the features with the GeoJSON reader; its problems are placed at the rows.
    pub fn finish(mut self) -> Parsed {
        self.strips_of_orphan_events();
        self.start();
        self.text.push_str("\n]}\n");
        let mut parsed = read_str(&self.text, &self.file);
        drop(std::mem::take(&mut self.text));
        let mut diagnostics = self.diagnostics;
        if parsed.fatal {
            // The text is made here, so this is a fault of Pistas: say so plainly.
            for d in &mut parsed.diagnostics {
                d.message = format!(
                    "Pistas could not read what it made of this file ({}); please report it",
                    d.message
                );
            }
            diagnostics.append(&mut parsed.diagnostics);
            parsed.diagnostics = diagnostics;
            return parsed;
        }
        for mut d in std::mem::take(&mut parsed.diagnostics) {
            let origin = d.feature_index.and_then(|i| self.origins.get(i));
            d.line = origin.and_then(|o| o.line);
            d.column = origin.and_then(|o| o.column);
            if let Some(place) = origin.and_then(|o| o.place.as_ref()) {
                d.message = format!("{place}: {}", d.message);
            }
            diagnostics.push(d);
        }
        // Problems of rows first by where they are, then the reader's.
        diagnostics.sort_by_key(|d| (d.feature_index.is_some(), d.feature_index));
        parsed.diagnostics = diagnostics;
        parsed
    }
}

fn string_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    json_string_into(&mut out, text);
    out
}

/// The text of an id written as JSON: a string's text, or a number as written.
fn id_text(json: &str) -> Option<String> {
    if let Some(inner) = json.strip_prefix('"').and_then(|j| j.strip_suffix('"'))
        && !inner.contains('\\')
    {
        return Some(inner.to_owned());
    }
    if json.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        // A number as written: 12345678901234567890 stays itself.
        return Some(json.to_owned());
    }
    serde_json::from_str::<String>(json).ok()
}

/// A diagnostic located at a row of the original file.
pub fn diagnostic(
    file: &str,
    severity: Severity,
    origin: &Origin,
    row: Option<usize>,
    feature_id: Option<String>,
    message: String,
) -> Diagnostic {
    Diagnostic {
        severity,
        file: file.to_owned(),
        line: origin.line,
        column: origin.column,
        feature_index: row,
        feature_id,
        event_index: None,
        message: match &origin.place {
            Some(place) => format!("{place}: {message}"),
            None => message,
        },
    }
}

/// A file that cannot be read at all, with where and why.
pub fn fatal(file: &str, origin: &Origin, message: String) -> Parsed {
    Parsed {
        document: crate::model::Document::default(),
        diagnostics: vec![diagnostic(
            file,
            Severity::Error,
            origin,
            None,
            None,
            message,
        )],
        fatal: true,
        facts: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_placed_at_the_rows() {
        let mut c = Collection::new("survey.csv");
        c.push(Row {
            id: Some("\"a\"".into()),
            geometry: Some("{\"type\":\"Point\",\"coordinates\":[-73.9,-12.4]}".into()),
            properties: vec![("name".into(), "\"Uno\"".into())],
            origin: Origin::line(2),
            link: None,
        });
        c.push(Row {
            id: Some("\"b\"".into()),
            geometry: None,
            properties: vec![(
                "events".into(),
                "[{\"type\":\"built\",\"date\":\"May 2014\"}]".into(),
            )],
            origin: Origin::line(3),
            link: None,
        });
        let parsed = c.finish();
        assert!(!parsed.fatal);
        assert_eq!(parsed.document.features().len(), 2);
        let d = parsed
            .diagnostics
            .iter()
            .find(|d| d.feature_index == Some(1))
            .expect("the unreadable date is reported");
        assert_eq!(d.line, Some(3));
        assert!(d.to_string().starts_with("survey.csv:3: "), "{d}");
    }
}
