//! The timeline: one time axis ([`scale::TimeScale`]) on which the events per month stand
//! as bars spanning their month, stacked by type, and the date is a handle dragged along
//! the same axis. The axis zooms (scroll, a brushed span, "Fit") and pans; play moves the
//! date a step at a chosen speed; the two ways of showing time are each strip's status as
//! of the date, or only the strips with events in the last N days. It folds to one line,
//! and has only that line when there is nothing to chart.

mod chart;
pub mod scale;

use std::time::{Duration, Instant};

use chrono::{Months, NaiveDate};
use egui::Ui;

use crate::analysis::DayCounts;
use crate::app::i18n::{Lang, T};
use scale::{Span, month_index};

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

/// How fast play moves: steps per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    Slow,
    Normal,
    Fast,
    Fastest,
}

impl Speed {
    const ALL: [Speed; 4] = [Speed::Slow, Speed::Normal, Speed::Fast, Speed::Fastest];

    fn tick(self) -> Duration {
        Duration::from_millis(match self {
            Speed::Slow => 1000,
            Speed::Normal => 250,
            Speed::Fast => 100,
            Speed::Fastest => 40,
        })
    }

    fn label(self) -> &'static str {
        match self {
            Speed::Slow => "1/s",
            Speed::Normal => "4/s",
            Speed::Fast => "10/s",
            Speed::Fastest => "25/s",
        }
    }
}

/// A month's index (year × 12 + month − 1) and its events by type.
type MonthCounts = (i32, [u32; 5]);

/// [`crate::app::state::derived::Derived::events_key`]: what the histogram was counted for.
pub type HistogramKey = u64;

pub struct Timeline {
    pub playing: bool,
    pub step: Step,
    pub speed: Speed,
    pub mode: Mode,
    pub window_days: i64,
    /// Folded to its one line of controls by the person.
    pub folded: bool,
    last_tick: Option<Instant>,
    /// Events per month by type, for the documents' state and the filter they were
    /// computed for.
    histogram: Option<(HistogramKey, Vec<MonthCounts>)>,
    range: (NaiveDate, NaiveDate),
    /// The span the axis shows; `None`: fitted to the data.
    view: Option<Span>,
    /// Where a brushed span began (a day number), while it is being drawn.
    brush: Option<f64>,
    /// The chart's plot and scale as last drawn (for tests and screen readers' geometry).
    drawn: Option<(egui::Rect, scale::TimeScale)>,
}

impl Default for Timeline {
    fn default() -> Self {
        let today = chrono::Local::now().date_naive();
        Timeline {
            playing: false,
            step: Step::Week,
            speed: Speed::Normal,
            mode: Mode::AsOf,
            window_days: 30,
            folded: false,
            last_tick: None,
            histogram: None,
            range: (today, today),
            view: None,
            brush: None,
            drawn: None,
        }
    }
}

/// The date one step after `date`.
pub fn advance(date: NaiveDate, step: Step) -> NaiveDate {
    match step {
        Step::Day => date.succ_opt().unwrap_or(date),
        Step::Week => date.checked_add_days(chrono::Days::new(7)).unwrap_or(date),
        Step::Month => date.checked_add_months(Months::new(1)).unwrap_or(date),
    }
}

