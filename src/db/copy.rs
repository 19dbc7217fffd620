//! A first load through `COPY … FROM STDIN`: strips and events none of which the database
//! has yet, in PostgreSQL's text format, with the geometry as hex EWKB (the shape's own
//! doubles, so it reads back exactly as `ST_GeomFromGeoJSON` of the written text would).
//!
//! COPY is how PostgreSQL loads rows fastest (GDAL's `ogr2ogr` uses it too): one
//! statement per table, no array parameters to take apart, the same triggers and
//! constraints as an INSERT.

// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write as _;

use bytes::Bytes;
use geo::Geometry as G;

use super::error::DbError;
use super::rows::{EventRow, StripRow};
use super::session::Session;
use crate::model::Feature;

/// Bytes per piece sent to the server.
const PIECE: usize = 1 << 20;

const STRIP_COLUMNS: &str = "COPY strips (id, geom, name, notes, status, times_destroyed, \
    times_rebuilt, first_event, last_event, runway_length_m, properties, layout, position) \
    FROM STDIN";
const EVENT_COLUMNS: &str = "COPY events (id, strip_id, position, event_id, type, date, \
    date_start, date_end, confidence, operation, sources, note, unknown, layout) FROM STDIN";

/// The text of one COPY field: `\N` for NULL, else the value with backslash, newline,
/// carriage return and tab escaped.
fn field(out: &mut String, value: Option<&str>) {
    let Some(value) = value else {
        out.push_str("\\N");
        return;
    };
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
}

fn display(out: &mut String, value: Option<impl std::fmt::Display>) {
    match value {
        Some(v) => {
            let _ = write!(out, "{v}");
        }
        None => out.push_str("\\N"),
    }
}

/// A date as PostgreSQL reads it: years before 1 are written with `BC` (there is no year
/// zero: year 0 is 1 BC), as the binary form of the same date would give.
fn date(out: &mut String, value: Option<chrono::NaiveDate>) {
    use chrono::Datelike;
    match value {
        Some(d) if d.year() < 1 => {
            let _ = write!(
                out,
                "{:04}-{:02}-{:02} BC",
                1 - d.year(),
                d.month(),
                d.day()
            );
        }
        Some(d) => {
            let _ = write!(out, "{d}");
        }
        None => out.push_str("\\N"),
    }
}

/// Hex EWKB (SRID 4326, two dimensions) of a feature's shape.
fn ewkb_hex(feature: &Feature) -> Option<String> {
    let geometry = feature.geometry()?;
    let mut wkb = Vec::with_capacity(64);
    wkb_of(&mut wkb, geometry.shape(), true);
    let mut hex = String::with_capacity(wkb.len() * 2);
    for b in wkb {
        let _ = write!(hex, "{b:02X}");
    }
    Some(hex)
}

