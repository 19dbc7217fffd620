//! A feature as rows of `strips` and `events`, and rows back into the feature.
//!
//! The typed columns (name, notes, the derived summary, each event's type, dates,
//! confidence, operation, sources and note) are what SQL users and QGIS read and edit; they
//! are the truth on pull. What GeoJSON says that a column cannot (property order, foreign
//! members, a geometry's original text, values Pistas kept as written, events it could not
//! read) travels in the `layout` column. A pull writes each row as the feature text a file
//! would hold and reads it with the file reader, so a pulled strip means what a read one
//! does.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::analysis::StripSummary;
use crate::io::{json_string_into, sources_json, write_geometry, write_shape};
use crate::model::{Event, Extra, Feature, FeatureId, Field, decode_str};

/// One row of `strips`, as pushed.
#[derive(Debug, Clone, PartialEq)]
pub struct StripRow {
    pub id: String,
    /// GeoJSON of the shape, for `ST_GeomFromGeoJSON`.
    pub geometry: Option<String>,
    pub name: Option<String>,
    pub notes: Option<String>,
    pub status: Option<String>,
    pub times_destroyed: Option<i32>,
    pub times_rebuilt: Option<i32>,
    pub first_event: Option<NaiveDate>,
    pub last_event: Option<NaiveDate>,
    pub runway_length_m: Option<f64>,
    /// A JSON object: every property but a text `name` and `notes`.
    pub properties: String,
    /// A JSON object: see [`StripLayout`].
    pub layout: String,
    pub position: i64,
}

/// One row of `events`, as pushed.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// The row's key (not the event's own `id` member, which is `event_id`).
    pub key: String,
    pub strip_id: String,
    pub position: i32,
    pub event_id: Option<String>,
    pub kind: String,
    pub date: String,
    pub date_start: NaiveDate,
    pub date_end: NaiveDate,
    pub confidence: Option<String>,
    pub operation: Option<String>,
    /// A JSON array.
    pub sources: String,
    pub note: Option<String>,
    /// A JSON object of the members Pistas does not interpret.
    pub unknown: String,
    /// A JSON object: see [`EventLayout`].
    pub layout: String,
}

/// What a strip's GeoJSON says that its columns cannot.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct StripLayout {
    /// The id is a JSON number (its text is the `id` column).
    #[serde(default, skip_serializing_if = "is_false")]
    pub id_number: bool,
    /// Property names in file order, `name` and `notes` included.
    #[serde(default)]
    pub order: Vec<String>,
    /// How many properties come before `events`, when the feature has that member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events_at: Option<usize>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub properties_null: bool,
    /// `bbox` and foreign members of the feature, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign: Vec<(String, Box<RawValue>)>,
    /// The geometry as the file wrote it (third coordinates, number spelling); used while
    /// the `geom` column still holds the same shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geometry: Option<String>,
    /// The whole feature as written, when Pistas could not read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<String>,
    /// Events Pistas could not read, as written, each with how many read events precede it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread_events: Vec<(usize, String)>,
}

/// What an event's JSON says that its columns cannot.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct EventLayout {
    /// Unknown member names in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
    /// Known members whose values Pistas kept as written (`"operation": null`, `"id": 7`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kept: BTreeMap<String, Box<RawValue>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn object(members: &Extra) -> String {
    let mut out = String::from("{");
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string_into(&mut out, key);
        out.push(':');
        out.push_str(value.get());
    }
    out.push('}');
    out
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

