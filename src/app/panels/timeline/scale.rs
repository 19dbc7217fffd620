//! One time scale for the whole timeline: the histogram's bars, the date's handle and the
//! axis all place a day through [`TimeScale`], so a month's bar, the dates in it and the
//! marker of a date in that month are always at the same place.
//!
//! Days are counted from the Common Era (`NaiveDate::num_days_from_ce`); day `d` covers
//! `[d, d + 1)`, and a month's bar covers its first day to the next month's first day.

use chrono::{Datelike, NaiveDate};

/// A month's index: year × 12 + month − 1.
pub fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

pub fn month_start(index: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

pub fn day_of(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// The first day of a month as a day number (a month beyond chrono's range: none).
fn month_day(index: i32) -> Option<f64> {
    month_start(index).map(day_of)
}

/// A span of days shown, `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub from: f64,
    pub to: f64,
}

/// The narrowest span one can zoom to, in days.
const MIN_DAYS: f64 = 14.0;

impl Span {
    /// The whole months from the first day's to the last day's: every bar whole.
    pub fn fit(first: NaiveDate, last: NaiveDate) -> Span {
        let (a, b) = (month_index(first.min(last)), month_index(first.max(last)));
        let from = month_day(a).unwrap_or(day_of(first));
        let to = month_day(b + 1).unwrap_or(day_of(last) + 1.0);
        Span { from, to }
    }

    pub fn days(&self) -> f64 {
        self.to - self.from
    }

    /// Zoomed by `factor` (below 1 narrows) around `day`, kept between two weeks and
    /// `widest` days, and within `bounds` where it can be.
    pub fn zoomed(self, day: f64, factor: f64, bounds: Span) -> Span {
        let widest = (bounds.days() * 1.5).max(MIN_DAYS * 2.0);
        let days = (self.days() * factor).clamp(MIN_DAYS, widest);
        let t = ((day - self.from) / self.days()).clamp(0.0, 1.0);
        let from = day - t * days;
        Span {
            from,
            to: from + days,
        }
        .kept_near(bounds)
    }

    /// Moved by `days`, kept near `bounds`.
    pub fn panned(self, days: f64, bounds: Span) -> Span {
        Span {
            from: self.from + days,
            to: self.to + days,
        }
        .kept_near(bounds)
    }

    /// The span from `a` to `b` (either order), at least two weeks wide.
    pub fn between(a: f64, b: f64) -> Span {
        let (from, to) = (a.min(b), a.max(b));
        let extra = (MIN_DAYS - (to - from)).max(0.0) / 2.0;
        Span {
            from: from - extra,
            to: to + extra,
        }
    }

    /// A span that shows at least part of `bounds`: panning stops with a quarter of the
    /// view still on the data.
    fn kept_near(self, bounds: Span) -> Span {
        let quarter = self.days() / 4.0;
        let shift = if self.to < bounds.from + quarter {
            bounds.from + quarter - self.to
        } else if self.from > bounds.to - quarter {
            bounds.to - quarter - self.from
        } else {
            0.0
        };
        Span {
            from: self.from + shift,
            to: self.to + shift,
        }
    }
}

/// A span of days laid across `left..right` on screen.
#[derive(Debug, Clone, Copy)]
pub struct TimeScale {
    span: Span,
    left: f32,
    right: f32,
}

impl TimeScale {
    pub fn new(span: Span, left: f32, right: f32) -> TimeScale {
        let span = if span.days() > 0.0 {
            span
        } else {
            Span {
                from: span.from,
                to: span.from + 1.0,
            }
        };
        TimeScale {
            span,
            left,
            right: right.max(left + 1.0),
        }
    }

    pub fn span(&self) -> Span {
        self.span
    }

    /// The x of a day number (fractions are within the day).
    pub fn x(&self, day: f64) -> f32 {
        let t = (day - self.span.from) / self.span.days();
        self.left + (self.right - self.left) * t as f32
    }

    /// The x of a date: the middle of its day.
    pub fn x_of(&self, date: NaiveDate) -> f32 {
        self.x(day_of(date) + 0.5)
    }

    pub fn day_at(&self, x: f32) -> f64 {
        let t = f64::from((x - self.left) / (self.right - self.left));
        self.span.from + t * self.span.days()
    }

    /// The date under `x`, within the span.
    pub fn date_at(&self, x: f32) -> Option<NaiveDate> {
        // The last day at least partly shown (a zoomed span ends inside a day).
        let last = (self.span.to - 1e-9).floor().max(self.span.from.floor());
        let day = self.day_at(x).floor().clamp(self.span.from.floor(), last);
        NaiveDate::from_num_days_from_ce_opt(day as i32)
    }

    /// Where a month's bar lies: from its first day to the next month's first day.
    pub fn month_x(&self, month: i32) -> Option<(f32, f32)> {
        Some((self.x(month_day(month)?), self.x(month_day(month + 1)?)))
    }

    /// The months the span shows, whole or in part.
    pub fn months(&self) -> std::ops::RangeInclusive<i32> {
        let at = |day: f64| {
            NaiveDate::from_num_days_from_ce_opt(day.floor() as i32)
                .map(month_index)
                .unwrap_or(0)
        };
        at(self.span.from)..=at(self.span.to - 1e-9)
    }

    /// Axis marks: first days of months, a step that reads well (1, 2, 3, 6 months, then
    /// years on Januaries) and leaves at least `min_gap` points between labels. Each mark
    /// is a month index, its x and its label.
    pub fn marks(&self, min_gap: f32) -> Vec<(i32, f32, String)> {
        let months = self.months();
        let (a, b) = (*months.start(), *months.end());
        let per_month = (self.right - self.left) / (b - a + 1) as f32;
        let step = MONTH_STEPS
            .into_iter()
            .chain((1..8).map(|k| 10i32.pow(k) * 12))
            .find(|s| per_month * *s as f32 >= min_gap)
            .unwrap_or(i32::MAX / 4);
        let first = a.div_euclid(step) * step;
        (0..)
            .map(|k| first + k * step)
            .take_while(|m| *m <= b + 1)
            .filter_map(|m| {
                let x = self.x(month_day(m)?);
                if x < self.left - 0.5 || x > self.right + 0.5 {
                    return None;
                }
                let format = if step >= 12 { "%Y" } else { "%Y-%m" };
                Some((m, x, month_start(m)?.format(format).to_string()))
            })
            .collect()
    }
}

/// Steps that read well on a time axis, in months; each divides a year, so marks fall on
/// the same months every year (January, April, July, October for quarters).
const MONTH_STEPS: [i32; 9] = [1, 2, 3, 6, 12, 24, 60, 120, 240];

/// Grid marks for a chart whose x is a month index (egui_plot): whole months, at most
/// eight across, on a step that divides a year (quarters fall on January, April, July and
/// October; years on Januaries).
pub fn month_grid(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (min, max) = input.bounds;
    let span = (max - min).max(1.0);
    if !span.is_finite() || span > 1e8 {
        return Vec::new();
    }
    let step = MONTH_STEPS
        .into_iter()
        .chain((1..8).map(|k| 10i32.pow(k) * 12))
        .find(|s| span / f64::from(*s) <= 8.0)
        .unwrap_or(i32::MAX / 4);
    let first = (min / f64::from(step)).ceil() as i64 * i64::from(step);
    (0..)
        .map(|k| first + k * i64::from(step))
        .take_while(|m| (*m as f64) <= max)
        .map(|m| egui_plot::GridMark {
            value: m as f64,
            step_size: f64::from(step),
        })
        .collect()
}

/// A month mark's label: the year for steps of a year or more, else year and month.
pub fn month_label(mark: egui_plot::GridMark, _range: &std::ops::RangeInclusive<f64>) -> String {
    if mark.value.fract().abs() > 1e-6 {
        return String::new();
    }
    let format = if mark.step_size >= 12.0 {
        "%Y"
    } else {
        "%Y-%m"
    };
    month_start(mark.value as i32)
        .map(|d| d.format(format).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_dates_marker_lies_inside_its_months_bar() {
        let span = Span::fit(d("2013-02-14"), d("2026-12-07"));
        let scale = TimeScale::new(span, 100.0, 900.0);
        for date in [
            "2013-02-14",
            "2014-10-01",
            "2014-10-31",
            "2020-02-29",
            "2026-12-07",
        ] {
            let date = d(date);
            let (a, b) = scale.month_x(month_index(date)).unwrap();
            let x = scale.x_of(date);
            assert!(a < x && x < b, "{date}: {x} outside {a}..{b}");
            assert_eq!(scale.date_at(x), Some(date), "round trip");
        }
        // Bars tile the axis: each month ends where the next begins.
        let (_, oct_end) = scale.month_x(month_index(d("2014-10-01"))).unwrap();
        let (nov_start, _) = scale.month_x(month_index(d("2014-11-01"))).unwrap();
        assert_eq!(oct_end, nov_start);
        // The fitted span starts with the first month's bar and ends with the last's.
        let first = scale.month_x(month_index(d("2013-02-14"))).unwrap().0;
        let last = scale.month_x(month_index(d("2026-12-07"))).unwrap().1;
        assert!((first - 100.0).abs() < 1e-3 && (last - 900.0).abs() < 1e-3);
    }

    #[test]
    fn zooming_keeps_the_day_under_the_pointer_and_stays_near_the_data() {
        let bounds = Span::fit(d("2013-01-01"), d("2016-12-31"));
        let day = day_of(d("2014-10-15"));
        let z = bounds.zoomed(day, 0.5, bounds);
        let before = TimeScale::new(bounds, 0.0, 1000.0).x(day);
        let after = TimeScale::new(z, 0.0, 1000.0).x(day);
        assert!((before - after).abs() < 0.01, "{before} {after}");
        assert!((z.days() - bounds.days() / 2.0).abs() < 1e-6);
        // Never narrower than two weeks, never far wider than the data.
        let tiny = (0..40).fold(bounds, |s, _| s.zoomed(day, 0.5, bounds));
        assert!((tiny.days() - MIN_DAYS).abs() < 1e-6);
        let wide = (0..40).fold(bounds, |s, _| s.zoomed(day, 2.0, bounds));
        assert!(wide.days() <= bounds.days() * 1.5 + 1e-6);
        // Panning far away stops with part of the data in view.
        let far = z.panned(1e6, bounds);
        assert!(far.from < bounds.to, "{far:?}");
        let brushed = Span::between(day + 3.0, day);
        assert_eq!(brushed.days(), MIN_DAYS);
    }

    #[test]
    fn marks_read_well_from_a_month_to_decades() {
        let labels = |a: &str, b: &str, width: f32| {
            TimeScale::new(Span::fit(d(a), d(b)), 0.0, width)
                .marks(70.0)
                .into_iter()
                .map(|(_, _, l)| l)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            labels("2026-12-01", "2026-12-31", 800.0),
            ["2026-12", "2027-01"]
        );
        let year = labels("2014-01-01", "2014-12-31", 800.0);
        assert!(year.contains(&"2014-01".to_string()), "{year:?}");
        assert!(year.len() >= 4, "{year:?}");
        let decades = labels("1990-01-01", "2026-06-01", 600.0);
        assert!(
            decades.len() <= 9 && decades.iter().all(|l| l.len() == 4),
            "{decades:?}"
        );
        // Quarters fall on January, April, July and October every year.
        let quarters = labels("2013-01-01", "2016-12-31", 1200.0);
        assert!(
            quarters
                .iter()
                .all(|l| ["-01", "-04", "-07", "-10"].iter().any(|m| l.ends_with(m))),
            "{quarters:?}"
        );
    }

    #[test]
    fn a_charts_month_marks_fall_on_the_same_months_every_year() {
        let input = |a: &str, b: &str| egui_plot::GridInput {
            bounds: (
                f64::from(month_index(d(a))) - 0.6,
                f64::from(month_index(d(b))) + 0.6,
            ),
            base_step_size: 0.01,
        };
        let labels = |a: &str, b: &str| {
            month_grid(input(a, b))
                .into_iter()
                .map(|m| month_label(m, &(0.0..=1.0)))
                .collect::<Vec<_>>()
        };
        // The statistics' axis read 2013-01, 2013-11, 2015-01: now quarters or years.
        let two_years = labels("2013-01-01", "2014-12-31");
        assert!(
            two_years.iter().all(
                |l| ["-01", "-04", "-07", "-10"].iter().any(|m| l.ends_with(m)) || l.len() == 4
            ),
            "{two_years:?}"
        );
        let decades = labels("1990-01-01", "2026-06-01");
        assert!(
            decades.len() <= 8 && decades.iter().all(|l| l.len() == 4),
            "{decades:?}"
        );
        assert_eq!(labels("2026-12-01", "2026-12-31"), ["2026-12"]);
    }
}
