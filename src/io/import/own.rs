//! Pistas' own tables read back: a strips table (CSV, KML folder, GeoPackage layer) whose
//! derived columns are recomputed, not trusted, and an events table whose rows become each
//! strip's history again, in the order they were written.

use chrono::{Datelike, NaiveDate};

use super::origin::Origin;
use crate::io::write::string as json_string_into;

/// Columns of Pistas' strips tables derived from the geometry or written for people,
/// besides the properties the profile derives from the history
/// ([`crate::model::DERIVED_PROPERTIES`]).
const TABLE_ONLY: [&str; 9] = [
    "status_date",
    "events",
    "median_days_to_rebuild",
    "nearest_aerodrome",
    "nearest_aerodrome_km",
    "nearest_town",
    "lon",
    "lat",
    "WKT",
];

/// True for a column of Pistas' strips tables that is derived, not a property.
fn derived(column: &str) -> bool {
    crate::model::DERIVED_PROPERTIES.contains(&column) || TABLE_ONLY.contains(&column)
}

/// A property whose name is one of the derived columns is written with this prefix.
pub const PROPERTY_PREFIX: &str = "property:";

/// True for a strips table Pistas wrote: it has these columns.
pub fn is_strips_header(columns: &[&str]) -> bool {
    [
        "id",
        "name",
        "status",
        "status_date",
        "times_destroyed",
        "times_rebuilt",
    ]
    .iter()
    .all(|c| columns.contains(c))
}

/// True for an events table Pistas wrote.
pub fn is_events_header(columns: &[&str]) -> bool {
    ["strip_id", "event_index", "type", "date_start", "date_end"]
        .iter()
        .all(|c| columns.contains(c))
}

/// The name a column of a strips table gives its property, or `None` for a derived column.
pub fn strip_property(column: &str) -> Option<&str> {
    if let Some(name) = column.strip_prefix(PROPERTY_PREFIX) {
        return Some(name);
    }
    (!derived(column)).then_some(column)
}

/// The column a property is written in: prefixed when its name is a derived column's.
pub fn property_column(key: &str) -> String {
    if derived(key) || key.starts_with(PROPERTY_PREFIX) || key == "id" {
        format!("{PROPERTY_PREFIX}{key}")
    } else {
        key.to_owned()
    }
}

/// The columns of an events table an event is made of.
pub const EVENT_KEYS: [&str; 11] = [
    "type",
    "event_id",
    "date",
    "date_start",
    "date_end",
    "confidence",
    "operation",
    "sources_json",
    "sources",
    "note",
    "evidence",
];

/// One row of an events table: its cells of [`EVENT_KEYS`] that are not empty.
#[derive(Debug, Default)]
pub struct EventRow {
    pub strip_id: String,
    pub strip_name: Option<String>,
    pub index: Option<i64>,
    pub cells: Vec<(&'static str, String)>,
    /// What names its strip when not `strip_id` (a GeoPackage's `strip_fid`: `fid:7`).
    pub link: Option<String>,
    /// Where the strip is, as GeoJSON, for an event whose strip is not in the strips table.
    pub location: Option<String>,
    pub origin: Origin,
}

impl EventRow {
    /// The cells of [`EVENT_KEYS`] that `get` gives and are not empty.
    pub fn cells_from(get: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, String)> {
        EVENT_KEYS
            .iter()
            .filter_map(|&k| get(k).filter(|v| !v.is_empty()).map(|v| (k, v)))
            .collect()
    }

    fn cell(&self, key: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .filter(|s| !s.is_empty())
    }

