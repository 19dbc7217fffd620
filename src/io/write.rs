//! Writing documents as RFC 7946 GeoJSON in the Pistas profile.
//!
//! Everything read is written back as it was read: unknown members as their original text,
//! in their original order, and unedited geometries byte for byte. Strips also get the
//! derived summary and each event its `date_start`/`date_end` bounds.

// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use geo::{Coord, LineString, Polygon};

use crate::analysis::StripSummary;
use crate::model::{
    DERIVED_PROPERTIES, Document, Event, Extra, Feature, FeatureId, Field, Geometry, IdOrigin,
    Source,
};

/// Choices for writing.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// The date the derived `status` is computed at.
    pub status_date: NaiveDate,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            status_date: chrono::Local::now().date_naive(),
        }
    }
}

/// Writes a document as a GeoJSON FeatureCollection, one feature per line.
pub fn write_geojson(doc: &Document, options: &WriteOptions) -> String {
    write_geojson_parts(doc, options, &|_, _| {}).concat()
}

/// Features written by one task of [`write_geojson_parts`].
const CHUNK: usize = 4096;

/// [`write_geojson`] in consecutive pieces, the features written on every core;
/// `progress(done, total)` is told the features written as each piece is finished. The
/// pieces are written out in order as they are (see [`crate::io::save_atomic_parts`]).
pub fn write_geojson_parts(
    doc: &Document,
    options: &WriteOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<String> {
    let mut head = String::with_capacity(256);
    head.push_str("{\"type\":\"FeatureCollection\"");
    // A second `features` the file had (kept, and reported on reading) goes after the list,
    // so that the list stays the one read.
    let (after, before): (Vec<_>, Vec<_>) =
        doc.foreign().iter().partition(|(key, _)| key == "features");
    for (key, value) in before {
        member(&mut head, key, value.get());
    }
    head.push_str(",\"features\":[");
    let total = doc.features().len();
    let chunks = total.div_ceil(CHUNK);
    let write_chunk = |c: usize| {
        let range = c * CHUNK..((c + 1) * CHUNK).min(total);
        let mut out = String::with_capacity(range.len() * 1024);
        for i in range {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            write_feature(&mut out, &doc.features()[i], options);
        }
        out
    };
    // Chunks written on rayon's threads, gathered in order.
    let done = AtomicUsize::new(0);
    let pieces: Vec<String> = {
        use rayon::prelude::*;
        (0..chunks)
            .into_par_iter()
            .map(|c| {
                let text = write_chunk(c);
                let n = ((c + 1) * CHUNK).min(total) - c * CHUNK;
                progress(done.fetch_add(n, Ordering::Relaxed) + n, total);
                text
            })
            .collect()
    };
    let mut tail = String::from("\n]");
    for (key, value) in after {
        member(&mut tail, key, value.get());
    }
    tail.push_str("}\n");
    let mut parts = Vec::with_capacity(chunks + 2);
    parts.push(head);
    parts.extend(pieces);
    parts.push(tail);
    parts
}

/// Appends `,"key":value` with `value` already JSON.
fn member(out: &mut String, key: &str, value: &str) {
    out.push(',');
    string(out, key);
    out.push(':');
    out.push_str(value);
}

/// Appends a JSON string.
pub(crate) fn string(out: &mut String, text: &str) {
    // Writing a str to a String through serde_json cannot fail.
    if let Ok(encoded) = serde_json::to_string(text) {
        out.push_str(&encoded);
    }
}

fn string_member(out: &mut String, key: &str, text: &str) {
    out.push(',');
    string(out, key);
    out.push(':');
    string(out, text);
}

pub(crate) fn number(value: f64) -> String {
    serde_json::Number::from_f64(value).map_or_else(|| "null".to_owned(), |n| n.to_string())
}

pub(crate) fn write_feature(out: &mut String, feature: &Feature, options: &WriteOptions) {
    let feature: &Feature = &feature.decoded();
    if let Some(unread) = feature.unread() {
        out.push_str(unread.raw().get());
        return;
    }
    out.push_str("{\"type\":\"Feature\"");
    // An id Pistas gave a feature without one is not written: the file stays without it.
    if *feature.id_origin() == IdOrigin::Given {
        let id = &feature.id();
        out.push_str(",\"id\":");
        match id {
            FeatureId::String(s) => string(out, s),
            FeatureId::Number(n) => out.push_str(n.as_str()),
        }
    }
    out.push_str(",\"geometry\":");
    match feature.geometry() {
        Some(geometry) => write_geometry(out, geometry),
        None => out.push_str("null"),
    }
    out.push_str(",\"properties\":");
    if feature.properties_null() {
        out.push_str("null");
    } else {
        write_properties(out, feature, options);
    }
    for (key, value) in feature.foreign().members() {
        member(out, key, value.get());
    }
    out.push('}');
}

fn write_properties(out: &mut String, feature: &Feature, options: &WriteOptions) {
    let mut first = true;
    let mut open = |out: &mut String| {
        out.push(if first { '{' } else { ',' });
        first = false;
    };
    let properties = feature.properties();
    let events_at = feature.events_position();
    for (i, (key, value)) in properties.iter().enumerate() {
        if events_at == Some(i) {
            open(out);
            write_events(out, feature);
        }
        open(out);
        string(out, key);
        out.push(':');
        out.push_str(value.get());
    }
    if let Some(at) = events_at {
        if at >= properties.len() {
            open(out);
            write_events(out, feature);
        }
        open(out);
        write_summary(out, &StripSummary::of(feature, options.status_date));
    }
    if first {
        out.push('{');
    }
    out.push('}');
}

/// The summary, under the names of [`DERIVED_PROPERTIES`] in its order (the one list of
/// them): a runway's length and heading only when the strip has them.
fn write_summary(out: &mut String, summary: &StripSummary) {
    let mut first = true;
    for name in DERIVED_PROPERTIES {
        let start = out.len();
        if !first {
            out.push(',');
        }
        string(out, name);
        out.push(':');
        if summary_value(out, summary, name) {
            first = false;
        } else {
            out.truncate(start);
        }
    }
}

/// Writes the summary's value for derived property `name`; false when it has none.
fn summary_value(out: &mut String, summary: &StripSummary, name: &str) -> bool {
    let h = &summary.history;
    let day = |out: &mut String, d: Option<NaiveDate>| match d {
        Some(d) => {
            let _ = write!(out, "\"{d}\"");
        }
        None => out.push_str("null"),
    };
    match name {
        "status" => string(out, summary.status.as_str()),
        "times_destroyed" => {
            let _ = write!(out, "{}", h.times_destroyed());
        }
        "times_rebuilt" => {
            let _ = write!(out, "{}", h.times_rebuilt());
        }
        "first_event" => day(out, h.first_event()),
        "last_event" => day(out, h.last_event()),
        "runway_length_m" => match summary.runway_length_m {
            Some(length) => {
                let _ = write!(out, "{}", length.round());
            }
            None => return false,
        },
        "runway_heading_deg" => match summary.runway_heading_deg {
            Some(heading) => {
                let _ = write!(out, "{}", heading.round());
            }
            None => return false,
        },
        _ => return false,
    }
    true
}

/// The `events` list: read events in order, with the unread ones, as written, where they
/// stood.
fn write_events(out: &mut String, feature: &Feature) {
    out.push_str("\"events\":[");
    let mut unread = feature.unread_events().iter().peekable();
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push(',');
        }
        first = false;
    };
    for (i, event) in feature.events().iter().enumerate() {
        while let Some((_, u)) = unread.next_if(|(before, _)| *before <= i) {
            sep(out);
            out.push_str(u.raw().get());
        }
        sep(out);
        write_event(out, event);
    }
    for (_, u) in unread {
        sep(out);
        out.push_str(u.raw().get());
    }
    out.push(']');
}

