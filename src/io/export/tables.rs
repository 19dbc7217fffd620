//! The strips and their events as typed tables, for the formats with columns (GeoPackage,
//! FlatGeobuf): the derived columns, then one column per property the strips have, typed
//! by every value it holds (a column of mixed or nested values holds JSON, which keeps each
//! value as it was).

use chrono::NaiveDate;
use serde_json::value::RawValue;

use super::cells::{source_urls, sources_text, status_after_each};
use crate::analysis::{StripSummary, representative_point};
use crate::io::import::own::property_column as own_property_column;
use crate::model::{Document, Feature, decode_str};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer,
    Real,
    Boolean,
    Text,
    /// JSON text.
    Json,
    Date,
}

/// One value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Boolean(bool),
    Text(String),
    Json(String),
    Date(NaiveDate),
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// The property the column holds, when it holds one.
    pub key: Option<String>,
}

/// Rows of one table with their geometry.
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<(Option<geo::Geometry<f64>>, Vec<Cell>)>,
}

fn kind_of(raw: &RawValue) -> Option<Kind> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'n' => None,
        b'"' => Some(Kind::Text),
        b't' | b'f' => Some(Kind::Boolean),
        b'[' | b'{' => Some(Kind::Json),
        _ if text.contains(['.', 'e', 'E']) => Some(Kind::Real),
        _ if text.parse::<i64>().is_ok() => Some(Kind::Integer),
        _ => Some(Kind::Real),
    }
}

fn join(a: Option<Kind>, b: Option<Kind>) -> Option<Kind> {
    match (a, b) {
        (None, k) | (k, None) => k,
        (Some(x), Some(y)) if x == y => Some(x),
        (Some(Kind::Integer | Kind::Real), Some(Kind::Integer | Kind::Real)) => Some(Kind::Real),
        _ => Some(Kind::Json),
    }
}

/// A property value as a cell of a column of `kind`.
fn cell(raw: &RawValue, kind: Kind) -> Cell {
    let text = raw.get();
    if text == "null" {
        return Cell::Null;
    }
    match kind {
        Kind::Text => {
            decode_str(raw).map_or(Cell::Json(text.to_owned()), |s| Cell::Text(s.into_owned()))
        }
        Kind::Integer => text
            .parse()
            .map_or(Cell::Json(text.to_owned()), Cell::Integer),
        Kind::Real => text.parse().map_or(Cell::Json(text.to_owned()), Cell::Real),
        Kind::Boolean => Cell::Boolean(text == "true"),
        Kind::Json | Kind::Date => Cell::Json(text.to_owned()),
    }
}

/// The file's own properties of the strips, in order of first appearance, each with its
/// column name and kind. `unique_folded`: column names must differ ignoring case (SQLite).
pub fn property_columns<'a>(
    strips: impl Iterator<Item = &'a Feature>,
    taken: &[&str],
    unique_folded: bool,
) -> Vec<(String, Column)> {
    let mut keys: Vec<(String, Option<Kind>)> = Vec::new();
    for f in strips {
        for (key, value) in f.properties() {
            let k = kind_of(value);
            match keys.iter_mut().find(|(name, _)| name == key) {
                Some((_, kind)) => *kind = join(*kind, k),
                None => keys.push((key.clone(), k)),
            }
        }
    }
    let fold = |s: &str| {
        if unique_folded {
            s.to_lowercase()
        } else {
            s.to_owned()
        }
    };
    let mut used: Vec<String> = taken.iter().map(|t| fold(t)).collect();
    keys.into_iter()
        .map(|(key, kind)| {
            let base = own_property_column(&key);
            let mut name = base.clone();
            let mut n = 2;
            while used.contains(&fold(&name)) {
                name = format!("{base}_{n}");
                n += 1;
            }
            used.push(fold(&name));
            (
                key.clone(),
                Column {
                    name,
                    kind: kind.unwrap_or(Kind::Text),
                    key: Some(key),
                },
            )
        })
        .collect()
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, |s| Cell::Text(s.to_owned()))
}

fn opt_date(d: Option<NaiveDate>) -> Cell {
    d.map_or(Cell::Null, Cell::Date)
}

fn opt_real(v: Option<f64>) -> Cell {
    v.map_or(Cell::Null, |v| Cell::Real(v.round()))
}

/// The derived columns of a strip, before its properties.
pub const STRIP_COLUMNS: [(&str, Kind); 10] = [
    ("id", Kind::Text),
    ("name", Kind::Text),
    ("status", Kind::Text),
    ("status_date", Kind::Date),
    ("times_destroyed", Kind::Integer),
    ("times_rebuilt", Kind::Integer),
    ("first_event", Kind::Date),
    ("last_event", Kind::Date),
    ("runway_length_m", Kind::Real),
    ("runway_heading_deg", Kind::Real),
];

