//! Reading GeoJSON geometries (RFC 7946 §3.1) into `geo` shapes, with located errors.
//!
//! The coordinates are read by typed serde seeds that know how deeply each geometry type
//! nests, so a misplaced or wrong value is reported at its own line and column.

use std::borrow::Cow;
use std::fmt;

use geo::{Coord, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::diagnostic::LineIndex;
use crate::model::GeometryKind;

/// A geometry that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeometryError {
    /// Byte offset in the geometry's text, when known.
    pub offset: Option<usize>,
    pub message: String,
}

/// Reads one GeoJSON geometry object.
///
/// # Units
/// Coordinates are longitude, latitude in degrees (WGS 84); a third value (altitude) is
/// accepted and left out of the shape.
///
/// ```
/// let shape = pistas::io::parse_geometry(r#"{"type": "Point", "coordinates": [-74.1, -12.3]}"#).unwrap();
/// assert_eq!(shape, geo::Geometry::Point(geo::point!(x: -74.1, y: -12.3)));
/// ```
pub fn parse_geometry(text: &str) -> Result<geo::Geometry<f64>, GeometryError> {
    match plain_point(text) {
        Some(point) => Ok(point),
        None => parse_in(text, false),
    }
}

/// A Point written plainly, `{"type": "Point", "coordinates": [lon, lat]}` in this order
/// with any whitespace, as most points are: read without the general machinery, to the
/// same value (serde_json reads the numbers). `None` for anything else, and for positions
/// out of range, which the general path reports.
fn plain_point(text: &str) -> Option<geo::Geometry<f64>> {
    let b = text.as_bytes();
    let mut i = 0;
    let ws = |i: &mut usize| {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(*i) {
            *i += 1;
        }
    };
    let literal = |i: &mut usize, word: &[u8]| {
        ws(i);
        let found = b.get(*i..*i + word.len())? == word;
        found.then(|| *i += word.len())
    };
    let number = |i: &mut usize| {
        ws(i);
        let start = *i;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = b.get(*i) {
            *i += 1;
        }
        serde_json::from_str::<f64>(text.get(start..*i)?).ok()
    };
    for word in [
        &b"{"[..],
        b"\"type\"",
        b":",
        b"\"Point\"",
        b",",
        b"\"coordinates\"",
        b":",
        b"[",
    ] {
        literal(&mut i, word)?;
    }
    let lon = number(&mut i)?;
    literal(&mut i, b",")?;
    let lat = number(&mut i)?;
    literal(&mut i, b"]")?;
    literal(&mut i, b"}")?;
    ws(&mut i);
    let in_range = i == b.len() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
    in_range.then(|| Point(Coord { x: lon, y: lat }).into())
}

fn parse_in(text: &str, nested: bool) -> Result<geo::Geometry<f64>, GeometryError> {
    let mut de = serde_json::Deserializer::from_str(text);
    match (GeometrySeed { base: text, nested }).deserialize(&mut de) {
        Ok(result) => result,
        Err(e) => Err(GeometryError {
            offset: Some(LineIndex::new(text).offset(e.line(), e.column())),
            message: serde_message(&e),
        }),
    }
}

/// A serde_json error's sentence without the " at line L column C" it appends.
pub(crate) fn serde_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// An object key, borrowed from the text when it has no escapes.
pub(crate) struct Key<'de>(pub Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Describes a JSON value by its first character, for messages.
pub(crate) fn describe(raw: &str) -> String {
    match raw.as_bytes().first() {
        Some(b'"') => format!("the text {raw}"),
        Some(b'{') => "an object".to_owned(),
        Some(b'[') => "a list".to_owned(),
        Some(b'n') => "null".to_owned(),
        Some(b't' | b'f') => format!("the value {raw}"),
        _ => format!("the number {raw}"),
    }
}

/// Decodes a raw JSON string value; `None` when it is not a string.
pub(crate) fn raw_str(raw: &RawValue) -> Option<Cow<'_, str>> {
    let text = raw.get();
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(text).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

struct GeometrySeed<'t> {
    base: &'t str,
    nested: bool,
}

type Parsed = Result<geo::Geometry<f64>, GeometryError>;