/// Appends `,"key":` and the field's value: its text, or what was kept as written.
fn field_member(out: &mut String, key: &str, field: &Field<String>) {
    match field {
        Field::Absent => {}
        Field::Value(text) => string_member(out, key, text),
        Field::Kept(raw) => member(out, key, raw.get()),
    }
}

/// An event as the profile writes it.
pub(crate) fn event_json(event: &Event) -> String {
    let mut out = String::new();
    write_event(&mut out, event);
    out
}

fn write_event(out: &mut String, event: &Event) {
    out.push_str("{\"type\":");
    string(out, event.kind().as_str());
    field_member(out, "id", event.id());
    string_member(out, "date", &event.date().to_string());
    string_member(out, "date_start", &event.date().start().to_string());
    string_member(out, "date_end", &event.date().end().to_string());
    match &event.confidence() {
        Field::Absent => {}
        Field::Value(c) => string_member(out, "confidence", c.as_str()),
        Field::Kept(raw) => member(out, "confidence", raw.get()),
    }
    field_member(out, "operation", event.operation());
    if !event.sources().is_empty() {
        out.push_str(",\"sources\":[");
        for (i, source) in event.sources().iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_source(out, source);
        }
        out.push(']');
    }
    if !event.evidence().is_empty() {
        out.push_str(",\"evidence\":");
        out.push_str(&evidence_json(event));
    }
    field_member(out, "note", event.note());
    write_extra(out, event.extra().members());
    out.push('}');
}

