//! Every colour and size the window draws with. Nowhere else builds a `Color32` from numbers:
//! clippy's `disallowed-methods` (clippy.toml) refuses `Color32`'s constructors outside this
//! file.
#![allow(clippy::disallowed_methods)]

use egui::Color32;

use crate::model::Status;

/// Histogram colour for an event type.
pub fn event_colour(kind: crate::model::EventType) -> Color32 {
    use crate::model::EventType;
    match kind {
        EventType::Built => Color32::from_rgb(0xb8, 0x1d, 0x1d),
        EventType::Sighted => Color32::from_rgb(0xf0, 0x6a, 0x6a),
        EventType::Destroyed => status_colour(Status::Destroyed),
        EventType::Rebuilt => status_colour(Status::Rebuilt),
        EventType::Reported => status_colour(Status::Unknown),
    }
}

/// Strip colour for a status.
pub fn status_colour(status: Status) -> Color32 {
    let [r, g, b] = status.rgb();
    Color32::from_rgb(r, g, b)
}

pub const STRIP_OUTLINE: Color32 = Color32::WHITE;
/// A strip's name on the map.
pub const STRIP_LABEL: Color32 = Color32::BLACK;
pub const SELECTED: Color32 = Color32::from_rgb(0xff, 0xd4, 0x00);
/// The outline of the timeline's date handle.
pub const SELECTED_EDGE: Color32 = Color32::from_rgb(0x8a, 0x70, 0x00);
/// A span being brushed on the timeline.
pub const TIME_BRUSH: Color32 = Color32::from_rgba_premultiplied(0x20, 0x50, 0x90, 0x40);
pub const HOVERED: Color32 = Color32::from_rgb(0x00, 0xe5, 0xff);
/// Colours given to imported layers in turn: apart from the status colours, the legend's
/// "Other feature" purple and each other (the first was a purple like it).
pub const LAYER_PALETTE: [Color32; 6] = [
    Color32::from_rgb(0x00, 0x83, 0x8f),
    Color32::from_rgb(0xec, 0x40, 0x7a),
    Color32::from_rgb(0x55, 0x8b, 0x2f),
    Color32::from_rgb(0x8d, 0x5a, 0x2b),
    Color32::from_rgb(0x1a, 0x23, 0x7e),
    Color32::from_rgb(0xaf, 0xb4, 0x2b),
];

/// Text on the map's panels (legend, scale bar, attribution) and the legend's fold sign.
pub const MAP_TEXT: Color32 = Color32::BLACK;
pub const ATTRIBUTION_TEXT: Color32 = Color32::from_gray(40);
pub const FOLD_SIGN: Color32 = Color32::from_gray(60);
/// A cluster's count.
pub const CLUSTER_TEXT: Color32 = Color32::from_gray(20);
/// Behind a marker, a cluster's middle, an aerodrome's sign.
pub const MARKER_FILL: Color32 = Color32::WHITE;
/// The "tiles unavailable" banner over the map.
pub const TILE_ERROR_FILL: Color32 = Color32::from_rgba_premultiplied(108, 36, 18, 230);
pub const TILE_ERROR_TEXT: Color32 = Color32::WHITE;
/// Behind a caption over an image.
pub const CAPTION_BACKDROP: Color32 = Color32::from_black_alpha(170);
pub const CAPTION_TEXT: Color32 = Color32::WHITE;

