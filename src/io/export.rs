//! Exports for other tools: strips CSV, events CSV, events as points (GeoJSON), KML,
//! GeoPackage (strips and events, related) and FlatGeobuf (strips, or events as points).

mod cells;
mod fgb;
pub(crate) mod gpkg;
mod kml;
mod tables;

pub use kml::kml;

// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write as _;

use chrono::NaiveDate;
use wkt::ToWkt;

use super::write::{number, string};
use crate::analysis::{StripSummary, representative_point};
use crate::model::{Document, Feature};
use cells::{day, property_cell, rounded, source_urls, sources_text, status_after_each};

/// The formats Pistas writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON in the Pistas profile (the working format).
    GeoJson,
    /// One row per strip with its summary and WKT geometry.
    StripsCsv,
    /// One row per event with the strip id and date bounds.
    EventsCsv,
    /// One Point feature per event: what QGIS's Temporal Controller and kepler.gl animate.
    EventsGeoJson,
    /// Google Earth: a placemark per strip styled by status, events with time spans.
    Kml,
    /// QGIS: a GeoPackage with the layers `strips` and `events`, related.
    GeoPackage,
    /// FlatGeobuf of the strips, with their histories as JSON.
    FlatGeobuf,
    /// FlatGeobuf of the events as points.
    EventsFlatGeobuf,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::GeoJson,
        Format::StripsCsv,
        Format::EventsCsv,
        Format::EventsGeoJson,
        Format::Kml,
        Format::GeoPackage,
        Format::FlatGeobuf,
        Format::EventsFlatGeobuf,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::StripsCsv => "csv",
            Format::EventsCsv => "events-csv",
            Format::EventsGeoJson => "events-geojson",
            Format::Kml => "kml",
            Format::GeoPackage => "gpkg",
            Format::FlatGeobuf => "fgb",
            Format::EventsFlatGeobuf => "events-fgb",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Guesses the format from a file name: `.kml`, `.csv`, `.geojson`/`.json`, with
    /// `events` in the name choosing the events exports.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?.to_lowercase();
        let events = name.contains("events");
        let ext = path.extension()?.to_str()?.to_lowercase();
        Some(match ext.as_str() {
            "kml" => Format::Kml,
            "gpkg" => Format::GeoPackage,
            "fgb" if events => Format::EventsFlatGeobuf,
            "fgb" => Format::FlatGeobuf,
            "csv" if events => Format::EventsCsv,
            "csv" => Format::StripsCsv,
            "geojson" | "json" if events => Format::EventsGeoJson,
            "geojson" | "json" => Format::GeoJson,
            _ => return None,
        })
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Binary(String),
}

/// Writes `doc` in `format` as the bytes of a file; the derived status is computed at
/// `status_date`.
pub fn export(
    doc: &Document,
    format: Format,
    status_date: NaiveDate,
) -> Result<Vec<u8>, ExportError> {
    log::info!("exporting {} features as {format:?}", doc.features().len());
    Ok(match format {
        Format::GeoJson => {
            crate::io::write::write_geojson(doc, &crate::io::write::WriteOptions { status_date })
                .into()
        }
        Format::StripsCsv => strips_csv(doc, status_date)?.into(),
        Format::EventsCsv => events_csv(doc)?.into(),
        Format::EventsGeoJson => events_geojson(doc).into(),
        Format::Kml => kml(doc, status_date).into(),
        Format::GeoPackage => gpkg::gpkg(doc, status_date).map_err(ExportError::Binary)?,
        Format::FlatGeobuf => fgb::strips(doc, status_date).map_err(ExportError::Binary)?,
        Format::EventsFlatGeobuf => fgb::events(doc).map_err(ExportError::Binary)?,
    })
}

/// The document with every coordinate rounded to `digits` decimals (5 is about 1 m), for
/// handing on a layer without more precision than the source had. Rounded geometries are
/// written anew from their shape.
pub fn round_coordinates(doc: &Document, digits: u8) -> Document {
    use geo::MapCoords;
    let factor = 10f64.powi(i32::from(digits.min(15)));
    let round = |v: f64| (v * factor).round() / factor;
    let mut out = doc.clone();
    // Ignored: only coordinates change, and only a change of id is refused.
    let _ = out.update_all(|feature| {
        if let Some(geometry) = feature.geometry_mut() {
            let shape = geometry.shape().map_coords(|c| geo::Coord {
                x: round(c.x),
                y: round(c.y),
            });
            geometry.set_shape(shape);
        }
    });
    out
}

fn lon_lat(feature: &Feature) -> (String, String) {
    feature
        .geometry()
        .and_then(|g| representative_point(g.shape()))
        .map(|p| (number(p.x()), number(p.y())))
        .unwrap_or_default()
}

