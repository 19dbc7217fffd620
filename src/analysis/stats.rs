//! Statistics over a document's strips: status counts, destructions and rebuilds by year
//! and operation, and how fast strips come back.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::{Document, EventType, Status};

use super::summary::StripSummary;

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
    /// Destructions and rebuilds per month, keyed `YYYY-MM` (of each event's earliest day).
    pub per_month: BTreeMap<String, (usize, usize)>,
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
        Self::of_features(doc.strips(), at, top)
    }

    /// The statistics of some features (the strips among them), e.g. a filtered set.
    pub fn of_features<'a>(
        features: impl Iterator<Item = &'a crate::model::Feature>,
        at: NaiveDate,
        top: usize,
    ) -> Self {
        let mut per_month: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut by_status: BTreeMap<Status, usize> = BTreeMap::new();
        let mut per_year: BTreeMap<i32, (usize, usize)> = BTreeMap::new();
        let mut operations: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut rebuild_days = Vec::new();
        let mut rebuilt = Vec::new();
        let mut strips = 0;
        for feature in features.filter(|f| f.is_strip()) {
            strips += 1;
            let summary = StripSummary::of(feature, at);
            *by_status.entry(summary.status).or_default() += 1;
            count_by_date(feature, &mut per_year, &mut per_month);
            count_operations(feature, &summary, &mut operations);
            rebuild_days.extend(summary.history.rebuilds().iter().map(|r| r.days()));
            if summary.history.times_rebuilt() > 0 {
                rebuilt.push(Rebuilt {
                    id: feature.id().as_str().to_owned(),
                    name: feature.label().to_owned(),
                    times_rebuilt: summary.history.times_rebuilt(),
                    times_destroyed: summary.history.times_destroyed(),
                });
            }
        }
        rebuild_days.sort_unstable();
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
            per_month,
            per_operation: per_operation(operations),
            days_to_rebuild: days_to_rebuild(&rebuild_days),
            rebuild_days,
            most_rebuilt: rebuilt,
        }
    }
}

/// Adds a strip's destructions and rebuilds to the counts per year and per month (of each
/// event's earliest day).
fn count_by_date(
    feature: &crate::model::Feature,
    per_year: &mut BTreeMap<i32, (usize, usize)>,
    per_month: &mut BTreeMap<String, (usize, usize)>,
) {
    for event in feature.events() {
        let start = event.date().start();
        let year = per_year.entry(start.year()).or_default();
        let month = per_month
            .entry(format!("{:04}-{:02}", start.year(), start.month()))
            .or_default();
        match event.kind() {
            EventType::Destroyed => {
                year.0 += 1;
                month.0 += 1;
            }
            EventType::Rebuilt => {
                year.1 += 1;
                month.1 += 1;
            }
            _ => {}
        }
    }
}

/// Adds a strip's destructions to the counts per operation: destructions, and those followed
/// by a rebuild.
fn count_operations(
    feature: &crate::model::Feature,
    summary: &StripSummary,
    operations: &mut BTreeMap<String, (usize, usize)>,
) {
    for (i, event) in feature.events().iter().enumerate() {
        if event.kind() != EventType::Destroyed {
            continue;
        }
        let name = event
            .operation()
            .value()
            .unwrap_or_else(|| NO_OPERATION.to_owned());
        let entry = operations.entry(name).or_default();
        entry.0 += 1;
        if summary
            .history
            .rebuilds()
            .iter()
            .any(|r| r.destroyed() == i)
        {
            entry.1 += 1;
        }
    }
}

/// The counts per operation as statistics, most destructions first.
fn per_operation(operations: BTreeMap<String, (usize, usize)>) -> Vec<OperationStats> {
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
    per_operation
}

/// Summary statistics of sorted intervals in days (none for no intervals).
fn days_to_rebuild(sorted: &[i64]) -> Option<DaysToRebuild> {
    let (&min, &max) = (sorted.first()?, sorted.last()?);
    Some(DaysToRebuild {
        count: sorted.len(),
        min,
        q1: quantile(sorted, 0.25).unwrap_or(0.0),
        median: quantile(sorted, 0.5).unwrap_or(0.0),
        q3: quantile(sorted, 0.75).unwrap_or(0.0),
        max,
        mean: sorted.iter().sum::<i64>() as f64 / sorted.len() as f64,
    })
}

