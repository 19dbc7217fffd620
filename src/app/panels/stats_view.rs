//! The statistics panel: the library's figures for the filtered strips at the timeline's
//! date (the same code as `pistas stats`), with charts, CSV export and PNG of a chart.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

use crate::analysis::Stats;
use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::model::{EventType, Status};

/// What the panel asked for.
#[derive(Debug, Clone)]
pub enum StatsAction {
    /// Select and centre a strip (by id).
    Show(String),
    ExportCsv,
    /// Save the chart drawn in this screen rectangle as PNG.
    SavePng(egui::Rect),
}

/// Bin width of the days-to-rebuild histogram.
const BIN_DAYS: i64 = 7;

/// The statistics panel: the heading with CSV export, counts by status, the events per
/// month, the days to rebuild, the figures per operation and the most rebuilt strips.
pub fn stats_ui(ui: &mut Ui, lang: Lang, stats: &Stats) -> Option<StatsAction> {
    let mut action = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if heading_ui(ui, lang, stats) {
                action = Some(StatsAction::ExportCsv);
            }
            ui.separator();
            if let Some(rect) = per_month_ui(ui, lang, stats) {
                action = Some(StatsAction::SavePng(rect));
            }
            ui.separator();
            days_to_rebuild_ui(ui, lang, stats);
            ui.separator();
            per_operation_ui(ui, lang, stats);
            ui.separator();
            if let Some(id) = most_rebuilt_ui(ui, lang, stats) {
                action = Some(StatsAction::Show(id));
            }
        });
    action
}

/// How many strips at which date, with the CSV export button, and how many of each
/// status; true when the export was clicked.
fn heading_ui(ui: &mut Ui, lang: Lang, stats: &Stats) -> bool {
    let mut export = false;
    ui.horizontal(|ui| {
        ui.heading(lang.fill(
            T::StatsHeading,
            &[&stats.strips.to_string(), &stats.at.to_string()],
        ));
        export = ui.button(lang.t(T::ExportStatsCsv)).clicked();
    });
    ui.horizontal_wrapped(|ui| {
        for (status, n) in &stats.by_status {
            ui.label(
                RichText::new(format!("{}: {n}", lang.status(*status)))
                    .strong()
                    .color(theme::status_colour(*status)),
            );
            ui.add_space(12.0);
        }
    });
    export
}

/// Destructions and rebuilds per month as a bar chart; when its PNG button was clicked,
/// the chart's rectangle on screen.
fn per_month_ui(ui: &mut Ui, lang: Lang, stats: &Stats) -> Option<egui::Rect> {
    let mut save = false;
    ui.horizontal(|ui| {
        ui.strong(lang.t(T::PerMonth));
        save = ui.button(lang.t(T::SavePng)).clicked();
    });
    let (destroyed, rebuilt) = month_bars(stats);
    let plot = Plot::new("per-month")
        .height(180.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .legend(egui_plot::Legend::default())
        .x_grid_spacer(crate::app::panels::timeline::scale::month_grid)
        .x_axis_formatter(crate::app::panels::timeline::scale::month_label)
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(lang.event(EventType::Destroyed), destroyed)
                    .color(theme::event_colour(EventType::Destroyed)),
            );
            plot.bar_chart(
                BarChart::new(lang.event(EventType::Rebuilt), rebuilt)
                    .color(theme::event_colour(EventType::Rebuilt)),
            );
        });
    save.then_some(plot.response.rect)
}

/// Each month at its place in time (a month without events is a gap, not skipped), with
/// marks on quarters or years: its destructions left of it and its rebuilds right.
fn month_bars(stats: &Stats) -> (Vec<Bar>, Vec<Bar>) {
    let months: Vec<(f64, usize, usize)> = stats
        .per_month
        .iter()
        .filter_map(|(month, (d, r))| {
            let first =
                chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
            Some((
                f64::from(crate::app::panels::timeline::scale::month_index(first)),
                *d,
                *r,
            ))
        })
        .collect();
    let destroyed: Vec<Bar> = months
        .iter()
        .map(|(m, d, _)| Bar::new(m - 0.2, *d as f64).width(0.4))
        .collect();
    let rebuilt: Vec<Bar> = months
        .iter()
        .map(|(m, _, r)| Bar::new(m + 0.2, *r as f64).width(0.4))
        .collect();
    (destroyed, rebuilt)
}

