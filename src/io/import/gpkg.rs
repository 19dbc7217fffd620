//! GeoPackage, QGIS's default format, read through SQLite built into Pistas (rusqlite's
//! bundled SQLite: nothing to install) and geozero's GeoPackage geometry blobs: any point,
//! line or polygon layer, in any CRS proj4rs knows, brought to WGS 84; attributes become
//! properties (JSON columns, as GDAL marks them, become JSON). Pistas' own GeoPackage
//! (`strips` and `events`, see `io::export::gpkg`) reads back into the same strips and
//! histories.

use std::path::Path;

use geozero::ToGeo;
use geozero::wkb::GpkgWkb;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::Bbox;
use super::collect::{Collection, Origin, Part, Row, fatal, shape_json};
use super::crs::ToWgs84;
use super::own::{self, EventRow};
use super::value::float_json;
use crate::io::{Parsed, Severity, json_string_into};

/// A feature layer of a GeoPackage.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerInfo {
    pub name: String,
    pub geometry_column: String,
    pub geometry_type: String,
    pub srs_id: i64,
    pub count: i64,
}

fn string_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    json_string_into(&mut out, text);
    out
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Checks the file is a whole SQLite database before SQLite reads it: a cut-off file
/// would fail later, somewhere in the middle of a table.
fn check_file(path: &Path) -> Result<(), String> {
    use std::io::Read as _;
    let mut head = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let n = file.read(&mut head).map_err(|e| e.to_string())?;
    if n < 100 || &head[..16] != b"SQLite format 3\0" {
        return Err("not a GeoPackage: it is not an SQLite database".to_owned());
    }
    let page = u32::from(u16::from_be_bytes([head[16], head[17]]));
    let page = if page == 1 { 65_536 } else { u64::from(page) };
    let pages = u64::from(u32::from_be_bytes([head[28], head[29], head[30], head[31]]));
    if pages > 0 && size < page * pages {
        return Err(format!(
            "the GeoPackage is cut off: it holds {size} bytes of the {} its header gives (copy it again)",
            page * pages
        ));
    }
    Ok(())
}

fn open(path: &Path) -> Result<Connection, String> {
    check_file(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open it as SQLite: {e}"))?;
    Ok(conn)
}

/// The feature layers, in the order of `gpkg_contents`.
pub fn layers(path: &Path) -> Result<Vec<LayerInfo>, String> {
    let conn = open(path)?;
    layers_of(&conn)
}

fn layers_of(conn: &Connection) -> Result<Vec<LayerInfo>, String> {
    let mut stmt = conn
        .prepare(
            "SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id \
             FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' ORDER BY c.rowid",
        )
        .map_err(|e| match e.to_string() {
            m if m.contains("no such table") => {
                format!("not a GeoPackage: an SQLite database without GeoPackage tables ({m})")
            }
            m => format!("the GeoPackage cannot be read: {m}"),
        })?;
    let rows = stmt
        .query_map([], |r| {
            Ok(LayerInfo {
                name: r.get(0)?,
                geometry_column: r.get(1)?,
                geometry_type: r.get(2)?,
                srs_id: r.get(3)?,
                count: 0,
            })
        })
        .map_err(|e| format!("the GeoPackage cannot be read: {e}"))?;
    let mut out = Vec::new();
    for row in rows {
        let mut layer = row.map_err(|e| format!("the GeoPackage cannot be read: {e}"))?;
        layer.count = conn
            .query_row(
                &format!("SELECT count(*) FROM {}", quoted(&layer.name)),
                [],
                |r| r.get(0),
            )
            .map_err(|e| format!("table \"{}\" cannot be read: {e}", layer.name))?;
        out.push(layer);
    }
    Ok(out)
}

/// The layers to choose from when a GeoPackage has several and is not Pistas' own;
/// `None` when it can be read without a choice.
pub fn choice_needed(path: &Path) -> Result<Option<Vec<LayerInfo>>, String> {
    let conn = open(path)?;
    let layers = layers_of(&conn)?;
    Ok((layers.len() > 1 && !is_own(&conn, &layers)).then_some(layers))
}

/// How to bring a layer's coordinates to WGS 84.
fn projection(conn: &Connection, layer: &LayerInfo) -> Result<(ToWgs84, Option<String>), String> {
    let table = &layer.name;
    if layer.srs_id == 0 {
        return Ok((
            ToWgs84::identity(),
            Some("its reference system is \"undefined geographic\"; read as WGS 84".to_owned()),
        ));
    }
    if layer.srs_id == -1 {
        return Err(format!(
            "layer \"{table}\" has no reference system (\"undefined cartesian\"): Pistas cannot tell where its coordinates are"
        ));
    }
    let (org, code, definition, name): (String, i64, String, String) = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition, srs_name FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [layer.srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(|e| format!("layer \"{table}\": reference system {} is not in gpkg_spatial_ref_sys ({e})", layer.srs_id))?;
    let label = format!("{name} ({org}:{code})");
    let by_code = org
        .eq_ignore_ascii_case("EPSG")
        .then(|| ToWgs84::from_epsg(code));
    match by_code {
        Some(Ok(t)) => Ok((t, None)),
        _ => ToWgs84::from_definition(&definition, &label)
            .map(|t| (t, None))
            .map_err(|e| {
                format!("layer \"{table}\": a reference system Pistas cannot handle: {e}")
            }),
    }
}

/// The columns of a table other than its key and geometry, with their declared types.
fn columns(
    conn: &Connection,
    layer: &LayerInfo,
) -> Result<(String, Vec<(String, String)>), String> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA table_info({})", quoted(&layer.name)))
        .map_err(|e| e.to_string())?;
    let mut pk = "rowid".to_owned();
    let mut out = Vec::new();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(5)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (name, kind, key) = row.map_err(|e| e.to_string())?;
        if key == 1 {
            pk = name;
        } else if !name.eq_ignore_ascii_case(&layer.geometry_column) {
            out.push((name, kind.to_uppercase()));
        }
    }
    Ok((pk, out))
}

