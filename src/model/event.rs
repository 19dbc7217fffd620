//! Events in a strip's history and the sources that report them.

use std::fmt;

use super::date::FuzzyDate;
use super::evidence::Evidence;
use super::members::{Field, Unknown};

/// What happened to a strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    /// The strip was built or first cleared.
    Built,
    /// The strip was seen in use.
    Sighted,
    /// The strip was destroyed (blown up, trenched).
    Destroyed,
    /// The strip was rebuilt after a destruction.
    Rebuilt,
    /// A source mentions the strip; its state does not change.
    Reported,
}

impl EventType {
    pub const ALL: [EventType; 5] = [
        EventType::Built,
        EventType::Sighted,
        EventType::Destroyed,
        EventType::Rebuilt,
        EventType::Reported,
    ];

    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Built => "built",
            EventType::Sighted => "sighted",
            EventType::Destroyed => "destroyed",
            EventType::Rebuilt => "rebuilt",
            EventType::Reported => "reported",
        }
    }

    /// Reads the name used in files.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// True for the events that change whether a strip is usable.
    pub fn changes_state(self) -> bool {
        self != EventType::Reported
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the sources are of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    Confirmed,
    Probable,
    Unverified,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [
        Confidence::Confirmed,
        Confidence::Probable,
        Confidence::Unverified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Confirmed => "confirmed",
            Confidence::Probable => "probable",
            Confidence::Unverified => "unverified",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an event comes from: a structured reference or a plain line of text.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Text(String),
    Reference(Reference),
}

/// A structured source reference.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reference {
    title: Field<String>,
    url: Field<String>,
    archived_url: Field<String>,
    accessed: Field<String>,
    /// The files that back the source (a saved copy of the page, say).
    evidence: Vec<Evidence>,
    /// Unknown members, kept as written; never one of the names above.
    extra: Unknown,
}

impl Reference {
    /// The member names a reference reads into its typed fields.
    pub const FIELDS: [&str; 4] = ["title", "url", "archived_url", "accessed"];

    /// Every member name a reference reads as its own: [`Reference::FIELDS`] and its
    /// evidence.
    pub const OWN: [&str; 5] = ["title", "url", "archived_url", "accessed", "evidence"];

    /// The typed fields with their member names (the names of [`Reference::FIELDS`], in
    /// its order), for writing.
    pub fn fields(&self) -> [(&'static str, &Field<String>); 4] {
        let [title, url, archived_url, accessed] = Self::FIELDS;
        [
            (title, &self.title),
            (url, &self.url),
            (archived_url, &self.archived_url),
            (accessed, &self.accessed),
        ]
    }

    /// The typed field a member name reads into; `None` for a name not in
    /// [`Reference::FIELDS`].
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Field<String>> {
        let [title, url, archived_url, _] = Self::FIELDS;
        Some(match name {
            n if n == title => &mut self.title,
            n if n == url => &mut self.url,
            n if n == archived_url => &mut self.archived_url,
            n if Self::FIELDS.contains(&n) => &mut self.accessed,
            _ => return None,
        })
    }

    /// A reference with a title and, if given, a URL.
    pub fn titled(title: &str, url: Option<&str>) -> Self {
        Reference {
            title: Field::Value(title.to_owned()),
            url: url.map(str::to_owned).into(),
            ..Reference::default()
        }
    }
}

impl Source {
    /// A short label for lists and exports: the title, else the URL, else the text.
    pub fn label(&self) -> &str {
        match self {
            Source::Text(text) => text,
            Source::Reference(r) => r
                .title
                .as_deref()
                .or(r.url.as_deref())
                .or(r.archived_url.as_deref())
                .unwrap_or(""),
        }
    }
}

/// One dated event in a strip's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    id: Field<String>,
    kind: EventType,
    date: FuzzyDate,
    confidence: Field<Confidence>,
    sources: Vec<Source>,
    /// The files that back the event (see [`Evidence`]).
    evidence: Vec<Evidence>,
    operation: Field<String>,
    note: Field<String>,
    /// Unknown members, kept as written; never a name of [`Event::FIELDS`].
    extra: Unknown,
}

/// Reads and changes of a typed member: each member's type keeps its rule (a [`Field`]
/// holds one value or the text kept for it; [`Unknown`] never holds a typed name).
macro_rules! members {
    ($($name:ident, $name_mut:ident: $ty:ty;)*) => {
        $(
            pub fn $name(&self) -> &$ty {
                &self.$name
            }

            pub fn $name_mut(&mut self) -> &mut $ty {
                &mut self.$name
            }
        )*
    };
}