impl<'de, 't> DeserializeSeed<'de> for GeometrySeed<'t> {
    type Value = Parsed;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Parsed, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 't> Visitor<'de> for GeometrySeed<'t> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a geometry object such as {\"type\": \"Point\", \"coordinates\": [lon, lat]}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut kind: Option<GeometryKind> = None;
        let mut shape: Option<geo::Geometry<f64>> = None;
        let mut later: Option<&'de RawValue> = None;
        let mut members: Vec<Cow<'de, str>> = Vec::new();
        let mut seen = super::scan::Seen::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if seen.repeats(&key, members.iter().map(|k| k.as_ref())) {
                return Err(de::Error::custom(format!(
                    "\"{key}\" appears twice in this geometry; a JSON object's member names must be unique"
                )));
            }
            match key.as_ref() {
                "type" => {
                    let raw: &RawValue = map.next_value()?;
                    let name = raw_str(raw).ok_or_else(|| {
                        de::Error::custom(format!(
                            "the geometry's \"type\" is {}; it must be text such as \"Point\"",
                            describe(raw.get())
                        ))
                    })?;
                    let parsed = GeometryKind::parse(&name)
                        .ok_or_else(|| de::Error::custom(unknown_type_message(&name)))?;
                    kind = Some(parsed);
                }
                "coordinates" => match kind {
                    Some(GeometryKind::GeometryCollection) => {
                        return Err(de::Error::custom(
                            "a GeometryCollection has \"geometries\", not \"coordinates\"",
                        ));
                    }
                    Some(k) => shape = Some(map.next_value_seed(CoordinatesSeed(k))?),
                    None => later = Some(map.next_value()?),
                },
                "geometries" => {
                    if kind.is_some_and(|k| k != GeometryKind::GeometryCollection) {
                        return Err(de::Error::custom(
                            "only a GeometryCollection has \"geometries\"; this geometry needs \"coordinates\"",
                        ));
                    }
                    let parts = map.next_value_seed(GeometriesSeed)?;
                    if self.nested {
                        return Err(de::Error::custom(
                            "a GeometryCollection inside a GeometryCollection is not allowed (RFC 7946 §3.1.8)",
                        ));
                    }
                    kind = Some(GeometryKind::GeometryCollection);
                    shape = Some(geo::Geometry::GeometryCollection(geo::GeometryCollection(
                        parts,
                    )));
                }
                "bbox" => map.next_value_seed(BboxSeed)?,
                "features" | "geometry" | "properties" => {
                    return Err(de::Error::custom(format!(
                        "a geometry must not have a \"{key}\" member (RFC 7946 §7.1): is this meant to be a Feature?"
                    )));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            members.push(key);
        }
        let Some(kind) = kind else {
            return Ok(Err(GeometryError {
                offset: Some(0),
                message: "this geometry has no \"type\" member".to_owned(),
            }));
        };
        if let Some(raw) = later {
            if kind == GeometryKind::GeometryCollection {
                return Ok(Err(GeometryError {
                    offset: Some(0),
                    message: "a GeometryCollection has \"geometries\", not \"coordinates\"".into(),
                }));
            }
            let start = raw.get().as_ptr() as usize - self.base.as_ptr() as usize;
            let mut de = serde_json::Deserializer::from_str(raw.get());
            return Ok(match CoordinatesSeed(kind).deserialize(&mut de) {
                Ok(shape) => Ok(shape),
                Err(e) => Err(GeometryError {
                    offset: Some(start + LineIndex::new(raw.get()).offset(e.line(), e.column())),
                    message: serde_message(&e),
                }),
            });
        }
        match shape {
            Some(shape) => Ok(Ok(shape)),
            None => Ok(Err(GeometryError {
                offset: Some(0),
                message: match kind {
                    GeometryKind::GeometryCollection => {
                        "this GeometryCollection has no \"geometries\" member".to_owned()
                    }
                    k => format!("this {} has no \"coordinates\" member", k.as_str()),
                },
            })),
        }
    }
}

fn unknown_type_message(name: &str) -> String {
    let names: Vec<&str> = GeometryKind::ALL.iter().map(|k| k.as_str()).collect();
    match GeometryKind::ALL
        .iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(name))
    {
        Some(k) => format!(
            "unknown geometry type \"{name}\": GeoJSON types are case-sensitive; write \"{}\"",
            k.as_str()
        ),
        None => format!(
            "unknown geometry type \"{name}\"; expected one of {}",
            names.join(", ")
        ),
    }
}

