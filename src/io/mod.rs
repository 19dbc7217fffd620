//! Files in and out: GeoJSON in the Pistas profile, diagnostics, exports, atomic saving.

mod diagnostic;
pub mod evidence;
mod geometry;
pub mod import;
mod interpret;
mod invariants;
pub mod journal;
mod project;
pub mod publication;
pub(crate) mod raw;
pub(crate) mod read;
mod scan;

pub use diagnostic::{Diagnostic, LineIndex, Locator, Severity};
pub use geometry::{GeometryError, parse_geometry};
pub use import::{ImportOptions, InputFormat, read_file};
pub use interpret::interpret_event;
pub use invariants::check_read_write;
pub use project::{
    PROJECT_EXTENSION, Project, ProjectContext, ProjectFilter, ProjectLayer, ProjectView,
    relative_to,
};
pub use read::{
    Parsed, Progress, ReadFileError, read_bytes, read_bytes_reporting, read_owned,
    read_owned_with_facts, read_path, read_str, read_str_with_threads,
};
mod save;
mod write;

pub use save::{SaveError, save_atomic, save_atomic_parts};
pub use write::{WriteOptions, write_geojson, write_geojson_parts};
pub(crate) use write::{
    evidence_json, sources_json, string as json_string_into, write_geometry, write_shape,
};
mod export;

pub use export::{
    ExportError, Format, events_csv, events_geojson, export, kml, round_coordinates, strips_csv,
};
