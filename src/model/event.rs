//! Events in a strip's history and the sources that report them.

use std::fmt;

use serde_json::value::RawValue;

use super::date::FuzzyDate;

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

/// Members of a JSON object that Pistas does not interpret, kept as written, in order.
pub type Extra = Vec<(String, Box<RawValue>)>;

/// Where an event comes from: a structured reference or a plain line of text.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Text(String),
    Reference(Reference),
}

/// A structured source reference.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub title: Option<String>,
    pub url: Option<String>,
    pub archived_url: Option<String>,
    pub accessed: Option<String>,
    /// Unknown members, kept as written.
    pub extra: Extra,
}

impl PartialEq for Reference {
    fn eq(&self, other: &Self) -> bool {
        self.title == other.title
            && self.url == other.url
            && self.archived_url == other.archived_url
            && self.accessed == other.accessed
            && extra_eq(&self.extra, &other.extra)
    }
}

/// Compares kept members by their text.
pub fn extra_eq(a: &Extra, b: &Extra) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && va.get() == vb.get())
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
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Option<String>,
    pub kind: EventType,
    pub date: FuzzyDate,
    pub confidence: Option<Confidence>,
    pub sources: Vec<Source>,
    pub operation: Option<String>,
    pub note: Option<String>,
    /// Unknown members, and known ones whose value Pistas could not interpret, kept as written.
    pub extra: Extra,
}

impl PartialEq for Event {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.kind == other.kind
            && self.date == other.date
            && self.confidence == other.confidence
            && self.sources == other.sources
            && self.operation == other.operation
            && self.note == other.note
            && extra_eq(&self.extra, &other.extra)
    }
}

impl Event {
    /// An event with no sources, notes or confidence yet.
    pub fn new(kind: EventType, date: FuzzyDate) -> Self {
        Event {
            id: None,
            kind,
            date,
            confidence: None,
            sources: Vec::new(),
            operation: None,
            note: None,
            extra: Vec::new(),
        }
    }
}
