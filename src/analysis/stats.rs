//! Statistics over a document's strips: status counts, destructions and rebuilds by year
//! and operation, and how fast strips come back.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::{Document, EventType, Status};

use super::StripSummary;

/// Destructions under one operation, and how many of them were followed by a rebuild.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationStats {
    pub operation: String,
    pub destructions: usize,
    pub rebuilt_after: usize,
    /// Share of the destructions followed by a rebuild, from 0 to 1.
    pub share_rebuilt: f64,
}

/// One strip among the most rebuilt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rebuilt {
    pub id: String,
    pub name: String,
    pub times_rebuilt: usize,
    pub times_destroyed: usize,
}

/// Summary statistics of the days from a destruction to the next rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DaysToRebuild {
    pub count: usize,
    pub min: i64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: i64,
    pub mean: f64,
}

/// Statistics of a document at a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub at: NaiveDate,
    pub strips: usize,
    /// Strips by status at `at`, in the order of `Status::ALL`.
    pub by_status: Vec<(Status, usize)>,
    /// Destructions and rebuilds per year (of each event's earliest day).
    pub per_year: BTreeMap<i32, (usize, usize)>,
    /// Per operation named on destruction events, most destructions first.
    pub per_operation: Vec<OperationStats>,
    pub days_to_rebuild: Option<DaysToRebuild>,
    /// Every interval in days, sorted, for histograms.
    pub rebuild_days: Vec<i64>,
    /// The strips rebuilt most often, most first (at most `top`).
    pub most_rebuilt: Vec<Rebuilt>,
}

/// The middle value of sorted numbers (mean of the two middle ones for an even count).
pub fn median(sorted: &[i64]) -> Option<f64> {
    quantile(sorted, 0.5)
}

/// A quantile of sorted numbers by linear interpolation between closest ranks.
pub fn quantile(sorted: &[i64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = q.clamp(0.0, 1.0) * last as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    let frac = rank - lo as f64;
    Some(sorted[lo] as f64 + (sorted[hi] - sorted[lo]) as f64 * frac)
}

const NO_OPERATION: &str = "(no operation named)";

impl Stats {
    /// Computes the statistics of `doc`'s strips with statuses at `at`.
    pub fn of(doc: &Document, at: NaiveDate, top: usize) -> Self {
        let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
        let mut per_year: BTreeMap<i32, (usize, usize)> = BTreeMap::new();
        let mut operations: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut rebuild_days = Vec::new();
        let mut rebuilt = Vec::new();
        let mut strips = 0;
        for feature in doc.strips() {
            strips += 1;
            let summary = StripSummary::of(feature, at);
            *by_status.entry(summary.status).or_default() += 1;
            let events = feature.events();
            for event in events {
                let year = per_year.entry(event.date.start().year()).or_default();
                match event.kind {
                    EventType::Destroyed => year.0 += 1,
                    EventType::Rebuilt => year.1 += 1,
                    _ => {}
                }
            }
            for (i, event) in events.iter().enumerate() {
                if event.kind != EventType::Destroyed {
                    continue;
                }
                let name = event
                    .operation
                    .clone()
                    .unwrap_or_else(|| NO_OPERATION.to_owned());
                let entry = operations.entry(name).or_default();
                entry.0 += 1;
                if summary.history.rebuilds.iter().any(|r| r.destroyed == i) {
                    entry.1 += 1;
                }
            }
            rebuild_days.extend(summary.history.rebuilds.iter().map(|r| r.days));
            if summary.history.times_rebuilt > 0 {
                rebuilt.push(Rebuilt {
                    id: feature.id.as_str().to_owned(),
                    name: feature.label().to_owned(),
                    times_rebuilt: summary.history.times_rebuilt,
                    times_destroyed: summary.history.times_destroyed,
                });
            }
        }
        rebuild_days.sort_unstable();
        let days_to_rebuild = (!rebuild_days.is_empty()).then(|| DaysToRebuild {
            count: rebuild_days.len(),
            min: rebuild_days[0],
            q1: quantile(&rebuild_days, 0.25).unwrap_or(0.0),
            median: quantile(&rebuild_days, 0.5).unwrap_or(0.0),
            q3: quantile(&rebuild_days, 0.75).unwrap_or(0.0),
            max: rebuild_days[rebuild_days.len() - 1],
            mean: rebuild_days.iter().sum::<i64>() as f64 / rebuild_days.len() as f64,
        });
        let mut per_operation: Vec<OperationStats> = operations
            .into_iter()
            .map(
                |(operation, (destructions, rebuilt_after))| OperationStats {
                    operation,
                    destructions,
                    rebuilt_after,
                    share_rebuilt: rebuilt_after as f64 / destructions as f64,
                },
            )
            .collect();
        per_operation.sort_by_key(|op| std::cmp::Reverse(op.destructions));
        // Most rebuilt first; ties by id so the list is stable.
        rebuilt.sort_by(|a, b| {
            b.times_rebuilt
                .cmp(&a.times_rebuilt)
                .then_with(|| a.id.cmp(&b.id))
        });
        rebuilt.truncate(top);
        Stats {
            at,
            strips,
            by_status: Status::ALL
                .iter()
                .map(|s| (*s, by_status.get(s).copied().unwrap_or(0)))
                .collect(),
            per_year,
            per_operation,
            days_to_rebuild,
            rebuild_days,
            most_rebuilt: rebuilt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let days = [2, 4, 6, 8, 100];
        assert_eq!(median(&days), Some(6.0));
        assert_eq!(quantile(&days, 0.25), Some(4.0));
        assert_eq!(median(&[1, 2]), Some(1.5));
        assert_eq!(median(&[]), None);
    }
}