/// One row per strip: id, name, the derived figures at `date`, then every property
/// (`name` among them only as the name column). `events`: add the whole history as JSON.
pub fn strips(doc: &Document, date: NaiveDate, unique_folded: bool, events: bool) -> Table {
    let fixed: Vec<&str> = STRIP_COLUMNS.iter().map(|(n, _)| *n).collect();
    let mut taken = fixed.clone();
    // In a GeoPackage (names that differ only in case clash), its own columns too.
    if unique_folded {
        taken.extend(["fid", "geom", "strip_fid"]);
    }
    if events {
        taken.push("events");
    }
    let properties: Vec<(String, Column)> = property_columns(doc.strips(), &taken, unique_folded)
        .into_iter()
        .filter(|(key, _)| key != "name")
        .collect();
    // Ids that are all whole numbers stay numbers, so they read back as the same ids.
    let numeric_ids = doc.strips().all(|f| match &f.id() {
        crate::model::FeatureId::Number(n) => n.as_str().parse::<i64>().is_ok(),
        crate::model::FeatureId::String(_) => false,
    });
    let mut columns: Vec<Column> = STRIP_COLUMNS
        .iter()
        .map(|(n, k)| Column {
            name: (*n).to_owned(),
            kind: if *n == "id" && numeric_ids {
                Kind::Integer
            } else {
                *k
            },
            key: None,
        })
        .collect();
    columns.extend(properties.iter().map(|(_, c)| c.clone()));
    if events {
        columns.push(Column {
            name: "events".to_owned(),
            kind: Kind::Json,
            key: None,
        });
    }
    let rows = doc
        .strips()
        .map(|f| {
            let s = StripSummary::of(f, date);
            let h = &s.history;
            let mut cells = vec![
                if numeric_ids {
                    f.id().as_str().parse().map_or(Cell::Null, Cell::Integer)
                } else {
                    Cell::Text(f.id().as_str().to_owned())
                },
                opt_text(f.name()),
                Cell::Text(s.status.as_str().to_owned()),
                Cell::Date(date),
                Cell::Integer(h.times_destroyed() as i64),
                Cell::Integer(h.times_rebuilt() as i64),
                opt_date(h.first_event()),
                opt_date(h.last_event()),
                opt_real(s.runway_length_m),
                opt_real(s.runway_heading_deg),
            ];
            for (key, column) in &properties {
                cells.push(
                    f.property(key)
                        .map_or(Cell::Null, |raw| cell(raw, column.kind)),
                );
            }
            if events {
                cells.push(Cell::Json(events_json(f)));
            }
            (f.geometry().map(|g| g.shape().clone()), cells)
        })
        .collect();
    Table { columns, rows }
}

fn events_json(f: &Feature) -> String {
    let mut out = String::from("[");
    for (i, e) in f.events().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&crate::io::write::event_json(e));
    }
    out.push(']');
    out
}

/// The columns of the events table.
pub const EVENT_COLUMNS: [(&str, Kind); 16] = [
    ("strip_id", Kind::Text),
    ("strip_name", Kind::Text),
    ("event_index", Kind::Integer),
    ("event_id", Kind::Text),
    ("type", Kind::Text),
    ("date", Kind::Text),
    ("date_start", Kind::Date),
    ("date_end", Kind::Date),
    ("confidence", Kind::Text),
    ("operation", Kind::Text),
    ("sources", Kind::Json),
    ("source_labels", Kind::Text),
    ("source_urls", Kind::Text),
    ("note", Kind::Text),
    ("status_after", Kind::Text),
    ("evidence", Kind::Json),
];

/// One row per event at its strip's representative point, with the index of its strip
/// among the strips (for a relation) as the first value of each row's extra.
pub fn events(doc: &Document) -> (Table, Vec<usize>) {
    let columns = EVENT_COLUMNS
        .iter()
        .map(|(n, k)| Column {
            name: (*n).to_owned(),
            kind: *k,
            key: None,
        })
        .collect();
    let mut rows = Vec::new();
    let mut strip_of = Vec::new();
    for (strip, f) in doc.strips().enumerate() {
        let point = f
            .geometry()
            .and_then(|g| representative_point(g.shape()))
            .map(geo::Geometry::Point);
        let after = status_after_each(f.events());
        for (i, e) in f.events().iter().enumerate() {
            let cells = vec![
                Cell::Text(f.id().as_str().to_owned()),
                opt_text(f.name()),
                Cell::Integer(i as i64),
                opt_text(e.id().as_deref()),
                Cell::Text(e.kind().as_str().to_owned()),
                Cell::Text(e.date().to_string()),
                Cell::Date(e.date().start()),
                Cell::Date(e.date().end()),
                opt_text(e.confidence().get().map(|c| c.as_str())),
                opt_text(e.operation().as_deref()),
                if e.sources().is_empty() {
                    Cell::Null
                } else {
                    Cell::Json(crate::io::write::sources_json(e))
                },
                if e.sources().is_empty() {
                    Cell::Null
                } else {
                    Cell::Text(sources_text(e.sources()))
                },
                Some(source_urls(e.sources()))
                    .filter(|s| !s.is_empty())
                    .map_or(Cell::Null, Cell::Text),
                opt_text(e.note().as_deref()),
                Cell::Text(after[i].as_str().to_owned()),
                if e.evidence().is_empty() {
                    Cell::Null
                } else {
                    Cell::Json(crate::io::write::evidence_json(e))
                },
            ];
            rows.push((point.clone(), cells));
            strip_of.push(strip);
        }
    }
    (Table { columns, rows }, strip_of)
}
