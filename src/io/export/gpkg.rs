//! A GeoPackage with two related layers, for QGIS: `strips` (geometry, the derived figures
//! as typed columns, every property) and `events` (one point per event with `strip_fid`,
//! `type`, `date_start`/`date_end` as DATE, confidence, operation, sources as JSON). The
//! relation is declared twice: a foreign key from `events.strip_fid` to `strips.fid`, and
//! the GeoPackage related-tables extension (`gpkgext_relations` with the mapping table
//! `strips_events`), which GDAL and QGIS read as a one-to-many relationship. Written in
//! memory and handed back as bytes, so saving stays atomic.

use chrono::NaiveDate;
use geo::BoundingRect;
use geozero::{CoordDimensions, ToWkb};
use rusqlite::{Connection, MAIN_DB, params_from_iter, types::Value};

use super::tables::{self, Cell, Kind, Table};
use crate::model::Document;

const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

const SCHEMA: &str = r#"
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10300;
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
CREATE TABLE gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name));
CREATE TABLE gpkg_data_column_constraints (constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT, CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value));
CREATE TABLE gpkgext_relations (id INTEGER PRIMARY KEY AUTOINCREMENT, base_table_name TEXT NOT NULL, base_primary_column TEXT NOT NULL DEFAULT 'id', related_table_name TEXT NOT NULL, related_primary_column TEXT NOT NULL DEFAULT 'id', relation_name TEXT NOT NULL, mapping_table_name TEXT NOT NULL UNIQUE);
INSERT INTO gpkg_extensions VALUES ('gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write');
INSERT INTO gpkg_extensions VALUES ('gpkg_data_column_constraints', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', 'read-write');
INSERT INTO gpkg_extensions VALUES ('gpkgext_relations', NULL, 'related_tables', 'http://docs.opengeospatial.org/is/18-000/18-000.html', 'read-write');
INSERT INTO gpkg_extensions VALUES ('strips_events', NULL, 'related_tables', 'http://docs.opengeospatial.org/is/18-000/18-000.html', 'read-write');
"#;

/// The description of a column holding a property whose key is not the column's name
/// (the key is its title).
pub const PROPERTY_MARK: &str = "Pistas property (the title is its key)";

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn declared(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "INTEGER",
        Kind::Real => "REAL",
        Kind::Boolean => "BOOLEAN",
        Kind::Text | Kind::Json => "TEXT",
        Kind::Date => "DATE",
    }
}

fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Integer(i) => Value::Integer(*i),
        Cell::Real(f) if f.is_finite() => Value::Real(*f),
        Cell::Real(_) => Value::Null,
        Cell::Boolean(b) => Value::Integer(i64::from(*b)),
        Cell::Text(t) | Cell::Json(t) => Value::Text(t.clone()),
        Cell::Date(d) => Value::Text(d.to_string()),
    }
}

/// A GeoPackage geometry blob in WGS 84, with its envelope unless it is a point.
fn blob(shape: &geo::Geometry<f64>) -> Result<Vec<u8>, String> {
    let envelope = match shape {
        geo::Geometry::Point(_) => Vec::new(),
        other => other
            .bounding_rect()
            .map(|r| vec![r.min().x, r.max().x, r.min().y, r.max().y])
            .unwrap_or_default(),
    };
    shape
        .to_gpkg_wkb(CoordDimensions::xy(), Some(4326), envelope)
        .map_err(|e| format!("a geometry cannot be written: {e}"))
}

fn sql(e: rusqlite::Error) -> String {
    format!("the GeoPackage cannot be written: {e}")
}

/// Creates a feature table with its columns, registers it, and fills it; returns the
/// fids in row order.
fn table(
    conn: &Connection,
    name: &str,
    geometry_type: &str,
    table: &Table,
    extra: &str,
    extra_values: &[i64],
) -> Result<Vec<i64>, String> {
    let mut ddl = format!(
        "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}",
        quoted(name)
    );
    if !extra.is_empty() {
        ddl.push_str(", ");
        ddl.push_str(extra);
    }
    for c in &table.columns {
        ddl.push_str(&format!(", {} {}", quoted(&c.name), declared(c.kind)));
    }
    ddl.push(')');
    conn.execute(&ddl, []).map_err(sql)?;
    register(conn, name, geometry_type, table)?;
    fill(conn, name, table, extra, extra_values)
}

/// The bounds of a table's geometries, if it has any.
fn bounds(table: &Table) -> Option<geo::Rect<f64>> {
    let shapes = table.rows.iter().filter_map(|(g, _)| g.as_ref());
    shapes.fold(None::<geo::Rect<f64>>, |acc, g| {
        match (acc, g.bounding_rect()) {
            (None, r) => r,
            (Some(a), Some(r)) => Some(geo::Rect::new(
                geo::coord! { x: a.min().x.min(r.min().x), y: a.min().y.min(r.min().y) },
                geo::coord! { x: a.max().x.max(r.max().x), y: a.max().y.max(r.max().y) },
            )),
            (a, None) => a,
        }
    })
}

