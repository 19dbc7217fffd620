//! The data model: strips with dated histories, and the documents that hold them.
//!
//! Nothing here knows about windows or files; `io` reads and writes it, `app` shows it.

mod date;
mod document;
mod event;
mod evidence;
mod feature;
mod history;
mod members;
mod status;
pub mod synthetic;

pub use date::{DateError, FuzzyDate, Precision, Qualifier};
pub use document::{Document, IdChange, IdTaken};
pub use event::{Confidence, Event, EventType, Reference, Source};
pub use evidence::{Evidence, EvidenceError, check_path, is_sha256};
pub use feature::{
    DERIVED_PROPERTIES, Feature, FeatureId, Geometry, GeometryKind, IdOrigin, JsonNumber, free_name,
};
pub(crate) use feature::{EventsPart, FeatureParts, SharedText, Span};
pub use history::{History, RebuildInterval};
pub use members::{
    Extra, Field, Foreign, Unknown, Unread, decode_str, extra_eq, json_null, json_string,
};
pub use status::{Status, StatusTimeline, chronological, status_at, statuses_after};
