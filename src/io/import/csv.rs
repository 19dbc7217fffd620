//! Spreadsheets with coordinates: CSV and TSV in the encodings and separators people's
//! programs write (UTF-8 with or without a byte-order mark, UTF-16 from Excel's "Unicode
//! text", Windows-1252 from Excel in Spanish, `;` with decimal commas), with longitude and
//! latitude columns named in English, Spanish or Portuguese, a WKT column, or one column of
//! both coordinates; decimal degrees or degrees-minutes-seconds. Pistas' own strips and
//! events CSV read back into the same strips and histories.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::collect::{Collection, Origin, Part, Row, fatal, shape_json};
use super::own::{self, EventRow};
use super::value::{self, ColumnKind};
use crate::edit::{Hemisphere, parse_angle, parse_coordinates};
use crate::io::{Parsed, Severity, json_string_into};

/// How the bytes of a file are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Windows-1252, a superset of Latin-1: what Excel in Spanish or Portuguese saves.
    Windows1252,
}

impl TextEncoding {
    pub const ALL: [TextEncoding; 5] = [
        TextEncoding::Utf8,
        TextEncoding::Utf8Bom,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Windows1252,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Windows1252 => "Windows-1252 (Latin-1)",
        }
    }

    /// The encoding of `bytes`: a byte-order mark says; else UTF-8 if it is; else what
    /// Excel writes on a Western Windows.
    pub fn detect(bytes: &[u8]) -> Self {
        match bytes {
            [0xEF, 0xBB, 0xBF, ..] => TextEncoding::Utf8Bom,
            [0xFF, 0xFE, ..] => TextEncoding::Utf16Le,
            [0xFE, 0xFF, ..] => TextEncoding::Utf16Be,
            _ if std::str::from_utf8(bytes).is_ok() => TextEncoding::Utf8,
            _ => TextEncoding::Windows1252,
        }
    }

    /// The text, with any byte-order mark removed; `Err` names the first byte that is not
    /// UTF-8 when the encoding is UTF-8.
    pub fn decode(self, bytes: &[u8]) -> Result<Cow<'_, str>, usize> {
        let encoding = match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
                let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
                    3
                } else {
                    0
                };
                return std::str::from_utf8(&bytes[bom..])
                    .map(Cow::Borrowed)
                    .map_err(|e| e.valid_up_to() + bom);
            }
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
        };
        let (text, _, _) = encoding.decode(bytes);
        Ok(match text {
            Cow::Owned(t) if t.starts_with('\u{feff}') => {
                Cow::Owned(t['\u{feff}'.len_utf8()..].to_owned())
            }
            other => other,
        })
    }
}

/// Where the locations are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locations {
    /// Longitude and latitude columns, by index.
    LonLat { lon: usize, lat: usize },
    /// A column of WKT geometries.
    Wkt(usize),
    /// A column of both coordinates, such as `12°21'05"S 73°57'10"W`.
    Pair(usize),
    /// No locations: chosen by the person, never guessed.
    None,
}

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Any table: one feature per row.
    Table,
    /// Pistas' strips CSV: derived columns are recomputed.
    PistasStrips,
    /// Pistas' events CSV: rows become the histories of strips.
    PistasEvents,
}

/// How to read a CSV file: detected, shown in the window's preview, changed there.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvPlan {
    pub encoding: TextEncoding,
    pub delimiter: u8,
    /// `12,5` is a number (files separated by `;` or tabs).
    pub decimal_comma: bool,
    pub locations: Locations,
    /// The column whose values are the features' ids.
    pub id: Option<usize>,
    /// The column of the features' names, which becomes their `name` (the label on the
    /// map) when it is called otherwise (`Nombre`, `nome`).
    pub name: Option<usize>,
    pub kind: TableKind,
    /// Pistas' events CSV beside a strips CSV, read with it.
    pub events: Option<PathBuf>,
}

/// The first rows of a file and how Pistas would read it.
#[derive(Debug, Clone)]
pub struct CsvPreview {
    pub plan: CsvPlan,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Why no locations were found, when none were.
    pub problem: Option<String>,
}

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter that splits the first lines into the same number (more than one) of
/// cells most often; `,` when none does.
fn sniff_delimiter(text: &str, tab_first: bool) -> u8 {
    let sample: String = text.lines().take(30).collect::<Vec<_>>().join("\n");
    let mut best = (0usize, 0usize, b',');
    let mut order = DELIMITERS;
    if tab_first {
        order.swap(0, 2);
    }
    for d in order {
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .map_while(Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&header) = counts.first() else {
            continue;
        };
        if header < 2 {
            continue;
        }
        let same = counts.iter().filter(|&&c| c == header).count();
        let score = (same * 100 / counts.len(), header);
        if score.0 >= 80 && (score.0, score.1) > (best.0, best.1) {
            best = (score.0, score.1, d);
        }
    }
    best.2
}