struct GeometriesSeed;

impl<'de> DeserializeSeed<'de> for GeometriesSeed {
    type Value = Vec<geo::Geometry<f64>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for GeometriesSeed {
    type Value = Vec<geo::Geometry<f64>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of geometry objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut parts = Vec::new();
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            if !raw.get().starts_with('{') {
                return Err(de::Error::custom(format!(
                    "a GeometryCollection's \"geometries\" holds geometry objects; found {}",
                    describe(raw.get())
                )));
            }
            match parse_in(raw.get(), true) {
                Ok(shape) => parts.push(shape),
                Err(e) => {
                    return Err(de::Error::custom(format!(
                        "in geometry #{} of this GeometryCollection: {}",
                        parts.len() + 1,
                        e.message
                    )));
                }
            }
        }
        Ok(parts)
    }
}

struct BboxSeed;

impl<'de> DeserializeSeed<'de> for BboxSeed {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let raw: &RawValue = de::Deserialize::deserialize(d)?;
        check_bbox(raw).map_err(de::Error::custom)
    }
}

/// Checks a `bbox` member: 4 or 6 numbers (RFC 7946 §5).
pub(crate) fn check_bbox(raw: &RawValue) -> Result<(), String> {
    let values: Vec<serde_json::Value> = serde_json::from_str(raw.get()).map_err(|_| {
        format!(
            "\"bbox\" is {}; it must be a list of 4 or 6 numbers",
            describe(raw.get())
        )
    })?;
    if let Some(bad) = values.iter().find(|v| !v.is_number()) {
        return Err(format!(
            "\"bbox\" holds {}; it must hold only numbers",
            describe(&bad.to_string())
        ));
    }
    if values.len() != 4 && values.len() != 6 {
        return Err(format!(
            "\"bbox\" has {} numbers; it must have 4 (west, south, east, north) or 6 (with heights)",
            values.len()
        ));
    }
    Ok(())
}

/// Reads the coordinates of a geometry of a known type.
struct CoordinatesSeed(GeometryKind);

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

fn polygon(rings: Vec<Vec<Pos>>) -> Polygon<f64> {
    let mut rings = rings.into_iter().map(|r| LineString(coords(r)));
    let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
    Polygon::new(exterior, rings.collect())
}

/// A list of `inner` values with at least `min` entries, closed when `closed`.
#[derive(Clone, Copy)]
struct List<S> {
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
trait Depth {
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

struct ListVisitor<S>(List<S>);

/// A position as read: longitude/latitude, and the altitude if one was given.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pos(Coord<f64>, Option<f64>);

/// Lets the ring check compare first and last positions.
trait AsFirstLast {
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

fn coords(positions: Vec<Pos>) -> Vec<Coord<f64>> {
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

fn show(p: Option<Pos>) -> String {
    match p {
        Some(Pos(c, Some(z))) => format!("[{}, {}, {z}]", c.x, c.y),
        Some(Pos(c, None)) => format!("[{}, {}]", c.x, c.y),
        None => String::new(),
    }
}

/// One position: longitude, latitude and an optional altitude.
#[derive(Clone, Copy)]
struct Position;

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
struct Number;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (usize, usize, String) {
        let e = parse_geometry(text).expect_err(text);
        let (line, col) = LineIndex::new(text).line_col(e.offset.unwrap_or(0));
        (line, col, e.message)
    }

    #[test]
    fn reads_every_type() {
        let cases = [
            r#"{"type":"Point","coordinates":[1,2,3]}"#,
            r#"{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}"#,
            r#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#,
            r#"{"type":"MultiLineString","coordinates":[[[1,2],[3,4]]]}"#,
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
            r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}"#,
            r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}"#,
            r#"{"coordinates":[[1,2],[3,4]],"type":"LineString","custom":{"a":1}}"#,
        ];
        for text in cases {
            let shape = parse_geometry(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert!(text.contains(GeometryKind::of(&shape).as_str()), "{text}");
        }
    }