    /// The event as the profile writes it: type, id, date, confidence, operation, sources,
    /// note. The date is the one written, else the one the bounds describe.
    pub fn event_json(&self) -> Result<String, String> {
        let mut out = String::from("{");
        let member = |out: &mut String, key: &str, json: &str| {
            if out.len() > 1 {
                out.push(',');
            }
            json_string_into(out, key);
            out.push(':');
            out.push_str(json);
        };
        let text = |s: &str| {
            let mut t = String::new();
            json_string_into(&mut t, s);
            t
        };
        member(&mut out, "type", &text(self.cell("type").unwrap_or("")));
        if let Some(id) = self.cell("event_id") {
            member(&mut out, "id", &text(id));
        }
        let date = match self.cell("date") {
            Some(d) => d.to_owned(),
            None => date_of_bounds(self.cell("date_start"), self.cell("date_end"))?,
        };
        member(&mut out, "date", &text(&date));
        for key in ["confidence", "operation"] {
            if let Some(v) = self.cell(key) {
                member(&mut out, key, &text(v));
            }
        }
        if let Some(sources) = self.sources_json() {
            member(&mut out, "sources", &sources);
        }
        if let Some(note) = self.cell("note") {
            member(&mut out, "note", &text(note));
        }
        // Evidence travels as the JSON the profile writes; a column that is not a JSON list
        // is not taken for it.
        if let Some(items) = self.cell("evidence")
            && serde_json::from_str::<Vec<serde::de::IgnoredAny>>(items).is_ok()
        {
            member(&mut out, "evidence", items);
        }
        out.push('}');
        Ok(out)
    }

    /// The sources as JSON: the `sources_json` column when there is one, else the labels
    /// of `sources` (separated by ` | `) as text sources.
    fn sources_json(&self) -> Option<String> {
        if let Some(json) = self.cell("sources_json").or_else(|| {
            self.cell("sources")
                .filter(|s| s.trim_start().starts_with('['))
        }) && serde_json::from_str::<Vec<serde::de::IgnoredAny>>(json).is_ok()
        {
            return Some(json.to_owned());
        }
        let labels = self.cell("sources")?;
        let mut out = String::from("[");
        for (i, label) in labels.split(" | ").enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string_into(&mut out, label.trim());
        }
        out.push(']');
        Some(out)
    }
}

/// The date a span of days stands for: a day, a whole month or a whole year, as Pistas
/// writes the bounds of `2014-09-05`, `2014-09` and `2014`.
pub fn date_of_bounds(start: Option<&str>, end: Option<&str>) -> Result<String, String> {
    let day =
        |s: Option<&str>| s.and_then(|s| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok());
    let (Some(start), end) = (day(start), day(end)) else {
        return Err("the event has no date (no date nor date_start)".to_owned());
    };
    let end = end.unwrap_or(start);
    let last_of_month = |d: NaiveDate| {
        d.checked_add_months(chrono::Months::new(1))
            .and_then(|n| n.with_day(1))
            .and_then(|n| n.pred_opt())
    };
    Ok(if start == end {
        start.to_string()
    } else if start.day() == 1 && Some(end) == last_of_month(start) {
        format!("{:04}-{:02}", start.year(), start.month())
    } else if start.ordinal() == 1
        && end.year() == start.year()
        && end.month() == 12
        && end.day() == 31
    {
        format!("{:04}", start.year())
    } else {
        // A span Pistas does not write: the event keeps its first day, said approximate.
        format!("{start}~")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_give_back_the_date_written() {
        let d = |a: &str, b: &str| date_of_bounds(Some(a), Some(b)).unwrap();
        assert_eq!(d("2014-09-05", "2014-09-05"), "2014-09-05");
        assert_eq!(d("2014-09-01", "2014-09-30"), "2014-09");
        assert_eq!(d("2016-02-01", "2016-02-29"), "2016-02");
        assert_eq!(d("2014-01-01", "2014-12-31"), "2014");
        assert_eq!(d("2014-09-05", "2014-09-20"), "2014-09-05~");
        assert_eq!(d("2014-09-05T00:00:00Z", "2014-09-05"), "2014-09-05");
        assert!(date_of_bounds(None, None).is_err());
    }

    #[test]
    fn derived_columns_are_not_properties() {
        assert_eq!(strip_property("status"), None);
        assert_eq!(strip_property("property:status"), Some("status"));
        assert_eq!(strip_property("notes"), Some("notes"));
        assert_eq!(property_column("status"), "property:status");
        assert_eq!(property_column("notes"), "notes");
    }
}
