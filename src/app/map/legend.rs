//! What is drawn over the map: the legend, the scale bar and the attribution.

use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Stroke, Ui, vec2};
use walkers::Projector;

use super::strips::StripCache;
use super::transform::Transform;
use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::model::Status;

/// The height of one row of the unfolded legend.
const ROW: f32 = 16.0;

/// Legend, scale bar and attribution drawn over the map. The legend is compact and folds
/// to its title line with a click, so it never has to cover data.
pub(super) fn overlays_ui(ui: &mut Ui, t: &Transform, projector: &Projector, legend: Legend<'_>) {
    let painter = ui.painter().with_clip_rect(t.rect);
    let attribution = legend.attribution;
    legend_ui(ui, &painter, t.rect, legend);
    scale_bar(&painter, t.rect, projector);
    attribution_text(&painter, t.rect, attribution);
}

/// The legend in the top right corner: its title line folds and unfolds it on a click.
fn legend_ui(ui: &mut Ui, painter: &Painter, rect: Rect, legend: Legend<'_>) {
    let Legend {
        lang,
        attribution: _,
        cache,
        layers: legend_layers,
        open,
    } = legend;
    let font = FontId::proportional(12.0);
    let rows = legend_rows(lang, legend_layers);
    let title = format!("{} {}", lang.t(T::StatusOn), cache.date);
    let width = legend_width(painter, &font, &title, &rows, rect);
    let height = if *open {
        24.0 + ROW * rows.len() as f32
    } else {
        20.0
    };
    let area = Rect::from_min_size(
        rect.right_top() + vec2(-width - 8.0, 8.0),
        vec2(width, height),
    );
    let header = Rect::from_min_size(area.min, vec2(width, 20.0));
    let response = ui
        .interact(
            header,
            egui::Id::unique("pistas-legend"),
            egui::Sense::click(),
        )
        .on_hover_text(lang.t(T::LegendToggle));
    if response.clicked() {
        *open = !*open;
    }
    painter.rect_filled(area, 4.0, theme::MAP_PANEL_FILL);
    fold_sign(painter, area.min + vec2(12.0, 10.0), *open);
    painter.text(
        area.min + vec2(22.0, 4.0),
        Align2::LEFT_TOP,
        title,
        font.clone(),
        theme::MAP_TEXT,
    );
    if *open {
        for (i, (label, swatch)) in rows.iter().enumerate() {
            let y = area.top() + 30.0 + ROW * i as f32;
            legend_row(painter, (area.left(), y), swatch, label, &font, width);
        }
    }
}

/// The legend's rows: each status, other features, aerodromes, then the imported layers.
fn legend_rows(lang: Lang, layers: &[(String, Color32)]) -> Vec<(String, Swatch)> {
    let mut rows: Vec<(String, Swatch)> = Status::ALL
        .iter()
        .map(|s| {
            (
                lang.status(*s).to_owned(),
                Swatch::Disc(theme::status_colour(*s)),
            )
        })
        .chain([
            (
                lang.t(T::OtherFeature).to_owned(),
                Swatch::Disc(theme::NON_STRIP),
            ),
            (lang.t(T::Aerodrome).to_owned(), Swatch::Aerodrome),
        ])
        .collect();
    rows.extend(
        layers
            .iter()
            .map(|(name, colour)| (name.clone(), Swatch::Diamond(*colour))),
    );
    rows
}

/// The legend's width: its widest line, within 80 points and 45% of the map.
fn legend_width(
    painter: &Painter,
    font: &FontId,
    title: &str,
    rows: &[(String, Swatch)],
    rect: Rect,
) -> f32 {
    let title_w = painter
        .layout_no_wrap(title.to_owned(), font.clone(), theme::MAP_TEXT)
        .size()
        .x;
    let widest = rows
        .iter()
        .map(|(label, _)| {
            painter
                .layout_no_wrap(label.clone(), font.clone(), theme::MAP_TEXT)
                .size()
                .x
                + 24.0
        })
        .fold(title_w + 14.0, f32::max);
    (widest + 16.0).min(rect.width() * 0.45).max(80.0)
}

