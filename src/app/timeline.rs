//! The timeline: a date slider over a histogram of events per month stacked by type, play
//! with a step, and the two ways of showing time: each strip's status as of the date, or
//! only the strips with events in the last N days.

use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate};
use egui::Ui;
use egui_plot::{Bar, BarChart, Plot, VLine};

use super::i18n::{Lang, T};
use super::theme;
use crate::analysis::DayCounts;
use crate::model::EventType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Every strip, coloured by its status on the date.
    AsOf,
    /// Only strips with an event in the window ending on the date.
    Window,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Day,
    Week,
    Month,
}

/// A month's index (year × 12 + month − 1) and its events by type.
type MonthCounts = (i32, [u32; 5]);

/// [`super::derived::Derived::events_key`]: what the histogram was counted for.
pub type HistogramKey = u64;

/// How often playing advances the date.
const TICK: Duration = Duration::from_millis(250);

pub struct Timeline {
    pub playing: bool,
    pub step: Step,
    pub mode: Mode,
    pub window_days: i64,
    last_tick: Option<Instant>,
    /// Events per month (index year × 12 + month − 1) by type, for the documents' state and
    /// the filter they were computed for.
    histogram: Option<(HistogramKey, Vec<MonthCounts>)>,
    range: (NaiveDate, NaiveDate),
}

impl Default for Timeline {
    fn default() -> Self {
        let today = chrono::Local::now().date_naive();
        Timeline {
            playing: false,
            step: Step::Week,
            mode: Mode::AsOf,
            window_days: 30,
            last_tick: None,
            histogram: None,
            range: (today, today),
        }
    }
}

fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

fn month_start(index: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

/// The date one step after `date`.
pub fn advance(date: NaiveDate, step: Step) -> NaiveDate {
    match step {
        Step::Day => date.succ_opt().unwrap_or(date),
        Step::Week => date + chrono::Days::new(7),
        Step::Month => date.checked_add_months(Months::new(1)).unwrap_or(date),
    }
}

impl Timeline {
    /// Takes the months of the passing features' events from their count per day, when
    /// it changed (`key`).
    pub fn update(&mut self, key: HistogramKey, counts: &DayCounts) {
        if self.histogram.as_ref().is_some_and(|(k, _)| *k == key) {
            return;
        }
        let mut months: Vec<MonthCounts> = Vec::new();
        for (day, by_type) in counts.days() {
            let month = month_index(day);
            match months.last_mut() {
                Some((m, sum)) if *m == month => {
                    for (s, n) in sum.iter_mut().zip(by_type) {
                        *s += n;
                    }
                }
                _ => months.push((month, by_type)),
            }
        }
        // Without events the slider spans today, not the previous document's years.
        let today = chrono::Local::now().date_naive();
        self.range = counts.range().unwrap_or((today, today));
        self.histogram = Some((key, months));
    }

    /// The first and last day the slider spans.
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        self.range
    }

    /// Advances the date while playing; returns the new date when it moved.
    pub fn tick(&mut self, ctx: &egui::Context, date: NaiveDate) -> Option<NaiveDate> {
        if !self.playing {
            self.last_tick = None;
            return None;
        }
        ctx.request_repaint_after(TICK);
        let now = Instant::now();
        match self.last_tick {
            Some(t) if now.duration_since(t) < TICK => None,
            _ => {
                self.last_tick = Some(now);
                let next = advance(date, self.step);
                if next > self.range.1 {
                    self.playing = false;
                    return None;
                }
                Some(next)
            }
        }
    }

    /// Draws the timeline; returns a new date when the person picked one.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        date: NaiveDate,
        date_text: &mut String,
    ) -> Option<NaiveDate> {
        let mut picked = None;
        let (first, last) = self.range;
        ui.horizontal(|ui| {
            let label = if self.playing {
                lang.t(T::Pause)
            } else {
                lang.t(T::Play)
            };
            if ui.button(label).clicked() {
                self.playing = !self.playing;
                if self.playing && date >= last {
                    picked = Some(first);
                }
            }
            let step_label = ui.label(lang.t(T::Step));
            egui::ComboBox::from_id_salt("step")
                .selected_text(step_text(lang, self.step))
                .width(90.0)
                .show_ui(ui, |ui| {
                    for s in [Step::Day, Step::Week, Step::Month] {
                        ui.selectable_value(&mut self.step, s, step_text(lang, s));
                    }
                })
                .response
                .labelled_by(step_label.id);
            ui.separator();
            let label = ui.label(lang.t(T::StatusOn));
            let r = ui
                .add(
                    egui::TextEdit::singleline(date_text)
                        .desired_width(90.0)
                        .hint_text("2014-09-05"),
                )
                .labelled_by(label.id);
            if r.lost_focus() {
                match crate::model::FuzzyDate::parse(date_text.trim()) {
                    Ok(d) => picked = Some(d.start()),
                    Err(_) => *date_text = date.to_string(),
                }
            }
            let mut day = date.num_days_from_ce();
            let slider = egui::Slider::new(
                &mut day,
                first.num_days_from_ce()
                    ..=last.num_days_from_ce().max(first.num_days_from_ce() + 1),
            )
            .show_value(false);
            ui.spacing_mut().slider_width = (ui.available_width() - 440.0).max(120.0);
            if ui.add(slider).labelled_by(label.id).changed()
                && let Some(d) = NaiveDate::from_num_days_from_ce_opt(day)
            {
                picked = Some(d);
            }
            ui.separator();
            ui.radio_value(&mut self.mode, Mode::AsOf, lang.t(T::AsOfDate));
            ui.radio_value(&mut self.mode, Mode::Window, lang.t(T::EventsInWindow));
            ui.add(
                egui::DragValue::new(&mut self.window_days)
                    .range(1..=3650)
                    .suffix(lang.t(T::DaysSuffix)),
            );
        });
        let Some((_, months)) = &self.histogram else {
            return picked;
        };
        let mut charts: Vec<BarChart> = Vec::new();
        for (slot, kind) in EventType::ALL.iter().enumerate() {
            let bars = months
                .iter()
                .map(|(m, counts)| Bar::new(f64::from(*m), f64::from(counts[slot])).width(0.9))
                .collect();
            let chart = BarChart::new(lang.event(*kind), bars).color(theme::event_colour(*kind));
            let refs: Vec<&BarChart> = charts.iter().collect();
            let chart = chart.stack_on(&refs);
            charts.push(chart);
        }
        let now = f64::from(month_index(date)) + f64::from(date.day0()) / 31.0;
        let response = Plot::new("timeline")
            .height(ui.available_height().clamp(60.0, 110.0))
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show_y(false)
            .include_y(0.0)
            .legend(egui_plot::Legend::default().position(egui_plot::Corner::RightTop))
            .include_x(f64::from(month_index(first)) - 0.6)
            .include_x(f64::from(month_index(last)) + 0.6)
            .x_grid_spacer(month_grid)
            .x_axis_formatter(month_label)
            .show(ui, |plot| {
                for chart in charts {
                    plot.bar_chart(chart);
                }
                // The date's line only when it falls within the data, so a date long after
                // the last event does not squeeze the histogram into a corner.
                if date >= first && date <= last {
                    plot.vline(
                        VLine::new(lang.t(T::StatusOn), now)
                            .color(theme::SELECTED)
                            .width(2.0),
                    );
                }
                plot.pointer_coordinate()
            });
        if response.response.clicked()
            && let Some(p) = response.inner
        {
            // Clicking a month's bar shows its last day: the status after that month's
            // events.
            picked = month_start(p.x.round() as i32 + 1).and_then(|d| d.pred_opt());
        }
        picked
    }
}