impl Event {
    members! {
        id, id_mut: Field<String>;
        date, date_mut: FuzzyDate;
        confidence, confidence_mut: Field<Confidence>;
        sources, sources_mut: Vec<Source>;
        evidence, evidence_mut: Vec<Evidence>;
        operation, operation_mut: Field<String>;
        note, note_mut: Field<String>;
        extra, extra_mut: Unknown;
    }

    pub fn kind(&self) -> EventType {
        self.kind
    }

    pub fn set_kind(&mut self, kind: EventType) {
        self.kind = kind;
    }

    /// The event with these sources.
    pub fn with_sources(mut self, sources: Vec<Source>) -> Self {
        self.sources = sources;
        self
    }
}

impl Reference {
    /// True when the source is kept out of publication (`"private": true`).
    pub fn private(&self) -> bool {
        self.extra.get("private").is_some_and(|v| v.get() == "true")
    }
}

impl Reference {
    members! {
        title, title_mut: Field<String>;
        url, url_mut: Field<String>;
        archived_url, archived_url_mut: Field<String>;
        accessed, accessed_mut: Field<String>;
        evidence, evidence_mut: Vec<Evidence>;
        extra, extra_mut: Unknown;
    }
}

impl Event {
    /// The member names the profile gives an event (`date_start` and `date_end` are
    /// derived from `date` and written by Pistas).
    pub const FIELDS: [&str; 10] = [
        "id",
        "type",
        "date",
        "date_start",
        "date_end",
        "confidence",
        "operation",
        "note",
        "sources",
        "evidence",
    ];

    /// Of [`Event::FIELDS`], those Pistas derives from `date` and writes itself (read
    /// back, they are ignored).
    pub const DERIVED: [&str; 2] = ["date_start", "date_end"];

    /// Of [`Event::FIELDS`], the list of sources (read one by one).
    pub const SOURCES: &str = "sources";

    /// An event with no sources, notes or confidence yet.
    pub fn new(kind: EventType, date: FuzzyDate) -> Self {
        Event {
            id: Field::Absent,
            kind,
            date,
            confidence: Field::Absent,
            sources: Vec::new(),
            evidence: Vec::new(),
            operation: Field::Absent,
            note: Field::Absent,
            extra: Unknown::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference's member names are one list: each name reads into its own field, and
    /// the fields are written under the same names, in the same order.
    #[test]
    fn a_reference_names_its_fields_once() {
        let mut r = Reference::default();
        for (i, name) in Reference::FIELDS.iter().enumerate() {
            r.field_mut(name)
                .expect("a field")
                .set(Some(format!("value {i}")));
        }
        assert!(r.field_mut("publisher").is_none());
        let written: Vec<(&str, Option<&str>)> =
            r.fields().iter().map(|(n, f)| (*n, f.as_deref())).collect();
        let expected: Vec<(&str, Option<String>)> = Reference::FIELDS
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, Some(format!("value {i}"))))
            .collect();
        let expected: Vec<(&str, Option<&str>)> =
            expected.iter().map(|(n, v)| (*n, v.as_deref())).collect();
        assert_eq!(written, expected);
    }

    /// Every name of [`Event::FIELDS`] is read as the model's own (never kept as an
    /// unknown member), and a name not in it is kept as unknown: the reader has no list
    /// of its own.
    #[test]
    fn the_reader_knows_exactly_the_fields_the_model_names() {
        let values = |name: &str| match name {
            "id" => "\"e1\"",
            "type" => "\"destroyed\"",
            "date" => "\"2014-09-05\"",
            "date_start" => "\"2014-09-05\"",
            "date_end" => "\"2014-09-05\"",
            "confidence" => "\"confirmed\"",
            "operation" => "\"Op\"",
            "note" => "\"n\"",
            "sources" => "[\"a report\"]",
            "evidence" => {
                "[{\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}]"
            }
            other => panic!("a field this test does not know: {other}"),
        };
        let members: Vec<String> = Event::FIELDS
            .iter()
            .map(|name| format!("\"{name}\":{}", values(name)))
            .chain(std::iter::once("\"seen_by\":\"someone\"".to_owned()))
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"s","geometry":{{"type":"Point","coordinates":[-74,-12]}},"properties":{{"events":[{{{}}}]}}}}]}}"#,
            members.join(",")
        );
        let parsed = crate::io::read_str(&text, "fields.geojson");
        assert!(!parsed.fatal);
        let event = &parsed.document.features()[0].events()[0];
        let unknown: Vec<&str> = event
            .extra
            .members()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(unknown, ["seen_by"]);
        assert_eq!(event.note.as_deref(), Some("n"));
        assert_eq!(event.sources.len(), 1);
        assert_eq!(event.evidence.len(), 1);
    }
}
