//! The rows of a spreadsheet as features, and Pistas' events CSV as histories: records
//! with the lines they start on, locations from their cells, and the two passes (the
//! second on every core) that type the columns and write the rows.

use super::plan::{CsvPlan, Locations, TableKind};
use crate::edit::coords::{Hemisphere, parse_angle, parse_coordinates};
use crate::io::diagnostic::Severity;
use crate::io::import::collect::{Collection, Part, Row, in_parts, shape_json};
use crate::io::import::origin::Origin;
use crate::io::import::own::{self, EventRow};
use crate::io::import::value::{self, ColumnKind};
use crate::io::write::string as json_string_into;

/// The table's header, and a reader positioned at its first row.
pub(super) fn reader_of<'t>(
    text: &'t str,
    plan: &CsvPlan,
) -> (Vec<String>, ::csv::Reader<&'t [u8]>) {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(plan.delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map(clean_headers).unwrap_or_default();
    (headers, reader)
}

/// Calls `each` with every row that has a cell (and the line it starts on). Text decoded
/// to a string splits into records without error.
pub(super) fn each_record(
    reader: &mut ::csv::Reader<&[u8]>,
    lines: &Lines<'_>,
    base: usize,
    mut each: impl FnMut(usize, &::csv::StringRecord),
) {
    let mut record = ::csv::StringRecord::new();
    while let Ok(true) = reader.read_record(&mut record) {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record
            .position()
            .map_or(0, |p| lines.of(base + p.byte() as usize));
        each(line, &record);
    }
}

/// Where the lines of a text start, so a record is placed on the line its first cell is
/// on (the csv crate's own count runs one behind after `\r\n` and blank lines).
pub(super) struct Lines<'t> {
    text: &'t [u8],
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let text = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// The 1-based line of the first byte at or after `byte` that ends no line.
    fn of(&self, mut byte: usize) -> usize {
        while self
            .text
            .get(byte)
            .is_some_and(|b| *b == b'\r' || *b == b'\n')
        {
            byte += 1;
        }
        self.starts.partition_point(|&s| s <= byte)
    }
}

pub(super) fn string_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    json_string_into(&mut out, text);
    out
}

/// Reads a coordinate cell: a number (with a decimal comma where the file uses them) or
/// degrees-minutes-seconds.
pub(super) fn coordinate(
    cell: &str,
    decimal_comma: bool,
) -> Result<(f64, Option<Hemisphere>), String> {
    if let Some(n) = value::number_text(cell, decimal_comma)
        && let Ok(v) = n.parse::<f64>()
    {
        return Ok((v, None));
    }
    let text = if decimal_comma && !cell.contains('.') {
        cell.replace(',', ".")
    } else {
        cell.to_owned()
    };
    parse_angle(&text).map_err(|e| format!("\"{cell}\" is not a coordinate ({e})"))
}

/// The location of one row as GeoJSON, or why it has none.
pub(super) fn location(
    cells: &(impl Cells + ?Sized),
    plan: &CsvPlan,
) -> Result<Option<String>, String> {
    let cell = |i: usize| cells.cell(i).trim();
    match plan.locations {
        Locations::None => Ok(None),
        Locations::Wkt(i) => {
            let text = cell(i);
            if text.is_empty() {
                return Ok(None);
            }
            let shape: wkt::Wkt<f64> = text
                .parse()
                .map_err(|e| format!("the WKT \"{}\" cannot be read: {e}", short(text)))?;
            let shape: geo::Geometry<f64> = shape.try_into().map_err(|_| {
                format!(
                    "the WKT \"{}\" is empty or not a geometry Pistas can draw",
                    short(text)
                )
            })?;
            Ok(Some(shape_json(&shape)))
        }
        Locations::Pair(i) => {
            let text = cell(i);
            if text.is_empty() {
                return Ok(None);
            }
            let (lon, lat) = parse_coordinates(text)
                .map_err(|e| format!("\"{text}\" is not a position ({e})"))?;
            Ok(Some(point(lon, lat)))
        }
        Locations::LonLat { lon, lat } => {
            let (x, y) = (cell(lon), cell(lat));
            if x.is_empty() && y.is_empty() {
                return Ok(None);
            }
            if x.is_empty() || y.is_empty() {
                return Err("only one of longitude and latitude is given".to_owned());
            }
            let (x, hx) =
                coordinate(x, plan.decimal_comma).map_err(|e| format!("longitude {e}"))?;
            let (y, hy) = coordinate(y, plan.decimal_comma).map_err(|e| format!("latitude {e}"))?;
            if hx == Some(Hemisphere::Latitude) || hy == Some(Hemisphere::Longitude) {
                return Err("the longitude column holds a latitude (N/S) or the latitude column a longitude (E/W)".to_owned());
            }
            if !(-90.0..=90.0).contains(&y) || !(-180.0..=180.0).contains(&x) {
                return Err(format!(
                    "longitude {x} and latitude {y} are not degrees within ±180 and ±90 \
                     (projected coordinates? Pistas reads CSV coordinates as WGS 84 degrees)"
                ));
            }
            Ok(Some(point(x, y)))
        }
    }
}

