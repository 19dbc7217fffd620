//! The timeline's chart: bars of events per month on the time axis, the date's handle on
//! the same axis, the axis's labels below and the legend beside it, never over it.
//!
//! Drag or click to set the date (the chart is the date slider, and says so to screen
//! readers); scroll to zoom around the pointer, Shift+scroll or a sideways scroll to pan;
//! drag with the right button or with Shift held to zoom to a span; double-click to fit.
//! Left and right arrows move the date a step when the chart has focus.

use chrono::{Datelike, NaiveDate};
use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, Ui, vec2};

use super::scale::{TimeScale, month_start};
use super::{Timeline, advance, retreat};
use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::model::EventType;

/// Height of the axis's labels under the bars.
const AXIS_H: f32 = 14.0;
/// Width of the legend beside the chart.
const LEGEND_W: f32 = 96.0;

impl Timeline {
    /// Draws the chart; returns a new date when the person picked one.
    pub(super) fn chart_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        date: NaiveDate,
    ) -> Option<NaiveDate> {
        let height = ui.available_height().clamp(56.0, 120.0);
        let width = ui.available_width();
        let (whole, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
        let legend_w = if width > 480.0 { LEGEND_W } else { 0.0 };
        let plot = Rect::from_min_max(
            whole.min + vec2(4.0, 2.0),
            Pos2::new(whole.max.x - legend_w - 8.0, whole.max.y - AXIS_H),
        );
        let response = ui
            .interact(
                plot,
                egui::Id::unique("pistas-timeline-chart"),
                Sense::click_and_drag(),
            )
            .on_hover_text(lang.t(T::TimeChartHelp));
        let scale = TimeScale::new(self.view(), plot.left(), plot.right());
        let picked = self.interact(ui, &response, &scale, date);
        // Interaction may have zoomed: draw with the span as it is now.
        let scale = TimeScale::new(self.view(), plot.left(), plot.right());
        self.drawn = Some((plot, scale));
        self.paint(ui, whole, plot, &scale, picked.unwrap_or(date));
        if legend_w > 0.0 {
            legend(
                ui,
                lang,
                Rect::from_min_max(Pos2::new(plot.right() + 8.0, whole.top()), whole.max),
            );
        }
        self.hover_tip(lang, &response, &scale);
        response.widget_info(|| {
            egui::WidgetInfo::slider(
                true,
                f64::from(date.num_days_from_ce()),
                lang.t(T::StatusOn),
            )
        });
        picked
    }

    fn interact(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        scale: &TimeScale,
        date: NaiveDate,
    ) -> Option<NaiveDate> {
        let bounds = self.bounds();
        let (shift, scroll) = ui.input(|i| (i.modifiers.shift, i.smooth_scroll_delta));
        let pointer = response.interact_pointer_pos().or(response.hover_pos());
        // Zoom and pan with the wheel.
        if response.hovered() && scroll != egui::Vec2::ZERO {
            let view = self.view();
            let (zoom, pan) = if shift {
                (0.0, scroll.y + scroll.x)
            } else {
                (scroll.y, scroll.x)
            };
            let mut next = view;
            if zoom != 0.0 {
                let around = pointer.map_or((view.from + view.to) / 2.0, |p| scale.day_at(p.x));
                next = next.zoomed(around, f64::from((-zoom * 0.004).exp()), bounds);
            }
            if pan != 0.0 {
                let per_px = view.days() / f64::from(scale_width(scale));
                next = next.panned(-f64::from(pan) * per_px, bounds);
            }
            self.view = Some(next);
        }
        if response.double_clicked() {
            self.view = None;
            return None;
        }
        // A brushed span: right button, or the left with Shift.
        let brushing = response.dragged_by(egui::PointerButton::Secondary)
            || (response.dragged_by(egui::PointerButton::Primary) && shift);
        if brushing {
            // From where the button went down, not where this frame's move began.
            if self.brush.is_none()
                && let Some(p) = ui.input(|i| i.pointer.press_origin())
            {
                self.brush = Some(scale.day_at(p.x));
            }
            return None;
        }
        if let Some(start) = self.brush.take() {
            if let Some(p) = ui.input(|i| i.pointer.latest_pos()) {
                // The span as drawn: the end held to the plot.
                let end = scale.day_at(p.x.clamp(response.rect.left(), response.rect.right()));
                if (end - start).abs() * f64::from(scale_width(scale)) / scale.span().days() > 4.0 {
                    self.view = Some(super::scale::Span::between(start, end));
                }
            }
            return None;
        }
        let mut picked = None;
        if (response.clicked() || response.dragged_by(egui::PointerButton::Primary))
            && let Some(p) = response.interact_pointer_pos()
        {
            picked = scale.date_at(p.x).filter(|d| *d != date);
        }
        if response.has_focus() {
            let (left, right) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::ArrowLeft),
                    i.key_pressed(egui::Key::ArrowRight),
                )
            });
            if left {
                picked = Some(retreat(date, self.step));
            } else if right {
                picked = Some(advance(date, self.step));
            }
            if let Some(d) = picked {
                self.follow(d);
            }
        }
        picked
    }

    fn paint(&self, ui: &Ui, whole: Rect, plot: Rect, scale: &TimeScale, date: NaiveDate) {
        let painter = ui.painter_at(whole);
        let visuals = ui.visuals();
        painter.rect_filled(plot, 2.0, visuals.extreme_bg_color);
        let Some((_, months)) = &self.histogram else {
            return;
        };
        let shown = scale.months();
        let tallest = months
            .iter()
            .filter(|(m, _)| shown.contains(m))
            .map(|(_, c)| c.iter().sum::<u32>())
            .max()
            .unwrap_or(1)
            .max(1);
        let bars = painter.with_clip_rect(plot);
        let per_event = (plot.height() - 6.0) / tallest as f32;
        for (m, counts) in months.iter().filter(|(m, _)| shown.contains(m)) {
            let Some((a, b)) = scale.month_x(*m) else {
                continue;
            };
            // A hairline between neighbours when there is room for one.
            let gap = if b - a > 4.0 { 1.0 } else { 0.0 };
            let mut y = plot.bottom();
            for (slot, kind) in EventType::ALL.iter().enumerate() {
                let h = counts[slot] as f32 * per_event;
                if h <= 0.0 {
                    continue;
                }
                let bar = Rect::from_min_max(
                    Pos2::new(a + gap, y - h),
                    Pos2::new((b - gap).max(a + gap + 1.0), y),
                );
                bars.rect_filled(bar, 0.0, theme::event_colour(*kind));
                y -= h;
            }
        }
        // The axis: a tick and a label at each mark, under the plot.
        let text = visuals.weak_text_color();
        for (_, x, label) in scale.marks(68.0) {
            painter.line_segment(
                [
                    Pos2::new(x, plot.bottom()),
                    Pos2::new(x, plot.bottom() + 3.0),
                ],
                Stroke::new(1.0, text),
            );
            painter.text(
                Pos2::new(x + 2.0, plot.bottom() + 2.0),
                Align2::LEFT_TOP,
                label,
                FontId::proportional(10.5),
                text,
            );
        }
        // The brushed span, while drawn.
        if let (Some(start), Some(p)) = (self.brush, ui.input(|i| i.pointer.latest_pos())) {
            let (a, b) = (scale.x(start), p.x.clamp(plot.left(), plot.right()));
            let span = Rect::from_x_y_ranges(a.min(b)..=a.max(b), plot.y_range());
            painter.rect_filled(span, 0.0, theme::TIME_BRUSH);
        }
        // The date: a line with a handle on top, or an arrow at the side it lies beyond.
        let x = scale.x_of(date);
        let y = plot.top() + 6.0;
        if x < plot.left() || x > plot.right() {
            let (edge, dir) = if x < plot.left() {
                (plot.left(), -1.0)
            } else {
                (plot.right(), 1.0)
            };
            painter.add(egui::Shape::convex_polygon(
                vec![
                    Pos2::new(edge + dir * 7.0, y),
                    Pos2::new(edge, y - 6.0),
                    Pos2::new(edge, y + 6.0),
                ],
                theme::SELECTED,
                Stroke::new(1.0, theme::SELECTED_EDGE),
            ));
        } else {
            painter.line_segment(
                [Pos2::new(x, plot.top()), Pos2::new(x, plot.bottom())],
                Stroke::new(2.0, theme::SELECTED),
            );
            painter.add(egui::Shape::convex_polygon(
                vec![
                    Pos2::new(x - 5.0, plot.top()),
                    Pos2::new(x + 5.0, plot.top()),
                    Pos2::new(x, plot.top() + 7.0),
                ],
                theme::SELECTED,
                Stroke::new(1.0, theme::SELECTED_EDGE),
            ));
        }
    }

    /// The month under the pointer: its name and its events by type.
    fn hover_tip(&self, lang: Lang, response: &egui::Response, scale: &TimeScale) {
        let Some(p) = response.hover_pos() else {
            return;
        };
        if self.brush.is_some() || response.dragged() {
            return;
        }
        let Some(day) = scale.date_at(p.x) else {
            return;
        };
        let month = super::scale::month_index(day);
        let counts = self
            .histogram
            .as_ref()
            .and_then(|(_, months)| months.iter().find(|(m, _)| *m == month))
            .map(|(_, c)| *c)
            .unwrap_or_default();
        let title = month_start(month)
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default();
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.strong(format!("{title} · {day}"));
            for (slot, kind) in EventType::ALL.iter().enumerate() {
                if counts[slot] > 0 {
                    ui.colored_label(
                        theme::event_colour(*kind),
                        format!("{} {}", counts[slot], lang.event(*kind)),
                    );
                }
            }
            if counts.iter().all(|c| *c == 0) {
                ui.weak(lang.t(T::NoEventsThisMonth));
            }
        });
    }
}

fn scale_width(scale: &TimeScale) -> f32 {
    (scale.x(scale.span().to) - scale.x(scale.span().from)).max(1.0)
}

/// A swatch and name for each event type, beside the chart.
fn legend(ui: &Ui, lang: Lang, rect: Rect) {
    let painter = ui.painter_at(rect);
    let text = ui.visuals().text_color();
    for (k, kind) in EventType::ALL.iter().enumerate() {
        let y = rect.top() + 4.0 + k as f32 * 14.0;
        painter.rect_filled(
            Rect::from_min_size(Pos2::new(rect.left(), y + 2.0), vec2(10.0, 9.0)),
            1.0,
            theme::event_colour(*kind),
        );
        painter.text(
            Pos2::new(rect.left() + 14.0, y),
            Align2::LEFT_TOP,
            lang.event(*kind),
            FontId::proportional(11.0),
            text,
        );
    }
}