/// A triangle centred on `c` that points down when unfolded, right when folded.
fn fold_sign(painter: &Painter, c: Pos2, open: bool) {
    let corners = if open {
        vec![
            c + vec2(-4.0, -2.5),
            c + vec2(4.0, -2.5),
            c + vec2(0.0, 3.5),
        ]
    } else {
        vec![
            c + vec2(-2.5, -4.0),
            c + vec2(3.5, 0.0),
            c + vec2(-2.5, 4.0),
        ]
    };
    painter.add(egui::Shape::convex_polygon(
        corners,
        theme::FOLD_SIGN,
        Stroke::NONE,
    ));
}

/// One legend row at the legend's left edge and the row's middle: its swatch and its
/// label beside it, wrapped to the legend.
fn legend_row(
    painter: &Painter,
    (left, y): (f32, f32),
    swatch: &Swatch,
    label: &str,
    font: &FontId,
    width: f32,
) {
    let at = Pos2::new(left + 14.0, y);
    match swatch {
        Swatch::Disc(colour) => {
            painter.circle(at, 5.0, *colour, Stroke::new(1.0, theme::MARKER_FILL));
        }
        Swatch::Aerodrome => super::basemap::aerodrome_symbol(painter, at),
        Swatch::Diamond(colour) => {
            painter.add(egui::Shape::convex_polygon(
                vec![
                    at + vec2(0.0, -6.0),
                    at + vec2(6.0, 0.0),
                    at + vec2(0.0, 6.0),
                    at + vec2(-6.0, 0.0),
                ],
                *colour,
                Stroke::new(1.0, theme::MARKER_FILL),
            ));
        }
    }
    let galley = painter.layout(
        label.to_owned(),
        font.clone(),
        theme::MAP_TEXT,
        width - 30.0,
    );
    painter.galley(
        Pos2::new(left + 26.0, y - galley.size().y / 2.0),
        galley,
        theme::MAP_TEXT,
    );
}

/// Scale bar, bottom left: the longest round distance that fits in 120 points.
fn scale_bar(painter: &Painter, rect: Rect, projector: &Projector) {
    let centre = projector.unproject(rect.center().to_vec2());
    let px_per_m = f64::from(projector.scale_pixel_per_meter(centre));
    if px_per_m <= 0.0 {
        return;
    }
    let max_m = 120.0 / px_per_m;
    let magnitude = 10f64.powf(max_m.log10().floor());
    let nice = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * magnitude)
        .find(|d| *d <= max_m)
        .unwrap_or(magnitude);
    let width = (nice * px_per_m) as f32;
    let base = rect.left_bottom() + vec2(14.0, -30.0);
    let bg = Rect::from_min_max(base + vec2(-6.0, -20.0), base + vec2(width + 8.0, 8.0));
    painter.rect_filled(bg, 3.0, theme::MAP_PANEL_FILL);
    let stroke = Stroke::new(2.0, theme::SCALE_BAR);
    painter.line_segment([base, base + vec2(width, 0.0)], stroke);
    painter.line_segment([base, base + vec2(0.0, -6.0)], stroke);
    painter.line_segment([base + vec2(width, 0.0), base + vec2(width, -6.0)], stroke);
    let text = if nice >= 1000.0 {
        format!("{} km", nice / 1000.0)
    } else {
        format!("{nice} m")
    };
    painter.text(
        base + vec2(width / 2.0, -8.0),
        Align2::CENTER_BOTTOM,
        text,
        FontId::proportional(11.0),
        theme::SCALE_BAR,
    );
}

/// Attribution of what is drawn, bottom right, wrapped to the map's width.
fn attribution_text(painter: &Painter, rect: Rect, attribution: &str) {
    let galley = painter.layout(
        attribution.to_owned(),
        FontId::proportional(11.0),
        theme::ATTRIBUTION_TEXT,
        (rect.width() - 24.0).max(60.0),
    );
    let at = rect.right_bottom() - galley.size() - vec2(6.0, 4.0);
    painter.rect_filled(
        Rect::from_min_size(at, galley.size()).expand(3.0),
        2.0,
        theme::MAP_PANEL_FILL,
    );
    painter.galley(at, galley, theme::ATTRIBUTION_TEXT);
}

/// What the legend shows, and whether it is unfolded.
pub(super) struct Legend<'a> {
    pub lang: Lang,
    pub attribution: &'a str,
    pub cache: &'a StripCache,
    pub layers: &'a [(String, Color32)],
    pub open: &'a mut bool,
}

enum Swatch {
    Disc(Color32),
    Aerodrome,
    Diamond(Color32),
}
