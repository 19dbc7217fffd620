//! Google Earth's KML and KMZ: every placemark with its name, description, ExtendedData
//! (`Data` and `SimpleData`, as GDAL writes it), time and geometry (Point, LineString,
//! Polygon, MultiGeometry), and the folders it sits in as a property. Pistas' own KML
//! (a Strips folder, and an Events folder whose placemarks carry `strip_id`) reads back into
//! the same strips and histories.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::collect::{Collection, fatal};
use super::origin::Origin;
use crate::io::diagnostic::LineIndex;
use crate::io::read::Parsed;
use crate::io::write::string as json_string_into;

mod placemark;
mod rows;

use placemark::{Placemark, combine, has};
use rows::{column_kinds, own_event, own_strip, row};

/// A geometry being read: its kind and rings or positions so far.
#[derive(Debug)]
enum Building {
    Point,
    Line,
    Polygon {
        outer: Option<geo::LineString<f64>>,
        inner: Vec<geo::LineString<f64>>,
    },
}

fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// `lon,lat[,alt]` tuples separated by white space.
fn positions(text: &str) -> Result<Vec<geo::Coord<f64>>, String> {
    text.split_whitespace()
        .map(|tuple| {
            let mut parts = tuple.split(',').map(str::trim).filter(|p| !p.is_empty());
            let x = parts.next().and_then(|p| p.parse::<f64>().ok());
            let y = parts.next().and_then(|p| p.parse::<f64>().ok());
            match (x, y) {
                (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Ok(geo::Coord { x, y }),
                _ => Err(format!("\"{tuple}\" is not a longitude,latitude position")),
            }
        })
        .collect()
}

/// The text of a KML file: UTF-8, or the encoding its declaration names.
fn text_of(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_lowercase();
    if let Some(start) = head.find("encoding=") {
        let rest = &head[start + 9..];
        let label: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| !matches!(c, '"' | '\''))
            .collect();
        if let Some(encoding) = encoding_rs::Encoding::for_label(label.as_bytes())
            && encoding != encoding_rs::UTF_8
        {
            return encoding.decode(bytes).0.into_owned();
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Reads a KML file.
pub fn read(bytes: &[u8], file: &str) -> Parsed {
    let text = text_of(bytes);
    let index = LineIndex::new(&text);
    let at = |offset: usize| {
        let (line, column) = index.line_col(offset);
        Origin::at(line, column)
    };
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text(false);
    let mut state = State::default();
    loop {
        let offset = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let pos = reader.error_position() as usize;
                return fatal(
                    file,
                    &at(pos),
                    format!("the KML is not well-formed XML: {e}"),
                );
            }
        };
        let read = match event {
            Event::Start(e) => {
                state.start(&e, offset);
                Ok(())
            }
            Event::Empty(e) => {
                if e.local_name().as_ref() == b"Placemark" {
                    let placemark = state.placemark(&e, offset);
                    state.placemarks.push(placemark);
                }
                Ok(())
            }
            Event::Text(t) => match t.xml_content() {
                Ok(s) => {
                    state.text.push_str(&s);
                    Ok(())
                }
                Err(e) => Err((offset, format!("the KML has text that cannot be read: {e}"))),
            },
            Event::CData(t) => {
                state
                    .text
                    .push_str(&String::from_utf8_lossy(&t.into_inner()));
                Ok(())
            }
            Event::GeneralRef(r) => state.reference(r).map_err(|m| (offset, m)),
            Event::End(_) => state.end(),
            Event::Eof => break,
            _ => Ok(()),
        };
        if let Err((offset, message)) = read {
            return fatal(file, &at(offset), message);
        }
    }
    if let Some((name, start)) = state.stack.last() {
        return fatal(
            file,
            &at(*start),
            format!("the KML ends inside <{name}>, opened here: the file is cut off or not closed"),
        );
    }
    if !state.saw_kml {
        return fatal(
            file,
            &Origin::line(1),
            "this XML is not KML: it has no <kml> element".to_owned(),
        );
    }
    state.collect(file, &at)
}

/// What reading a KML has found so far, and where it stands in the tree of elements.
#[derive(Default)]
struct State {
    /// The elements open, each with the offset of its start.
    stack: Vec<(String, usize)>,
    /// The folders (and documents) open, with the names of the folders.
    folders: Vec<Option<String>>,
    placemarks: Vec<Placemark>,
    /// The placemark open.
    current: Option<Placemark>,
    /// The geometries open inside it.
    building: Vec<Building>,
    /// The parts of each MultiGeometry open.
    multi: Vec<Vec<geo::Geometry<f64>>>,
    /// The text of the element open.
    text: String,
    /// The name of the `Data` or `SimpleData` open.
    data_name: Option<String>,
    document_name: Option<String>,
    saw_kml: bool,
}

impl State {
    /// A placemark starting here, in the folders open.
    fn placemark(&self, e: &BytesStart<'_>, offset: usize) -> Placemark {
        Placemark {
            id: attribute(e, b"id"),
            folders: self.folders.iter().flatten().cloned().collect(),
            at: offset,
            ..Placemark::default()
        }
    }

    /// An element starts.
    fn start(&mut self, e: &BytesStart<'_>, offset: usize) {
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        self.text.clear();
        match name.as_str() {
            "kml" => self.saw_kml = true,
            "Folder" | "Document" => self.folders.push(None),
            "Placemark" => self.current = Some(self.placemark(e, offset)),
            "Point" => self.building.push(Building::Point),
            "LineString" | "LinearRing"
                if !matches!(self.building.last(), Some(Building::Polygon { .. })) =>
            {
                self.building.push(Building::Line)
            }
            "Polygon" => self.building.push(Building::Polygon {
                outer: None,
                inner: Vec::new(),
            }),
            "MultiGeometry" => self.multi.push(Vec::new()),
            "Data" | "SimpleData" => self.data_name = attribute(e, b"name"),
            _ => {}
        }
        self.stack.push((name, offset));
    }

    /// A character or entity reference in text.
    fn reference(&mut self, r: BytesRef<'_>) -> Result<(), String> {
        if let Ok(Some(c)) = r.resolve_char_ref() {
            self.text.push(c);
            return Ok(());
        }
        let name = String::from_utf8_lossy(&r.into_inner()).into_owned();
        match quick_xml::escape::resolve_predefined_entity(&name) {
            Some(s) => {
                self.text.push_str(s);
                Ok(())
            }
            None => Err(format!("the KML uses the unknown entity &{name};")),
        }
    }

    /// An element ends: its text goes where it belongs, and what it built is finished. An
    /// error is placed at the element's start.
    fn end(&mut self) -> Result<(), (usize, String)> {
        let Some((name, start)) = self.stack.pop() else {
            return Ok(());
        };
        let parent = self.stack.last().map(|(n, _)| n.as_str()).unwrap_or("");
        let value = std::mem::take(&mut self.text);
        let value = value.trim();
        let current = &mut self.current;
        match name.as_str() {
            "Folder" | "Document" => {
                self.folders.pop();
            }
            "name" if parent == "Folder" || parent == "Document" => {
                if parent == "Document" && self.document_name.is_none() {
                    self.document_name = Some(value.to_owned());
                }
                if let Some(slot) = self.folders.last_mut() {
                    *slot = (parent == "Folder").then(|| value.to_owned());
                }
            }
            "name" if parent == "Placemark" => {
                if let Some(p) = current {
                    p.name = Some(value.to_owned());
                }
            }
            "description" if parent == "Placemark" => {
                if let Some(p) = current {
                    p.description = Some(value.to_owned());
                }
            }
            "value" if parent == "Data" => {
                if let (Some(p), Some(n)) = (current, &self.data_name) {
                    p.data.push((n.clone(), value.to_owned()));
                }
            }
            "SimpleData" => {
                if let (Some(p), Some(n)) = (current, self.data_name.take()) {
                    p.data.push((n, value.to_owned()));
                }
            }
            "when" if parent == "TimeStamp" => {
                if let Some(p) = current {
                    p.when = Some(value.to_owned());
                }
            }
            "begin" | "end" if parent == "TimeSpan" => {
                if let Some(p) = current {
                    if name == "begin" {
                        p.begin = Some(value.to_owned());
                    } else {
                        p.end = Some(value.to_owned());
                    }
                }
            }
            "coordinates" => {
                let coords =
                    positions(value).map_err(|m| (start, format!("<coordinates>: {m}")))?;
                self.coordinates(coords);
            }
            "Point" | "LineString" | "LinearRing" => {
                if matches!(self.building.last(), Some(Building::Point | Building::Line)) {
                    self.building.pop();
                }
            }
            "Polygon" => {
                if let Some(Building::Polygon { outer, inner }) = self.building.pop()
                    && let Some(outer) = outer
                {
                    self.finish_shape(geo::Polygon::new(outer, inner).into());
                }
            }
            "MultiGeometry" => {
                if let Some(parts) = self.multi.pop() {
                    self.finish_shape(combine(parts));
                }
            }
            "Placemark" => {
                if let Some(p) = self.current.take() {
                    self.placemarks.push(p);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Positions read: a point, a line, or a ring of the polygon being built.
    fn coordinates(&mut self, coords: Vec<geo::Coord<f64>>) {
        let inner_ring = self.stack.iter().any(|(n, _)| n == "innerBoundaryIs");
        match self.building.last_mut() {
            Some(Building::Point) => {
                if let Some(c) = coords.first() {
                    self.finish_shape(geo::Point(*c).into());
                }
            }
            Some(Building::Line) => self.finish_shape(geo::LineString(coords).into()),
            Some(Building::Polygon { outer, inner }) => {
                let ring = geo::LineString(coords);
                if inner_ring {
                    inner.push(ring);
                } else {
                    *outer = Some(ring);
                }
            }
            None => {}
        }
    }

    /// A shape finished: a part of the MultiGeometry open, else a shape of the placemark.
    fn finish_shape(&mut self, shape: geo::Geometry<f64>) {
        if let Some(parts) = self.multi.last_mut() {
            parts.push(shape);
        } else if let Some(p) = &mut self.current {
            p.shapes.push(shape);
        }
    }

    /// The placemarks as a collection: Pistas' own KML (a Strips folder, and an Events
    /// folder whose placemarks carry `strip_id`) as strips and histories, any other as
    /// rows. `at` places an offset in the file.
    fn collect(self, file: &str, at: &dyn Fn(usize) -> Origin) -> Parsed {
        let placemarks = self.placemarks;
        let mut collection = Collection::new(file);
        if let Some(name) = self.document_name.filter(|n| !n.is_empty()) {
            let mut json = String::new();
            json_string_into(&mut json, &name);
            collection.member("name", json);
        }
        let own = placemarks
            .iter()
            .any(|p| p.folders.first().is_some_and(|f| f == "Events") && has(p, "strip_id"))
            && placemarks
                .iter()
                .any(|p| p.folders.first().is_some_and(|f| f == "Strips"));
        let origin = |p: &Placemark| at(p.at);
        if own {
            let (events, strips): (Vec<Placemark>, Vec<Placemark>) =
                placemarks.into_iter().partition(|p| {
                    p.folders.first().is_some_and(|f| f == "Events") && has(p, "strip_id")
                });
            let events = events.iter().map(|p| own_event(p, origin(p))).collect();
            collection.set_events(events);
            for p in &strips {
                collection.push(own_strip(p, origin(p)));
            }
        } else {
            let kinds = column_kinds(&placemarks);
            for p in &placemarks {
                collection.push(row(p, origin(p), &kinds));
            }
        }
        collection.finish()
    }
}

/// Reads a KMZ: the KML inside it (`doc.kml`, else the first `.kml`).
pub fn read_kmz(bytes: &[u8], file: &str) -> Parsed {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            return fatal(
                file,
                &Origin::default(),
                format!("the KMZ is not a readable ZIP archive: {e}"),
            );
        }
    };
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    let Some(name) = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| names.iter().find(|n| n.to_lowercase().ends_with(".kml")))
        .cloned()
    else {
        return fatal(
            file,
            &Origin::default(),
            format!("the KMZ holds no .kml file (it holds {})", names.join(", ")),
        );
    };
    // A KML inside a KMZ is read up to 1 GiB: a damaged or hostile archive cannot claim
    // all the memory.
    const LIMIT: u64 = 1 << 30;
    let mut kml = Vec::new();
    let unpacked = archive
        .by_name(&name)
        .map_err(|e| e.to_string())
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, LIMIT + 1), &mut kml)
                .map_err(|e| e.to_string())
                .and_then(|n| {
                    if n as u64 > LIMIT {
                        Err("it unpacks to more than 1 GiB".to_owned())
                    } else {
                        Ok(n)
                    }
                })
        });
    if let Err(e) = unpacked {
        return fatal(
            file,
            &Origin::default(),
            format!("{name} in the KMZ cannot be unpacked: {e}"),
        );
    }
    read(&kml, &format!("{file}!{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Survey</name>
<Folder><name>Ayacucho</name>
<Placemark id="p1"><name>Pista &amp; río</name><description><![CDATA[<b>seen</b> 2014]]></description>
<ExtendedData><Data name="length"><value>1200</value></Data></ExtendedData>
<Point><coordinates>-73.95,-12.35,0</coordinates></Point></Placemark>
<Placemark><name>Runway</name><LineString><coordinates>-73.9,-12.4 -73.91,-12.41</coordinates></LineString></Placemark>
<Placemark><name>Area</name><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Folder></Document></kml>"#;

    #[test]
    fn reads_placemarks() {
        let parsed = read(KML.as_bytes(), "s.kml");
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        let f = &parsed.document.features();
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].name(), Some("Pista & río"));
        assert_eq!(f[0].id().as_str(), "p1");
        assert_eq!(f[0].property("length").unwrap().get(), "1200");
        assert_eq!(f[0].property("folder").unwrap().get(), "\"Ayacucho\"");
        assert_eq!(
            f[0].property("description").unwrap().get(),
            "\"<b>seen</b> 2014\""
        );
        assert_eq!(f[1].geometry().unwrap().kind().as_str(), "LineString");
        assert_eq!(f[2].geometry().unwrap().kind().as_str(), "Polygon");
    }

    #[test]
    fn broken_xml_is_placed() {
        let broken = KML.replace("</name><description>", "</nam><description>");
        let parsed = read(broken.as_bytes(), "b.kml");
        assert!(parsed.fatal);
        let d = parsed.diagnostics[0].to_string();
        assert!(d.starts_with("b.kml:4:"), "{d}");
        let cut = &KML[..KML.len() / 2];
        let parsed = read(cut.as_bytes(), "c.kml");
        assert!(parsed.fatal);
        assert!(
            parsed.diagnostics[0].message.contains("cut off"),
            "{:?}",
            parsed.diagnostics
        );
    }
}
