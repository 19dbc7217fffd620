//! A strip's story at a glance: a horizontal bar over its own history, with a margin,
//! coloured by status, unknown before the first state-changing event, each event a
//! tick (hover for details), approximate dates drawn as a span, the timeline's date marked.

use chrono::NaiveDate;
use egui::{Align2, FontId, Painter, Pos2, Rect, Response, Sense, Stroke, Ui, vec2};

use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::model::{Event, Feature, Status, StatusTimeline, chronological};

/// The strip's lifeline: its statuses over time, its events, the timeline's date and the
/// first and last days of its history; hovering an event tells about it.
pub fn lifeline_ui(ui: &mut Ui, lang: Lang, feature: &Feature, date: NaiveDate) {
    let events = feature.events();
    if events.is_empty() {
        return;
    }
    let order = chronological(events);
    let timeline = StatusTimeline::of(events, &order);
    // The strip's own history with a margin on each side: a 2014 history fills the bar
    // rather than being a sliver before years of grey up to today.
    let earliest = events
        .iter()
        .map(|e| e.date().start())
        .min()
        .unwrap_or(date);
    let latest = events.iter().map(|e| e.date().end()).max().unwrap_or(date);
    let margin = chrono::Days::new(((latest - earliest).num_days() / 12).max(15) as u64);
    let width = ui.available_width().max(120.0);
    let (rect, response) = ui.allocate_exact_size(vec2(width, 46.0), Sense::hover());
    let scale = Scale {
        bar: Rect::from_min_max(
            rect.min + vec2(0.0, 8.0),
            Pos2::new(rect.max.x, rect.min.y + 24.0),
        ),
        first: earliest - margin,
        last: latest + margin,
    };
    let painter = ui.painter_at(rect);
    // Unknown until the first state-changing event.
    painter.rect_filled(scale.bar, 2.0, theme::LIFELINE_UNKNOWN);
    statuses(&painter, &scale, timeline.steps());
    let hovered = event_marks(&painter, &scale, events, response.hover_pos());
    date_mark(&painter, &scale, rect, date);
    for (text, at, align) in [
        (earliest, scale.bar.left(), Align2::LEFT_BOTTOM),
        (latest, scale.bar.right(), Align2::RIGHT_BOTTOM),
    ] {
        painter.text(
            Pos2::new(at, rect.bottom()),
            align,
            text.to_string(),
            FontId::proportional(10.0),
            ui.visuals().weak_text_color(),
        );
    }
    match hovered.and_then(|i| events.get(i)) {
        Some(e) => event_tip(response, lang, e),
        None => {
            response.on_hover_text(lang.t(T::LifelineHelp));
        }
    }
}

/// The bar and the days it spans, from `first` at its left to `last` at its right.
struct Scale {
    bar: Rect,
    first: NaiveDate,
    last: NaiveDate,
}

impl Scale {
    /// Where day `d` lies across the bar.
    fn x(&self, d: NaiveDate) -> f32 {
        let span = (self.last - self.first).num_days().max(1) as f32;
        self.bar.left() + self.bar.width() * ((d - self.first).num_days() as f32 / span)
    }
}

/// Each known status from the day it began to the next, paler when its date is approximate.
fn statuses(painter: &Painter, scale: &Scale, steps: &[(NaiveDate, Status, bool)]) {
    let bar = scale.bar;
    for (k, (from, status, fuzzy)) in steps.iter().enumerate() {
        let to = steps.get(k + 1).map_or(scale.last, |s| s.0);
        let seg = Rect::from_min_max(
            Pos2::new(scale.x(*from), bar.top()),
            Pos2::new(scale.x(to).max(scale.x(*from) + 1.0), bar.bottom()),
        );
        let colour = theme::status_colour(*status);
        let colour = if *fuzzy {
            colour.gamma_multiply(0.6)
        } else {
            colour
        };
        if *status != Status::Unknown {
            painter.rect_filled(seg, 0.0, colour);
        }
    }
}

/// Events: a tick at the earliest day; a bracket over the range of an approximate date.
/// Returns the event whose tick is within 4 points of the pointer (the last such).
fn event_marks(
    painter: &Painter,
    scale: &Scale,
    events: &[Event],
    pointer: Option<Pos2>,
) -> Option<usize> {
    let bar = scale.bar;
    let mut hovered = None;
    for (i, e) in events.iter().enumerate() {
        let (a, b) = (scale.x(e.date().start()), scale.x(e.date().end()));
        let colour = theme::event_colour(e.kind());
        if b - a > 2.0 {
            painter.line_segment(
                [
                    Pos2::new(a, bar.bottom() + 4.0),
                    Pos2::new(b, bar.bottom() + 4.0),
                ],
                Stroke::new(2.0, colour),
            );
        }
        painter.line_segment(
            [
                Pos2::new(a, bar.top() - 4.0),
                Pos2::new(a, bar.bottom() + 6.0),
            ],
            Stroke::new(2.0, colour),
        );
        if let Some(p) = pointer
            && (p.x - a).abs() <= 4.0
        {
            hovered = Some(i);
        }
    }
    hovered
}

/// The timeline's date: a line when it falls in the span, else an arrow at the side it
/// lies beyond.
fn date_mark(painter: &Painter, scale: &Scale, rect: Rect, date: NaiveDate) {
    let (first, last, bar) = (scale.first, scale.last, scale.bar);
    let now = scale.x(date.clamp(first, last));
    if date < first || date > last {
        let dir = if date < first { -1.0 } else { 1.0 };
        let y = bar.center().y;
        painter.add(egui::Shape::convex_polygon(
            vec![
                Pos2::new(now + dir * 6.0, y),
                Pos2::new(now, y - 5.0),
                Pos2::new(now, y + 5.0),
            ],
            theme::SELECTED,
            Stroke::NONE,
        ));
    } else {
        painter.line_segment(
            [
                Pos2::new(now, rect.top()),
                Pos2::new(now, bar.bottom() + 2.0),
            ],
            Stroke::new(2.0, theme::SELECTED),
        );
    }
}

/// The hovered event: its date and kind, confidence, operation and sources.
fn event_tip(response: Response, lang: Lang, e: &Event) {
    response.on_hover_ui_at_pointer(|ui| {
        ui.strong(format!("{} {}", e.date(), lang.event(e.kind())));
        if let Some(c) = e.confidence().value() {
            ui.label(lang.confidence(c));
        }
        if let Some(op) = e.operation().get() {
            ui.label(op);
        }
        for s in e.sources() {
            ui.label(s.label());
        }
    });
}
