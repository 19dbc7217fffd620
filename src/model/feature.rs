//! A feature of a document: a strip (it has an event history) or a context feature.

use std::fmt;

use serde_json::value::RawValue;

use super::event::{Event, Extra, extra_eq};

/// A GeoJSON feature id: a string or a number, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FeatureId {
    String(String),
    /// A JSON number, as its text, so `42` and `4.20e1` stay as they were.
    Number(String),
}

impl FeatureId {
    /// The id as text, for display and matching.
    pub fn as_str(&self) -> &str {
        match self {
            FeatureId::String(s) | FeatureId::Number(s) => s,
        }
    }
}

impl fmt::Display for FeatureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The geometry types GeoJSON knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeometryKind {
    Point,
    MultiPoint,
    LineString,
    MultiLineString,
    Polygon,
    MultiPolygon,
    GeometryCollection,
}

impl GeometryKind {
    pub const ALL: [GeometryKind; 7] = [
        GeometryKind::Point,
        GeometryKind::MultiPoint,
        GeometryKind::LineString,
        GeometryKind::MultiLineString,
        GeometryKind::Polygon,
        GeometryKind::MultiPolygon,
        GeometryKind::GeometryCollection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GeometryKind::Point => "Point",
            GeometryKind::MultiPoint => "MultiPoint",
            GeometryKind::LineString => "LineString",
            GeometryKind::MultiLineString => "MultiLineString",
            GeometryKind::Polygon => "Polygon",
            GeometryKind::MultiPolygon => "MultiPolygon",
            GeometryKind::GeometryCollection => "GeometryCollection",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn of(geometry: &geo::Geometry<f64>) -> Self {
        match geometry {
            geo::Geometry::Point(_) => GeometryKind::Point,
            geo::Geometry::MultiPoint(_) => GeometryKind::MultiPoint,
            geo::Geometry::Line(_) | geo::Geometry::LineString(_) => GeometryKind::LineString,
            geo::Geometry::MultiLineString(_) => GeometryKind::MultiLineString,
            geo::Geometry::Polygon(_) | geo::Geometry::Rect(_) | geo::Geometry::Triangle(_) => {
                GeometryKind::Polygon
            }
            geo::Geometry::MultiPolygon(_) => GeometryKind::MultiPolygon,
            geo::Geometry::GeometryCollection(_) => GeometryKind::GeometryCollection,
        }
    }
}

/// A feature's geometry in lon/lat, with the text it was read from while it is unchanged.
#[derive(Debug, Clone)]
pub struct Geometry {
    shape: geo::Geometry<f64>,
    /// The GeoJSON text as read: keeps third coordinates, number spelling and foreign members.
    /// Dropped when the shape is edited.
    raw: Option<Box<RawValue>>,
}

impl Geometry {
    /// A new geometry, written out from its shape.
    pub fn new(shape: geo::Geometry<f64>) -> Self {
        Geometry { shape, raw: None }
    }

    /// A geometry read from a file, which is written back exactly as read until edited.
    pub fn from_read(shape: geo::Geometry<f64>, raw: Box<RawValue>) -> Self {
        Geometry {
            shape,
            raw: Some(raw),
        }
    }

    pub fn shape(&self) -> &geo::Geometry<f64> {
        &self.shape
    }

    pub fn kind(&self) -> GeometryKind {
        GeometryKind::of(&self.shape)
    }

    /// The text as read, if the geometry has not been edited since.
    pub fn raw(&self) -> Option<&RawValue> {
        self.raw.as_deref()
    }

    /// Replaces the shape; the file text is written anew from it.
    pub fn set_shape(&mut self, shape: geo::Geometry<f64>) {
        self.shape = shape;
        self.raw = None;
    }
}

impl PartialEq for Geometry {
    fn eq(&self, other: &Self) -> bool {
        self.shape == other.shape
    }
}

/// One feature: geometry, properties as written, and for strips the typed event history.
#[derive(Debug, Clone)]
pub struct Feature {
    pub id: FeatureId,
    pub geometry: Option<Geometry>,
    name: Option<String>,
    /// Properties other than `events` (and, for strips, the derived summary), in file order.
    properties: Extra,
    /// `Some` for strips: features with an `events` list.
    pub events: Option<Vec<Event>>,
    /// Where `events` stands among the properties, so it is written back in place.
    events_at: usize,
    /// True when the file had `"properties": null` and nothing was added since.
    pub properties_null: bool,
    /// `bbox` and foreign members of the feature, kept as written.
    pub foreign: Extra,
}

impl PartialEq for Feature {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.geometry == other.geometry
            && extra_eq(&self.properties, &other.properties)
            && self.events == other.events
            && self.events_at == other.events_at
            && self.properties_null == other.properties_null
            && extra_eq(&self.foreign, &other.foreign)
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

impl Feature {
    /// A new strip with no events.
    pub fn new_strip(id: FeatureId, name: &str, geometry: geo::Geometry<f64>) -> Self {
        let mut feature = Feature {
            id,
            geometry: Some(Geometry::new(geometry)),
            name: None,
            properties: Vec::new(),
            events: Some(Vec::new()),
            events_at: 0,
            properties_null: false,
            foreign: Vec::new(),
        };
        feature.set_name(name);
        feature.events_at = feature.properties.len();
        feature
    }

