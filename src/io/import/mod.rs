//! The files researchers bring besides GeoJSON: CSV/TSV, KML/KMZ, GeoPackage and
//! FlatGeobuf. Each reader turns its rows into GeoJSON features ([`collect`]) that the
//! GeoJSON reader interprets, so the profile's rules live in one place, a strip read from a
//! spreadsheet means what it would in GeoJSON, and a problem names the file and the row,
//! element or table it is in.

mod collect;
pub(crate) mod crs;
pub mod csv;
mod fgb;
pub mod gpkg;
mod kml;
pub(crate) mod own;
mod value;
mod wkb;

use std::path::Path;

use geo::BoundingRect;

use crate::io::read::{Parsed, ReadFileError};

/// A box in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Bbox {
    /// Reads `minlon,minlat,maxlon,maxlat`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<f64> = text
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| format!("\"{text}\" is not minlon,minlat,maxlon,maxlat"))?;
        match parts.as_slice() {
            [a, b, c, d] if a <= c && b <= d => Ok(Bbox {
                min_x: *a,
                min_y: *b,
                max_x: *c,
                max_y: *d,
            }),
            _ => Err(format!(
                "\"{text}\" is not minlon,minlat,maxlon,maxlat with min below max"
            )),
        }
    }

    /// True when the shape's bounding box meets this box.
    pub fn touches(&self, shape: &geo::Geometry<f64>) -> bool {
        shape.bounding_rect().is_some_and(|r| {
            r.min().x <= self.max_x
                && r.max().x >= self.min_x
                && r.min().y <= self.max_y
                && r.max().y >= self.min_y
        })
    }
}

/// The formats Pistas reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    GeoJson,
    Csv,
    Kml,
    Kmz,
    GeoPackage,
    FlatGeobuf,
}

/// File extensions Pistas opens, for file dialogs.
pub const EXTENSIONS: [&str; 10] = [
    "geojson", "json", "csv", "tsv", "txt", "kml", "kmz", "gpkg", "fgb", "pistas",
];

impl InputFormat {
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::GeoJson => "GeoJSON",
            InputFormat::Csv => "CSV",
            InputFormat::Kml => "KML",
            InputFormat::Kmz => "KMZ",
            InputFormat::GeoPackage => "GeoPackage",
            InputFormat::FlatGeobuf => "FlatGeobuf",
        }
    }

    /// The format of a file from its first bytes, else its extension; GeoJSON otherwise
    /// (its reader says what is wrong).
    pub fn detect(path: &Path, head: &[u8]) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .unwrap_or_default();
        if head.starts_with(b"SQLite format 3\0") {
            return InputFormat::GeoPackage;
        }
        if head.len() >= 4 && &head[..3] == b"fgb" && head[3] == 3 {
            return InputFormat::FlatGeobuf;
        }
        if head.starts_with(b"PK\x03\x04") && ext != "geojson" && ext != "json" {
            return InputFormat::Kmz;
        }
        let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let first = text.iter().find(|b| !b.is_ascii_whitespace()).copied();
        match (first, ext.as_str()) {
            (Some(b'<'), _) => InputFormat::Kml,
            (Some(b'{' | b'['), "csv" | "tsv" | "txt") => InputFormat::Csv,
            (Some(b'{' | b'['), _) => InputFormat::GeoJson,
            (_, "csv" | "tsv" | "tab" | "txt") => InputFormat::Csv,
            (_, "kml") => InputFormat::Kml,
            (_, "kmz") => InputFormat::Kmz,
            (_, "gpkg") => InputFormat::GeoPackage,
            (_, "fgb") => InputFormat::FlatGeobuf,
            _ => InputFormat::GeoJson,
        }
    }

    /// The format of a file on disk.
    pub fn of_file(path: &Path) -> Self {
        use std::io::Read as _;
        let mut head = [0u8; 64];
        let n = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        Self::detect(path, &head[..n])
    }
}

