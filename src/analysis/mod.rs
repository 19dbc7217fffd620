//! Measures and statistics over documents. No window code here.

mod index;
mod measure;
mod stats;
mod summary;

pub use index::SpatialIndex;
pub use measure::{distance_m, representative_point, runway_heading_deg, runway_length_m};
pub use stats::{DaysToRebuild, OperationStats, Rebuilt, Stats, median, quantile};
pub use summary::StripSummary;