/// One row per strip: id, name, status at the date, summary figures, the nearest registered
/// aerodrome (ident and name, and km) and town within 100 km from the embedded South America
/// data (empty beyond, or outside it), lon/lat and WKT.
pub fn strips_csv(doc: &Document, status_date: NaiveDate) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "name",
        "status",
        "status_date",
        "times_destroyed",
        "times_rebuilt",
        "first_event",
        "last_event",
        "events",
        "median_days_to_rebuild",
        "runway_length_m",
        "runway_heading_deg",
        "nearest_aerodrome",
        "nearest_aerodrome_km",
        "nearest_town",
        "lon",
        "lat",
        "WKT",
    ];
    let places = crate::geodata::places();
    // Then every property but the name, so the file reads back into the same strips.
    let properties = tables::property_columns(doc.strips(), &header, false);
    let properties: Vec<_> = properties
        .into_iter()
        .filter(|(k, _)| k != "name")
        .collect();
    let mut full: Vec<&str> = header.to_vec();
    full.extend(properties.iter().map(|(_, c)| c.name.as_str()));
    w.write_record(&full)?;
    for feature in doc.strips() {
        let feature: &Feature = &feature.decoded();
        let s = StripSummary::of(feature, status_date);
        let h = &s.history;
        let mut days: Vec<i64> = h.rebuilds().iter().map(|r| r.days()).collect();
        days.sort_unstable();
        let median = crate::analysis::median(&days)
            .map(|m| format!("{m}"))
            .unwrap_or_default();
        let at = feature
            .geometry()
            .and_then(|g| representative_point(g.shape()))
            .map(|p| (p.x(), p.y()));
        let aerodrome = at.and_then(|(x, y)| places.nearest_aerodrome(x, y));
        let town = at.and_then(|(x, y)| places.nearest_town(x, y));
        let (lon, lat) = lon_lat(feature);
        let wkt = feature
            .geometry()
            .map(|g| g.shape().wkt_string())
            .unwrap_or_default();
        let mut record: Vec<String> = vec![
            feature.id().as_str().to_owned(),
            feature.name().unwrap_or("").to_owned(),
            s.status.as_str().to_owned(),
            status_date.to_string(),
            h.times_destroyed().to_string(),
            h.times_rebuilt().to_string(),
            day(h.first_event()),
            day(h.last_event()),
            feature.events().len().to_string(),
            median,
            rounded(s.runway_length_m),
            rounded(s.runway_heading_deg),
            aerodrome
                .as_ref()
                .map_or_else(String::new, |(a, _)| a.clone()),
            aerodrome.map_or_else(String::new, |(_, m)| format!("{:.1}", m / 1000.0)),
            town.map_or_else(String::new, |(t, _)| t.to_owned()),
            lon,
            lat,
            wkt,
        ];
        record.extend(
            properties
                .iter()
                .map(|(key, _)| property_cell(feature, key)),
        );
        w.write_record(&record)?;
    }
    into_string(w)
}

fn into_string(w: csv::Writer<Vec<u8>>) -> Result<String, ExportError> {
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One row per event, with its strip and date bounds.
pub fn events_csv(doc: &Document) -> Result<String, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "strip_id",
        "strip_name",
        "event_index",
        "event_id",
        "type",
        "date",
        "date_start",
        "date_end",
        "confidence",
        "operation",
        "sources",
        "source_urls",
        "note",
        "status_after",
        "lon",
        "lat",
        "sources_json",
        "evidence",
    ])?;
    for feature in doc.strips() {
        let feature: &Feature = &feature.decoded();
        let (lon, lat) = lon_lat(feature);
        let after = status_after_each(feature.events());
        for (i, event) in feature.events().iter().enumerate() {
            w.write_record([
                feature.id().as_str(),
                feature.name().unwrap_or(""),
                &i.to_string(),
                event.id().as_deref().unwrap_or(""),
                event.kind().as_str(),
                &event.date().to_string(),
                &event.date().start().to_string(),
                &event.date().end().to_string(),
                event.confidence().get().map_or("", |c| c.as_str()),
                event.operation().as_deref().unwrap_or(""),
                &sources_text(event.sources()),
                &source_urls(event.sources()),
                event.note().as_deref().unwrap_or(""),
                after[i].as_str(),
                &lon,
                &lat,
                &if event.sources().is_empty() {
                    String::new()
                } else {
                    crate::io::write::sources_json(event)
                },
                &if event.evidence().is_empty() {
                    String::new()
                } else {
                    super::write::evidence_json(event)
                },
            ])?;
        }
    }
    into_string(w)
}

/// One Point feature per event at its strip's location, with `strip_id`, `type`,
/// `date_start` and `date_end`: the shape time-aware GIS tools animate.
pub fn events_geojson(doc: &Document) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut first = true;
    for feature in doc.strips() {
        let feature: &Feature = &feature.decoded();
        let Some(point) = feature
            .geometry()
            .and_then(|g| representative_point(g.shape()))
        else {
            continue;
        };
        let after = status_after_each(feature.events());
        for (i, event) in feature.events().iter().enumerate() {
            out.push_str(if first { "\n" } else { ",\n" });
            first = false;
            out.push_str("{\"type\":\"Feature\",\"id\":");
            string(&mut out, &format!("{}/{}", feature.id(), i + 1));
            let _ = write!(
                out,
                ",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},{}]}},\"properties\":{{",
                number(point.x()),
                number(point.y())
            );
            let fields: [(&str, Option<&str>); 11] = [
                ("strip_id", Some(feature.id().as_str())),
                ("strip_name", feature.name()),
                ("event_id", event.id().as_deref()),
                ("type", Some(event.kind().as_str())),
                ("date", Some(&event.date().to_string())),
                ("date_start", Some(&event.date().start().to_string())),
                ("date_end", Some(&event.date().end().to_string())),
                ("confidence", event.confidence().get().map(|c| c.as_str())),
                ("operation", event.operation().as_deref()),
                ("sources", Some(&sources_text(event.sources()))),
                ("status_after", Some(after[i].as_str())),
            ];
            for (n, (key, value)) in fields.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                string(&mut out, key);
                out.push(':');
                match value {
                    Some(v) => string(&mut out, v),
                    None => out.push_str("null"),
                }
            }
            let _ = write!(out, ",\"event_index\":{i}}}}}");
        }
    }
    out.push_str("\n]}\n");
    out
}
