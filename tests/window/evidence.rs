//! Evidence in the window, as a person uses it: an image dropped on a strip's event is
//! copied, sealed and shown as a thumbnail (one undo step); a second attached through
//! "Attach…"; two events compared side by side and with the swipe; the timeline played
//! over georeferenced images; an altered file caught when the document is opened again; a
//! source archived from a server on loopback, which hears nothing until "Archive" is
//! clicked. `PISTAS_SHOTS=DIR` saves what the window looked like at each step.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::app::{AppOptions, PistasApp, ScriptedDialogs, Settings};

use crate::common;

/// Where sample strip `sample-001` lies: its runway and the box the pictures cover.
const FOOTPRINT: [f64; 4] = [-73.9635, -12.4235, -73.9565, -12.4145];

/// An illustrative aerial picture of the runway: forest, the cleared strip, and craters
/// when `craters`. Saved with a world file that places it on `FOOTPRINT`.
fn picture(dir: &Path, name: &str, craters: bool, shade: u8) -> PathBuf {
    let (w, h) = (200u32, 257u32);
    let mut image = image::RgbImage::from_pixel(w, h, image::Rgb([50, 100 + shade, 45]));
    let (a, b) = ((69.0f32, 195.0f32), (133.0f32, 63.0f32));
    for y in 0..h {
        for x in 0..w {
            let (px, py) = (x as f32, y as f32);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let t = (((px - a.0) * dx + (py - a.1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
            let d = ((a.0 + t * dx - px).powi(2) + (a.1 + t * dy - py).powi(2)).sqrt();
            if d < 6.0 {
                image.put_pixel(x, y, image::Rgb([200, 180, 138]));
                if craters && (t * 5.0).fract() < 0.25 && d < 5.0 {
                    image.put_pixel(x, y, image::Rgb([40, 38, 30]));
                }
            }
        }
    }
    let file = dir.join(format!("{name}.png"));
    image.save(&file).expect("png");
    let [west, south, east, north] = FOOTPRINT;
    let (sx, sy) = ((east - west) / f64::from(w), (north - south) / f64::from(h));
    std::fs::write(
        dir.join(format!("{name}.pgw")),
        format!(
            "{sx}\n0\n0\n{}\n{}\n{}\n",
            -sy,
            west + sx / 2.0,
            north - sy / 2.0
        ),
    )
    .expect("world file");
    file
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn harness(file: PathBuf, dialogs: &ScriptedDialogs) -> Harness<'static, PistasApp> {
    let options = AppOptions {
        file: Some(file),
        dialogs: Box::new(dialogs.clone()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(pistas::app::i18n::Lang::En),
        tile_cache: None,
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(move |cc| PistasApp::new(cc, options));
    h.run_steps(3);
    h
}

/// Steps until background work and picture decoding are done.
fn settle(h: &mut Harness<'static, PistasApp>) {
    let start = Instant::now();
    loop {
        h.step();
        if !h.state().is_busy() && h.state().pictures_pending() == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "work did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(3);
}

fn shot(h: &mut Harness<'static, PistasApp>, name: &str) {
    if let Some(dir) = std::env::var_os("PISTAS_SHOTS") {
        let image = h.render().expect("render");
        image
            .save(Path::new(&dir).join(format!("{name}.png")))
            .expect("save shot");
    }
}

fn strip(h: &Harness<'static, PistasApp>) -> usize {
    h.state()
        .document()
        .position("sample-001")
        .expect("sample strip")
}

fn evidence_of(h: &Harness<'static, PistasApp>, event: usize) -> Vec<pistas::model::Evidence> {
    h.state().document().features()[strip(h)].events()[event]
        .evidence()
        .to_vec()
}

#[test]
fn drop_see_compare_and_play_the_timeline_over_imagery() {
    let dir = tempfile::tempdir().expect("temp");
    let doc = dir.path().join("zona.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &doc).expect("copy");
    let cleared = picture(dir.path(), "cleared", false, 0);
    let cratered = picture(dir.path(), "cratered", true, 20);
    let dialogs = ScriptedDialogs::default();
    let mut h = harness(doc.clone(), &dialogs);
    settle(&mut h);
    let index = strip(&h);
    // The strip's runway, close up.
    h.state_mut().set_view(-73.96, -12.419, 15.0);
    h.run_steps(3);
    let p = h.state().screen_position(index).expect("drawn");
    h.drag_at(p);
    h.drop_at(p);
    h.run_steps(3);
    assert_eq!(h.state().selected(), Some(index));

    // Dropped on the window with the strip selected: its latest event (sighted
    // 2014-12-11, the fourth) gets it.
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(cleared.clone())));
    h.run_steps(2);
    settle(&mut h);
    let items = evidence_of(&h, 3);
    assert_eq!(items.len(), 1, "the dropped image is attached");
    let item = &items[0];
    assert_eq!(item.media_type().as_deref(), Some("image/png"));
    let [w, s, e, n] = item.footprint().expect("placed by its world file");
    assert!((w - FOOTPRINT[0]).abs() < 1e-6 && (n - FOOTPRINT[3]).abs() < 1e-6);
    assert!((e - FOOTPRINT[2]).abs() < 1e-6 && (s - FOOTPRINT[1]).abs() < 1e-6);
    let folder = dir.path().join("zona.evidence");
    let stored = folder.join(item.path().expect("path"));
    assert_eq!(
        std::fs::read(&stored).expect("copied"),
        std::fs::read(&cleared).expect("original")
    );
    // Its thumbnail is decoded and shown under the event.
    settle(&mut h);
    assert_eq!(h.state().pictures_pending(), 0);
    shot(&mut h, "evidence-1-dropped");
    // One undo step takes it off; redo puts it back.
    assert_eq!(
        h.state().editor().undo_kind(),
        Some(pistas::edit::EditKind::Evidence)
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    assert!(evidence_of(&h, 3).is_empty());
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_steps(3);
    assert_eq!(evidence_of(&h, 3).len(), 1);

    // The destruction (2014-09-02, the second event) gets the cratered picture through
    // its "Attach…" button and the file dialog.
    dialogs.push(&cratered);
    let attach = h
        .get_all_by_label("Attach…")
        .nth(1)
        .expect("a button per event");
    attach.click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(evidence_of(&h, 1).len(), 1, "attached through the dialog");

    // Compare the two events: side by side, then with the swipe divider.
    h.get_by_label("Compare…").click();
    h.run_steps(3);
    settle(&mut h);
    assert_eq!(h.state().evidence_windows(), (false, true));
    shot(&mut h, "evidence-2-compare");
    h.get_by_label("Swipe").click();
    h.run_steps(3);
    settle(&mut h);
    shot(&mut h, "evidence-3-swipe");
    h.get_by_label("Close window").click();
    h.run_steps(3);
    assert_eq!(h.state().evidence_windows(), (false, false));

    // The timeline over the imagery: nothing before the destruction's picture, craters
    // from its date, the cleared runway from the sighting on.
    let cleared_hash = evidence_of(&h, 3)[0].sha256();
    let cratered_hash = evidence_of(&h, 1)[0].sha256();
    let shown_on = |h: &mut Harness<'static, PistasApp>, day: &str| {
        h.state_mut().set_date(day.parse().expect("date"));
        h.run_steps(2);
        settle(h);
        h.run_steps(2);
        h.state().map_imagery().to_vec()
    };
    assert!(shown_on(&mut h, "2014-08-01").is_empty());
    assert_eq!(shown_on(&mut h, "2014-09-02"), vec![cratered_hash.clone()]);
    shot(&mut h, "evidence-4-map-destroyed");
    assert_eq!(shown_on(&mut h, "2014-12-11"), vec![cleared_hash.clone()]);
    shot(&mut h, "evidence-5-map-sighted");
    // The layers panel's toggle hides them.
    h.get_by_label("Evidence imagery at the date").click();
    h.run_steps(3);
    assert!(h.state().map_imagery().is_empty());

    // Saved, a byte of the cleared picture flipped: opening the document again marks it
    // altered, on its event and in the problems panel, and changes nothing.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    let altered = folder.join(evidence_of(&h, 3)[0].path().expect("path"));
    let mut bytes = std::fs::read(&altered).expect("read");
    let last = bytes.len() - 10;
    bytes[last] ^= 0x01;
    std::fs::write(&altered, &bytes).expect("write");
    drop(h);
    let mut h = harness(doc.clone(), &ScriptedDialogs::default());
    settle(&mut h);
    let problems = h.state().evidence_problems().clone();
    assert!(
        matches!(
            problems.get(&cleared_hash),
            Some(pistas::io::evidence::Problem::Altered(_))
        ),
        "{problems:?}"
    );
    assert!(!problems.contains_key(&cratered_hash));
    assert!(
        h.state()
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("altered") && d.feature_id.as_deref() == Some("sample-001")),
        "listed in the problems panel"
    );
    assert_eq!(
        std::fs::read(&altered).expect("read"),
        bytes,
        "never repaired"
    );
}

/// A server on loopback that answers every request with a small page and counts them.
struct Site {
    url: String,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Site {
    fn start() -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}/nota/pista", listener.local_addr().expect("addr"));
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, halt) = (Arc::clone(&requests), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !halt.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        count.fetch_add(1, Ordering::Relaxed);
                        let _ = stream.set_nonblocking(false);
                        let mut buffer = [0u8; 4096];
                        let _ = stream.read(&mut buffer);
                        let body =
                            "<html><body><h1>Destruyen pista (ilustrativo)</h1></body></html>";
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Site {
            url,
            requests,
            stop,
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[test]
fn archiving_a_source_is_the_only_request_and_only_when_asked() {
    let site = Site::start();
    let dir = tempfile::tempdir().expect("temp");
    let doc = dir.path().join("zona.geojson");
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"p1","geometry":{{"type":"Point","coordinates":[-73.96,-12.42]}},"properties":{{"name":"Pista de prueba","events":[{{"type":"destroyed","date":"2014-09-02","sources":[{{"title":"Nota","url":"{}"}}]}}]}}}}]}}"#,
        site.url
    );
    std::fs::write(&doc, text).expect("write");
    let mut h = harness(doc.clone(), &ScriptedDialogs::default());
    settle(&mut h);
    let p = h.state().screen_position(0).expect("drawn");
    h.drag_at(p);
    h.drop_at(p);
    h.run_steps(3);
    settle(&mut h);
    assert_eq!(h.state().selected(), Some(0));
    assert_eq!(
        site.requests.load(Ordering::Relaxed),
        0,
        "nothing asked yet"
    );
    h.get_by_label("Archive").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(
        site.requests.load(Ordering::Relaxed),
        1,
        "one request, once asked"
    );
    let event = &h.state().document().features()[0].events()[0];
    let pistas::model::Source::Reference(source) = &event.sources()[0] else {
        panic!("a reference");
    };
    let item = source
        .evidence()
        .first()
        .expect("the archive is the source's evidence");
    assert_eq!(item.media_type().as_deref(), Some("application/warc"));
    assert!(item.captured().is_some());
    let warc = std::fs::read_to_string(
        dir.path()
            .join("zona.evidence")
            .join(item.path().expect("path")),
    )
    .expect("the archive");
    assert!(warc.starts_with("WARC/1.1\r\n"));
    assert!(warc.contains(&format!("WARC-Target-URI: {}", site.url)));
    assert!(warc.contains("Destruyen pista"));
    shot(&mut h, "evidence-6-archived");
    // Viewing it reads the file, not the network.
    h.get_by_label_contains("archived").click();
    h.run_steps(3);
    assert_eq!(h.state().evidence_windows(), (true, false));
    assert_eq!(site.requests.load(Ordering::Relaxed), 1);

    // Offline (nothing listens), archiving says so and changes nothing.
    drop(site);
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!("http://{}/x", closed.local_addr().expect("addr"));
    drop(closed);
    let folder = dir.path().join("other.evidence");
    let err = pistas::io::evidence::archive::archive(&folder, &dead, false).expect_err("offline");
    assert!(err.contains("could not be reached"), "{err}");
    assert!(!folder.exists(), "nothing written");
}

