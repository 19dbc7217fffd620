//! What a feature says beyond its id and geometry ([`Body`]): its properties and events,
//! decoded.

use std::borrow::Cow;

use super::super::event::Event;
use super::super::members::{Extra, Foreign, Unread, decode_str, extra_eq};

/// What a feature says beyond its id and geometry.
#[derive(Debug, Clone, Default)]
pub(super) struct Body {
    /// The `name` and `notes` properties decoded, when their text has escapes to decode;
    /// without escapes they are read from the properties' own text, and nothing is kept
    /// twice (a million strips keep about 130 MB less).
    pub(super) name: Option<Box<str>>,
    pub(super) notes: Option<Box<str>>,
    /// Properties other than `events`, in file order; never a derived key while the feature
    /// has an `events` member (the writer writes those).
    pub(super) properties: Extra,
    pub(super) events: Vec<Event>,
    /// Events Pistas could not interpret, each with how many read events come before it.
    pub(super) unread_events: Vec<(usize, Unread)>,
    /// Where `events` stands among the properties when the feature has that member.
    pub(super) events_at: Option<usize>,
    /// True when the file had `"properties": null` and nothing was added since.
    pub(super) properties_null: bool,
    /// `bbox` and foreign members of the feature, kept as written.
    pub(super) foreign: Foreign,
    /// The feature as written, when it could not be read.
    pub(super) unread: Option<Unread>,
}

impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.notes == other.notes
            && extra_eq(&self.properties, &other.properties)
            && self.events == other.events
            && self.unread_events == other.unread_events
            && self.events_at == other.events_at
            && self.properties_null == other.properties_null
            && self.foreign == other.foreign
            && self.unread == other.unread
    }
}

impl Body {
    /// Keeps `name` and `notes` decoded when their text has escapes to decode.
    pub(super) fn refresh_text(&mut self) {
        let decoded = |me: &Self, key: &str| {
            let raw = me.properties.iter().find(|(k, _)| k == key)?;
            match decode_str(&raw.1) {
                Some(Cow::Owned(text)) => Some(text.into_boxed_str()),
                _ => None,
            }
        };
        self.name = decoded(self, "name");
        self.notes = decoded(self, "notes");
    }
}
