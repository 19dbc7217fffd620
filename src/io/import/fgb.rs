//! FlatGeobuf, read with the `flatgeobuf` crate: every feature, or with a bounding box only
//! those its spatial index finds there; in any CRS proj4rs knows, brought to WGS 84. JSON
//! columns become JSON, so Pistas' strips (with `events`) read back with their histories.

use std::io::Cursor;

use flatgeobuf::{ColumnType, FallibleStreamingIterator, FgbReader};
use geozero::{ColumnValue, FeatureProperties, PropertyProcessor, ToGeo};

use super::collect::{Collection, Row, fatal, shape_json};
use super::crs::ToWgs84;
use super::options::Bbox;
use super::origin::Origin;
use super::own;
use super::value::float_json;
use crate::io::read::Parsed;
use crate::io::write::string as json_string_into;

/// The properties of one feature as JSON.
struct Properties {
    values: Vec<(String, String)>,
}

fn string_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    json_string_into(&mut out, text);
    out
}

impl PropertyProcessor for Properties {
    fn property(
        &mut self,
        _i: usize,
        name: &str,
        value: &ColumnValue,
    ) -> geozero::error::Result<bool> {
        let json = match value {
            ColumnValue::Byte(v) => v.to_string(),
            ColumnValue::UByte(v) => v.to_string(),
            ColumnValue::Bool(v) => v.to_string(),
            ColumnValue::Short(v) => v.to_string(),
            ColumnValue::UShort(v) => v.to_string(),
            ColumnValue::Int(v) => v.to_string(),
            ColumnValue::UInt(v) => v.to_string(),
            ColumnValue::Long(v) => v.to_string(),
            ColumnValue::ULong(v) => v.to_string(),
            ColumnValue::Float(v) => float_json(f64::from(*v)),
            ColumnValue::Double(v) => float_json(*v),
            // GDAL writes JSON values as strings: a list or object in one is that JSON, as
            // in CSV and KML.
            ColumnValue::String(s) => super::value::text_json(s),
            ColumnValue::DateTime(s) => string_json(s),
            ColumnValue::Json(s) => {
                if serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok() {
                    (*s).to_owned()
                } else {
                    string_json(s)
                }
            }
            ColumnValue::Binary(b) => {
                string_json(&b.iter().map(|x| format!("{x:02x}")).collect::<String>())
            }
        };
        self.values.push((name.to_owned(), json));
        Ok(false)
    }
}

/// Reads a FlatGeobuf file; with `bbox` (WGS 84) only the features whose box meets it.
pub fn read(bytes: &[u8], file: &str, bbox: Option<Bbox>) -> Parsed {
    let fail = |message: String| fatal(file, &Origin::default(), message);
    let mut cursor = Cursor::new(bytes);
    let reader = match FgbReader::open(&mut cursor) {
        Ok(r) => r,
        Err(e) => return fail(format!("not a readable FlatGeobuf file: {e}")),
    };
    let header = reader.header();
    let to = match to_wgs84(header.crs()) {
        Ok(to) => to,
        Err(e) => return fail(format!("a reference system Pistas cannot handle: {e}")),
    };
    let columns: Vec<(String, ColumnType)> = header
        .columns()
        .map(|cols| {
            cols.iter()
                .map(|c| (c.name().to_owned(), c.type_()))
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let own_strips = own::is_strips_header(&names);
    let indexed = header.index_node_size() > 0;
    let use_index = bbox.filter(|_| indexed && to.is_identity());
    let iter = match use_index {
        Some(b) => reader.select_bbox(b.min_x, b.min_y, b.max_x, b.max_y),
        None => reader.select_all(),
    };
    let mut iter = match iter {
        Ok(i) => i,
        Err(e) => return fail(format!("the FlatGeobuf cannot be read: {e}")),
    };
    let mut collection = Collection::new(file);
    let mut n = 0usize;
    loop {
        let feature = match iter.next() {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                return fail(format!(
                    "feature #{} cannot be read: {e} (the file is damaged or cut off)",
                    n + 1
                ));
            }
        };
        n += 1;
        let origin = Origin::place(format!("feature #{n}"));
        let mut row = Row {
            origin: origin.clone(),
            ..Row::default()
        };
        match feature.to_geo() {
            Ok(shape) => match to.shape(shape) {
                Ok(s) => {
                    if let Some(b) = bbox
                        && !b.touches(&s)
                    {
                        continue;
                    }
                    row.geometry = Some(shape_json(&s));
                }
                Err(e) => collection.warn_next(
                    &origin,
                    format!("{e}; the feature is kept without a location"),
                ),
            },
            Err(_) if bbox.is_some() => continue,
            Err(e) => log::trace!("feature #{n}: no geometry read: {e}"),
        }
        let mut properties = Properties { values: Vec::new() };
        if let Err(e) = feature.process_properties(&mut properties) {
            return fail(format!("feature #{n}: its attributes cannot be read: {e}"));
        }
        set_properties(&mut row, properties.values, own_strips);
        collection.push(row);
    }
    collection.finish()
}

/// The conversion from the file's reference system (none: WGS 84) to WGS 84: by its EPSG
/// code, else by its WKT.
fn to_wgs84(crs: Option<flatgeobuf::Crs>) -> Result<ToWgs84, String> {
    let Some(crs) = crs else {
        return Ok(ToWgs84::identity());
    };
    if crs.code() == 0 && crs.wkt().is_none() {
        return Ok(ToWgs84::identity());
    }
    let org = crs.org().unwrap_or("EPSG");
    let by_code = (org.eq_ignore_ascii_case("EPSG") && crs.code() != 0)
        .then(|| ToWgs84::from_epsg(i64::from(crs.code())));
    match (by_code, crs.wkt()) {
        (Some(Ok(t)), _) => Ok(t),
        (_, Some(wkt)) => ToWgs84::from_definition(wkt, &format!("{org}:{}", crs.code())),
        (Some(Err(e)), None) => Err(e),
        (None, None) => Ok(ToWgs84::identity()),
    }
}

/// Puts a feature's attributes in its row: the first `id` as its id; in a file of Pistas'
/// own strips, the columns that are its properties (and `events`), else every column.
fn set_properties(row: &mut Row, values: Vec<(String, String)>, own_strips: bool) {
    for (name, json) in values {
        if name.eq_ignore_ascii_case("id") && row.id.is_none() {
            row.id = Some(json);
            continue;
        }
        if own_strips {
            if name == "events" && json.starts_with('[') {
                row.set("events", json);
            } else if let Some(key) = own::strip_property(&name) {
                row.set(key, json);
            }
        } else {
            row.set(&name, json);
        }
    }
}