/// Registers a feature table: its contents with their bounds, its geometry column, and
/// the columns that need describing.
fn register(
    conn: &Connection,
    name: &str,
    geometry_type: &str,
    table: &Table,
) -> Result<(), String> {
    let (min_x, min_y, max_x, max_y) = bounds(table).map_or((None, None, None, None), |r| {
        (
            Some(r.min().x),
            Some(r.min().y),
            Some(r.max().x),
            Some(r.max().y),
        )
    });
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, 4326)",
        rusqlite::params![name, min_x, min_y, max_x, max_y],
    )
    .map_err(sql)?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
        rusqlite::params![name, geometry_type],
    )
    .map_err(sql)?;
    // JSON columns are marked as GDAL marks them; a property's column names its key, so
    // a column renamed to stay unique (`Status_2`) reads back as the property it was.
    for c in &table.columns {
        let property = c.key.as_ref().filter(|k| **k != c.name);
        if c.kind != Kind::Json && property.is_none() {
            continue;
        }
        conn.execute(
            "INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description, mime_type) VALUES (?1, ?2, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                name,
                c.name,
                property,
                property.map(|_| PROPERTY_MARK),
                (c.kind == Kind::Json).then_some("application/json")
            ],
        )
        .map_err(sql)?;
    }
    Ok(())
}

/// Inserts a table's rows (with the `extra` column's values, when it has one); returns the
/// fids in row order.
fn fill(
    conn: &Connection,
    name: &str,
    table: &Table,
    extra: &str,
    extra_values: &[i64],
) -> Result<Vec<i64>, String> {
    let extra_count = usize::from(!extra.is_empty());
    let placeholders: Vec<String> = (1..=table.columns.len() + 1 + extra_count)
        .map(|i| format!("?{i}"))
        .collect();
    let mut names = vec!["geom".to_owned()];
    if !extra.is_empty() {
        names.push(extra.split_whitespace().next().unwrap_or("").to_owned());
    }
    names.extend(table.columns.iter().map(|c| quoted(&c.name)));
    let insert = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quoted(name),
        names.join(", "),
        placeholders.join(", ")
    );
    let mut stmt = conn.prepare(&insert).map_err(sql)?;
    let mut fids = Vec::with_capacity(table.rows.len());
    for (i, (shape, cells)) in table.rows.iter().enumerate() {
        let mut values: Vec<Value> = Vec::with_capacity(cells.len() + 2);
        values.push(match shape {
            Some(s) => Value::Blob(blob(s)?),
            None => Value::Null,
        });
        if !extra.is_empty() {
            values.push(Value::Integer(extra_values[i]));
        }
        values.extend(cells.iter().map(value));
        stmt.execute(params_from_iter(values)).map_err(sql)?;
        fids.push(conn.last_insert_rowid());
    }
    Ok(fids)
}

/// The document as a GeoPackage (its bytes), derived figures at `date`.
pub fn gpkg(doc: &Document, date: NaiveDate) -> Result<Vec<u8>, String> {
    let conn = Connection::open_in_memory().map_err(sql)?;
    conn.execute_batch(SCHEMA).map_err(sql)?;
    conn.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'), ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'), ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [WGS84_WKT],
    )
    .map_err(sql)?;
    let tx = conn.unchecked_transaction().map_err(sql)?;
    let strips = tables::strips(doc, date, true, false);
    let strip_fids = table(&tx, "strips", "GEOMETRY", &strips, "", &[])?;
    let (events, strip_of) = tables::events(doc);
    let event_strip_fids: Vec<i64> = strip_of.iter().map(|&s| strip_fids[s]).collect();
    let event_fids = table(
        &tx,
        "events",
        "POINT",
        &events,
        "strip_fid INTEGER NOT NULL REFERENCES strips(fid) ON DELETE CASCADE",
        &event_strip_fids,
    )?;
    tx.execute_batch(
        "CREATE INDEX events_strip_fid ON events(strip_fid);
         CREATE TABLE strips_events (base_id INTEGER NOT NULL, related_id INTEGER NOT NULL);
         INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('strips_events', 'attributes', 'strips_events', 'Which events belong to which strip (GeoPackage related tables)');
         INSERT INTO gpkgext_relations (base_table_name, base_primary_column, related_table_name, related_primary_column, relation_name, mapping_table_name) VALUES ('strips', 'fid', 'events', 'fid', 'features', 'strips_events');",
    )
    .map_err(sql)?;
    {
        let mut stmt = tx
            .prepare("INSERT INTO strips_events VALUES (?1, ?2)")
            .map_err(sql)?;
        for (strip, event) in event_strip_fids.iter().zip(&event_fids) {
            stmt.execute([strip, event]).map_err(sql)?;
        }
    }
    tx.commit().map_err(sql)?;
    let data = conn.serialize(MAIN_DB).map_err(sql)?;
    Ok(data.to_vec())
}