    /// A feature as read from a file.
    pub fn from_parts(
        id: FeatureId,
        geometry: Option<Geometry>,
        properties: Extra,
        events: Option<(usize, Vec<Event>)>,
        properties_null: bool,
        foreign: Extra,
    ) -> Self {
        let (events_at, events) = match events {
            Some((at, events)) => (at.min(properties.len()), Some(events)),
            None => (properties.len(), None),
        };
        let mut feature = Feature {
            id,
            geometry,
            name: None,
            properties,
            events,
            events_at,
            properties_null,
            foreign,
        };
        feature.name = feature.property_str("name").map(str::to_owned);
        feature
    }

    pub fn is_strip(&self) -> bool {
        self.events.is_some()
    }

    /// The `name` property when it is text.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The name for lists: the name, or the id when there is none.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(self.id.as_str())
    }

    pub fn set_name(&mut self, name: &str) {
        self.set_property("name", json_string(name));
        self.name = Some(name.to_owned());
    }

    /// The `notes` property when it is text.
    pub fn notes(&self) -> Option<&str> {
        self.property_str("notes")
    }

    /// Properties other than `events` and the derived summary, in file order.
    pub fn properties(&self) -> &Extra {
        &self.properties
    }

    /// Index among `properties()` before which `events` is written.
    pub fn events_position(&self) -> usize {
        self.events_at
    }

    pub fn property(&self, key: &str) -> Option<&RawValue> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// A property's value when it is a JSON string without escapes needing decoding.
    pub fn property_str(&self, key: &str) -> Option<&str> {
        let text = self.property(key)?.get();
        let inner = text.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.contains('\\')).then_some(inner)
    }

    /// Sets a property, in place if it exists, else at the end.
    pub fn set_property(&mut self, key: &str, value: Box<RawValue>) {
        self.properties_null = false;
        if key == "name" {
            self.name = serde_json::from_str::<String>(value.get()).ok();
        }
        match self.properties.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = value,
            None => self.properties.push((key.to_owned(), value)),
        }
    }

    /// Removes a property; returns its value.
    pub fn remove_property(&mut self, key: &str) -> Option<Box<RawValue>> {
        let index = self.properties.iter().position(|(k, _)| k == key)?;
        if index < self.events_at {
            self.events_at -= 1;
        }
        if key == "name" {
            self.name = None;
        }
        Some(self.properties.remove(index).1)
    }

    pub fn events(&self) -> &[Event] {
        self.events.as_deref().unwrap_or(&[])
    }
}

/// A JSON string value for `text`.
pub fn json_string(text: &str) -> Box<RawValue> {
    let encoded = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    RawValue::from_string(encoded).unwrap_or_else(|_| json_null())
}

/// The JSON value `null`.
pub fn json_null() -> Box<RawValue> {
    RawValue::NULL.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::point;

    #[test]
    fn properties_keep_their_places() {
        let mut f = Feature::new_strip(
            FeatureId::String("s1".into()),
            "Pista \"Norte\"",
            point!(x: -74.0, y: -12.0).into(),
        );
        assert_eq!(f.name(), Some("Pista \"Norte\""));
        f.set_property("notes", json_string("fresh clearing"));
        f.set_property("name", json_string("Pista Sur"));
        let keys: Vec<&str> = f.properties().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["name", "notes"]);
        assert_eq!(f.label(), "Pista Sur");
        assert_eq!(f.notes(), Some("fresh clearing"));
        assert!(f.remove_property("name").is_some());
        assert_eq!(f.label(), "s1");
    }
}