/// A header as compared: lower case, accents removed, split into words.
fn words(header: &str) -> Vec<String> {
    let plain: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    plain.split_whitespace().map(str::to_owned).collect()
}

const LON_WORDS: [&str; 5] = ["lon", "lng", "long", "longitude", "longitud"];
const LAT_WORDS: [&str; 3] = ["lat", "latitude", "latitud"];
const WKT_NAMES: [&str; 7] = [
    "wkt",
    "wkt geom",
    "geom",
    "geometry",
    "the geom",
    "geometria",
    "shape",
];
const PAIR_NAMES: [&str; 6] = [
    "coordinates",
    "coordenadas",
    "coords",
    "coordinate",
    "coordenada",
    "position",
];

/// Words that may follow a coordinate's name: units, datum, hemisphere.
const QUALIFIERS: [&str; 22] = [
    "dd",
    "deg",
    "degree",
    "degrees",
    "grados",
    "graus",
    "decimal",
    "decimales",
    "decimais",
    "dec",
    "wgs84",
    "wgs",
    "84",
    "s",
    "n",
    "w",
    "o",
    "e",
    "sur",
    "oeste",
    "norte",
    "este",
];

/// A longitude or latitude column's header: its name alone or with qualifiers
/// (`Latitud (S)`, `lon_dd`, `Longitude WGS84`), never a longer phrase such as
/// `Longitud de pista (m)`.
fn is_axis(header: &str, axis_words: &[&str], letter: &str) -> bool {
    let w = words(header);
    match w.as_slice() {
        [] => false,
        [only] if only == letter => true,
        [first, rest @ ..]
            if axis_words.contains(&first.as_str())
                && rest.iter().all(|r| QUALIFIERS.contains(&r.as_str())) =>
        {
            true
        }
        [c, l]
            if l == letter
                && ["coord", "coordenada", "coordinate", "coordenadas"].contains(&c.as_str()) =>
        {
            true
        }
        _ => false,
    }
}

fn looks_like_wkt(cell: &str) -> bool {
    let upper = cell.trim_start().to_ascii_uppercase();
    [
        "POINT",
        "LINESTRING",
        "POLYGON",
        "MULTIPOINT",
        "MULTILINESTRING",
        "MULTIPOLYGON",
        "GEOMETRYCOLLECTION",
    ]
    .iter()
    .any(|k| {
        upper
            .strip_prefix(k)
            .is_some_and(|rest| rest.trim_start().starts_with(['(', 'Z', 'M', 'E']))
    })
}

/// Where the locations are, from the header and the first row.
/// Where the locations are, from the header and the first row: a WKT column by name
/// whose first cell is WKT, else longitude and latitude columns whose first cells are
/// coordinates, else a column whose first cell is WKT, else a WKT or pair column by name.
fn find_locations(
    headers: &[String],
    first: Option<&[String]>,
    decimal_comma: bool,
) -> Option<Locations> {
    let cell = |i: usize| first.and_then(|r| r.get(i)).map_or("", |s| s.trim());
    let joined = |i: usize| words(&headers[i]).join(" ");
    let all = || 0..headers.len();
    let is_wkt = |i: usize| looks_like_wkt(cell(i)) && cell(i).parse::<wkt::Wkt<f64>>().is_ok();
    let wkt_named = |i: usize| WKT_NAMES.contains(&joined(i).as_str());
    if let Some(i) = all().find(|&i| wkt_named(i) && is_wkt(i)) {
        return Some(Locations::Wkt(i));
    }
    let coordinate_or_empty =
        |i: usize| cell(i).is_empty() || coordinate(cell(i), decimal_comma).is_ok();
    let lon = all().find(|&i| is_axis(&headers[i], &LON_WORDS, "x") && coordinate_or_empty(i));
    let lat = all().find(|&i| is_axis(&headers[i], &LAT_WORDS, "y") && coordinate_or_empty(i));
    if let (Some(lon), Some(lat)) = (lon, lat)
        && lon != lat
    {
        return Some(Locations::LonLat { lon, lat });
    }
    if let Some(i) = all()
        .find(|&i| is_wkt(i))
        .or_else(|| all().find(|&i| wkt_named(i) && cell(i).is_empty()))
    {
        return Some(Locations::Wkt(i));
    }
    all()
        .find(|&i| {
            PAIR_NAMES.contains(&joined(i).as_str())
                && (cell(i).is_empty() || parse_coordinates(cell(i)).is_ok())
        })
        .map(Locations::Pair)
}

