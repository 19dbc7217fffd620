//! Opens a file in the window, headless, and draws frames until its first full frame:
//! prints the time it took. Run under `/usr/bin/time -f %M` for the window's peak memory
//! with that file (BENCHMARKS.md):
//!
//! ```text
//! cargo build --release --examples
//! /usr/bin/time -f "%M KB" target/release/examples/open_window FILE
//! ```
use egui::{Pos2, RawInput, Rect, vec2};
use pistas::app::i18n::Lang;
use pistas::app::{PistasApp, ScriptedDialogs, Settings};

/// The application's allocator, as `pistas` itself has.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs one frame and tessellates it, as eframe does before handing meshes to the GPU.
fn frame(ctx: &egui::Context, app: &mut PistasApp) {
    let input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))),
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| app.frame_ui(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point);
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: open_window FILE");
        std::process::exit(2);
    };
    let ctx = egui::Context::default();
    let opening = std::time::Instant::now();
    let mut app = PistasApp::with_context(
        &ctx,
        Settings::default(),
        Some(path.clone().into()),
        Box::new(ScriptedDialogs::default()),
        None,
        Some(Lang::En),
        None,
    );
    frame(&ctx, &mut app);
    while app.is_busy() {
        std::thread::sleep(std::time::Duration::from_millis(20));
        frame(&ctx, &mut app);
    }
    frame(&ctx, &mut app);
    println!(
        "{path}: {} features, open to the first full frame in {:.2} s",
        app.document().features().len(),
        opening.elapsed().as_secs_f64()
    );
}
