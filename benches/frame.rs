//! A full frame of the window (layout, painting and tessellation) with 10k and 100k
//! generated strips, headless: the whole data in view (aggregated) and a zoomed-in view,
//! each frame panned a little from the last. Also the hover/click hit test.
//!
//! Run: `cargo bench --bench frame` (figures in BENCHMARKS.md). The 1,000,000-strip rows
//! take minutes to set up (a 1.5 GB file is written and opened) and run on demand:
//! `PISTAS_BENCH_1M=1 cargo bench --bench frame -- 1000000`.

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use egui::{pos2, vec2};
use pistas::analysis::Filter;
use pistas::app::i18n::Lang;
use pistas::app::{PistasApp, ScriptedDialogs, Settings, Tab};
use pistas::io::{WriteOptions, write_geojson};
use pistas::model::Status;
use pistas::model::synthetic;

#[path = "common/headless.rs"]
mod headless;
use headless::{frame, input};

fn frames(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut sizes = vec![10_000usize, 100_000];
    if std::env::var_os("PISTAS_BENCH_1M").is_some() {
        sizes.push(1_000_000);
    }
    for strips in sizes {
        let path = dir.path().join(format!("{strips}.geojson"));
        let options = WriteOptions {
            status_date: "2026-01-01".parse().expect("date"),
        };
        // The generated document is let go before the window opens the file: at 1M it
        // holds 3 GB that the window, opened from the file alone, would not have.
        let text = write_geojson(&synthetic::generate(strips, 1), &options);
        std::fs::write(&path, text).expect("write");
        // Open to the first full frame, three times (a criterion loop of opens at 1M would
        // take many minutes): each time and the median are printed beside the rows. The
        // window of the last open is the one the rows below use.
        let open = || {
            let ctx = egui::Context::default();
            let opening = std::time::Instant::now();
            let mut app = PistasApp::with_context(
                &ctx,
                Settings::default(),
                Some(path.clone()),
                Box::new(ScriptedDialogs::default()),
                None,
                Some(Lang::En),
                None,
            );
            frame(&ctx, &mut app);
            // A large file opens in the background: frames run (as the window repaints
            // while a job runs) until it is in, and its first full frame is drawn.
            while app.is_busy() {
                std::thread::sleep(std::time::Duration::from_millis(20));
                frame(&ctx, &mut app);
            }
            frame(&ctx, &mut app);
            assert!(
                app.document().features().len() >= strips,
                "the file is open"
            );
            (opening.elapsed().as_secs_f64(), ctx, app)
        };
        let mut times = Vec::new();
        let (ctx, mut app) = loop {
            let (seconds, ctx, app) = open();
            times.push(seconds);
            if times.len() == 3 {
                break (ctx, app);
            }
            // The window is let go before the next open, as when a file is opened again.
            drop((ctx, app));
        };
        let shown: Vec<String> = times.iter().map(|t| format!("{t:.2}")).collect();
        times.sort_by(f64::total_cmp);
        eprintln!(
            "frame/open_to_first_frame/{strips}: median {:.2} s (runs: {} s)",
            times[1],
            shown.join(", ")
        );
        for _ in 0..2 {
            frame(&ctx, &mut app);
        }
        // The whole VRAEM in view: every strip drawn, aggregated on the screen grid.
        for (view, zoom) in [("all", 8.0), ("zoomed", 12.0)] {
            let mut step = 0u32;
            group.bench_function(BenchmarkId::new(format!("pan_{view}"), strips), |b| {
                b.iter(|| {
                    step += 1;
                    let dx = f64::from(step % 20) * 0.002;
                    app.set_view(-74.0 + dx, -12.4, zoom);
                    frame(&ctx, &mut app)
                })
            });
        }
        // An edit (rename) and the frame that shows it: caches follow the document.
        let mut n = 0u32;
        group.bench_function(BenchmarkId::new("edit_and_frame", strips), |b| {
            b.iter(|| {
                n += 1;
                app.rename(5, &format!("renamed {n}"));
                frame(&ctx, &mut app)
            })
        });
        // A new date: every strip's status, the filters and what the map draws.
        app.set_filter(Filter {
            min_rebuilt: 1,
            statuses: vec![Status::Rebuilt, Status::Active],
            ..Filter::default()
        });
        let mut day = 0u64;
        group.bench_function(
            BenchmarkId::new("new_date_restatus_refilter", strips),
            |b| {
                b.iter(|| {
                    day = (day + 7) % 2000;
                    let date =
                        NaiveDate::from_ymd_opt(2012, 1, 1).expect("date") + chrono::Days::new(day);
                    app.set_date(date);
                    // What the filters panel shows (the app counts nothing more for a date).
                    app.shown_count()
                })
            },
        );
        app.set_filter(Filter::default());
        // The table at 100k rows, scrolled a little every frame.
        app.show_tab(Tab::Table);
        for _ in 0..3 {
            frame(&ctx, &mut app);
        }
        group.bench_function(BenchmarkId::new("table_scroll", strips), |b| {
            b.iter(|| {
                let mut input = input();
                input
                    .events
                    .push(egui::Event::PointerMoved(pos2(600.0, 400.0)));
                input.events.push(egui::Event::MouseWheel {
                    unit: egui::MouseWheelUnit::Point,
                    delta: vec2(0.0, -120.0),
                    phase: egui::TouchPhase::Move,
                    source: egui::MouseWheelSource::Wheel,
                    modifiers: Default::default(),
                });
                let out = ctx.run_ui(input, |ui| app.frame_ui(ui));
                ctx.tessellate(out.shapes, out.pixels_per_point).len()
            })
        });
        app.show_tab(Tab::Map);
        app.set_view(-74.0, -12.4, 12.0);
        frame(&ctx, &mut app);
        let mut k = 0u32;
        group.bench_function(BenchmarkId::new("hit_test", strips), |b| {
            b.iter(|| {
                k = (k + 37) % 900;
                app.pick(pos2(100.0 + (k % 600) as f32, 100.0 + (k % 500) as f32))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);

/// The allocator the application uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
