//! The coordinates member: positions, lists of them at every depth, and numbers, each
//! checked where it stands so an error points at the bad value.

use std::fmt;

use geo::{Coord, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::GeometryKind;

/// Reads the coordinates of a geometry of a known type.
pub(super) struct CoordinatesSeed(pub(super) GeometryKind);

impl<'de> DeserializeSeed<'de> for CoordinatesSeed {
    type Value = geo::Geometry<f64>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let line = |min| List::new(Position, min, false, "line");
        let ring = || List::new(Position, 4, true, "polygon ring");
        Ok(match self.0 {
            GeometryKind::Point => Point(Position.deserialize(d)?.0).into(),
            GeometryKind::MultiPoint => {
                let points = List::new(Position, 0, false, "MultiPoint").deserialize(d)?;
                MultiPoint(points.into_iter().map(|p| Point(p.0)).collect()).into()
            }
            GeometryKind::LineString => {
                LineString(coords(line(2).or_empty().deserialize(d)?)).into()
            }
            GeometryKind::MultiLineString => {
                let lines = List::new(line(2), 0, false, "MultiLineString").deserialize(d)?;
                MultiLineString(lines.into_iter().map(|l| LineString(coords(l))).collect()).into()
            }
            GeometryKind::Polygon => polygon(
                List::new(ring(), 1, false, "Polygon")
                    .or_empty()
                    .deserialize(d)?,
            )
            .into(),
            GeometryKind::MultiPolygon => {
                let polys = List::new(
                    List::new(ring(), 1, false, "polygon"),
                    0,
                    false,
                    "MultiPolygon",
                )
                .deserialize(d)?;
                MultiPolygon(polys.into_iter().map(polygon).collect()).into()
            }
            GeometryKind::GeometryCollection => {
                return Err(de::Error::custom(
                    "a GeometryCollection has \"geometries\", not \"coordinates\"",
                ));
            }
        })
    }
}

pub(super) fn polygon(rings: Vec<Vec<Pos>>) -> Polygon<f64> {
    let mut rings = rings.into_iter().map(|r| LineString(coords(r)));
    let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
    Polygon::new(exterior, rings.collect())
}

/// A list of `inner` values with at least `min` entries, closed when `closed`.
#[derive(Clone, Copy)]
pub(super) struct List<S> {
    inner: S,
    min: usize,
    closed: bool,
    what: &'static str,
    /// An empty list is allowed too (RFC 7946 §3.1: empty coordinates are an empty shape).
    empty_ok: bool,
}

impl<S> List<S> {
    fn new(inner: S, min: usize, closed: bool, what: &'static str) -> Self {
        List {
            inner,
            min,
            closed,
            what,
            empty_ok: false,
        }
    }

    fn or_empty(self) -> Self {
        List {
            empty_ok: true,
            ..self
        }
    }
}

/// The depth of a seed's values, for "nest more deeply" messages.
pub(super) trait Depth {
    /// What a value of this seed is, with an article: "a position", "a list of positions".
    fn noun() -> &'static str;
}

impl Depth for Position {
    fn noun() -> &'static str {
        "a position [longitude, latitude]"
    }
}

impl<S: Depth> Depth for List<S> {
    fn noun() -> &'static str {
        "a list"
    }
}

impl<'de, S> DeserializeSeed<'de> for List<S>
where
    S: DeserializeSeed<'de> + Copy + Depth,
    S::Value: AsFirstLast,
{
    type Value = Vec<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ListVisitor(self))
    }
}

pub(super) struct ListVisitor<S>(List<S>);

/// A position as read: longitude/latitude, and the altitude if one was given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Pos(Coord<f64>, Option<f64>);

/// Lets the ring check compare first and last positions.
pub(super) trait AsFirstLast {
    fn pos(&self) -> Option<Pos>;
}

impl AsFirstLast for Pos {
    fn pos(&self) -> Option<Pos> {
        Some(*self)
    }
}

impl<T> AsFirstLast for Vec<T> {
    fn pos(&self) -> Option<Pos> {
        None
    }
}

pub(super) fn coords(positions: Vec<Pos>) -> Vec<Coord<f64>> {
    positions.into_iter().map(|p| p.0).collect()
}

macro_rules! too_shallow {
    ($name:ident, $ty:ty) => {
        fn $name<E: de::Error>(self, _: $ty) -> Result<Self::Value, E> {
            Err(E::custom(format!(
                "a number was found where {} should be: this needs to be nested more deeply",
                S::noun()
            )))
        }
    };
}