/// A text that says which columns were looked for.
fn no_locations(headers: &[String]) -> String {
    format!(
        "no coordinate columns: Pistas looks for a longitude column (lon, lng, long, longitude, \
         longitud, x) with a latitude column (lat, latitude, latitud, y), a WKT column (wkt, geom, \
         geometry), or one column of both (coordinates, coordenadas); the header has {}",
        headers
            .iter()
            .map(|h| format!("\"{h}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Header names made unique and never empty.
fn clean_headers(record: &::csv::StringRecord) -> Vec<String> {
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

/// The text of a file, or why it is not text.
fn text_of<'b>(
    bytes: &'b [u8],
    file: &str,
    encoding: TextEncoding,
) -> Result<Cow<'b, str>, Box<Parsed>> {
    encoding.decode(bytes).map_err(|at| {
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let good = std::str::from_utf8(&bytes[start..at]).unwrap_or("");
        let (line, column) = crate::io::LineIndex::new(good).line_col(good.len());
        Box::new(fatal(
            file,
            &Origin::at(line, column),
            format!("byte 0x{:02X} is not UTF-8; choose the file's encoding (Windows-1252 for Excel in Spanish)", bytes[at]),
        ))
    })
}

/// The file's first rows and how Pistas would read it, for the window's preview.
pub fn preview(bytes: &[u8], file: &str, path: Option<&Path>) -> Result<CsvPreview, Box<Parsed>> {
    preview_as(bytes, file, path, None, None)
}

/// The preview with the encoding and the delimiter the person chose (detected when `None`).
pub fn preview_as(
    bytes: &[u8],
    file: &str,
    path: Option<&Path>,
    encoding: Option<TextEncoding>,
    delimiter: Option<u8>,
) -> Result<CsvPreview, Box<Parsed>> {
    let encoding = encoding.unwrap_or_else(|| TextEncoding::detect(bytes));
    let tab_first = path
        .and_then(|p| p.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv") || e.eq_ignore_ascii_case("tab"));
    let text = text_of(bytes, file, encoding)?;
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&text, tab_first));
    let mut plan = CsvPlan {
        encoding,
        delimiter,
        decimal_comma: delimiter != b',',
        locations: Locations::None,
        id: None,
        name: None,
        kind: TableKind::Table,
        events: None,
    };
    let (headers, rows) = table(&text, delimiter, 12);
    let mut problem = None;
    detect(
        &mut plan,
        &headers,
        rows.first().map(Vec::as_slice),
        &mut problem,
    );
    if plan.kind == TableKind::PistasStrips {
        plan.events = path.and_then(events_beside);
    }
    Ok(CsvPreview {
        plan,
        headers,
        rows,
        problem,
    })
}

/// What the header says about the table: its kind, locations and id column.
fn detect(
    plan: &mut CsvPlan,
    headers: &[String],
    first: Option<&[String]>,
    problem: &mut Option<String>,
) {
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    plan.kind = if own::is_strips_header(&names) {
        TableKind::PistasStrips
    } else if own::is_events_header(&names) {
        TableKind::PistasEvents
    } else {
        TableKind::Table
    };
    let named = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| words(h).join(" ") == *n))
    };
    (plan.id, plan.name) = match plan.kind {
        TableKind::PistasEvents => (None, None),
        TableKind::PistasStrips => (named(&["id"]), None),
        TableKind::Table => (
            named(&[
                "id",
                "fid",
                "codigo",
                "code",
                "cod",
                "identificador",
                "identifier",
            ]),
            named(&[
                "name", "nombre", "nome", "title", "titulo", "label", "etiqueta",
            ]),
        ),
    };
    match find_locations(headers, first, plan.decimal_comma) {
        Some(l) => plan.locations = l,
        None => *problem = Some(no_locations(headers)),
    }
}

