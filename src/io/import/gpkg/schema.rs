//! A GeoPackage's tables as the reader sees them: its layers, their projection and
//! columns, and a cell or geometry as JSON.

use std::path::Path;

use geozero::ToGeo;
use geozero::wkb::GpkgWkb;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::io::import::crs::ToWgs84;
use crate::io::import::value::float_json;
use crate::io::write::string as json_string_into;

/// A feature layer of a GeoPackage.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerInfo {
    pub name: String,
    pub geometry_column: String,
    pub geometry_type: String,
    pub srs_id: i64,
    pub count: i64,
}

pub(super) fn string_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    json_string_into(&mut out, text);
    out
}

pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Checks the file is a whole SQLite database before SQLite reads it: a cut-off file
/// would fail later, somewhere in the middle of a table.
pub(super) fn check_file(path: &Path) -> Result<(), String> {
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

pub(super) fn open(path: &Path) -> Result<Connection, String> {
    check_file(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open it as SQLite: {e}"))?;
    Ok(conn)
}

pub(super) fn layers_of(conn: &Connection) -> Result<Vec<LayerInfo>, String> {
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

/// How to bring a layer's coordinates to WGS 84.
pub(super) fn projection(
    conn: &Connection,
    layer: &LayerInfo,
) -> Result<(ToWgs84, Option<String>), String> {
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
pub(super) fn columns(
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
pub(super) fn json_columns(conn: &Connection, table: &str) -> Vec<String> {
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
pub(super) fn property_keys(
    conn: &Connection,
    table: &str,
) -> std::collections::HashMap<String, String> {
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
pub(super) fn shape(blob: &[u8], to: &ToWgs84) -> Result<Option<geo::Geometry<f64>>, String> {
    let Some(header) = crate::io::import::wkb::gpkg_header_len(blob) else {
        return Err("the geometry is not a GeoPackage geometry blob".to_owned());
    };
    if blob[3] & 0x10 != 0 {
        return Ok(None);
    }
    if !crate::io::import::wkb::plausible(&blob[header..]) {
        return Err("the geometry is damaged (its counts do not fit its bytes)".to_owned());
    }
    let shape = GpkgWkb(blob)
        .to_geo()
        .map_err(|e| format!("the geometry cannot be read: {e}"))?;
    to.shape(shape).map(Some)
}

/// A cell as JSON: numbers, text (JSON for JSON columns), booleans for BOOLEAN columns.
pub(super) fn cell_json(value: ValueRef<'_>, declared: &str, json: bool) -> Option<String> {
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
pub(super) fn cell_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(_) => None,
    }
}

/// True when the layers are Pistas' strips and events.
pub(super) fn is_own(conn: &Connection, layers: &[LayerInfo]) -> bool {
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
    crate::io::import::own::is_strips_header(&s.iter().map(String::as_str).collect::<Vec<_>>())
        && crate::io::import::own::is_events_header(
            &e.iter().map(String::as_str).collect::<Vec<_>>(),
        )
}