/// The row of `feature`, at `position` in its document, with its summary as of `day`.
pub fn strip_row(feature: &Feature, position: usize, day: NaiveDate) -> StripRow {
    let feature: &Feature = &feature.decoded();
    let mut row = StripRow {
        id: feature.id().as_str().to_owned(),
        geometry: None,
        name: None,
        notes: None,
        status: None,
        times_destroyed: None,
        times_rebuilt: None,
        first_event: None,
        last_event: None,
        runway_length_m: None,
        properties: "{}".to_owned(),
        layout: "{}".to_owned(),
        position: position as i64,
    };
    let id_number = matches!(feature.id(), FeatureId::Number(_));
    if let Some(unread) = feature.unread() {
        let layout = StripLayout {
            id_number,
            unread: Some(unread.raw().get().to_owned()),
            ..StripLayout::default()
        };
        row.layout = to_json(&layout);
        return row;
    }
    let mut layout = StripLayout {
        id_number,
        events_at: feature.events_position(),
        properties_null: feature.properties_null(),
        foreign: feature.foreign().members().clone(),
        ..StripLayout::default()
    };
    if let Some(geometry) = feature.geometry() {
        let mut text = String::new();
        write_shape(&mut text, geometry.shape());
        row.geometry = Some(text);
        if let Some(raw) = geometry.raw() {
            layout.geometry = Some(raw.to_owned());
        }
    }
    let mut rest: Extra = Vec::new();
    for (key, value) in feature.properties() {
        layout.order.push(key.clone());
        let text = match key.as_str() {
            "name" | "notes" => decode_str(value).map(|s| s.into_owned()),
            _ => None,
        };
        match (key.as_str(), text) {
            ("name", Some(text)) => row.name = Some(text),
            ("notes", Some(text)) => row.notes = Some(text),
            _ => rest.push((key.clone(), value.clone())),
        }
    }
    row.properties = object(&rest);
    if feature.has_events_member() {
        let summary = StripSummary::of(feature, day);
        row.status = Some(summary.status.as_str().to_owned());
        row.times_destroyed = Some(summary.history.times_destroyed() as i32);
        row.times_rebuilt = Some(summary.history.times_rebuilt() as i32);
        row.first_event = summary.history.first_event();
        row.last_event = summary.history.last_event();
        row.runway_length_m = summary.runway_length_m.map(f64::round);
    }
    layout.unread_events = feature
        .unread_events()
        .iter()
        .map(|(before, u)| (*before, u.raw().get().to_owned()))
        .collect();
    row.layout = to_json(&layout);
    row
}

fn field_column(
    field: &Field<String>,
    name: &str,
    kept: &mut BTreeMap<String, Box<RawValue>>,
) -> Option<String> {
    match field {
        Field::Absent => None,
        Field::Value(v) => Some(v.clone()),
        Field::Kept(raw) => {
            kept.insert(name.to_owned(), raw.clone());
            None
        }
    }
}

/// The row of event `position` of strip `strip_id`, under row key `key`.
pub fn event_row(event: &Event, strip_id: &str, position: usize, key: &str) -> EventRow {
    let mut layout = EventLayout::default();
    let event_id = field_column(event.id(), "id", &mut layout.kept);
    let operation = field_column(event.operation(), "operation", &mut layout.kept);
    let note = field_column(event.note(), "note", &mut layout.kept);
    let confidence = match &event.confidence() {
        Field::Absent => None,
        Field::Value(c) => Some(c.as_str().to_owned()),
        Field::Kept(raw) => {
            layout.kept.insert("confidence".to_owned(), raw.clone());
            None
        }
    };
    // The evidence travels with the members the columns do not hold, as written.
    let mut unknown: Extra = event.extra().members().clone();
    if !event.evidence().is_empty()
        && let Ok(list) = RawValue::from_string(crate::io::evidence_json(event))
    {
        unknown.push(("evidence".to_owned(), list));
    }
    layout.order = unknown.iter().map(|(k, _)| k.clone()).collect();
    EventRow {
        key: key.to_owned(),
        strip_id: strip_id.to_owned(),
        position: position as i32,
        event_id,
        kind: event.kind().as_str().to_owned(),
        date: event.date().to_string(),
        date_start: event.date().start(),
        date_end: event.date().end(),
        confidence,
        operation,
        sources: sources_json(event),
        note,
        unknown: object(&unknown),
        layout: to_json(&layout),
    }
}