#[test]
fn a_geopackage_opened_brings_its_evidence_and_saving_takes_it_along() {
    use pistas::io::evidence::{self as ev, AddOptions};
    let here = tempfile::tempdir().expect("temp");
    let doc_path = here.path().join("zona.geojson");
    let picture = picture(here.path(), "cleared", false, 0);
    let mut doc = pistas::io::read_path(&common::project_file("data/vraem-sample.geojson"))
        .expect("sample")
        .document;
    let stored =
        ev::store(&ev::folder_of(&doc_path), &picture, &AddOptions::default()).expect("store");
    ev::attach(&mut doc, "sample-001", None, vec![stored.item]).expect("attach");
    let bytes = pistas::io::export(
        &doc,
        pistas::io::Format::GeoPackage,
        "2014-10-01".parse().expect("day"),
    )
    .expect("gpkg");
    let gpkg = here.path().join("zona.gpkg");
    let carried =
        ev::embed::write_gpkg(&bytes, &gpkg, &doc, &ev::folder_of(&doc_path), true).expect("embed");
    assert_eq!(carried.files, 1);
    // Another machine: only the GeoPackage.
    let there = tempfile::tempdir().expect("temp");
    let received = there.path().join("recibido.gpkg");
    std::fs::copy(&gpkg, &received).expect("copy");
    drop(here);
    let dialogs = ScriptedDialogs::default();
    let mut h = harness(received.clone(), &dialogs);
    settle(&mut h);
    assert!(
        h.state().evidence_problems().is_empty(),
        "{:?}",
        h.state().evidence_problems()
    );
    let item = evidence_of(&h, 3)[0].clone();
    let beside = ev::folder_of(&received);
    assert!(
        ev::file_of(&beside, &item).is_ok(),
        "restored beside the GeoPackage"
    );
    // Saved as GeoJSON: the files go along to the new document's folder.
    let saved = there.path().join("nuevo.geojson");
    dialogs.push(&saved);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    settle(&mut h);
    assert_eq!(h.state().path(), Some(saved.as_path()));
    let parsed = pistas::io::read_path(&saved).expect("saved");
    let findings = ev::verify(&parsed.document, &ev::folder_of(&saved));
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn a_pasted_image_is_attached_to_the_selected_strip() {
    let dir = tempfile::tempdir().expect("temp");
    let doc = dir.path().join("zona.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &doc).expect("copy");
    let mut h = harness(doc, &ScriptedDialogs::default());
    settle(&mut h);
    let index = strip(&h);
    h.state_mut().select(Some(index));
    h.run_steps(2);
    // The pasted image's pixels, not a colour the window draws with.
    #[allow(clippy::disallowed_methods)]
    let pixel = egui::Color32::from_rgb(40, 90, 30);
    let image = egui::ColorImage::new([8, 6], vec![pixel; 48]);
    h.event(egui::Event::PasteImage(Arc::new(image)));
    h.run_steps(2);
    settle(&mut h);
    let items = evidence_of(&h, 3);
    assert_eq!(items.len(), 1, "attached to the latest event");
    assert_eq!(items[0].caption().as_deref(), Some("pasted image"));
    assert_eq!(items[0].media_type().as_deref(), Some("image/png"));
    let folder = dir.path().join("zona.evidence");
    let decoded = image::open(folder.join(items[0].path().expect("path"))).expect("a PNG");
    assert_eq!((decoded.width(), decoded.height()), (8, 6));
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .expect("folder")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".pasted-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the pasted file written for the copy is removed"
    );
}