/// The header and up to `limit` rows, as text.
fn table(text: &str, delimiter: u8, limit: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map(clean_headers).unwrap_or_default();
    let rows = reader
        .records()
        .map_while(Result::ok)
        .take(limit)
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

/// Pistas' events CSV beside a strips CSV: `X-events.csv`, `X_events.csv`, or the name with
/// `strips` replaced by `events`.
pub fn events_beside(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let dir = path.parent()?;
    let mut names = vec![
        format!("{stem}-events.csv"),
        format!("{stem}_events.csv"),
        format!("{stem}.events.csv"),
    ];
    if stem.contains("strips") {
        names.push(format!("{}.csv", stem.replace("strips", "events")));
    }
    names.into_iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// Reads a CSV file as detected (`plan: None`) or as the person chose.
pub fn read(bytes: &[u8], file: &str, path: Option<&Path>, plan: Option<&CsvPlan>) -> Parsed {
    let plan = match plan {
        Some(plan) => plan.clone(),
        None => match preview(bytes, file, path) {
            Ok(p) => {
                if let Some(problem) = p.problem
                    && p.plan.kind != TableKind::PistasEvents
                {
                    return fatal(file, &Origin::line(1), problem);
                }
                p.plan
            }
            Err(parsed) => return *parsed,
        },
    };
    let text = match text_of(bytes, file, plan.encoding) {
        Ok(t) => t,
        Err(parsed) => return *parsed,
    };
    let mut collection = Collection::new(file);
    collection.reserve(bytes.len() + bytes.len() / 4);
    match plan.kind {
        TableKind::PistasEvents => {
            let events = event_rows(&text, file, &plan, &mut collection);
            collection.set_events(events);
        }
        _ => {
            // The histories first, so each strip is written whole as it is read.
            if let Some(events_path) = &plan.events {
                read_events_file(events_path, &mut collection);
            }
            rows(&text, &plan, &mut collection);
        }
    }
    collection.finish()
}

/// Pistas' events CSV beside a strips CSV, for the strips to come.
fn read_events_file(path: &Path, collection: &mut Collection) {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            collection.problem(
                Severity::Error,
                &Origin::default(),
                None,
                format!("the events file {name} cannot be read: {e}"),
            );
            return;
        }
    };
    let encoding = TextEncoding::detect(&bytes);
    match text_of(&bytes, &name, encoding) {
        Ok(text) => {
            let delimiter = sniff_delimiter(&text, false);
            let plan = CsvPlan {
                encoding,
                delimiter,
                decimal_comma: delimiter != b',',
                locations: Locations::None,
                id: None,
                name: None,
                kind: TableKind::PistasEvents,
                events: None,
            };
            let events = event_rows(&text, &name, &plan, collection);
            collection.set_events(events);
        }
        Err(parsed) => {
            for d in parsed.diagnostics {
                collection.problem(Severity::Error, &Origin::default(), None, d.to_string());
            }
        }
    }
}

/// The table's header, and a reader positioned at its first row.
fn reader_of<'t>(text: &'t str, plan: &CsvPlan) -> (Vec<String>, ::csv::Reader<&'t [u8]>) {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(plan.delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map(clean_headers).unwrap_or_default();
    (headers, reader)
}

/// Calls `each` with every row that has a cell (and the line it starts on). Text decoded
/// to a string splits into records without error.
fn each_record(
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
struct Lines<'t> {
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

fn string_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    json_string_into(&mut out, text);
    out
}