/// A strip row as pulled: the columns a pull reads.
#[derive(Debug, Clone, Default)]
pub struct PulledStrip {
    pub id: String,
    /// `ST_AsGeoJSON(geom, 17)`.
    pub geometry: Option<String>,
    pub name: Option<String>,
    pub notes: Option<String>,
    pub properties: String,
    pub layout: String,
    pub row_version: i64,
}

/// An event row as pulled.
#[derive(Debug, Clone, Default)]
pub struct PulledEvent {
    pub key: String,
    pub event_id: Option<String>,
    pub kind: Option<String>,
    pub date: Option<String>,
    pub confidence: Option<String>,
    pub operation: Option<String>,
    pub sources: String,
    pub note: Option<String>,
    pub unknown: String,
    pub layout: String,
}

/// Members of a JSON object in the order `order` gives, then the rest by name.
fn ordered<'a>(object: &'a str, order: &[String]) -> Vec<(String, &'a RawValue)> {
    let map: BTreeMap<String, &RawValue> = serde_json::from_str(object).unwrap_or_default();
    let mut out: Vec<(String, &RawValue)> = Vec::with_capacity(map.len());
    for key in order {
        if let Some(value) = map.get(key)
            && !out.iter().any(|(k, _)| k == key)
        {
            out.push((key.clone(), value));
        }
    }
    for (key, value) in &map {
        if !order.contains(key) {
            out.push((key.clone(), value));
        }
    }
    out
}

fn member(out: &mut String, first: &mut bool, key: &str, value: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    json_string_into(out, key);
    out.push(':');
    out.push_str(value);
}

fn text_member(out: &mut String, first: &mut bool, key: &str, value: &str) {
    let mut text = String::new();
    json_string_into(&mut text, value);
    member(out, first, key, &text);
}

/// The event's JSON as a file would hold it.
pub fn event_json(row: &PulledEvent) -> String {
    let layout: EventLayout = serde_json::from_str(&row.layout).unwrap_or_default();
    let mut out = String::from("{");
    let mut first = true;
    let known = |out: &mut String, first: &mut bool, key: &str, column: &Option<String>| match (
        column,
        layout.kept.get(key),
    ) {
        (Some(text), _) => text_member(out, first, key, text),
        (None, Some(raw)) => member(out, first, key, raw.get()),
        (None, None) => {}
    };
    known(&mut out, &mut first, "type", &row.kind);
    known(&mut out, &mut first, "id", &row.event_id);
    known(&mut out, &mut first, "date", &row.date);
    known(&mut out, &mut first, "confidence", &row.confidence);
    known(&mut out, &mut first, "operation", &row.operation);
    let sources = row.sources.trim();
    if !sources.is_empty() && sources != "[]" {
        member(&mut out, &mut first, "sources", sources);
    }
    known(&mut out, &mut first, "note", &row.note);
    for (key, value) in ordered(&row.unknown, &layout.order) {
        member(&mut out, &mut first, &key, value.get());
    }
    out.push('}');
    out
}

/// The feature's JSON as a file would hold it, from its row and its event rows (in order).
/// Also returns, for each event row, whether it reads as an event (an unreadable one is
/// kept as written, as reading a file keeps it).
pub fn feature_json(row: &PulledStrip, events: &[PulledEvent]) -> (String, Vec<bool>) {
    let layout: StripLayout = serde_json::from_str(&row.layout).unwrap_or_default();
    if let Some(unread) = &layout.unread {
        return (unread.clone(), Vec::new());
    }
    let mut out = String::from("{\"type\":\"Feature\",\"id\":");
    if layout.id_number && serde_json::from_str::<serde_json::Number>(&row.id).is_ok() {
        out.push_str(&row.id);
    } else {
        json_string_into(&mut out, &row.id);
    }
    out.push_str(",\"geometry\":");
    push_geometry(
        &mut out,
        row.geometry.as_deref(),
        layout.geometry.as_deref(),
    );
    let mut texts = Vec::with_capacity(events.len());
    let mut reads = Vec::with_capacity(events.len());
    for event in events {
        let text = event_json(event);
        reads.push(crate::io::interpret_event(&text).is_ok());
        texts.push(text);
    }
    let properties = properties(row, &layout);
    let has_events =
        layout.events_at.is_some() || !events.is_empty() || !layout.unread_events.is_empty();
    out.push_str(",\"properties\":");
    if layout.properties_null && !has_events && properties.is_empty() {
        out.push_str("null");
    } else {
        let events = has_events.then(|| events_list(&texts, &layout.unread_events));
        push_properties(&mut out, &properties, events.as_deref(), layout.events_at);
    }
    for (key, value) in &layout.foreign {
        out.push(',');
        json_string_into(&mut out, key);
        out.push(':');
        out.push_str(value.get());
    }
    out.push('}');
    (out, reads)
}