fn write_extra(out: &mut String, extra: &Extra) {
    for (key, value) in extra {
        member(out, key, value.get());
    }
}

/// The `evidence` list of an event as JSON (`[]` when it has none): each item's members as
/// written, in order.
pub(crate) fn evidence_json(event: &Event) -> String {
    items_json(event.evidence())
}

/// A list of evidence items as JSON, each item's members as written, in order.
fn items_json(items: &[crate::model::Evidence]) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut body = String::new();
        write_extra(&mut body, item.members());
        out.push('{');
        out.push_str(body.strip_prefix(',').unwrap_or(&body));
        out.push('}');
    }
    out.push(']');
    out
}

/// The `sources` list of an event as JSON (`[]` when it has none).
pub(crate) fn sources_json(event: &Event) -> String {
    let mut out = String::from("[");
    for (i, source) in event.sources().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_source(&mut out, source);
    }
    out.push(']');
    out
}

fn write_source(out: &mut String, source: &Source) {
    match source {
        Source::Text(text) => string(out, text),
        Source::Reference(r) => {
            let mut body = String::new();
            for (name, field) in r.fields() {
                field_member(&mut body, name, field);
            }
            if !r.evidence().is_empty() {
                body.push_str(",\"evidence\":");
                body.push_str(&items_json(r.evidence()));
            }
            write_extra(&mut body, r.extra().members());
            out.push('{');
            out.push_str(body.strip_prefix(',').unwrap_or(&body));
            out.push('}');
        }
    }
}

/// Writes a geometry: as read when unedited, else from its shape.
pub(crate) fn write_geometry(out: &mut String, geometry: &Geometry) {
    match geometry.raw() {
        Some(raw) => out.push_str(raw),
        None => write_shape(out, geometry.shape()),
    }
}

/// Writes a `geo` shape as a GeoJSON geometry object.
pub(crate) fn write_shape(out: &mut String, shape: &geo::Geometry<f64>) {
    let kind = crate::model::GeometryKind::of(shape);
    out.push_str("{\"type\":\"");
    out.push_str(kind.as_str());
    if let geo::Geometry::GeometryCollection(parts) = shape {
        out.push_str("\",\"geometries\":[");
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_shape(out, part);
        }
        out.push_str("]}");
        return;
    }
    out.push_str("\",\"coordinates\":");
    match shape {
        geo::Geometry::Point(p) => coord(out, p.0),
        geo::Geometry::MultiPoint(mp) => list(out, &mp.0, |out, p| coord(out, p.0)),
        geo::Geometry::Line(l) => line(out, &LineString(vec![l.start, l.end])),
        geo::Geometry::LineString(l) => line(out, l),
        geo::Geometry::MultiLineString(ml) => list(out, &ml.0, line),
        geo::Geometry::Polygon(p) => polygon(out, p),
        geo::Geometry::MultiPolygon(mp) => list(out, &mp.0, polygon),
        geo::Geometry::Rect(r) => polygon(out, &r.to_polygon()),
        geo::Geometry::Triangle(t) => polygon(out, &t.to_polygon()),
        geo::Geometry::GeometryCollection(_) => {}
    }
    out.push('}');
}

fn list<T>(out: &mut String, items: &[T], each: impl Fn(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, item);
    }
    out.push(']');
}

fn coord(out: &mut String, c: Coord<f64>) {
    out.push('[');
    out.push_str(&number(c.x));
    out.push(',');
    out.push_str(&number(c.y));
    out.push(']');
}

fn line(out: &mut String, l: &LineString<f64>) {
    list(out, &l.0, |out, c| coord(out, *c));
}

fn polygon(out: &mut String, p: &Polygon<f64>) {
    // An empty polygon (`"coordinates": []`, RFC 7946 §3.1) has no ring to write.
    if p.exterior().0.is_empty() && p.interiors().is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    line(out, p.exterior());
    for ring in p.interiors() {
        out.push(',');
        line(out, ring);
    }
    out.push(']');
}
