//! Spreadsheets with coordinates: CSV and TSV in the encodings and separators people's
//! programs write (UTF-8 with or without a byte-order mark, UTF-16 from Excel's "Unicode
//! text", Windows-1252 from Excel in Spanish, `;` with decimal commas), with longitude and
//! latitude columns named in English, Spanish or Portuguese, a WKT column, or one column of
//! both coordinates; decimal degrees or degrees-minutes-seconds. Pistas' own strips and
//! events CSV read back into the same strips and histories.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::collect::{Collection, fatal};
use super::origin::Origin;
use super::own::{self};
use crate::edit::coords::parse_coordinates;
use crate::io::diagnostic::Severity;
use crate::io::read::Parsed;

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
    // The one accent folding (search and merge use it too), then words of letters and
    // digits.
    let plain: String = crate::analysis::fold(header)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
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

/// The text of a file, or why it is not text.
fn text_of<'b>(
    bytes: &'b [u8],
    file: &str,
    encoding: TextEncoding,
) -> Result<Cow<'b, str>, Box<Parsed>> {
    encoding.decode(bytes).map_err(|at| {
        let start = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let good = std::str::from_utf8(&bytes[start..at]).unwrap_or("");
        let (line, column) = crate::io::diagnostic::LineIndex::new(good).line_col(good.len());
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
    detect(&mut plan, &headers, &rows, &mut problem);
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
    rows: &[Vec<String>],
    problem: &mut Option<String>,
) {
    let first = rows.first().map(Vec::as_slice);
    // A column whose values in the preview are all there and all different: an id, not a
    // shared code ("Código UBIGEO", "country_code", "parent_id" repeat across rows).
    let unique = |column: usize| {
        let mut seen = std::collections::HashSet::new();
        rows.iter().all(|r| {
            r.get(column)
                .map(|v| v.trim())
                .is_some_and(|v| !v.is_empty() && seen.insert(v.to_owned()))
        })
    };
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
            ])
            // Else a header with one of those as a word: "Airstrip ID", "ID pista",
            // "strip_id", "Código de pista" ("width" and "provider" have no such word).
            .or_else(|| {
                (0..headers.len()).find(|&i| {
                    words(&headers[i]).iter().any(|w| {
                        ["id", "codigo", "code", "identificador", "identifier"]
                            .contains(&w.as_str())
                    }) && unique(i)
                })
            }),
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

mod plan;

pub use plan::{CsvPlan, CsvPreview, Locations, TableKind, TextEncoding};
mod rows;
#[cfg(test)]
mod tests;

use rows::{clean_headers, coordinate, event_rows, rows};