    #[test]
    fn errors_point_at_the_bad_value() {
        let text = "{\"type\": \"Point\",\n \"coordinates\": [1,\n \"2\"]}";
        let (line, _, message) = error(text);
        assert_eq!(line, 3);
        assert!(message.contains("remove the quotes"), "{message}");
        // Coordinates before the type are read once the type is known, still located.
        let text = "{\"coordinates\": [\n[1, 2]\n],\n \"type\": \"LineString\"}";
        let (line, _, message) = error(text);
        assert_eq!(line, 3, "{message}");
        assert!(message.contains("at least 2 positions"), "{message}");
    }

    #[test]
    fn explains_common_mistakes() {
        let cases = [
            (r#"{"type":"point","coordinates":[1,2]}"#, "write \"Point\""),
            (r#"{"type":"Point","coordinates":[2]}"#, "two numbers"),
            (
                r#"{"type":"Point","coordinates":[2,4,6,8]}"#,
                "at most three",
            ),
            (
                r#"{"type":"Point","coordinates":[-12.3,-100.5]}"#,
                "swapped",
            ),
            (
                r#"{"type":"Point","coordinates":[612000,8630000]}"#,
                "projected",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#,
                "end where it starts",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[0,0],[1,0]]}"#,
                "nested more deeply",
            ),
            (
                r#"{"type":"MultiPoint","coordinates":[[[0,0]]]}"#,
                "nested too deeply",
            ),
            (
                r#"{"type":"Point","coordinates":[1,2],"bbox":[1,2,3]}"#,
                "4 (west",
            ),
            (
                r#"{"type":"Point","features":[],"coordinates":[1,2]}"#,
                "Feature",
            ),
            (r#"{"type":"MultiPoint"}"#, "no \"coordinates\""),
            (
                r#"{"type":"GeometryCollection","geometries":[false]}"#,
                "geometry objects",
            ),
            (
                r#"{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}"#,
                "inside a GeometryCollection",
            ),
            (
                r#"{"type":"Point","type":"Point","coordinates":[1,2]}"#,
                "appears twice",
            ),
        ];
        for (text, expected) in cases {
            let (_, _, message) = error(text);
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn plain_points_read_as_the_general_path_reads_them() {
        let numbers = [
            "-74.29627150450273",
            "-13.055309323926393",
            "0",
            "-0",
            "-0.0",
            "1e1",
            "1E-1",
            "12.5e+0",
            "-74",
            "180",
            "-180",
            "90",
            "-90",
            "0.1000",
            "1.7976931348623157e308",
            "-74.000000000000000000001",
            "4.9e-324",
            "123456789012345678901",
        ];
        for lon in numbers {
            for lat in numbers {
                for (a, b) in [("", ""), (" ", "\n  ")] {
                    let text = format!(
                        "{{{a}\"type\":{a}\"Point\",{b}\"coordinates\":{a}[{b}{lon},{a}{lat}{b}]{a}}}"
                    );
                    assert_eq!(
                        plain_point(&text).map(Ok),
                        parse_in(&text, false).ok().map(Ok::<_, ()>),
                        "{text}"
                    );
                    if let Some(p) = plain_point(&text) {
                        let general = parse_in(&text, false).expect("point");
                        let (geo::Geometry::Point(p), geo::Geometry::Point(g)) = (p, general)
                        else {
                            panic!("not points");
                        };
                        assert_eq!(p.x().to_bits(), g.x().to_bits(), "{text}");
                        assert_eq!(p.y().to_bits(), g.y().to_bits(), "{text}");
                    }
                }
            }
        }
        // Not plain: left to the general path, which reads or reports them.
        for text in [
            r#"{"coordinates": [1, 2], "type": "Point"}"#,
            r#"{"type": "Point", "coordinates": [1, 2, 3]}"#,
            r#"{"type": "Point", "coordinates": [1, 2], "bbox": [1, 2, 1, 2]}"#,
            r#"{"type": "Point", "coordinates": [1, 95]}"#,
            r#"{"type": "Point", "coordinates": [+1, 2]}"#,
            r#"{"type": "Point", "coordinates": [1.2.3, 2]}"#,
        ] {
            assert!(plain_point(text).is_none(), "{text}");
        }
    }
}