pub(super) fn short(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

pub(super) fn point(lon: f64, lat: f64) -> String {
    format!(
        "{{\"type\":\"Point\",\"coordinates\":[{},{}]}}",
        value::float_json(lon),
        value::float_json(lat)
    )
}

/// The cells of a row, however they are held.
pub(super) trait Cells {
    fn cell(&self, i: usize) -> &str;
}

impl Cells for [String] {
    fn cell(&self, i: usize) -> &str {
        self.get(i).map_or("", String::as_str)
    }
}

impl Cells for ::csv::StringRecord {
    fn cell(&self, i: usize) -> &str {
        self.get(i).unwrap_or("")
    }
}

/// How the cells of a row become a feature.
pub(super) struct RowMaker<'a> {
    headers: &'a [String],
    kinds: Vec<ColumnKind>,
    plan: &'a CsvPlan,
    geometry_column: Option<usize>,
    name_column: Option<usize>,
    /// Pistas' strips CSV: the property of each column, `None` for a derived one.
    own_keys: Option<Vec<Option<&'a str>>>,
}

impl RowMaker<'_> {
    /// The feature of one row and what is wrong with it.
    fn make(&self, line: usize, cells: &::csv::StringRecord) -> (Row, Vec<String>) {
        let (headers, plan) = (self.headers, self.plan);
        let mut warnings = Vec::new();
        let mut row = Row {
            origin: Origin::line(line),
            properties: Vec::with_capacity(cells.len()),
            ..Row::default()
        };
        match location(cells, plan) {
            Ok(g) => row.geometry = g,
            Err(message) => warnings.push(format!("{message}; the row is kept without a location")),
        }
        if cells.len() > headers.len() {
            warnings.push(format!(
                "the row has {} cells and the header {}; the extra cells are kept as column_N",
                cells.len(),
                headers.len()
            ));
        }
        for (c, cell) in cells.iter().enumerate() {
            if Some(c) == plan.id && !cell.trim().is_empty() {
                row.id = Some(match value::number_text(cell, false) {
                    Some(n) if !n.contains(['.', 'e', 'E']) => n,
                    _ => string_json(cell.trim()),
                });
                continue;
            }
            if Some(c) == self.geometry_column || Some(c) == plan.id {
                continue;
            }
            let kind = self.kinds.get(c).copied().unwrap_or(ColumnKind::Text);
            match (headers.get(c), &self.own_keys) {
                (None, _) => row.set(
                    &format!("column_{}", c + 1),
                    value::cell_json(cell, kind, false),
                ),
                (Some(_), Some(keys)) => {
                    if let Some(key) = keys[c]
                        && !cell.is_empty()
                    {
                        row.set(key, value::cell_json(cell, kind, plan.decimal_comma));
                    }
                }
                (Some(_), None) if Some(c) == self.name_column => {
                    row.properties.push((
                        "name".to_owned(),
                        value::cell_json(cell, ColumnKind::Text, false),
                    ));
                }
                (Some(header), None) => {
                    row.properties.push((
                        header.clone(),
                        value::cell_json(cell, kind, plan.decimal_comma),
                    ));
                }
            }
        }
        (row, warnings)
    }
}

