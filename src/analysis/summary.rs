//! The derived summary of a strip, as the profile writes it next to its events.

use chrono::NaiveDate;

use super::measure::{runway_heading_deg, runway_length_m};
use crate::model::{Feature, History, Status};

/// What the profile derives from one strip: recomputed on every load, never trusted.
#[derive(Debug, Clone, PartialEq)]
pub struct StripSummary {
    pub history: History,
    /// Status at the date the summary was made for.
    pub status: Status,
    /// True when that status rests on an approximate or uncertain date.
    pub status_fuzzy: bool,
    pub runway_length_m: Option<f64>,
    pub runway_heading_deg: Option<f64>,
}

impl StripSummary {
    /// The summary of `feature`, with its status as of `day`.
    pub fn of(feature: &Feature, day: NaiveDate) -> Self {
        let feature: &Feature = &feature.decoded();
        let events = feature.events();
        let history = History::of(events);
        let (status, status_fuzzy) = history.status_at(events, day);
        let line = match feature.geometry().map(|g| g.shape()) {
            Some(geo::Geometry::LineString(line)) => Some(line),
            _ => None,
        };
        StripSummary {
            status,
            status_fuzzy,
            runway_length_m: line.map(runway_length_m),
            runway_heading_deg: line.and_then(runway_heading_deg),
            history,
        }
    }
}
