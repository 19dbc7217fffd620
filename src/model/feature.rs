//! A feature of a document: a strip (it has an event history) or a context feature.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::value::RawValue;

mod body;
mod geometry;
mod id;
mod kept;

use body::Body;
pub use geometry::{Geometry, GeometryKind};
pub use id::{FeatureId, JsonNumber};
use kept::Kept;
pub(crate) use kept::{SharedText, Span};

use super::event::Event;
use super::members::{Extra, Foreign, Unread, decode_str, json_string};

/// How a feature got its id.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IdOrigin {
    /// Written in the file, given by the person (a new strip), or given by Pistas in place
    /// of an id an earlier feature of the file already used (written from then on, so ids
    /// stay unique).
    #[default]
    Given,
    /// Given by Pistas while reading because the file had none: a name for this session,
    /// never evidence in a merge and never written (the file stays without an id, and the
    /// next read may give another).
    Assigned,
}

/// One feature: geometry, properties as written, and the typed event history.
///
/// A feature is a strip when it has a history or a location a strip can have (a Point, a
/// LineString or a Polygon): a strip with no events has "no history yet". A feature that
/// could not be read at all is kept verbatim ([`Feature::unread`]): written back unchanged,
/// never drawn, listed with its problems.
///
/// A feature read from a file and not edited since holds only its id, its geometry and
/// the span of the file's text it was read from ([`Span`]): what else it says (its
/// properties and events) is read again from that text when asked, and kept from then on
/// ([`Feature::events`]), or read for the moment only ([`Feature::decoded`], for passes
/// over every feature). The first change makes it its own (copy on write).
#[derive(Debug, Clone)]
pub struct Feature {
    id: FeatureId,
    id_origin: IdOrigin,
    /// Boxed: a feature without a place (a table row) pays a pointer, not a shape.
    geometry: Option<Box<Geometry>>,
    /// The text this feature was read from, while nothing but its id and geometry changed.
    kept: Option<Kept>,
    /// Everything else the feature says: read from `kept` on first use, or the feature's
    /// own once it changed (then `kept` is gone).
    body: OnceLock<Box<Body>>,
}

/// Everything a person sees and the file says, except the value of an id Pistas gave: it
/// is not written, and the next read may give another (after a deletion, say).
impl PartialEq for Feature {
    fn eq(&self, other: &Self) -> bool {
        let same_text = match (&self.kept, &other.kept) {
            (Some(a), Some(b)) => a.span.same(&b.span),
            _ => false,
        };
        (self.id == other.id || (self.id_assigned() && other.id_assigned()))
            && self.id_origin == other.id_origin
            && self.geometry == other.geometry
            && (same_text || *self.body_now() == *other.body_now())
    }
}

/// Property names the profile derives from a strip's events: recomputed, never trusted.
pub const DERIVED_PROPERTIES: [&str; 7] = [
    "status",
    "times_destroyed",
    "times_rebuilt",
    "first_event",
    "last_event",
    "runway_length_m",
    "runway_heading_deg",
];

// Made here, not in `kept.rs`: a feature holds its text, so the text's file does not name
// `Feature`, and is given only what the reader's function reads beyond id and geometry.
impl SharedText {
    /// A text that features were read from, with `decode`, which reads one feature's text
    /// (a JSON object) again as the reader read it in the file.
    pub(crate) fn new(text: String, decode: fn(&str) -> Feature) -> std::sync::Arc<SharedText> {
        SharedText::with_reread(text, Box::new(move |part| body_of(decode(part))))
    }
}

/// What a feature says beyond its id and geometry, taken from it.
fn body_of(feature: Feature) -> Body {
    match feature.body.into_inner() {
        Some(body) => *body,
        None => Body::default(),
    }
}

/// The events of a feature read from a file.
#[derive(Debug, Default)]
pub(crate) struct EventsPart {
    /// How many properties come before `events`.
    pub(crate) at: usize,
    pub(crate) events: Vec<Event>,
    /// Events that could not be interpreted, each with how many read events precede it.
    pub(crate) unread: Vec<(usize, Unread)>,
}

