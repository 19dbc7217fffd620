//! How a spreadsheet is read: its encoding, delimiter, location columns and kind, as
//! detected and as the person corrects them in the preview.

use std::borrow::Cow;
use std::path::PathBuf;

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
