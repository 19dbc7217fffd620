//! The data model: strips with dated histories, and the documents that hold them.
//!
//! Nothing here knows about windows or files; `io` reads and writes it, `app` shows it.

mod date;
mod document;
mod event;
mod feature;
mod history;
mod status;
pub mod synthetic;

pub use date::{DateError, FuzzyDate, Precision, Qualifier};
pub use document::{Document, IdChange};
pub use event::{Confidence, Event, EventType, Extra, Reference, Source, extra_eq};
pub use feature::{
    DERIVED_PROPERTIES, Feature, FeatureId, Geometry, GeometryKind, json_null, json_string,
};
pub use history::{History, RebuildInterval};
pub use status::{Status, StatusTimeline, chronological, status_at, statuses_after};