/// Little-endian WKB of a shape (with the SRID on the outermost one), written as
/// PostGIS reads the GeoJSON text of the same shape: a polygon whose outer ring is empty
/// is an empty polygon (no rings), not one with an empty ring.
fn wkb_of(out: &mut Vec<u8>, shape: &geo::Geometry<f64>, top: bool) {
    const SRID_FLAG: u32 = 0x2000_0000;
    let head = |out: &mut Vec<u8>, kind: u32| {
        out.push(1);
        let kind = if top { kind | SRID_FLAG } else { kind };
        out.extend_from_slice(&kind.to_le_bytes());
        if top {
            out.extend_from_slice(&4326u32.to_le_bytes());
        }
    };
    let coord = |out: &mut Vec<u8>, c: geo::Coord<f64>| {
        out.extend_from_slice(&c.x.to_le_bytes());
        out.extend_from_slice(&c.y.to_le_bytes());
    };
    let count = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
    let ring = |out: &mut Vec<u8>, line: &geo::LineString<f64>| {
        count(out, line.0.len());
        for c in &line.0 {
            coord(out, *c);
        }
    };
    let polygon_rings = |out: &mut Vec<u8>, p: &geo::Polygon<f64>| {
        if p.exterior().0.is_empty() && p.interiors().is_empty() {
            count(out, 0);
            return;
        }
        count(out, 1 + p.interiors().len());
        ring(out, p.exterior());
        for hole in p.interiors() {
            ring(out, hole);
        }
    };
    match shape {
        G::Point(p) => {
            head(out, 1);
            coord(out, p.0);
        }
        G::Line(l) => {
            head(out, 2);
            count(out, 2);
            coord(out, l.start);
            coord(out, l.end);
        }
        G::LineString(l) => {
            head(out, 2);
            ring(out, l);
        }
        G::Polygon(p) => {
            head(out, 3);
            polygon_rings(out, p);
        }
        G::MultiPoint(m) => {
            head(out, 4);
            count(out, m.0.len());
            for p in &m.0 {
                wkb_of(out, &G::Point(*p), false);
            }
        }
        G::MultiLineString(m) => {
            head(out, 5);
            count(out, m.0.len());
            for l in &m.0 {
                wkb_of(out, &G::LineString(l.clone()), false);
            }
        }
        G::MultiPolygon(m) => {
            head(out, 6);
            count(out, m.0.len());
            for p in &m.0 {
                wkb_of(out, &G::Polygon(p.clone()), false);
            }
        }
        G::GeometryCollection(c) => {
            head(out, 7);
            count(out, c.0.len());
            for g in &c.0 {
                wkb_of(out, g, false);
            }
        }
        G::Rect(r) => wkb_of(out, &G::Polygon(r.to_polygon()), top),
        G::Triangle(t) => wkb_of(out, &G::Polygon(t.to_polygon()), top),
    }
}

/// Splits text into pieces of about [`PIECE`] bytes at line ends.
struct Pieces {
    done: Vec<Bytes>,
    current: String,
}

impl Pieces {
    fn new() -> Self {
        Pieces {
            done: Vec::new(),
            current: String::with_capacity(PIECE + 4096),
        }
    }

    fn line_done(&mut self) {
        self.current.push('\n');
        if self.current.len() >= PIECE {
            let full = std::mem::replace(&mut self.current, String::with_capacity(PIECE + 4096));
            self.done.push(Bytes::from(full));
        }
    }

    fn finish(mut self) -> Vec<Bytes> {
        if !self.current.is_empty() {
            self.done.push(Bytes::from(self.current));
        }
        self.done
    }
}

/// Loads strips and then their events by COPY. The events' text is made on another
/// thread while the strips load.
pub fn load(
    tx: &mut Session,
    strips: &[(&StripRow, &Feature)],
    events: &[EventRow],
) -> Result<(), DbError> {
    // One helper thread beside the COPY (not a pool): the events' text is made while the
    // strips travel to the server.
    std::thread::scope(|scope| {
        let event_text = scope.spawn(|| event_pieces(events));
        tx.copy_in(STRIP_COLUMNS, strip_pieces(strips))?;
        let pieces = event_text
            .join()
            .map_err(|_| DbError::Server("making the events' rows failed".to_owned()))?;
        tx.copy_in(EVENT_COLUMNS, pieces)?;
        Ok(())
    })
}

/// The COPY text of strips (rows with their features, for the shapes).
fn strip_pieces(rows: &[(&StripRow, &Feature)]) -> Vec<Bytes> {
    let mut pieces = Pieces::new();
    for (row, feature) in rows {
        let out = &mut pieces.current;
        field(out, Some(&row.id));
        out.push('\t');
        let geom = if row.geometry.is_some() {
            ewkb_hex(feature)
        } else {
            None
        };
        field(out, geom.as_deref());
        out.push('\t');
        field(out, row.name.as_deref());
        out.push('\t');
        field(out, row.notes.as_deref());
        out.push('\t');
        field(out, row.status.as_deref());
        out.push('\t');
        display(out, row.times_destroyed);
        out.push('\t');
        display(out, row.times_rebuilt);
        out.push('\t');
        date(out, row.first_event);
        out.push('\t');
        date(out, row.last_event);
        out.push('\t');
        display(out, row.runway_length_m.filter(|v| v.is_finite()));
        out.push('\t');
        field(out, Some(&row.properties));
        out.push('\t');
        field(out, Some(&row.layout));
        out.push('\t');
        display(out, Some(row.position));
        pieces.line_done();
    }
    pieces.finish()
}

