//! What an import is asked for: the file's format (from its name) and the options, among
//! them a box to keep.

use std::path::Path;

use geo::BoundingRect;

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
    pub csv: Option<super::csv::CsvPlan>,
    /// Only features whose box meets this one (FlatGeobuf through its index).
    pub bbox: Option<Bbox>,
    /// Also work out each GeoJSON feature's facts as it is read (`Parsed::facts`): the
    /// window's open, which needs them, then reads each feature once.
    pub facts: bool,
}
