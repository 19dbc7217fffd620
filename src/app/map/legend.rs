//! What is drawn over the map: the legend, the scale bar and the attribution.

use super::*;

/// Legend, scale bar and attribution drawn over the map.
pub(super) fn overlays_ui(
    ui: &mut Ui,
    t: &Transform,
    projector: &Projector,
    lang: Lang,
    attribution: &str,
    cache: &StripCache,
    legend_layers: &[(String, Color32)],
) {
    let painter = ui.painter().with_clip_rect(t.rect);
    let rect = t.rect;
    // Legend, top right.
    let rows: Vec<(String, Color32)> = Status::ALL
        .iter()
        .map(|s| (lang.status(*s).to_owned(), theme::status_colour(*s)))
        .chain([(lang.t(T::OtherFeature).to_owned(), theme::NON_STRIP)])
        .collect();
    let legend_w = 190.0;
    let legend = Rect::from_min_size(
        rect.right_top() + vec2(-legend_w - 10.0, 10.0),
        vec2(
            legend_w,
            22.0 + 18.0 * (rows.len() as f32 + 1.0 + legend_layers.len() as f32),
        ),
    );
    painter.rect_filled(legend, 4.0, theme::MAP_PANEL_FILL);
    painter.text(
        legend.min + vec2(8.0, 6.0),
        Align2::LEFT_TOP,
        format!("{} {}", lang.t(T::StatusOn), cache.date),
        FontId::proportional(12.0),
        Color32::BLACK,
    );
    for (i, (label, colour)) in rows.iter().enumerate() {
        let y = legend.top() + 30.0 + 18.0 * i as f32;
        painter.circle(
            Pos2::new(legend.left() + 14.0, y),
            5.0,
            *colour,
            Stroke::new(1.0, Color32::WHITE),
        );
        painter.text(
            Pos2::new(legend.left() + 26.0, y),
            Align2::LEFT_CENTER,
            label,
            FontId::proportional(12.0),
            Color32::BLACK,
        );
    }
    let y = legend.top() + 30.0 + 18.0 * rows.len() as f32;
    basemap::aerodrome_symbol(&painter, Pos2::new(legend.left() + 14.0, y));
    painter.text(
        Pos2::new(legend.left() + 26.0, y),
        Align2::LEFT_CENTER,
        lang.t(T::Aerodrome),
        FontId::proportional(12.0),
        Color32::BLACK,
    );
    for (i, (name, colour)) in legend_layers.iter().enumerate() {
        let y = y + 18.0 * (i as f32 + 1.0);
        let at = Pos2::new(legend.left() + 14.0, y);
        painter.add(egui::Shape::convex_polygon(
            vec![
                at + vec2(0.0, -6.0),
                at + vec2(6.0, 0.0),
                at + vec2(0.0, 6.0),
                at + vec2(-6.0, 0.0),
            ],
            *colour,
            Stroke::new(1.0, Color32::WHITE),
        ));
        let galley = painter.layout(
            name.clone(),
            FontId::proportional(12.0),
            Color32::BLACK,
            legend_w - 32.0,
        );
        painter.galley(
            Pos2::new(legend.left() + 26.0, y - galley.size().y / 2.0),
            galley,
            Color32::BLACK,
        );
    }

    // Scale bar, bottom left: the longest round distance that fits in 120 points.
    let centre = projector.unproject(rect.center().to_vec2());
    let px_per_m = f64::from(projector.scale_pixel_per_meter(centre));
    if px_per_m > 0.0 {
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

    // Attribution of what is drawn, bottom right.
    let galley = painter.layout_no_wrap(
        attribution.to_owned(),
        FontId::proportional(11.0),
        Color32::from_gray(40),
    );
    let at = rect.right_bottom() - galley.size() - vec2(6.0, 4.0);
    painter.rect_filled(
        Rect::from_min_size(at, galley.size()).expand(3.0),
        2.0,
        theme::MAP_PANEL_FILL,
    );
    painter.galley(at, galley, Color32::from_gray(40));
}
