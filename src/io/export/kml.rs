//! Google Earth's KML: styles per status, a folder of strips with every property, and a
//! folder of dated events with every field, so the file reads back whole.

// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write as _;

use chrono::NaiveDate;
use quick_xml::escape::escape;

use super::cells::{day, property_cell, rounded, sources_text, status_after_each};
use super::tables::{self, Column};
use crate::analysis::{StripSummary, representative_point};
use crate::io::write::number;
use crate::model::{Document, Event, Feature, Status};

/// KML colours are aabbggrr.
fn kml_colour(status: Status) -> &'static str {
    match status {
        Status::Active => "ff2f2fd6",    // red: in use
        Status::Rebuilt => "ff0a8cf5",   // orange: back in use after a destruction
        Status::Destroyed => "ff7f7f7f", // grey: destroyed
        Status::Unknown => "ffd09a4a",   // blue: no state known
    }
}

/// The Data of a strip's placemark before its properties.
const KML_STRIP_DATA: [&str; 8] = [
    "id",
    "name",
    "status",
    "times_destroyed",
    "times_rebuilt",
    "first_event",
    "last_event",
    "runway_length_m",
];

/// A KML document: styles per status, a folder of strips, a folder of dated events.
pub fn kml(doc: &Document, status_date: NaiveDate) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>Pistas export</name>\n",
    );
    for status in Status::ALL {
        let _ = writeln!(
            out,
            "<Style id=\"status-{s}\"><IconStyle><color>{c}</color></IconStyle>\
             <LineStyle><color>{c}</color><width>4</width></LineStyle>\
             <PolyStyle><color>7f{rgb}</color></PolyStyle></Style>",
            s = status.as_str(),
            c = kml_colour(status),
            rgb = &kml_colour(status)[2..]
        );
    }
    // Layer names stay fixed for GIS tools; the date goes in the description.
    let _ = writeln!(
        out,
        "<Folder><name>Strips</name><description>Strips styled by their status at {status_date}</description>"
    );
    let properties: Vec<_> = tables::property_columns(doc.strips(), &KML_STRIP_DATA, false)
        .into_iter()
        .filter(|(k, _)| k != "name")
        .collect();
    for feature in doc.strips() {
        strip_placemark(&mut out, &feature.decoded(), status_date, &properties);
    }
    out.push_str("</Folder>\n<Folder><name>Events</name>\n");
    for feature in doc.strips() {
        let feature: &Feature = &feature.decoded();
        let Some(point) = feature
            .geometry()
            .and_then(|g| representative_point(g.shape()))
        else {
            continue;
        };
        let after = status_after_each(feature.events());
        for (i, e) in feature.events().iter().enumerate() {
            event_placemark(&mut out, feature, (i, e), after[i], point);
        }
    }
    out.push_str("</Folder>\n</Document>\n</kml>\n");
    out
}

/// Writes a strip's placemark: styled by its status at `status_date`, its history as
/// description, its figures, name and every property as data, and its geometry.
fn strip_placemark(
    out: &mut String,
    feature: &Feature,
    status_date: NaiveDate,
    properties: &[(String, Column)],
) {
    let s = StripSummary::of(feature, status_date);
    let _ = write!(
        out,
        "<Placemark id=\"{id}\"><name>{name}</name><styleUrl>#status-{status}</styleUrl>",
        id = escape(feature.id().as_str()),
        name = escape(feature.label()),
        status = s.status.as_str()
    );
    if let Some(first) = s.history.first_event() {
        let _ = write!(out, "<TimeSpan><begin>{first}</begin></TimeSpan>");
    }
    let mut history = String::new();
    for &i in s.history.order() {
        let e = &feature.events()[i];
        let _ = writeln!(
            history,
            "{} {}: {}",
            e.date(),
            e.kind(),
            sources_text(e.sources())
        );
    }
    let _ = write!(
        out,
        "<description>{}</description>",
        escape(history.trim_end())
    );
    out.push_str("<ExtendedData>");
    let data = [
        ("id", feature.id().as_str().to_owned()),
        ("status", s.status.as_str().to_owned()),
        ("times_destroyed", s.history.times_destroyed().to_string()),
        ("times_rebuilt", s.history.times_rebuilt().to_string()),
        ("first_event", day(s.history.first_event())),
        ("last_event", day(s.history.last_event())),
        ("runway_length_m", rounded(s.runway_length_m)),
    ];
    for (name, value) in data {
        let _ = write!(
            out,
            "<Data name=\"{name}\"><value>{}</value></Data>",
            escape(&value)
        );
    }
    // The name and every property, so the file reads back into the same strips.
    if let Some(name) = feature.name() {
        let _ = write!(
            out,
            "<Data name=\"name\"><value>{}</value></Data>",
            escape(name)
        );
    }
    for (key, column) in properties {
        let _ = write!(
            out,
            "<Data name=\"{}\"><value>{}</value></Data>",
            escape(&column.name),
            escape(property_cell(feature, key))
        );
    }
    out.push_str("</ExtendedData>");
    if let Some(g) = feature.geometry() {
        kml_geometry(out, g.shape());
    }
    out.push_str("</Placemark>\n");
}