/// The COPY text of events.
fn event_pieces(rows: &[EventRow]) -> Vec<Bytes> {
    let mut pieces = Pieces::new();
    for row in rows {
        let out = &mut pieces.current;
        field(out, Some(&row.key));
        out.push('\t');
        field(out, Some(&row.strip_id));
        out.push('\t');
        display(out, Some(row.position));
        out.push('\t');
        field(out, row.event_id.as_deref());
        out.push('\t');
        field(out, Some(&row.kind));
        out.push('\t');
        field(out, Some(&row.date));
        out.push('\t');
        date(out, Some(row.date_start));
        out.push('\t');
        date(out, Some(row.date_end));
        out.push('\t');
        field(out, row.confidence.as_deref());
        out.push('\t');
        field(out, row.operation.as_deref());
        out.push('\t');
        field(out, Some(&row.sources));
        out.push('\t');
        field(out, row.note.as_deref());
        out.push('\t');
        field(out, Some(&row.unknown));
        out.push('\t');
        field(out, Some(&row.layout));
        pieces.line_done();
    }
    pieces.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_escape_what_copy_reads_as_syntax() {
        let mut out = String::new();
        field(&mut out, Some("a\tb\nc\\d\re"));
        assert_eq!(out, "a\\tb\\nc\\\\d\\re");
        let mut out = String::new();
        field(&mut out, None);
        assert_eq!(out, "\\N");
    }

    fn hex(shape: geo::Geometry<f64>) -> String {
        let mut wkb = Vec::new();
        wkb_of(&mut wkb, &shape, true);
        wkb.iter().map(|b| format!("{b:02X}")).collect()
    }

    #[test]
    fn ewkb_is_what_postgis_writes() {
        // SELECT ST_AsHEXEWKB('SRID=4326;POINT(1 2)'::geometry, 'NDR')
        assert_eq!(
            hex(geo::point!(x: 1.0, y: 2.0).into()),
            "0101000020E6100000000000000000F03F0000000000000040"
        );
        // 'SRID=4326;POLYGON EMPTY'
        assert_eq!(
            hex(geo::Polygon::new(geo::LineString::new(vec![]), vec![]).into()),
            "0103000020E610000000000000"
        );
        // 'SRID=4326;MULTIPOINT((1 2))': members carry no SRID.
        assert_eq!(
            hex(geo::MultiPoint::new(vec![geo::point!(x: 1.0, y: 2.0)]).into()),
            "0104000020E6100000010000000101000000000000000000F03F0000000000000040"
        );
    }

    #[test]
    fn dates_before_year_one_are_bc() {
        let mut out = String::new();
        date(&mut out, chrono::NaiveDate::from_ymd_opt(0, 3, 1));
        out.push(' ');
        date(&mut out, chrono::NaiveDate::from_ymd_opt(2014, 9, 5));
        assert_eq!(out, "0001-03-01 BC 2014-09-05");
    }

    #[test]
    fn pieces_end_at_line_ends() {
        let mut p = Pieces::new();
        for _ in 0..3 {
            p.current.push_str(&"x".repeat(PIECE / 2 + 1));
            p.line_done();
        }
        let pieces = p.finish();
        assert_eq!(pieces.len(), 2);
        assert!(pieces.iter().all(|b| b.ends_with(b"\n")));
    }
}
