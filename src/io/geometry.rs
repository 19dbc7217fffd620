//! Reading GeoJSON geometries (RFC 7946 §3.1) into `geo` shapes, with located errors.
//!
//! The coordinates are read by typed serde seeds that know how deeply each geometry type
//! nests, so a misplaced or wrong value is reported at its own line and column.

use std::borrow::Cow;
use std::fmt;

use geo::{Coord, Point};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::diagnostic::LineIndex;
use super::raw::{Key, describe, raw_str, serde_message};
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

mod coords;
use coords::*;

#[cfg(test)]
mod tests;