/// Writes the placemark of a strip's event (with its index): at the strip's point, styled
/// by the status after it, dated, with every field as data.
fn event_placemark(
    out: &mut String,
    feature: &Feature,
    (i, e): (usize, &Event),
    status: Status,
    point: geo::Point<f64>,
) {
    let _ = write!(
        out,
        "<Placemark><name>{kind} {date}: {name}</name><styleUrl>#status-{status}</styleUrl>",
        kind = e.kind(),
        date = e.date(),
        name = escape(feature.label()),
        status = status.as_str()
    );
    let (start, end) = (e.date().start(), e.date().end());
    if start == end {
        let _ = write!(out, "<TimeStamp><when>{start}</when></TimeStamp>");
    } else {
        let _ = write!(
            out,
            "<TimeSpan><begin>{start}</begin><end>{end}</end></TimeSpan>"
        );
    }
    let mut text = format!("strip {}: {} {}", feature.id(), e.kind(), e.date());
    if let Some(op) = e.operation().get() {
        let _ = write!(text, "\noperation: {op}");
    }
    if !e.sources().is_empty() {
        let _ = write!(text, "\nsources: {}", sources_text(e.sources()));
    }
    if let Some(note) = e.note().get() {
        let _ = write!(text, "\n{note}");
    }
    let _ = write!(
        out,
        "<description>{}</description><ExtendedData><Data name=\"strip_id\"><value>{}</value></Data>\
         <Data name=\"type\"><value>{}</value></Data>",
        escape(&text),
        escape(feature.id().as_str()),
        e.kind(),
    );
    let sources = (!e.sources().is_empty()).then(|| crate::io::write::sources_json(e));
    let details = [
        ("event_index", Some(i.to_string())),
        ("event_id", e.id().as_deref().map(str::to_owned)),
        ("date", Some(e.date().to_string())),
        (
            "confidence",
            e.confidence().get().map(|c| c.as_str().to_owned()),
        ),
        ("operation", e.operation().as_deref().map(str::to_owned)),
        ("sources_json", sources),
        ("note", e.note().as_deref().map(str::to_owned)),
    ];
    for (name, value) in details {
        if let Some(value) = value {
            let _ = write!(
                out,
                "<Data name=\"{name}\"><value>{}</value></Data>",
                escape(&value)
            );
        }
    }
    let _ = writeln!(
        out,
        "</ExtendedData><Point><coordinates>{},{}</coordinates></Point></Placemark>",
        number(point.x()),
        number(point.y())
    );
}

fn kml_coords(out: &mut String, coords: &[geo::Coord<f64>]) {
    out.push_str("<coordinates>");
    for (i, c) in coords.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", number(c.x), number(c.y));
    }
    out.push_str("</coordinates>");
}

fn kml_geometry(out: &mut String, shape: &geo::Geometry<f64>) {
    match shape {
        geo::Geometry::Point(p) => {
            out.push_str("<Point>");
            kml_coords(out, &[p.0]);
            out.push_str("</Point>");
        }
        geo::Geometry::LineString(l) => {
            out.push_str("<LineString><tessellate>1</tessellate>");
            kml_coords(out, &l.0);
            out.push_str("</LineString>");
        }
        geo::Geometry::Polygon(p) => {
            out.push_str("<Polygon><outerBoundaryIs><LinearRing>");
            kml_coords(out, &p.exterior().0);
            out.push_str("</LinearRing></outerBoundaryIs>");
            for ring in p.interiors() {
                out.push_str("<innerBoundaryIs><LinearRing>");
                kml_coords(out, &ring.0);
                out.push_str("</LinearRing></innerBoundaryIs>");
            }
            out.push_str("</Polygon>");
        }
        other => {
            let parts: Vec<geo::Geometry<f64>> = match other {
                geo::Geometry::MultiPoint(m) => m.iter().map(|p| (*p).into()).collect(),
                geo::Geometry::MultiLineString(m) => m.iter().map(|l| l.clone().into()).collect(),
                geo::Geometry::MultiPolygon(m) => m.iter().map(|p| p.clone().into()).collect(),
                geo::Geometry::GeometryCollection(c) => c.0.clone(),
                geo::Geometry::Line(l) => vec![geo::LineString(vec![l.start, l.end]).into()],
                geo::Geometry::Rect(r) => vec![r.to_polygon().into()],
                geo::Geometry::Triangle(t) => vec![t.to_polygon().into()],
                _ => Vec::new(),
            };
            out.push_str("<MultiGeometry>");
            for part in &parts {
                kml_geometry(out, part);
            }
            out.push_str("</MultiGeometry>");
        }
    }
}
