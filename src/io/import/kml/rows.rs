//! Placemarks as features: any placemark with its data, time and folders, and Pistas' own
//! strips and events with their derived values left out.

use std::collections::HashMap;

use super::placemark::{Placemark, combine, has};
use crate::io::import::collect::{Row, shape_json};
use crate::io::import::origin::Origin;
use crate::io::import::own::{self, EventRow};
use crate::io::import::value;
use crate::io::write::string as json_string_into;

pub(super) fn geometry(p: &Placemark) -> Option<String> {
    let shape = match p.shapes.len() {
        0 => return None,
        1 => p.shapes[0].clone(),
        _ => combine(p.shapes.clone()),
    };
    Some(shape_json(&shape))
}

pub(super) fn string_json(text: &str) -> String {
    let mut out = String::new();
    json_string_into(&mut out, text);
    out
}

/// The kinds of the ExtendedData values, by name, over every placemark.
pub(super) fn column_kinds(placemarks: &[Placemark]) -> HashMap<String, value::ColumnKind> {
    let mut cells: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in placemarks {
        for (k, v) in &p.data {
            cells.entry(k).or_default().push(v);
        }
    }
    cells
        .into_iter()
        .map(|(k, v)| (k.to_owned(), value::infer(v, false)))
        .collect()
}

/// Any placemark as a feature.
pub(super) fn row(
    p: &Placemark,
    origin: Origin,
    kinds: &HashMap<String, value::ColumnKind>,
) -> Row {
    let mut row = Row {
        geometry: geometry(p),
        origin,
        ..Row::default()
    };
    let data_id = p
        .data
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .map(|(_, v)| v.clone());
    row.id = data_id
        .or_else(|| p.id.clone())
        .filter(|s| !s.is_empty())
        .map(|s| string_json(&s));
    if let Some(name) = &p.name {
        row.set("name", string_json(name));
    }
    if let Some(d) = p.description.as_ref().filter(|d| !d.is_empty()) {
        row.set("description", string_json(d));
    }
    for (key, text) in &p.data {
        if key.eq_ignore_ascii_case("id") || (key == "name" && p.name.is_some()) {
            continue;
        }
        let kind = kinds.get(key).copied().unwrap_or(value::ColumnKind::Text);
        row.set(key, value::cell_json(text, kind, false));
    }
    if let Some(when) = &p.when {
        row.set("timestamp", string_json(when));
    }
    if let Some(begin) = &p.begin {
        row.set("begin", string_json(begin));
    }
    if let Some(end) = &p.end {
        row.set("end", string_json(end));
    }
    if !p.folders.is_empty() {
        row.set("folder", string_json(&p.folders.join(" / ")));
    }
    row
}

/// A placemark of Pistas' Strips folder: derived values left out.
pub(super) fn own_strip(p: &Placemark, origin: Origin) -> Row {
    let mut row = Row {
        geometry: geometry(p),
        origin,
        ..Row::default()
    };
    let id = p
        .data
        .iter()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v.clone())
        .or_else(|| p.id.clone());
    // Pistas writes the label as the name: the id when the strip has no name, and the name
    // itself among the data.
    if !has(p, "name")
        && let Some(name) = p
            .name
            .as_ref()
            .filter(|n| Some(n.as_str()) != id.as_deref())
    {
        row.set("name", string_json(name));
    }
    row.id = id.map(|s| string_json(&s));
    let kinds = column_kinds(std::slice::from_ref(p));
    for (key, text) in &p.data {
        if key == "id" {
            continue;
        }
        if let Some(property) = own::strip_property(key) {
            let kind = kinds.get(key).copied().unwrap_or(value::ColumnKind::Text);
            row.set(property, value::cell_json(text, kind, false));
        }
    }
    row
}

/// A placemark of Pistas' Events folder. Its Data give the event; a KML written before
/// they were there gives its time, and in its description the operation, sources and note.
pub(super) fn own_event(p: &Placemark, origin: Origin) -> EventRow {
    let mut cells: HashMap<String, String> = p.data.iter().cloned().collect();
    let (start, end) = match (&p.when, &p.begin, &p.end) {
        (Some(w), _, _) => (Some(w.clone()), Some(w.clone())),
        (None, b, e) => (b.clone(), e.clone().or_else(|| b.clone())),
    };
    if let Some(s) = start {
        cells.entry("date_start".into()).or_insert(s);
    }
    if let Some(e) = end {
        cells.entry("date_end".into()).or_insert(e);
    }
    if !cells.contains_key("sources_json")
        && let Some(description) = &p.description
    {
        // "strip ID: type date\noperation: …\nsources: a | b\nnote"
        let mut note = Vec::new();
        for line in description.lines().skip(1) {
            if let Some(op) = line.strip_prefix("operation: ") {
                cells
                    .entry("operation".into())
                    .or_insert_with(|| op.to_owned());
            } else if let Some(s) = line.strip_prefix("sources: ") {
                cells
                    .entry("sources".into())
                    .or_insert_with(|| s.to_owned());
            } else {
                note.push(line);
            }
        }
        if !note.is_empty() {
            cells
                .entry("note".into())
                .or_insert_with(|| note.join("\n"));
        }
    }
    let location = p.shapes.first().map(shape_json);
    EventRow {
        strip_id: cells.get("strip_id").cloned().unwrap_or_default(),
        strip_name: None,
        index: cells.get("event_index").and_then(|i| i.parse().ok()),
        cells: EventRow::cells_from(|k| cells.get(k).cloned()),
        location,
        origin,
        link: None,
    }
}