/// Columns GDAL and Pistas mark as JSON.
fn json_columns(conn: &Connection, table: &str) -> Vec<String> {
    let Ok(mut stmt) =
        conn.prepare("SELECT column_name FROM gpkg_data_columns WHERE table_name = ?1 AND mime_type = 'application/json'")
    else {
        return Vec::new();
    };
    stmt.query_map([table], |r| r.get(0))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
}

/// Columns Pistas wrote a property in under another name, with the property's key.
fn property_keys(conn: &Connection, table: &str) -> std::collections::HashMap<String, String> {
    let Ok(mut stmt) = conn.prepare(
        "SELECT column_name, title FROM gpkg_data_columns WHERE table_name = ?1 AND description = ?2 AND title IS NOT NULL",
    ) else {
        return std::collections::HashMap::new();
    };
    stmt.query_map(
        rusqlite::params![table, crate::io::export::gpkg::PROPERTY_MARK],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )
    .map(|rows| rows.flatten().collect())
    .unwrap_or_default()
}

/// A GeoPackage geometry blob as a shape in WGS 84; `Ok(None)` for an empty geometry.
fn shape(blob: &[u8], to: &ToWgs84) -> Result<Option<geo::Geometry<f64>>, String> {
    let Some(header) = super::wkb::gpkg_header_len(blob) else {
        return Err("the geometry is not a GeoPackage geometry blob".to_owned());
    };
    if blob[3] & 0x10 != 0 {
        return Ok(None);
    }
    if !super::wkb::plausible(&blob[header..]) {
        return Err("the geometry is damaged (its counts do not fit its bytes)".to_owned());
    }
    let shape = GpkgWkb(blob)
        .to_geo()
        .map_err(|e| format!("the geometry cannot be read: {e}"))?;
    to.shape(shape).map(Some)
}

/// A cell as JSON: numbers, text (JSON for JSON columns), booleans for BOOLEAN columns.
fn cell_json(value: ValueRef<'_>, declared: &str, json: bool) -> Option<String> {
    Some(match value {
        ValueRef::Null => return None,
        ValueRef::Integer(i) if declared == "BOOLEAN" => (i != 0).to_string(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => float_json(f),
        ValueRef::Text(t) => {
            let text = String::from_utf8_lossy(t);
            if json && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok() {
                text.into_owned()
            } else {
                string_json(&text)
            }
        }
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            string_json(&hex)
        }
    })
}

/// A cell as text, for Pistas' events table.
fn cell_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => None,
    }
}

