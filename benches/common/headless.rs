//! One headless window frame as the benchmarks measure it: 1400 × 900 points, laid out,
//! painted and tessellated (texture upload to a GPU is not part of it).

use egui::{Pos2, RawInput, Rect, vec2};
use pistas::app::PistasApp;

pub fn input() -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))),
        ..Default::default()
    }
}

/// Runs one frame and tessellates it, as eframe does before handing meshes to the GPU;
/// the number of meshes.
pub fn frame(ctx: &egui::Context, app: &mut PistasApp) -> usize {
    let out = ctx.run_ui(input(), |ui| app.frame_ui(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}