/// Choices for reading a file that are not in it.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The GeoPackage layer to read.
    pub layer: Option<String>,
    /// How to read a CSV file, as the person confirmed it; detected when `None`.
    pub csv: Option<csv::CsvPlan>,
    /// Only features whose box meets this one (FlatGeobuf through its index).
    pub bbox: Option<Bbox>,
    /// Also work out each GeoJSON feature's facts as it is read (`Parsed::facts`): the
    /// window's open, which needs them, then reads each feature once.
    pub facts: bool,
}

/// Reads a file of any format Pistas knows. `Err` only when the file cannot be opened.
pub fn read_file(path: &Path, options: &ImportOptions) -> Result<Parsed, ReadFileError> {
    let name = path.display().to_string();
    let format = InputFormat::of_file(path);
    if format == InputFormat::GeoPackage {
        if let Err(source) = std::fs::metadata(path) {
            return Err(ReadFileError { path: name, source });
        }
        return Ok(guarded(&name, || {
            gpkg::read(path, &name, options.layer.as_deref(), options.bbox)
        }));
    }
    let bytes = std::fs::read(path).map_err(|source| ReadFileError {
        path: name.clone(),
        source,
    })?;
    Ok(read_bytes_as(bytes, &name, Some(path), format, options))
}

/// Reads the bytes of a file in `format` (all but GeoPackage, which SQLite reads from its
/// path).
pub fn read_bytes_as(
    bytes: Vec<u8>,
    name: &str,
    path: Option<&Path>,
    format: InputFormat,
    options: &ImportOptions,
) -> Parsed {
    read_bytes_as_reporting(bytes, name, path, format, options, &|_, _| {})
}

/// [`read_bytes_as`], telling `progress` how the interpretation of a GeoJSON file's
/// features goes (the other formats do not tell).
///
/// The bytes are given away: a GeoJSON file's text becomes its features' shared text
/// without a copy (see `io::read_owned`).
pub fn read_bytes_as_reporting(
    bytes: Vec<u8>,
    name: &str,
    path: Option<&Path>,
    format: InputFormat,
    options: &ImportOptions,
    progress: crate::io::read::Progress,
) -> Parsed {
    guarded(name, || {
        read_format(bytes, name, path, format, options, progress)
    })
}

/// A fault in a reader of another program's format (a crate that panics on a damaged
/// file) is reported as the file's problem; it never takes the window down.
fn guarded(name: &str, read: impl FnOnce() -> Parsed) -> Parsed {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
        Ok(parsed) => parsed,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            collect::fatal(
                name,
                &collect::Origin::default(),
                format!("the file is damaged: Pistas could not read it ({why})"),
            )
        }
    }
}

fn read_format(
    bytes: Vec<u8>,
    name: &str,
    path: Option<&Path>,
    format: InputFormat,
    options: &ImportOptions,
    progress: crate::io::read::Progress,
) -> Parsed {
    let parsed = match format {
        InputFormat::GeoJson if options.facts => {
            crate::io::read::read_owned_with_facts(bytes, name, progress)
        }
        InputFormat::GeoJson => crate::io::read::read_owned(bytes, name, progress),
        InputFormat::Csv => csv::read(&bytes, name, path, options.csv.as_ref()),
        InputFormat::Kml => kml::read(&bytes, name),
        InputFormat::Kmz => kml::read_kmz(&bytes, name),
        InputFormat::FlatGeobuf => return fgb::read(&bytes, name, options.bbox),
        InputFormat::GeoPackage => match path {
            Some(p) => gpkg::read(p, name, options.layer.as_deref(), options.bbox),
            None => collect::fatal(
                name,
                &collect::Origin::default(),
                "a GeoPackage is read from its file".to_owned(),
            ),
        },
    };
    filtered(parsed, options.bbox)
}

/// Keeps the features whose geometry meets `bbox`.
fn filtered(mut parsed: Parsed, bbox: Option<Bbox>) -> Parsed {
    if let Some(b) = bbox {
        parsed
            .document
            .retain(|f| f.geometry().is_some_and(|g| b.touches(g.shape())));
        parsed.diagnostics.retain(|d| d.feature_index.is_none());
    }
    parsed
}