/// Reads a coordinate cell: a number (with a decimal comma where the file uses them) or
/// degrees-minutes-seconds.
fn coordinate(cell: &str, decimal_comma: bool) -> Result<(f64, Option<Hemisphere>), String> {
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
fn location(cells: &(impl Cells + ?Sized), plan: &CsvPlan) -> Result<Option<String>, String> {
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

fn short(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

fn point(lon: f64, lat: f64) -> String {
    format!(
        "{{\"type\":\"Point\",\"coordinates\":[{},{}]}}",
        value::float_json(lon),
        value::float_json(lat)
    )
}

/// The cells of a row, however they are held.
trait Cells {
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
struct RowMaker<'a> {
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
fn rows(text: &str, plan: &CsvPlan, collection: &mut Collection) {
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
    let parts: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|&(begin, end)| {
                let (maker, lines) = (&maker, &lines);
                scope.spawn(move || {
                    let mut part = Part::default();
                    part.text.reserve((end - begin) + (end - begin) / 4);
                    let mut reader = ::csv::ReaderBuilder::new()
                        .delimiter(plan.delimiter)
                        .flexible(true)
                        .has_headers(false)
                        .from_reader(&text.as_bytes()[begin..end]);
                    each_record(&mut reader, lines, begin, |line, cells| {
                        let (row, warnings) = maker.make(line, cells);
                        part.push(row, warnings);
                    });
                    part
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    for part in parts {
        collection.append(part);
    }
}

/// The rows of Pistas' events CSV.
fn event_rows(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_separator_and_the_columns() {
        let p = preview(
            b"Nombre;Latitud;Longitud\nPista 1;-12,35;-73,95\n",
            "a.csv",
            None,
        )
        .unwrap();
        assert_eq!(p.plan.delimiter, b';');
        assert!(p.plan.decimal_comma);
        assert_eq!(p.plan.locations, Locations::LonLat { lon: 2, lat: 1 });
        let p = preview(b"id,name,WKT\n1,a,POINT (1 2)\n", "a.csv", None).unwrap();
        assert_eq!(p.plan.locations, Locations::Wkt(2));
        assert_eq!(p.plan.id, Some(0));
        let p = preview(b"x\ty\tnome\n1\t2\ta\n", "a.tsv", None).unwrap();
        assert_eq!(p.plan.delimiter, b'\t');
        let p = preview(
            "Nombre,Coordenadas\nUno,\"12°21'05\"\"S 73°57'10\"\"W\"\n".as_bytes(),
            "a.csv",
            None,
        )
        .unwrap();
        assert_eq!(p.plan.locations, Locations::Pair(1));
        let p = preview(b"a,b\n1,2\n", "a.csv", None).unwrap();
        assert!(p.problem.unwrap().contains("\"a\", \"b\""));
    }

    #[test]
    fn reads_excel_in_spanish() {
        let text = "Código;Nombre;Latitud;Longitud;Largo (m)\n007;Pista Ñuñoa;12°21'05\"S;73°57'10\"O;1200,5\n008;Otra;-12,4;-73,9;\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let parsed = read(&bytes, "pistas.csv", None, None);
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        let f = &parsed.document.features[0];
        assert_eq!(f.id.as_str(), "007");
        assert_eq!(f.name(), Some("Pista Ñuñoa"));
        assert_eq!(f.property("Largo (m)").unwrap().get(), "1200.5");
        let g = f.geometry.as_ref().unwrap().shape();
        let geo::Geometry::Point(p) = g else {
            panic!("a point")
        };
        assert!((p.y() + 12.351_389).abs() < 1e-6 && (p.x() + 73.952_778).abs() < 1e-6);
        assert_eq!(
            parsed.document.features[1]
                .property("Largo (m)")
                .unwrap()
                .get(),
            "null"
        );
    }

    #[test]
    fn a_bad_row_is_kept_and_named() {
        let parsed = read(
            b"name,lat,lon\na,-12.3,-73.9\nb,north,-73.9\nc,95,10\n",
            "s.csv",
            None,
            None,
        );
        assert_eq!(parsed.document.features.len(), 3);
        let lines: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("s.csv:3:") && l.contains("\"north\"")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("s.csv:4:") && l.contains("±90")),
            "{lines:?}"
        );
        assert!(parsed.document.features[1].geometry.is_none());
    }

    #[test]
    fn lines_are_right_with_crlf_and_blank_lines() {
        let parsed = read(
            b"name,lat,lon\r\na,1,2\r\n\r\nb,north,2\r\n",
            "c.csv",
            None,
            None,
        );
        let d = parsed
            .diagnostics
            .iter()
            .find(|d| d.message.contains("north"))
            .expect("reported");
        assert_eq!(d.line, Some(4), "{d}");
    }

    #[test]
    fn a_runway_length_is_not_a_longitude() {
        let p = preview(
            "Longitud de pista (m);Latitud (S);Longitud (O);notas\n1200;-12,3;-73,9;Point (a note)\n".as_bytes(),
            "a.csv",
            None,
        )
        .unwrap();
        assert_eq!(p.plan.locations, Locations::LonLat { lon: 2, lat: 1 });
        let p = preview(b"geometry,lat,lon\n,-12.3,-73.9\n", "a.csv", None).unwrap();
        assert_eq!(p.plan.locations, Locations::LonLat { lon: 2, lat: 1 });
    }

    #[test]
    fn no_coordinates_is_said() {
        let parsed = read(b"a;b\n1;2\n", "t.csv", None, None);
        assert!(parsed.fatal);
        assert!(
            parsed.diagnostics[0]
                .to_string()
                .starts_with("t.csv:1: error: no coordinate columns")
        );
    }
}