/// One feature per row: the id column as id, the location, every other cell a property
/// typed by its column (Pistas' strips CSV: derived columns left out, empty cells absent).
/// The first pass over the text types the columns and finds where the records start; the
/// second writes the rows, on every core unless histories wait for them.
pub(super) fn rows(text: &str, plan: &CsvPlan, collection: &mut Collection) {
    let (headers, mut reader) = reader_of(text, plan);
    let lines = Lines::new(text);
    let mut guesses = vec![value::KindGuess::default(); headers.len()];
    let mut starts: Vec<usize> = Vec::new();
    each_record(&mut reader, &lines, 0, |_, record| {
        if let Some(p) = record.position() {
            starts.push(p.byte() as usize);
        }
        for (guess, cell) in guesses.iter_mut().zip(record.iter()) {
            guess.add(cell, plan.decimal_comma);
        }
    });
    let maker = RowMaker {
        headers: &headers,
        kinds: guesses.iter().map(|g| g.kind()).collect(),
        plan,
        geometry_column: match plan.locations {
            Locations::Wkt(i) | Locations::Pair(i) => Some(i),
            _ => None,
        },
        // The name column becomes `name`, unless the table has one already.
        name_column: plan.name.filter(|&c| {
            headers.get(c).is_some_and(|h| h != "name") && !headers.iter().any(|h| h == "name")
        }),
        own_keys: (plan.kind == TableKind::PistasStrips)
            .then(|| headers.iter().map(|h| own::strip_property(h)).collect()),
    };
    if collection.expects_events() {
        let (_, mut reader) = reader_of(text, plan);
        each_record(&mut reader, &lines, 0, |line, cells| {
            let (row, warnings) = maker.make(line, cells);
            for w in warnings {
                collection.warn_next(&row.origin, w);
            }
            collection.push(row);
        });
        return;
    }
    let threads = if text.len() >= 1 << 20 {
        crate::cores().max(1)
    } else {
        1
    };
    let per = starts.len().div_ceil(threads).max(1);
    let chunks: Vec<(usize, usize)> = starts
        .chunks(per)
        .enumerate()
        .map(|(i, c)| {
            (
                c[0],
                starts.get((i + 1) * per).copied().unwrap_or(text.len()),
            )
        })
        .collect();
    let parts = in_parts(&chunks, |&(begin, end)| {
        let mut part = Part::default();
        part.text.reserve((end - begin) + (end - begin) / 4);
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(plan.delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(&text.as_bytes()[begin..end]);
        each_record(&mut reader, &lines, begin, |line, cells| {
            let (row, warnings) = maker.make(line, cells);
            part.push(row, warnings);
        });
        part
    });
    for part in parts {
        collection.append(part);
    }
}

/// The rows of Pistas' events CSV.
pub(super) fn event_rows(
    text: &str,
    file: &str,
    plan: &CsvPlan,
    collection: &mut Collection,
) -> Vec<EventRow> {
    let (headers, mut reader) = reader_of(text, plan);
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (lon, lat) = (column("lon"), column("lat"));
    let (strip_id_at, name_at, index_at) = (
        column("strip_id"),
        column("strip_name"),
        column("event_index"),
    );
    let keys: Vec<(&'static str, usize)> = own::EVENT_KEYS
        .iter()
        .filter_map(|&k| column(k).map(|i| (k, i)))
        .collect();
    let located = match (lon, lat) {
        (Some(lon), Some(lat)) => Some(CsvPlan {
            locations: Locations::LonLat { lon, lat },
            ..plan.clone()
        }),
        _ => None,
    };
    let elsewhere = file != collection.file();
    let mut out = Vec::new();
    let lines = Lines::new(text);
    each_record(&mut reader, &lines, 0, |line, cells| {
        let origin = Origin {
            line: Some(line),
            column: None,
            place: elsewhere.then(|| format!("{file}:{line}")),
        };
        let get = |i: Option<usize>| i.and_then(|i| cells.get(i)).map_or("", str::trim);
        let strip_id = get(strip_id_at).to_owned();
        if strip_id.is_empty() {
            collection.problem(
                Severity::Error,
                &origin,
                None,
                "event left out: it has no strip_id".to_owned(),
            );
            return;
        }
        let location = located
            .as_ref()
            .filter(|_| !get(lon).is_empty())
            .and_then(|plan| location(cells, plan).ok().flatten());
        out.push(EventRow {
            link: None,
            strip_id,
            strip_name: Some(get(name_at).to_owned()).filter(|s| !s.is_empty()),
            index: get(index_at).parse().ok(),
            cells: keys
                .iter()
                .filter_map(|&(k, i)| {
                    cells
                        .get(i)
                        .filter(|v| !v.is_empty())
                        .map(|v| (k, v.to_owned()))
                })
                .collect(),
            location,
            origin,
        });
    });
    out
}

/// Header names made unique and never empty.
pub(super) fn clean_headers(record: &::csv::StringRecord) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, h) in record.iter().enumerate() {
        let base = if h.trim().is_empty() {
            format!("column_{}", i + 1)
        } else {
            h.trim().to_owned()
        };
        let mut name = base.clone();
        let mut n = 2;
        while out.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        out.push(name);
    }
    out
}