/// The date one step before `date`.
fn retreat(date: NaiveDate, step: Step) -> NaiveDate {
    match step {
        Step::Day => date.pred_opt().unwrap_or(date),
        Step::Week => date.checked_sub_days(chrono::Days::new(7)).unwrap_or(date),
        Step::Month => date.checked_sub_months(Months::new(1)).unwrap_or(date),
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
        // Another document's span, off this one's data: fitted again.
        let bounds = self.bounds();
        if self
            .view
            .is_some_and(|v| v.to <= bounds.from || v.from >= bounds.to)
        {
            self.view = None;
        }
        self.brush = None;
    }

    /// The first and last day of the data.
    pub fn range(&self) -> (NaiveDate, NaiveDate) {
        self.range
    }

    /// Whether there are events to chart.
    pub fn has_events(&self) -> bool {
        self.histogram.as_ref().is_some_and(|(_, m)| !m.is_empty())
    }

    /// The whole data's span, in whole months.
    fn bounds(&self) -> Span {
        Span::fit(self.range.0, self.range.1)
    }

    /// The span the axis shows.
    pub fn view(&self) -> Span {
        self.view.unwrap_or_else(|| self.bounds())
    }

    /// The chart's plot area and time scale as last drawn (none while folded).
    pub fn drawn(&self) -> Option<(egui::Rect, scale::TimeScale)> {
        self.drawn
    }

    /// Advances the date while playing; returns the new date when it moved.
    pub fn tick(&mut self, ctx: &egui::Context, date: NaiveDate) -> Option<NaiveDate> {
        if !self.playing {
            self.last_tick = None;
            return None;
        }
        let tick = self.speed.tick();
        ctx.request_repaint_after(tick);
        let now = Instant::now();
        match self.last_tick {
            Some(t) if now.duration_since(t) < tick => None,
            _ => {
                self.last_tick = Some(now);
                let next = advance(date, self.step);
                if next > self.range.1 {
                    self.playing = false;
                    return None;
                }
                self.follow(next);
                Some(next)
            }
        }
    }

    /// Moves a zoomed view along when the date leaves it.
    fn follow(&mut self, date: NaiveDate) {
        if let Some(view) = self.view {
            let day = scale::day_of(date);
            if day >= view.to || day < view.from {
                self.view = Some(view.panned(day - view.from - view.days() * 0.1, self.bounds()));
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
        let picked = self.controls_ui(ui, lang, date, date_text);
        self.drawn = None;
        if self.folded || !self.has_events() {
            return picked;
        }
        self.chart_ui(ui, lang, date).or(picked)
    }

    /// The line of controls: fold, play, step and speed, the date, the mode, fit.
    fn controls_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        date: NaiveDate,
        date_text: &mut String,
    ) -> Option<NaiveDate> {
        let mut picked = None;
        let has_events = self.has_events();
        ui.horizontal_wrapped(|ui| {
            if has_events {
                let (text, tip) = if self.folded {
                    (lang.t(T::ShowChart), lang.t(T::ShowTimeline))
                } else {
                    (lang.t(T::HideChart), lang.t(T::HideTimeline))
                };
                if ui.small_button(text).on_hover_text(tip).clicked() {
                    self.folded = !self.folded;
                }
            }
            if has_events {
                self.play_ui(ui, lang, date, &mut picked);
            }
            ui.separator();
            let label = ui.label(lang.t(T::StatusOn));
            let r = ui
                .add(
                    egui::TextEdit::singleline(date_text)
                        .desired_width(84.0)
                        .hint_text("2014-09-05"),
                )
                .labelled_by(label.id);
            if r.lost_focus() {
                match crate::model::FuzzyDate::parse(date_text.trim()) {
                    Ok(d) => {
                        picked = Some(d.start());
                        self.follow(d.start());
                    }
                    Err(_) => *date_text = date.to_string(),
                }
            }
            // Without events, "events in the last N days" shows nothing: the switch stays
            // only to switch it back.
            if has_events || self.mode == Mode::Window {
                self.mode_ui(ui, lang);
            }
            if !has_events {
                ui.separator();
                ui.weak(lang.t(T::NoDatedEvents));
            } else if !self.folded {
                ui.separator();
                if ui
                    .add_enabled(self.view.is_some(), egui::Button::new(lang.t(T::FitTime)))
                    .on_hover_text(lang.t(T::FitTimeHelp))
                    .clicked()
                {
                    self.view = None;
                }
            }
        });
        picked
    }

    /// Play or pause, the step and the speed.
    fn play_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        date: NaiveDate,
        picked: &mut Option<NaiveDate>,
    ) {
        let (first, last) = self.range;
        let label = if self.playing {
            lang.t(T::Pause)
        } else {
            lang.t(T::Play)
        };
        if ui.add(egui::Button::new(label)).clicked() {
            self.playing = !self.playing;
            if self.playing && date >= last {
                *picked = Some(first);
                self.follow(first);
            }
        }
        egui::ComboBox::from_id_salt("step")
            .selected_text(step_text(lang, self.step))
            .width(100.0)
            .show_ui(ui, |ui| {
                for s in [Step::Day, Step::Week, Step::Month] {
                    ui.selectable_value(&mut self.step, s, step_text(lang, s));
                }
            })
            .response
            .on_hover_text(lang.t(T::Step));
        egui::ComboBox::from_id_salt("speed")
            .selected_text(self.speed.label())
            .width(52.0)
            .show_ui(ui, |ui| {
                for s in Speed::ALL {
                    ui.selectable_value(&mut self.speed, s, s.label());
                }
            })
            .response
            .on_hover_text(lang.t(T::PlaySpeed));
    }

    /// Each strip's status as of the date, or only those with events in the last N days.
    fn mode_ui(&mut self, ui: &mut Ui, lang: Lang) {
        ui.separator();
        ui.radio_value(&mut self.mode, Mode::AsOf, lang.t(T::AsOfDate));
        ui.radio_value(&mut self.mode, Mode::Window, lang.t(T::EventsInWindow));
        ui.add(
            egui::DragValue::new(&mut self.window_days)
                .range(1..=3650)
                .suffix(lang.t(T::DaysSuffix)),
        );
    }
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
        assert_eq!(retreat(d, Step::Month).to_string(), "2013-12-31");
        assert_eq!(
            scale::month_start(month_index(d)).unwrap().to_string(),
            "2014-01-01"
        );
    }

    #[test]
    fn play_moves_a_zoomed_view_along_with_the_date() {
        let mut t = Timeline {
            range: ("2013-01-01".parse().unwrap(), "2016-12-31".parse().unwrap()),
            ..Timeline::default()
        };
        let view = Span::fit("2013-01-01".parse().unwrap(), "2013-03-31".parse().unwrap());
        t.view = Some(view);
        let date: NaiveDate = "2013-06-10".parse().unwrap();
        t.follow(date);
        let moved = t.view();
        assert!(moved.from <= scale::day_of(date) && scale::day_of(date) < moved.to);
        assert!((moved.days() - view.days()).abs() < 1e-9, "same zoom");
    }
}
