//! A feature's geometry: its shape in lon/lat, with the text it was read from while it
//! is unchanged.

use serde_json::value::RawValue;

use super::kept::Span;

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
    raw: Option<GeometryText>,
}

/// The text a geometry was read from: a copy, or a part of the file's text (see [`Span`]).
#[derive(Debug, Clone)]
enum GeometryText {
    Copied(Box<RawValue>),
    Kept(Span),
}

impl Geometry {
    /// A new geometry, written out from its shape.
    pub fn new(shape: geo::Geometry<f64>) -> Self {
        Geometry { shape, raw: None }
    }

    /// A geometry read from a file, which is written back exactly as read until edited.
    /// Only the reader makes one, with the shape it parsed from `raw`: outside the crate a
    /// shape and a text that disagree cannot be put together.
    pub(crate) fn from_read(shape: geo::Geometry<f64>, raw: &RawValue, kept: Option<Span>) -> Self {
        let text = match kept {
            Some(span) => GeometryText::Kept(span),
            None => GeometryText::Copied(raw.to_owned()),
        };
        Geometry {
            shape,
            raw: Some(text),
        }
    }

    pub fn shape(&self) -> &geo::Geometry<f64> {
        &self.shape
    }

    pub fn kind(&self) -> GeometryKind {
        GeometryKind::of(&self.shape)
    }

    /// The text as read (a JSON object), if the geometry has not been edited since.
    pub fn raw(&self) -> Option<&str> {
        match self.raw.as_ref()? {
            GeometryText::Copied(raw) => Some(raw.get()),
            GeometryText::Kept(span) => Some(span.get()),
        }
    }

    /// Holds a copy of the text it was read from instead of a part of the file's text.
    pub(super) fn own_text(&mut self) {
        if let Some(GeometryText::Kept(span)) = &self.raw
            && let Ok(copy) = RawValue::from_string(span.get().to_owned())
        {
            self.raw = Some(GeometryText::Copied(copy));
        }
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