/// Writes the geometry the `geom` column holds (`null` for none): the file's own text
/// while it is the same shape, else the column's.
fn push_geometry(out: &mut String, column: Option<&str>, file: Option<&str>) {
    let Some(db) = column else {
        out.push_str("null");
        return;
    };
    let same = file.filter(|raw| {
        match (
            crate::io::parse_geometry(raw),
            crate::io::parse_geometry(db),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    });
    match same {
        Some(raw) => out.push_str(raw),
        None => match crate::io::parse_geometry(db) {
            Ok(shape) => write_shape(out, &shape),
            Err(_) => out.push_str(db),
        },
    }
}

/// The row's properties as keys and JSON texts in file order, with the `name` and `notes`
/// columns in their places.
fn properties(row: &PulledStrip, layout: &StripLayout) -> Vec<(String, String)> {
    let mut properties: Vec<(String, String)> = ordered(&row.properties, &layout.order)
        .into_iter()
        .map(|(k, v)| (k, v.get().to_owned()))
        .collect();
    let place = |key: &str, column: &Option<String>, properties: &mut Vec<(String, String)>| {
        let Some(text) = column else { return };
        let mut value = String::new();
        json_string_into(&mut value, text);
        properties.retain(|(k, _)| k != key);
        // Where the order puts it among the properties that are there.
        let at = match layout.order.iter().position(|k| k == key) {
            Some(i) => layout.order[..i]
                .iter()
                .filter(|k| properties.iter().any(|(p, _)| p == *k))
                .count(),
            None => 0,
        };
        properties.insert(at.min(properties.len()), (key.to_owned(), value));
    };
    place("name", &row.name, &mut properties);
    place("notes", &row.notes, &mut properties);
    properties
}

/// Writes the properties object, with the `events` list (when there is one) after
/// `events_at` properties (or last).
fn push_properties(
    out: &mut String,
    properties: &[(String, String)],
    events: Option<&str>,
    events_at: Option<usize>,
) {
    out.push('{');
    let mut first = true;
    let events_at = events_at.unwrap_or(properties.len()).min(properties.len());
    for (i, (key, value)) in properties.iter().enumerate() {
        if let Some(events) = events
            && i == events_at
        {
            member(out, &mut first, "events", events);
        }
        member(out, &mut first, key, value);
    }
    if let Some(events) = events
        && events_at >= properties.len()
    {
        member(out, &mut first, "events", events);
    }
    out.push('}');
}

/// The events list: the rows' events, with the unread ones where they stood among the
/// read ones.
fn events_list(texts: &[String], unread: &[(usize, String)]) -> String {
    let mut out = String::from("[");
    let mut first = true;
    let mut push = |out: &mut String, text: &str| {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(text);
    };
    let mut pending = unread.iter().peekable();
    for (i, text) in texts.iter().enumerate() {
        while let Some((_, raw)) = pending.next_if(|(before, _)| *before <= i) {
            push(&mut out, raw);
        }
        push(&mut out, text);
    }
    for (_, raw) in pending {
        push(&mut out, raw);
    }
    out.push(']');
    out
}

/// The geometry a feature's row holds, as GeoJSON: for tests and the geometry column.
pub fn geometry_json(feature: &Feature) -> Option<String> {
    feature.geometry().map(|g| {
        let mut out = String::new();
        write_geometry(&mut out, g);
        out
    })
}
