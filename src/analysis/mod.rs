//! Measures and statistics over documents. No window code here.

mod index;
mod measure;
mod stats;
mod summary;

pub use index::SpatialIndex;
mod filter;
mod histogram;
mod imagery;
mod names;
mod nearest;
pub use filter::{FactBook, Facts, Filter, Ring};
pub use histogram::{DayCounts, TypeCounts, type_slot};
pub use imagery::{ImageryIndex, Placed, image_at};
pub use measure::{distance_m, representative_point, runway_heading_deg, runway_length_m};
pub use names::{fold, name_key, name_similarity, natural_cmp};
pub use nearest::{Nearest, path_length_and_area};
pub use stats::{DaysToRebuild, OperationStats, Rebuilt, Stats, median, quantile, stats_csv};
pub use summary::StripSummary;