/// A colour from `#rrggbb` (a project file's layer colour).
pub fn parse_hex(text: &str) -> Option<Color32> {
    let t = text.strip_prefix('#')?;
    if t.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(t, 16).ok()?;
    Some(Color32::from_rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

pub const NON_STRIP: Color32 = Color32::from_rgb(0x6a, 0x3d, 0x9a);
pub const WINDOW_HALO: Color32 = Color32::from_rgba_premultiplied(0x80, 0x20, 0x80, 0x50);
pub const MEASURE: Color32 = Color32::from_rgb(0x10, 0x10, 0x90);
pub const LIFELINE_UNKNOWN: Color32 = Color32::from_rgb(0xdd, 0xdd, 0xdd);
pub const DRAFT: Color32 = Color32::from_rgb(0xc0, 0x00, 0xc0);

pub const LAND: Color32 = Color32::from_rgb(0xf2, 0xef, 0xe6);
pub const COUNTRY_BORDER: Color32 = Color32::from_rgb(0x6b, 0x5b, 0x4b);
pub const DEPARTMENT_BORDER: Color32 = Color32::from_rgb(0xa8, 0x98, 0x88);
pub const DEPARTMENT_LABEL: Color32 = Color32::from_rgb(0x8a, 0x7a, 0x6a);
pub const RIVER: Color32 = Color32::from_rgb(0x5d, 0x9c, 0xd6);
/// Lakes of the world basemap.
pub const LAKE: Color32 = Color32::from_rgb(0xb9, 0xd6, 0xee);
pub const RIVER_LABEL: Color32 = Color32::from_rgb(0x1f, 0x5f, 0x9f);
pub const TOWN: Color32 = Color32::from_rgb(0x33, 0x33, 0x33);
pub const TOWN_HALO: Color32 = Color32::from_rgba_premultiplied(0xf2, 0xef, 0xe6, 0xc0);
pub const AERODROME: Color32 = Color32::from_rgb(0x00, 0x6d, 0x5b);
pub const SCALE_BAR: Color32 = Color32::from_rgb(0x20, 0x20, 0x20);
pub const MAP_PANEL_FILL: Color32 = Color32::from_rgba_premultiplied(0xf8, 0xf8, 0xf8, 0xe0);
pub const ERROR_TEXT: Color32 = Color32::from_rgb(0xc0, 0x20, 0x20);
/// The columns a spreadsheet's locations come from, in the import preview.
pub const IMPORT_COLUMN: Color32 = Color32::from_rgb(0x00, 0x5f, 0xb8);
/// Evidence intact, a source archived.
pub const OK_TEXT: Color32 = Color32::from_rgb(0x1a, 0x7f, 0x37);
/// Words that say little: a thumbnail still decoding, a file's kind.
pub const MUTED_TEXT: Color32 = Color32::from_rgb(0x60, 0x60, 0x60);
/// Behind a thumbnail.
pub const PANEL_FILL: Color32 = Color32::from_rgb(0xe8, 0xe8, 0xe8);
pub const WARNING_TEXT: Color32 = Color32::from_rgb(0xa0, 0x60, 0x00);

/// Marker radius of a point strip, in points.
pub const STRIP_RADIUS_PX: f32 = 5.5;
/// Width of a runway line, in points.
pub const RUNWAY_WIDTH_PX: f32 = 4.0;
/// A runway is drawn at least this long on screen, whatever the zoom.
pub const MIN_RUNWAY_PX: f32 = 16.0;
/// How far from a strip a click still selects it, in points.
pub const HIT_TOLERANCE_PX: f32 = 6.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: Color32, b: Color32) -> f32 {
        let d = |x: u8, y: u8| (f32::from(x) - f32::from(y)).powi(2);
        (d(a.r(), b.r()) + d(a.g(), b.g()) + d(a.b(), b.b())).sqrt()
    }

    #[test]
    fn layer_colours_stand_apart_from_the_legends_colours_and_each_other() {
        let mut legend: Vec<Color32> = Status::ALL.iter().map(|s| status_colour(*s)).collect();
        legend.push(NON_STRIP);
        for (i, c) in LAYER_PALETTE.iter().enumerate() {
            for l in &legend {
                assert!(distance(*c, *l) > 60.0, "layer colour {i} is like {l:?}");
            }
            for (j, other) in LAYER_PALETTE.iter().enumerate().skip(i + 1) {
                assert!(distance(*c, *other) > 60.0, "layer colours {i} and {j}");
            }
        }
    }
}
