//! The rows of a layer as features, on every core by ranges of fids, and the rows of
//! Pistas' events table as histories.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::schema::{
    LayerInfo, cell_json, cell_text, columns, json_columns, open, projection, property_keys,
    quoted, shape, string_json,
};
use crate::io::diagnostic::Severity;
use crate::io::import::collect::{Collection, Part, Row, in_parts, shape_json};
use crate::io::import::crs::ToWgs84;
use crate::io::import::options::Bbox;
use crate::io::import::origin::Origin;
use crate::io::import::own::{self, EventRow};

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
        let mut stmt = conn
            .prepare(&self.select(range.is_some()))
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
            if !self.geometry(row, &mut out, &mut warnings) {
                continue;
            }
            self.cells(row, &mut out);
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

    /// The `SELECT` of the rows: fid, geometry, the columns; with `in_range`, the fids
    /// from `?1` to `?2`, in order.
    fn select(&self, in_range: bool) -> String {
        let list: Vec<String> = self.columns.iter().map(|(n, _)| quoted(n)).collect();
        let mut sql = format!(
            "SELECT {}, {}{}{} FROM {}",
            quoted(&self.pk),
            quoted(&self.layer.geometry_column),
            if list.is_empty() { "" } else { ", " },
            list.join(", "),
            quoted(&self.layer.name)
        );
        if in_range {
            sql.push_str(&format!(
                " WHERE {0} >= ?1 AND {0} <= ?2 ORDER BY {0}",
                quoted(&self.pk)
            ));
        }
        sql
    }

    /// Reads a row's geometry into `out`, noting what is wrong with it in `warnings`.
    /// False when the row is to be left out: with a bounding box, one outside it or
    /// without a location.
    fn geometry(&self, row: &rusqlite::Row, out: &mut Row, warnings: &mut Vec<String>) -> bool {
        match row.get_ref(1) {
            Ok(ValueRef::Blob(blob)) => match shape(blob, &self.to) {
                Ok(s) => {
                    if let (Some(b), Some(s)) = (self.bbox, &s)
                        && !b.touches(s)
                    {
                        return false;
                    }
                    out.geometry = s.as_ref().map(shape_json);
                }
                Err(e) => warnings.push(format!("{e}; the feature is kept without a location")),
            },
            Ok(ValueRef::Null) => {}
            Err(e) => log::debug!("no geometry read: {e}"),
            Ok(_) => warnings.push(
                "the geometry is not a blob; the feature is kept without a location".to_owned(),
            ),
        }
        !(self.bbox.is_some() && out.geometry.is_none())
    }

    /// Reads a row's cells into `out`: the id column as its id, the others as properties
    /// (in Pistas' strips table, empty cells are absent properties).
    fn cells(&self, row: &rusqlite::Row, out: &mut Row) {
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
    }
}

/// Reads the features of a layer into `collection`; `own_strips`: Pistas' strips table.
/// Large layers are read on every core, each thread on its own connection and its own
/// range of fids, unless histories wait for the strips.
pub(super) fn read_layer(
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
    let parts = in_parts(&ranges, |&range| {
        let conn = open(path)?;
        let mut part = Part::default();
        read.rows(&conn, Some(range), |row, warnings| part.push(row, warnings))?;
        Ok::<Part, String>(part)
    });
    for part in parts {
        collection.append(part?);
    }
    Ok(())
}

/// The rows of Pistas' events table.
pub(super) fn read_events(
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
