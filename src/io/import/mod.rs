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
mod options;
pub(crate) mod origin;
pub(crate) mod own;
mod value;
mod wkb;

pub use options::{Bbox, EXTENSIONS, ImportOptions, InputFormat};

use std::path::Path;

use crate::io::read::{Parsed, ReadFileError};

/// Reads a file of any format Pistas knows. `Err` only when the file cannot be opened.
pub fn read_file(path: &Path, options: &ImportOptions) -> Result<Parsed, ReadFileError> {
    let name = path.display().to_string();
    let format = InputFormat::of_file(path);
    if format == InputFormat::GeoPackage {
        if let Err(source) = std::fs::metadata(path) {
            return Err(ReadFileError { path: name, source });
        }
        let parsed = guarded(&name, || {
            gpkg::read(path, &name, options.layer.as_deref(), options.bbox)
        });
        return Ok(logged(&name, format, parsed));
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
    let parsed = guarded(name, || {
        read_format(bytes, name, path, format, options, progress)
    });
    logged(name, format, parsed)
}

/// Says in the log what reading a file gave.
fn logged(name: &str, format: InputFormat, parsed: Parsed) -> Parsed {
    log::info!(
        "read {name} ({format:?}): {} features, {} errors, {} warnings",
        parsed.document.features().len(),
        parsed.error_count(),
        parsed.warning_count()
    );
    parsed
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
                &origin::Origin::default(),
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
                &origin::Origin::default(),
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