/// `base`, or `base_2`, `base_3`, … : the first name no property has.
pub fn free_name(properties: &Extra, base: &str) -> String {
    let taken = |name: &str| properties.iter().any(|(k, _)| k == name);
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

/// What a feature read from a file is made of.
#[derive(Debug, Default)]
pub(crate) struct FeatureParts {
    pub(crate) id: Option<FeatureId>,
    pub(crate) geometry: Option<Geometry>,
    pub(crate) properties: Extra,
    /// `None` when there is no `events` member.
    pub(crate) events: Option<EventsPart>,
    pub(crate) properties_null: bool,
    pub(crate) foreign: Foreign,
}

impl Feature {
    pub(crate) fn empty(id: Option<FeatureId>) -> Self {
        let id_origin = match id {
            Some(_) => IdOrigin::Given,
            None => IdOrigin::Assigned,
        };
        Feature {
            id: id.unwrap_or(FeatureId::String(String::new())),
            id_origin,
            geometry: None,
            kept: None,
            // Made on first use: the reader fills a list of empty features first.
            body: OnceLock::new(),
        }
    }

    /// A new strip with no events.
    pub fn new_strip(id: FeatureId, name: &str, geometry: geo::Geometry<f64>) -> Self {
        let mut feature = Feature::empty(Some(id));
        feature.geometry = Some(Box::new(Geometry::new(geometry)));
        feature.set_name(name);
        let body = feature.body_mut();
        body.events_at = Some(body.properties.len());
        feature
    }

    /// A feature as read from a file. With an `events` member, derived keys are dropped
    /// from the properties (they are recomputed). Without an id, it is given an empty one,
    /// to be replaced by [`crate::model::Document::with_unique_ids`].
    pub(crate) fn from_parts(parts: FeatureParts) -> Self {
        let mut feature = Feature::empty(parts.id);
        feature.geometry = parts.geometry.map(Box::new);
        let line = feature
            .geometry
            .as_ref()
            .is_some_and(|g| g.kind() == GeometryKind::LineString);
        let body = feature.body_mut();
        body.properties_null = parts.properties_null;
        body.foreign = parts.foreign;
        let mut properties = parts.properties;
        match parts.events {
            Some(events) => {
                // The runway figures are derived only from a LineString: on another shape
                // they are the file's own, kept under another name.
                if !line {
                    for key in ["runway_length_m", "runway_heading_deg"] {
                        if let Some(i) = properties.iter().position(|(k, _)| k == key) {
                            properties[i].0 = free_name(&properties, &format!("{key}_original"));
                        }
                    }
                }
                let mut at = events.at.min(properties.len());
                let mut i = 0;
                properties.retain(|(key, _)| {
                    let derived = DERIVED_PROPERTIES.contains(&key.as_str()) || key == "events";
                    if derived && i < events.at {
                        at -= 1;
                    }
                    i += 1;
                    !derived
                });
                body.events_at = Some(at);
                body.events = events.events;
                body.unread_events = events.unread;
            }
            None => properties.retain(|(k, _)| k != "events"),
        }
        body.properties = properties;
        body.refresh_text();
        feature
    }

    /// A feature that could not be read: kept as written, with its problems.
    pub fn unreadable(id: Option<FeatureId>, raw: Box<RawValue>, problems: Vec<String>) -> Self {
        let mut feature = Feature::empty(id);
        feature.body_mut().unread = Some(Unread::new(raw, problems));
        feature
    }

    /// Keeps only the span of the file's text this feature was read from (the reader calls
    /// this on each feature it read from `span`): what it says is read again when asked.
    pub(crate) fn keep_text(&mut self, span: Span) {
        let name = self.name().map(Box::from);
        let body = self.body_now();
        let kept = Kept {
            span,
            name,
            events_member: body.events_at.is_some(),
            unread: body.unread.is_some(),
        };
        self.kept = Some(kept);
        self.body = OnceLock::new();
    }

    /// False only when the feature's text, unread still, has no `"evidence"` member name
    /// (nor an escape that could spell one): a pass looking for evidence skips it without
    /// reading it.
    pub fn may_have_evidence(&self) -> bool {
        match (self.body.get(), &self.kept) {
            (None, Some(kept)) => {
                let text = kept.span.get();
                text.contains("\"evidence\"") || text.contains("\\u")
            }
            _ => true,
        }
    }

    /// The text the feature was read from, while it is unedited.
    pub(crate) fn kept_source(&self) -> Option<&std::sync::Arc<SharedText>> {
        self.kept.as_ref().map(|k| k.span.source())
    }

    /// What the feature says beyond id and geometry, read again from its text (for the
    /// moment, when it was not read yet).
    fn body_now(&self) -> Cow<'_, Body> {
        match (self.body.get(), &self.kept) {
            (Some(body), _) => Cow::Borrowed(body),
            (None, Some(kept)) => Cow::Owned(kept.decode()),
            (None, None) => Cow::Owned(Body::default()),
        }
    }

    /// What the feature says beyond id and geometry, read from its text on first use and
    /// kept.
    fn body(&self) -> &Body {
        self.body.get_or_init(|| match &self.kept {
            Some(kept) => Box::new(kept.decode()),
            None => Box::default(),
        })
    }

    /// The body, to change: the feature becomes its own (written from it, no longer from
    /// the text it was read from).
    fn body_mut(&mut self) -> &mut Body {
        if self.body.get().is_none() {
            let body = self.body_now().into_owned();
            self.body = OnceLock::from(Box::new(body));
        }
        self.kept = None;
        self.body.get_mut().expect("the body was set just above")
    }

    /// Makes the feature hold everything it says itself, as a feature made by edits does:
    /// decoded, its geometry's text copied, nothing kept of the file's text. What it
    /// says and how it is written do not change.
    pub fn make_own(&mut self) {
        self.body_mut();
        if let Some(geometry) = &mut self.geometry {
            geometry.own_text();
        }
    }

    /// The feature with everything it says at hand: itself when it was read already, else
    /// a copy read from its text, which is not kept. For passes over every feature (facts,
    /// saving, exports), so that they do not keep the whole file decoded.
    pub fn decoded(&self) -> Cow<'_, Feature> {
        if self.body.get().is_some() || self.kept.is_none() {
            return Cow::Borrowed(self);
        }
        Cow::Owned(Feature {
            id: self.id.clone(),
            id_origin: self.id_origin.clone(),
            geometry: self.geometry.clone(),
            kept: self.kept.clone(),
            body: OnceLock::from(Box::new(self.body_now().into_owned())),
        })
    }

    /// The text of property `key` when it is a JSON string: what `decoded` kept for it
    /// when it had escapes, else the property's own text.
    fn text<'a>(&'a self, key: &str, decoded: &'a Option<Box<str>>) -> Option<&'a str> {
        if let Some(text) = decoded {
            return Some(text);
        }
        match decode_str(self.property(key)?)? {
            Cow::Borrowed(text) => Some(text),
            // Escapes are always decoded by `refresh_text`; not reached.
            Cow::Owned(_) => None,
        }
    }

    /// The feature as written, when Pistas could not read it.
    pub fn unread(&self) -> Option<&Unread> {
        if self.kept.as_ref().is_some_and(|k| !k.unread) {
            return None;
        }
        self.body().unread.as_ref()
    }

    /// How the id came about.
    pub fn id_origin(&self) -> &IdOrigin {
        &self.id_origin
    }

    /// True when Pistas gave the id (it is not evidence of identity).
    pub fn id_assigned(&self) -> bool {
        self.id_origin == IdOrigin::Assigned
    }

    /// The feature's geometry (`None`: no location).
    pub fn geometry(&self) -> Option<&Geometry> {
        self.geometry.as_deref()
    }

    /// The geometry, to change its shape (its text as read goes with the edit).
    pub fn geometry_mut(&mut self) -> Option<&mut Geometry> {
        self.geometry.as_deref_mut()
    }

    pub fn set_geometry(&mut self, geometry: Option<Geometry>) {
        self.geometry = geometry.map(Box::new);
    }

    /// The feature's id: its file's, one Pistas made its own, or one for this session
    /// (see [`Feature::id_assigned`]). Changed only through [`Feature::set_id`] (or, for a
    /// session's id, by the reader and the editor).
    pub fn id(&self) -> &FeatureId {
        &self.id
    }

    /// Gives a feature that had no id one for this session (see [`IdOrigin::Assigned`]).
    pub(crate) fn assign_id(&mut self, id: FeatureId) {
        self.id = id;
    }

    /// Puts back an id and how it came about, exactly as they were (the document undoes a
    /// change of id with it).
    pub(crate) fn put_id(&mut self, id: FeatureId, origin: IdOrigin) {
        self.id = id;
        self.id_origin = origin;
    }

    /// Makes `id` the feature's own id, as if the file had it.
    pub fn set_id(&mut self, id: FeatureId) {
        self.id = id;
        self.id_origin = IdOrigin::Given;
    }

    /// `bbox` and the other members beside GeoJSON's own, as written.
    pub fn foreign(&self) -> &Foreign {
        &self.body().foreign
    }

    pub fn set_foreign(&mut self, foreign: Foreign) {
        self.body_mut().foreign = foreign;
    }

    /// A strip: a feature with a history or a location a strip can have.
    pub fn is_strip(&self) -> bool {
        let (events_member, unread) = match &self.kept {
            Some(k) => (k.events_member, k.unread),
            None => {
                let body = self.body();
                (body.events_at.is_some(), body.unread.is_some())
            }
        };
        !unread
            && (events_member
                || self.geometry.as_ref().is_some_and(|g| {
                    matches!(
                        g.kind(),
                        GeometryKind::Point | GeometryKind::LineString | GeometryKind::Polygon
                    )
                }))
    }

    /// True when the feature is written with an `events` list and the derived summary.
    pub fn has_events_member(&self) -> bool {
        match &self.kept {
            Some(k) => k.events_member,
            None => self.body().events_at.is_some(),
        }
    }

    /// The `name` property when it is text, escapes decoded.
    pub fn name(&self) -> Option<&str> {
        if let (None, Some(kept)) = (self.body.get(), &self.kept) {
            return kept.name.as_deref();
        }
        self.text("name", &self.body().name)
    }

    /// The name for lists: the name, or the id when there is none.
    pub fn label(&self) -> &str {
        self.name().unwrap_or(self.id.as_str())
    }

    pub fn set_name(&mut self, name: &str) {
        self.set_property("name", json_string(name));
    }

    /// The `notes` property when it is text, escapes decoded.
    pub fn notes(&self) -> Option<&str> {
        self.text("notes", &self.body().notes)
    }

    /// Properties other than `events` and the derived summary, in file order.
    pub fn properties(&self) -> &Extra {
        &self.body().properties
    }

    /// Index among `properties()` before which `events` is written, when it is.
    pub fn events_position(&self) -> Option<usize> {
        self.body().events_at
    }

    pub fn property(&self, key: &str) -> Option<&RawValue> {
        self.body()
            .properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// A property's text when it is a JSON string, escapes decoded.
    pub fn property_str(&self, key: &str) -> Option<std::borrow::Cow<'_, str>> {
        self.property(key).and_then(decode_str)
    }

    /// True when `key` can be a property of this feature: not `events`, and not a derived
    /// key while the feature is written with its summary.
    pub fn accepts_property(&self, key: &str) -> bool {
        self.unread().is_none()
            && key != "events"
            && !(self.has_events_member() && DERIVED_PROPERTIES.contains(&key))
    }

    /// Sets a property, in place if it exists, else at the end. Returns false (and changes
    /// nothing) for a key the feature cannot hold (see [`Feature::accepts_property`]).
    pub fn set_property(&mut self, key: &str, value: Box<RawValue>) -> bool {
        if !self.accepts_property(key) {
            return false;
        }
        let body = self.body_mut();
        body.properties_null = false;
        match body.properties.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = value,
            None => body.properties.push((key.to_owned(), value)),
        }
        if key == "name" || key == "notes" {
            body.refresh_text();
        }
        true
    }

    /// Removes a property; returns its value.
    pub fn remove_property(&mut self, key: &str) -> Option<Box<RawValue>> {
        self.property(key)?;
        let body = self.body_mut();
        let index = body.properties.iter().position(|(k, _)| k == key)?;
        if let Some(at) = &mut body.events_at
            && index < *at
        {
            *at -= 1;
        }
        let value = body.properties.remove(index).1;
        if key == "name" || key == "notes" {
            body.refresh_text();
        }
        Some(value)
    }

    /// The events Pistas could read, which make the status and statistics.
    pub fn events(&self) -> &[Event] {
        &self.body().events
    }

    /// The events that could not be interpreted, each with how many read events precede it.
    pub fn unread_events(&self) -> &[(usize, Unread)] {
        &self.body().unread_events
    }

    /// The events, to change them; `None` for a feature Pistas could not read, which is
    /// written as it was read until a fix replaces it (an edit here would vanish). The
    /// feature is then written with an `events` list and its summary: properties named
    /// like a derived key are renamed `<key>_original` (or `<key>_original_2`, …) so that
    /// nothing the file said is lost.
    pub fn events_mut(&mut self) -> Option<&mut Vec<Event>> {
        if self.unread().is_some() {
            return None;
        }
        let body = self.body_mut();
        if body.events_at.is_none() {
            for i in 0..body.properties.len() {
                if !DERIVED_PROPERTIES.contains(&body.properties[i].0.as_str()) {
                    continue;
                }
                let base = format!("{}_original", body.properties[i].0);
                body.properties[i].0 = free_name(&body.properties, &base);
            }
            body.events_at = Some(body.properties.len());
            body.properties_null = false;
        }
        Some(&mut body.events)
    }

    /// Replaces unread event `index` with a read one (a fix); returns false when there is
    /// no such unread event.
    pub fn fix_unread_event(&mut self, index: usize, event: Event) -> bool {
        if index >= self.unread_events().len() {
            return false;
        }
        let body = self.body_mut();
        let (before, _) = body.unread_events.remove(index);
        let before = before.min(body.events.len());
        body.events.insert(before, event);
        for (b, _) in &mut body.unread_events[index..] {
            *b += 1;
        }
        true
    }

    /// Adds an event Pistas could not read, after the read ones; false (and nothing
    /// changes) for a feature Pistas could not read.
    pub fn push_unread_event(&mut self, unread: Unread) -> bool {
        if self.events_mut().is_none() {
            return false;
        }
        let body = self.body_mut();
        body.unread_events.push((body.events.len(), unread));
        true
    }

    /// Removes unread event `index`; returns it.
    pub fn remove_unread_event(&mut self, index: usize) -> Option<Unread> {
        if index >= self.unread_events().len() {
            return None;
        }
        Some(self.body_mut().unread_events.remove(index).1)
    }

    /// Deletes read event `index`, keeping the unread ones where they stood.
    pub fn remove_event(&mut self, index: usize) -> Option<Event> {
        if index >= self.events().len() {
            return None;
        }
        let body = self.body_mut();
        for (b, _) in &mut body.unread_events {
            if *b > index {
                *b -= 1;
            }
        }
        Some(body.events.remove(index))
    }

    /// True when the file had `"properties": null` and nothing was added since.
    pub fn properties_null(&self) -> bool {
        let body = self.body();
        body.properties_null && body.events_at.is_none()
    }
}

#[cfg(test)]
mod tests;
