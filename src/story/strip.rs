//! What a story says of one strip, worked out once from the document: where it is (with
//! department, nearest town and aerodrome), its status at the date and its steps over time,
//! its history with sources and archived copies, its evidence, and the days to each rebuild.

use chrono::NaiveDate;

use crate::analysis::StripSummary;
use crate::edit::format_dms;
use crate::geodata::places;
use crate::model::{Event, Evidence, Feature, History, Source, Status, StatusTimeline};

/// A source as a story shows it.
#[derive(Debug, Clone)]
pub struct SourceLine {
    pub label: String,
    pub url: Option<String>,
    /// Archived copies: SHA-256 and capture date.
    pub archived: Vec<(String, Option<String>)>,
}

/// One event of the history, in date order.
#[derive(Debug, Clone)]
pub struct EventLine {
    pub date: String,
    pub event: Event,
    pub sources: Vec<SourceLine>,
}

/// One strip, ready to be written.
#[derive(Debug, Clone)]
pub struct StripStory {
    pub id: String,
    pub name: String,
    pub shape: Option<geo::Geometry<f64>>,
    pub lon_lat: Option<(f64, f64)>,
    pub dms: Option<String>,
    pub department: Option<String>,
    /// Name and distance in km.
    pub town: Option<(String, f64)>,
    pub aerodrome: Option<(String, f64)>,
    pub status: Status,
    /// From each day on, the status (the one rule of `model::status`).
    pub steps: Vec<(NaiveDate, Status)>,
    pub events: Vec<EventLine>,
    pub evidence: Vec<(usize, Evidence)>,
    /// Days, and the date of the destruction each rebuild followed.
    pub rebuilds: Vec<(String, String)>,
    /// The days of each rebuild, for statistics.
    pub rebuild_days: Vec<i64>,
    pub times_destroyed: usize,
    pub times_rebuilt: usize,
}

fn source_line(source: &Source) -> SourceLine {
    match source {
        Source::Text(t) => SourceLine {
            label: t.clone(),
            url: None,
            archived: Vec::new(),
        },
        Source::Reference(r) => SourceLine {
            label: source.label().to_owned(),
            url: r.url().value(),
            archived: r
                .evidence()
                .iter()
                .map(|e| (e.sha256(), e.captured().map(|d| d.to_string())))
                .collect(),
        },
    }
}

impl StripStory {
    pub fn of(feature: &Feature, at: NaiveDate) -> StripStory {
        let feature: &Feature = &feature.decoded();
        let shape = feature.geometry().map(|g| g.shape().clone());
        let lon_lat = shape
            .as_ref()
            .and_then(crate::analysis::representative_point)
            .map(|p| (p.x(), p.y()));
        let context = places();
        let km = |(name, m): (String, f64)| (name, m / 1000.0);
        let events = feature.events();
        let history = History::of(events);
        let summary = StripSummary::of(feature, at);
        let timeline = StatusTimeline::of(events, history.order());
        let lines = history
            .order()
            .iter()
            .map(|&i| EventLine {
                date: events[i].date().to_string(),
                event: events[i].clone(),
                sources: events[i].sources().iter().map(source_line).collect(),
            })
            .collect();
        let evidence = history
            .order()
            .iter()
            .flat_map(|&i| events[i].evidence().iter().map(move |e| (i, e.clone())))
            .collect();
        let rebuilds = history
            .rebuilds()
            .iter()
            .map(|r| {
                let days = if r.fuzzy() {
                    format!("≈{} ({}–{})", r.days(), r.min_days(), r.max_days())
                } else {
                    r.days().to_string()
                };
                (days, events[r.destroyed()].date().to_string())
            })
            .collect();
        StripStory {
            id: feature.id().as_str().to_owned(),
            name: feature.label().to_owned(),
            dms: lon_lat.map(|(lon, lat)| format_dms(lon, lat)),
            department: lon_lat
                .and_then(|(lon, lat)| context.department(lon, lat))
                .map(str::to_owned),
            town: lon_lat
                .and_then(|(lon, lat)| context.nearest_town(lon, lat))
                .map(|(name, m)| km((name.to_owned(), m))),
            aerodrome: lon_lat
                .and_then(|(lon, lat)| context.nearest_aerodrome(lon, lat))
                .map(km),
            shape,
            lon_lat,
            status: summary.status,
            steps: timeline.steps().iter().map(|(d, s, _)| (*d, *s)).collect(),
            events: lines,
            evidence,
            rebuild_days: history.rebuilds().iter().map(|r| r.days()).collect(),
            rebuilds,
            times_destroyed: history.times_destroyed(),
            times_rebuilt: history.times_rebuilt(),
        }
    }
}