/// The statistics as CSV rows: `section,key,value` (one table that spreadsheets open).
pub fn stats_csv(stats: &Stats) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["section", "key", "value"])?;
    let at = stats.at.to_string();
    w.write_record(["summary", "date", &at])?;
    w.write_record(["summary", "strips", &stats.strips.to_string()])?;
    for (status, n) in &stats.by_status {
        w.write_record(["status_at_date", status.as_str(), &n.to_string()])?;
    }
    for (month, (d, r)) in &stats.per_month {
        w.write_record(["destroyed_per_month", month, &d.to_string()])?;
        w.write_record(["rebuilt_per_month", month, &r.to_string()])?;
    }
    for op in &stats.per_operation {
        w.write_record([
            "destroyed_per_operation",
            &op.operation,
            &op.destructions.to_string(),
        ])?;
        w.write_record([
            "rebuilt_after_operation",
            &op.operation,
            &op.rebuilt_after.to_string(),
        ])?;
        w.write_record([
            "share_rebuilt_after_operation",
            &op.operation,
            &format!("{:.3}", op.share_rebuilt),
        ])?;
    }
    if let Some(d) = &stats.days_to_rebuild {
        for (key, value) in [
            ("count", d.count.to_string()),
            ("min", d.min.to_string()),
            ("q1", format!("{:.1}", d.q1)),
            ("median", format!("{:.1}", d.median)),
            ("mean", format!("{:.1}", d.mean)),
            ("q3", format!("{:.1}", d.q3)),
            ("max", d.max.to_string()),
        ] {
            w.write_record(["days_to_rebuild", key, &value])?;
        }
    }
    for r in &stats.most_rebuilt {
        w.write_record(["times_rebuilt", &r.id, &r.times_rebuilt.to_string()])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_str;

    /// Two strips, figures worked out by hand.
    const DOC: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[-74.0,-12.0]},
       "properties":{"name":"Alfa","events":[
         {"type":"built","date":"2013"},
         {"type":"destroyed","date":"2014-09-05","operation":"Uno"},
         {"type":"rebuilt","date":"2014-09-15"},
         {"type":"destroyed","date":"2015-03-01","operation":"Dos"},
         {"type":"rebuilt","date":"2015-03-31"}]}},
      {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[-73.0,-13.0]},
       "properties":{"name":"Bravo","events":[
         {"type":"sighted","date":"2014-05-01"},
         {"type":"destroyed","date":"2014-09-06","operation":"Uno"},
         {"type":"rebuilt","date":"2014-11-05"}]}},
      {"type":"Feature","id":"c","geometry":{"type":"Point","coordinates":[-75.0,-11.0]},
       "properties":{"name":"no history yet"}},
      {"type":"Feature","id":"d","geometry":{"type":"MultiPoint","coordinates":[[-75.0,-11.0]]},
       "properties":{"name":"not a strip"}}
    ]}"#;

    #[test]
    fn hand_computed_figures() {
        let doc = read_str(DOC, "t").document;
        let s = Stats::of(&doc, "2014-10-01".parse().unwrap(), 5);
        // A Point without events is a strip with no history yet; a MultiPoint is context.
        assert_eq!(s.strips, 3);
        // On 2014-10-01: a rebuilt (Sept 15), b destroyed (Sept 6).
        let count = |st: Status| s.by_status.iter().find(|(x, _)| *x == st).unwrap().1;
        assert_eq!((count(Status::Rebuilt), count(Status::Destroyed)), (1, 1));
        // Days to rebuild: 10 (a), 30 (a), 60 (b).
        assert_eq!(s.rebuild_days, [10, 30, 60]);
        let d = s.days_to_rebuild.as_ref().unwrap();
        assert_eq!(
            (d.median, d.mean, d.q1, d.q3),
            (30.0, 100.0 / 3.0, 20.0, 45.0)
        );
        assert_eq!(s.per_month["2014-09"], (2, 1));
        assert_eq!(s.per_month["2015-03"], (1, 1));
        assert_eq!(s.per_month["2014-11"], (0, 1));
        let uno = s
            .per_operation
            .iter()
            .find(|o| o.operation == "Uno")
            .unwrap();
        assert_eq!(
            (uno.destructions, uno.rebuilt_after, uno.share_rebuilt),
            (2, 2, 1.0)
        );
        assert_eq!(s.most_rebuilt[0].id, "a");
        assert_eq!(s.most_rebuilt[0].times_rebuilt, 2);
        let csv = stats_csv(&s).unwrap();
        assert!(csv.contains("days_to_rebuild,median,30.0"));
        assert!(csv.contains("destroyed_per_month,2014-09,2"));
        // A subset gives the subset's figures.
        let only_b = Stats::of_features(
            doc.features().iter().filter(|f| f.id().as_str() == "b"),
            s.at,
            5,
        );
        assert_eq!(only_b.rebuild_days, [60]);
    }

    #[test]
    fn quantiles_interpolate() {
        let days = [2, 4, 6, 8, 100];
        assert_eq!(median(&days), Some(6.0));
        assert_eq!(quantile(&days, 0.25), Some(4.0));
        assert_eq!(median(&[1, 2]), Some(1.5));
        assert_eq!(median(&[]), None);
    }
}