/// Steps that read well on a time axis, in months.
const MONTH_STEPS: [i32; 9] = [1, 2, 3, 6, 12, 24, 60, 120, 240];

/// Grid marks on whole months, at most eight across, on Januaries once a step is a year
/// or more: one month of data gets one label, not eleven.
pub fn month_grid(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (min, max) = input.bounds;
    let span = (max - min).max(1.0);
    if !span.is_finite() || span > 1e8 {
        return Vec::new();
    }
    // Past twenty years a step keeps growing (×2, ×5, ×10 …), whatever the span.
    let step = MONTH_STEPS
        .into_iter()
        .chain((1..).flat_map(|k: u32| [480, 1200, 2400].map(|m| m * 10i32.pow(k - 1))))
        .find(|s| span / f64::from(*s) <= 8.0)
        .unwrap_or(i32::MAX / 2);
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

fn step_text(lang: Lang, step: Step) -> &'static str {
    match step {
        Step::Day => lang.t(T::StepDay),
        Step::Week => lang.t(T::StepWeek),
        Step::Month => lang.t(T::StepMonth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_months() {
        let d: NaiveDate = "2014-01-31".parse().unwrap();
        assert_eq!(advance(d, Step::Day).to_string(), "2014-02-01");
        assert_eq!(advance(d, Step::Week).to_string(), "2014-02-07");
        assert_eq!(advance(d, Step::Month).to_string(), "2014-02-28");
        assert_eq!(
            month_start(month_index(d)).unwrap().to_string(),
            "2014-01-01"
        );
    }

    fn marks(from: &str, to: &str) -> Vec<String> {
        let (a, b) = (
            month_index(from.parse().unwrap()),
            month_index(to.parse().unwrap()),
        );
        let input = egui_plot::GridInput {
            bounds: (f64::from(a) - 0.6, f64::from(b) + 0.6),
            base_step_size: 0.01,
        };
        month_grid(input)
            .into_iter()
            .map(|m| month_label(m, &(0.0..=1.0)))
            .collect()
    }

    #[test]
    fn axes_fit_the_data_from_a_month_to_decades() {
        assert_eq!(marks("2026-12-01", "2026-12-31"), vec!["2026-12"]);
        let year = marks("2014-01-01", "2014-12-31");
        assert!(year.len() <= 8 && year.len() >= 4, "{year:?}");
        let decades = marks("1990-01-01", "2026-06-01");
        assert!(decades.len() <= 8, "{decades:?}");
        assert!(
            decades.iter().all(|l| l.len() == 4),
            "years only: {decades:?}"
        );
        let mut unique = decades.clone();
        unique.dedup();
        assert_eq!(unique, decades, "no label repeats");
    }
}