/// The days from destruction to rebuilding: their figures and a weekly histogram.
fn days_to_rebuild_ui(ui: &mut Ui, lang: Lang, stats: &Stats) {
    ui.strong(lang.t(T::DaysToRebuild));
    let Some(d) = &stats.days_to_rebuild else {
        ui.label(lang.t(T::NoRebuilds));
        return;
    };
    ui.label(lang.fill(
        T::RebuildFigures,
        &[
            &d.count.to_string(),
            &lang.decimal(d.median, 1),
            &lang.decimal(d.mean, 1),
            &lang.decimal(d.q1, 1),
            &lang.decimal(d.q3, 1),
            &d.min.to_string(),
            &d.max.to_string(),
        ],
    ));
    let mut bins: std::collections::BTreeMap<i64, u32> = Default::default();
    for days in &stats.rebuild_days {
        *bins.entry(days.div_euclid(BIN_DAYS)).or_default() += 1;
    }
    let bars: Vec<Bar> = bins
        .iter()
        .map(|(b, n)| {
            Bar::new(
                (*b * BIN_DAYS) as f64 + BIN_DAYS as f64 / 2.0,
                f64::from(*n),
            )
            .width(BIN_DAYS as f64 * 0.9)
        })
        .collect();
    Plot::new("rebuild-days")
        .height(140.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_x(0.0)
        .x_axis_label(lang.t(T::DaysAxis))
        .x_grid_spacer(day_grid)
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(lang.t(T::DaysToRebuild), bars)
                    .color(theme::status_colour(Status::Rebuilt)),
            );
        });
}

/// Per operation: the strips it destroyed, how many were rebuilt after it, and the share.
fn per_operation_ui(ui: &mut Ui, lang: Lang, stats: &Stats) {
    ui.strong(lang.t(T::PerOperation));
    egui::Grid::new("per-operation")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            ui.strong(lang.t(T::Operation));
            ui.strong(lang.t(T::OpDestroyed));
            ui.strong(lang.t(T::RebuiltAfterOp));
            ui.strong(lang.t(T::Share));
            ui.end_row();
            for op in &stats.per_operation {
                ui.label(&op.operation);
                ui.label(op.destructions.to_string());
                ui.label(op.rebuilt_after.to_string());
                ui.label(format!("{} %", lang.decimal(op.share_rebuilt * 100.0, 0)));
                ui.end_row();
            }
        });
}

/// The most rebuilt strips, each a link; the id of the one clicked.
fn most_rebuilt_ui(ui: &mut Ui, lang: Lang, stats: &Stats) -> Option<String> {
    ui.strong(lang.t(T::MostRebuilt));
    let mut clicked = None;
    for r in &stats.most_rebuilt {
        let text = lang.fill(
            T::MostRebuiltRow,
            &[
                &r.name,
                &r.times_rebuilt.to_string(),
                &r.times_destroyed.to_string(),
            ],
        );
        if ui
            .link(text)
            .on_hover_text(lang.t(T::ClickToSelect))
            .clicked()
        {
            clicked = Some(r.id.clone());
        }
    }
    clicked
}

/// Encodes an egui image as PNG.
pub fn png_bytes(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let [w, h] = image.size;
        let mut encoder = png::Encoder::new(&mut out, w as u32, h as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
        writer.write_image_data(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_has_a_signature_and_size() {
        let image = egui::ColorImage::filled([3, 2], egui::Color32::RED);
        let bytes = png_bytes(&image).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (3, 2));
    }
}

/// Grid marks for a number of days: a step that reads well (1, 2, 5, 7, 10, 14, 30 … days)
/// with two to eight marks across, whatever the spread of the data.
fn day_grid(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    const STEPS: [f64; 14] = [
        1.0, 2.0, 5.0, 7.0, 10.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0, 730.0, 1825.0, 3650.0,
    ];
    let (min, max) = input.bounds;
    let span = (max - min).max(1.0);
    if !span.is_finite() {
        return Vec::new();
    }
    let step = STEPS
        .into_iter()
        .find(|s| span / s <= 8.0)
        .unwrap_or_else(|| (span / 8.0).ceil());
    let first = (min / step).ceil() * step;
    (0..)
        .map(|k| first + f64::from(k) * step)
        .take_while(|v| *v <= max)
        .map(|value| egui_plot::GridMark {
            value,
            step_size: step,
        })
        .collect()
}

#[cfg(test)]
mod axis_tests {
    #[test]
    fn day_axes_have_a_few_round_marks() {
        for (min, max) in [(0.0, 3.0), (0.0, 40.0), (0.0, 900.0), (-5.0, 12.0)] {
            let marks = super::day_grid(egui_plot::GridInput {
                bounds: (min, max),
                base_step_size: 0.01,
            });
            assert!(
                (2..=9).contains(&marks.len()),
                "{min}..{max}: {}",
                marks.len()
            );
        }
    }
}