/// True when the layers are Pistas' strips and events.
fn is_own(conn: &Connection, layers: &[LayerInfo]) -> bool {
    let find = |n: &str| layers.iter().find(|l| l.name == n);
    let (Some(strips), Some(events)) = (find("strips"), find("events")) else {
        return false;
    };
    let names = |l: &LayerInfo| {
        columns(conn, l)
            .map(|(_, c)| c.into_iter().map(|(n, _)| n).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let (s, e) = (names(strips), names(events));
    own::is_strips_header(&s.iter().map(String::as_str).collect::<Vec<_>>())
        && own::is_events_header(&e.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Reads one layer (`layer`), or the only one, or Pistas' strips with their events.
pub fn read(path: &Path, file: &str, layer: Option<&str>, bbox: Option<Bbox>) -> Parsed {
    let fail = |message: String| fatal(file, &Origin::default(), message);
    let conn = match open(path) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let layers = match layers_of(&conn) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    if layers.is_empty() {
        return fail(
            "the GeoPackage has no feature layer (only tiles or tables without geometry)"
                .to_owned(),
        );
    }
    let names = || {
        layers
            .iter()
            .map(|l| format!("\"{}\" ({} features)", l.name, l.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut collection = Collection::new(file);
    let chosen = match layer {
        Some(name) => match layers.iter().find(|l| l.name == name) {
            Some(l) => l,
            None => {
                return fail(format!(
                    "the GeoPackage has no layer \"{name}\"; its layers are {}",
                    names()
                ));
            }
        },
        None if is_own(&conn, &layers) => {
            let find = |n: &str| layers.iter().find(|l| l.name == n);
            if let (Some(strips), Some(events)) = (find("strips"), find("events")) {
                // The histories first, so each strip is written whole as it is read.
                match read_events(&conn, events, &mut collection) {
                    Ok(events) => collection.set_events(events),
                    Err(e) => return fail(e),
                }
                // Strips left outside the box take their events with them.
                if bbox.is_some() {
                    collection.drop_orphan_events();
                }
                if let Err(e) = read_layer(&conn, path, strips, bbox, true, &mut collection) {
                    return fail(e);
                }
                return collection.finish();
            }
            &layers[0]
        }
        None if layers.len() == 1 => &layers[0],
        None => {
            return fail(format!(
                "the GeoPackage has {} layers: {}; choose one (in the window, or with --layer NAME)",
                layers.len(),
                names()
            ));
        }
    };
    match read_layer(&conn, path, chosen, bbox, false, &mut collection) {
        Ok(()) => collection.finish(),
        Err(e) => fail(e),
    }
}

/// What reading a layer's rows needs, shared by the threads that read it.
struct LayerRead<'a> {
    layer: &'a LayerInfo,
    to: ToWgs84,
    pk: String,
    columns: Vec<(String, String)>,
    json: Vec<bool>,
    id_column: Option<usize>,
    /// The property of each column; `None` for a derived column of Pistas' strips.
    keys: Vec<Option<String>>,
    /// Pistas' strips table: empty cells are absent properties.
    own: bool,
    bbox: Option<Bbox>,
}

impl LayerRead<'_> {
    /// Calls `each` with the feature of every row whose fid is within `range` (all rows
    /// with `None`), and what is wrong with it.
    fn rows(
        &self,
        conn: &Connection,
        range: Option<(i64, i64)>,
        mut each: impl FnMut(Row, Vec<String>),
    ) -> Result<(), String> {
        let table = &self.layer.name;
        let list: Vec<String> = self.columns.iter().map(|(n, _)| quoted(n)).collect();
        let mut sql = format!(
            "SELECT {}, {}{}{} FROM {}",
            quoted(&self.pk),
            quoted(&self.layer.geometry_column),
            if list.is_empty() { "" } else { ", " },
            list.join(", "),
            quoted(table)
        );
        if range.is_some() {
            sql.push_str(&format!(
                " WHERE {0} >= ?1 AND {0} <= ?2 ORDER BY {0}",
                quoted(&self.pk)
            ));
        }
        let mut stmt = conn
            .prepare(&sql)
            .map_err(|e| format!("table \"{table}\" cannot be read: {e}"))?;
        let mut rows = match range {
            Some((a, b)) => stmt.query([a, b]),
            None => stmt.query([]),
        }
        .map_err(|e| format!("table \"{table}\" cannot be read: {e}"))?;
        let mut last_fid: Option<i64> = None;
        loop {
            let row = match rows.next() {
                Ok(Some(r)) => r,
                Ok(None) => break,
                Err(e) => {
                    let after = last_fid.map_or_else(
                        || "at its first row".to_owned(),
                        |f| format!("after fid {f}"),
                    );
                    return Err(format!(
                        "table \"{table}\" cannot be read {after}: {e} (the file is damaged)"
                    ));
                }
            };
            let fid: i64 = row.get(0).unwrap_or_default();
            last_fid = Some(fid);
            let origin = Origin::place(format!("table \"{table}\", fid {fid}"));
            let mut warnings = Vec::new();
            let mut out = Row {
                origin,
                properties: Vec::with_capacity(self.columns.len()),
                ..Row::default()
            };
            match row.get_ref(1) {
                Ok(ValueRef::Blob(blob)) => match shape(blob, &self.to) {
                    Ok(s) => {
                        if let (Some(b), Some(s)) = (self.bbox, &s)
                            && !b.touches(s)
                        {
                            continue;
                        }
                        out.geometry = s.as_ref().map(shape_json);
                    }
                    Err(e) => warnings.push(format!("{e}; the feature is kept without a location")),
                },
                Ok(ValueRef::Null) | Err(_) => {}
                Ok(_) => warnings.push(
                    "the geometry is not a blob; the feature is kept without a location".to_owned(),
                ),
            }
            if self.bbox.is_some() && out.geometry.is_none() {
                continue;
            }
            for (i, (_, declared)) in self.columns.iter().enumerate() {
                let Ok(value) = row.get_ref(i + 2) else {
                    continue;
                };
                if Some(i) == self.id_column {
                    out.id = match value {
                        ValueRef::Integer(n) => Some(n.to_string()),
                        ValueRef::Null => None,
                        other => cell_text(other).map(|t| string_json(&t)),
                    };
                    continue;
                }
                let Some(key) = &self.keys[i] else {
                    continue;
                };
                match cell_json(value, declared, self.json[i]) {
                    Some(v) if self.own => out.set(key, v),
                    Some(v) => out.properties.push((key.clone(), v)),
                    None if self.own => {}
                    None => out.properties.push((key.clone(), "null".to_owned())),
                }
            }
            if out.id.is_none() {
                out.id = Some(fid.to_string());
            }
            if self.own {
                out.link = Some(format!("fid:{fid}"));
            }
            each(out, warnings);
        }
        Ok(())
    }
}

/// Reads the features of a layer into `collection`; `own_strips`: Pistas' strips table.
/// Large layers are read on every core, each thread on its own connection and its own
/// range of fids, unless histories wait for the strips.
fn read_layer(
    conn: &Connection,
    path: &Path,
    layer: &LayerInfo,
    bbox: Option<Bbox>,
    own_strips: bool,
    collection: &mut Collection,
) -> Result<(), String> {
    let (to, warning) = projection(conn, layer)?;
    let table = &layer.name;
    if let Some(w) = warning {
        collection.problem(
            Severity::Warning,
            &Origin::default(),
            None,
            format!("layer \"{table}\": {w}"),
        );
    }
    let (pk, columns) =
        columns(conn, layer).map_err(|e| format!("table \"{table}\" cannot be read: {e}"))?;
    let json_names = json_columns(conn, table);
    let read = LayerRead {
        layer,
        to,
        id_column: columns
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case("id")),
        json: columns
            .iter()
            .map(|(n, _)| json_names.contains(n))
            .collect(),
        keys: {
            let renamed = property_keys(conn, table);
            columns
                .iter()
                .map(|(n, _)| match renamed.get(n) {
                    Some(key) => Some(key.clone()),
                    None if own_strips => own::strip_property(n).map(str::to_owned),
                    None => Some(n.clone()),
                })
                .collect()
        },
        own: own_strips,
        pk,
        columns,
        bbox,
    };
    let threads = crate::cores().max(1);
    let bounds: Option<(i64, i64)> =
        (threads > 1 && layer.count >= 20_000 && !collection.expects_events())
            .then(|| {
                conn.query_row(
                    &format!(
                        "SELECT min({0}), max({0}) FROM {1}",
                        quoted(&read.pk),
                        quoted(table)
                    ),
                    [],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
                )
                .ok()
            })
            .flatten();
    let Some((low, high)) = bounds else {
        return read.rows(conn, None, |row, warnings| {
            for w in warnings {
                collection.warn_next(&row.origin, w);
            }
            collection.push(row);
        });
    };
    // Ranges of fids in i128, so no fid, however far apart, overflows.
    let (low, high) = (i128::from(low), i128::from(high));
    let step = (high - low) / threads as i128 + 1;
    let ranges: Vec<(i64, i64)> = (0..threads as i128)
        .map(|i| (low + i * step, (low + (i + 1) * step - 1).min(high)))
        .filter(|(a, b)| a <= b)
        .filter_map(|(a, b)| Some((i64::try_from(a).ok()?, i64::try_from(b).ok()?)))
        .collect();
    let parts: Vec<Result<Part, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&range| {
                let read = &read;
                scope.spawn(move || {
                    let conn = open(path)?;
                    let mut part = Part::default();
                    read.rows(&conn, Some(range), |row, warnings| part.push(row, warnings))?;
                    Ok(part)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    for part in parts {
        collection.append(part?);
    }
    Ok(())
}

/// The rows of Pistas' events table.
fn read_events(
    conn: &Connection,
    layer: &LayerInfo,
    collection: &mut Collection,
) -> Result<Vec<EventRow>, String> {
    let to = projection(conn, layer)?.0;
    let table = &layer.name;
    let (pk, columns) =
        columns(conn, layer).map_err(|e| format!("table \"{table}\" cannot be read: {e}"))?;
    // Only the columns an event is made of, by name.
    let wanted: Vec<&str> = ["strip_id", "strip_name", "event_index", "strip_fid"]
        .into_iter()
        .chain(own::EVENT_KEYS)
        .filter(|k| columns.iter().any(|(n, _)| n == k))
        .collect();
    let list: Vec<String> = wanted.iter().map(|n| quoted(n)).collect();
    let sql = format!(
        "SELECT {}, {}, {} FROM {}",
        quoted(&pk),
        quoted(&layer.geometry_column),
        list.join(", "),
        quoted(table)
    );
    let mut stmt = conn
        .prepare(&sql)
        .map_err(|e| format!("table \"{table}\" cannot be read: {e}"))?;
    let mut rows = stmt
        .query([])
        .map_err(|e| format!("table \"{table}\" cannot be read: {e}"))?;
    let at = |key: &str| wanted.iter().position(|w| *w == key).map(|i| i + 2);
    let (strip_at, name_at, index_at) = (at("strip_id"), at("strip_name"), at("event_index"));
    // The relation Pistas declares: an event belongs to the strip of its strip_fid.
    let fid_at = at("strip_fid");
    let keys: Vec<(&'static str, usize)> = own::EVENT_KEYS
        .iter()
        .filter_map(|&k| at(k).map(|i| (k, i)))
        .collect();
    let text = |row: &rusqlite::Row<'_>, i: Option<usize>| {
        i.and_then(|i| row.get_ref(i).ok().and_then(cell_text))
    };
    let mut located: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = Vec::new();
    while let Some(row) = rows
        .next()
        .map_err(|e| format!("table \"{table}\" cannot be read: {e} (the file is damaged)"))?
    {
        let fid: i64 = row.get(0).unwrap_or_default();
        let origin = Origin::place(format!("table \"{table}\", fid {fid}"));
        let Some(strip_id) = text(row, strip_at) else {
            collection.problem(
                Severity::Error,
                &origin,
                None,
                "event left out: it has no strip_id".to_owned(),
            );
            continue;
        };
        // Where a strip is matters only for the first of its events, and only when the
        // strips table lacks it.
        let location = if located.insert(strip_id.clone()) {
            match row.get_ref(1) {
                Ok(ValueRef::Blob(b)) => shape(b, &to).ok().flatten().map(|s| shape_json(&s)),
                _ => None,
            }
        } else {
            None
        };
        out.push(EventRow {
            link: text(row, fid_at).map(|f| format!("fid:{f}")),
            strip_id,
            strip_name: text(row, name_at),
            index: text(row, index_at).and_then(|i| i.parse().ok()),
            cells: keys
                .iter()
                .filter_map(|&(k, i)| text(row, Some(i)).filter(|v| !v.is_empty()).map(|v| (k, v)))
                .collect(),
            location,
            origin,
        });
    }
    Ok(out)
}