impl<'de, S> Visitor<'de> for ListVisitor<S>
where
    S: DeserializeSeed<'de> + Copy + Depth,
    S::Value: AsFirstLast,
{
    type Value = Vec<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list for the {}", self.0.what)
    }

    too_shallow!(visit_f64, f64);
    too_shallow!(visit_i64, i64);
    too_shallow!(visit_u64, u64);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = self.0;
        let mut values = Vec::new();
        while let Some(value) = seq.next_element_seed(list.inner)? {
            values.push(value);
        }
        if values.len() < list.min && !(values.is_empty() && list.empty_ok) {
            return Err(de::Error::custom(format!(
                "a {} needs at least {} positions; this one has {}",
                list.what,
                list.min,
                values.len()
            )));
        }
        if list.closed {
            let first = values.first().and_then(AsFirstLast::pos);
            let last = values.last().and_then(AsFirstLast::pos);
            if first != last {
                return Err(de::Error::custom(format!(
                    "a {} must end where it starts; here it starts at {} and ends at {}",
                    list.what,
                    show(first),
                    show(last)
                )));
            }
        }
        Ok(values)
    }
}

pub(super) fn show(p: Option<Pos>) -> String {
    match p {
        Some(Pos(c, Some(z))) => format!("[{}, {}, {z}]", c.x, c.y),
        Some(Pos(c, None)) => format!("[{}, {}]", c.x, c.y),
        None => String::new(),
    }
}

/// One position: longitude, latitude and an optional altitude.
#[derive(Clone, Copy)]
pub(super) struct Position;

impl<'de> DeserializeSeed<'de> for Position {
    type Value = Pos;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Pos, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Position {
    type Value = Pos;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a position [longitude, latitude]")
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Pos, E> {
        Err(E::custom(
            "a number was found where a coordinate array should be: this needs to be nested more deeply",
        ))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Pos, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Pos, E> {
        self.visit_f64(v as f64)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pos, A::Error> {
        let mut values = [0.0; 3];
        let mut count = 0;
        while let Some(value) = seq.next_element_seed(Number)? {
            if count < 3 {
                values[count] = value;
            }
            count += 1;
        }
        if count < 2 {
            return Err(de::Error::custom(format!(
                "a position needs two numbers, longitude and latitude; this one has {count}"
            )));
        }
        if count > 3 {
            return Err(de::Error::custom(format!(
                "a position has at most three numbers (longitude, latitude, altitude); this one has {count}"
            )));
        }
        let (lon, lat) = (values[0], values[1]);
        if !(-90.0..=90.0).contains(&lat) {
            if (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat) {
                return Err(de::Error::custom(format!(
                    "latitude {lat} is out of range: longitude and latitude look swapped; GeoJSON writes [longitude, latitude]"
                )));
            }
            return Err(de::Error::custom(format!(
                "[{lon}, {lat}] is not a longitude and latitude in degrees: is the file in a projected system such as UTM? Pistas reads WGS 84 (EPSG:4326)"
            )));
        }
        // Data that crosses the dateline runs on past ±180 (the Aleutians at -187 in the
        // well-known us-states.json): read, and warned of by the interpreter.
        if !(-360.0..=360.0).contains(&lon) {
            return Err(de::Error::custom(format!(
                "longitude {lon} is out of range (-180 to 180, or to ±360 across the dateline): is the file in a projected system such as UTM? Pistas reads WGS 84 (EPSG:4326)"
            )));
        }
        Ok(Pos(
            Coord { x: lon, y: lat },
            (count == 3).then_some(values[2]),
        ))
    }
}

/// One coordinate number.
#[derive(Clone, Copy)]
pub(super) struct Number;

impl<'de> DeserializeSeed<'de> for Number {
    type Value = f64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Number {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a coordinate number")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        Err(E::custom(format!(
            "the text \"{v}\" was found where a coordinate number should be: remove the quotes"
        )))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
        Err(E::custom(format!(
            "{v} was found where a coordinate number should be"
        )))
    }
    fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
        Err(E::custom(
            "null was found where a coordinate number should be",
        ))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<f64, A::Error> {
        Err(de::Error::custom(
            "a list was found where a coordinate number should be: this is nested too deeply",
        ))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<f64, A::Error> {
        Err(de::Error::custom(
            "an object was found where a coordinate number should be",
        ))
    }
}
