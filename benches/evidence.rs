//! Evidence in the window, headless (as `frame.rs`): a full frame with a strip selected
//! whose history holds 200 thumbnails (decoded first, off the UI thread, then cached), and
//! a frame at a new timeline date with 100 georeferenced images in view (each strip's
//! latest image on or before the date). Also the imagery index's answer alone.
//!
//! Run: `cargo bench --bench evidence` (figures in BENCHMARKS.md).

use std::path::Path;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use pistas::app::i18n::Lang;
use pistas::app::{PistasApp, ScriptedDialogs, Settings};
use pistas::io::evidence::{self as ev, AddOptions};
use pistas::io::{WriteOptions, write_geojson};
use pistas::model::{Document, Event, EventType, Feature, FeatureId, FuzzyDate};

#[path = "common/headless.rs"]
mod headless;
use headless::frame;

/// A 320 × 240 picture, different for each `n`.
fn picture(dir: &Path, n: usize) -> std::path::PathBuf {
    let image = image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb([
            (x as usize + n) as u8,
            (y as usize * 3 + n * 7) as u8,
            (n * 13) as u8,
        ])
    });
    let file = dir.join(format!("p{n}.png"));
    image.save(&file).expect("png");
    file
}

fn placed(folder: &Path, file: &Path, footprint: [f64; 4]) -> pistas::model::Evidence {
    let item = ev::store(folder, file, &AddOptions::default())
        .expect("store")
        .item;
    let [w, s, e, n] = footprint;
    item.with_member("footprint", &format!("[{w},{s},{e},{n}]"))
        .expect("footprint")
}

fn open(path: &Path) -> (egui::Context, PistasApp) {
    let ctx = egui::Context::default();
    let mut app = PistasApp::with_context(
        &ctx,
        Settings::default(),
        Some(path.to_path_buf()),
        Box::new(ScriptedDialogs::default()),
        None,
        Some(Lang::En),
        None,
    );
    frame(&ctx, &mut app);
    (ctx, app)
}

/// Frames until every picture asked for is decoded and the check is done.
fn settle(ctx: &egui::Context, app: &mut PistasApp) {
    let start = std::time::Instant::now();
    loop {
        frame(ctx, app);
        if !app.is_busy() && app.pictures_pending() == 0 {
            break;
        }
        assert!(start.elapsed().as_secs() < 120, "pictures did not decode");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    frame(ctx, app);
}

fn thumbnails(c: &mut Criterion, dir: &Path) {
    let path = dir.join("thumbs.geojson");
    let folder = ev::folder_of(&path);
    let mut feature = Feature::new_strip(
        FeatureId::String("t1".to_owned()),
        "Pista con 200 imágenes (ilustrativa)",
        geo::Point::new(-74.0, -12.4).into(),
    );
    let events = feature.events_mut().expect("a strip");
    for e in 0..4 {
        let mut event = Event::new(
            EventType::Sighted,
            FuzzyDate::parse(&format!("2014-0{}-01", e + 1)).expect("date"),
        );
        for k in 0..50 {
            let file = picture(dir, e * 50 + k);
            let item = ev::store(&folder, &file, &AddOptions::default())
                .expect("store")
                .item;
            event.evidence_mut().push(item);
        }
        events.push(event);
    }
    let doc = Document::new(vec![feature], Vec::new()).expect("document");
    std::fs::write(&path, write_geojson(&doc, &WriteOptions::default())).expect("write");
    let (ctx, mut app) = open(&path);
    app.select(Some(0));
    settle(&ctx, &mut app);
    let mut group = c.benchmark_group("evidence");
    group.sample_size(30);
    group.bench_function("frame_200_thumbnails", |b| {
        b.iter(|| frame(&ctx, &mut app));
    });
    group.finish();
}

fn imagery(c: &mut Criterion, dir: &Path) {
    let path = dir.join("imagery.geojson");
    let folder = ev::folder_of(&path);
    let mut features = Vec::new();
    // 100 strips on a 10 × 10 grid, 0.01° apart, each with a picture before and after.
    for n in 0..100usize {
        let (lon, lat) = (
            -74.0 + (n % 10) as f64 * 0.01,
            -12.4 + (n / 10) as f64 * 0.01,
        );
        let mut feature = Feature::new_strip(
            FeatureId::String(format!("s{n}")),
            &format!("Pista {n} (ilustrativa)"),
            geo::Point::new(lon, lat).into(),
        );
        let box_ = [lon - 0.004, lat - 0.004, lon + 0.004, lat + 0.004];
        let events = feature.events_mut().expect("a strip");
        for (k, day) in ["2014-03-01", "2014-09-02"].into_iter().enumerate() {
            let mut event = Event::new(EventType::Sighted, FuzzyDate::parse(day).expect("date"));
            let file = picture(dir, 1000 + n * 2 + k);
            event.evidence_mut().push(placed(&folder, &file, box_));
            events.push(event);
        }
        features.push(feature);
    }
    let doc = Document::new(features, Vec::new()).expect("document");
    std::fs::write(&path, write_geojson(&doc, &WriteOptions::default())).expect("write");
    let (ctx, mut app) = open(&path);
    app.set_view(-73.955, -12.355, 13.0);
    let days: [NaiveDate; 2] = [
        "2014-06-01".parse().expect("day"),
        "2014-10-01".parse().expect("day"),
    ];
    for day in days {
        app.set_date(day);
        settle(&ctx, &mut app);
    }
    assert_eq!(app.map_imagery().len(), 100, "100 images in view");
    let mut group = c.benchmark_group("evidence");
    group.sample_size(30);
    let mut k = 0;
    group.bench_function("frame_new_date_100_images", |b| {
        b.iter(|| {
            k += 1;
            app.set_date(days[k % 2]);
            frame(&ctx, &mut app)
        });
    });
    let index = pistas::analysis::ImageryIndex::of(app.document());
    group.bench_function("imagery_index_at_100", |b| {
        b.iter(|| {
            k += 1;
            index.at(days[k % 2], [-180.0, -90.0, 180.0, 90.0]).len()
        });
    });
    group.finish();
}

fn evidence(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    thumbnails(c, dir.path());
    imagery(c, dir.path());
}

criterion_group!(benches, evidence);
criterion_main!(benches);
