//! Online tiles against a tile server on loopback that the test starts (never the
//! internet): tiles are drawn, the disk cache serves them the next time without asking the
//! server, and a
//! server that refuses connections gives the non-blocking notice over the embedded map.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use egui::vec2;
use egui_kittest::Harness;
use pistas::app::i18n::Lang;
use pistas::app::map::BasemapChoice;
use pistas::app::{Action, AppOptions, PistasApp, ScriptedDialogs, Settings};

/// A 256×256 green tile (tests/fixtures/tiles/green-256.png, made for these tests).
const PNG: &[u8] = include_bytes!("../fixtures/tiles/green-256.png");

type Paths = Arc<std::sync::Mutex<Vec<String>>>;

/// A tile server on 127.0.0.1 that answers every request with the PNG, cacheable for a day;
/// returns its port, the request count, the paths asked for and a switch that stops it.
fn tile_server() -> (u16, Arc<AtomicUsize>, Paths, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let port = listener.local_addr().expect("addr").port();
    let (count, stop) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let paths: Paths = Arc::default();
    let (c, s, p) = (count.clone(), stop.clone(), paths.clone());
    std::thread::spawn(move || {
        while !s.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                    let mut request = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    c.fetch_add(1, Ordering::Relaxed);
                    let text = String::from_utf8_lossy(&request);
                    if let (Some(path), Ok(mut all)) = (text.split_whitespace().nth(1), p.lock()) {
                        all.push(path.to_owned());
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nCache-Control: public, max-age=86400\r\nConnection: close\r\n\r\n",
                        PNG.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(PNG);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    (port, count, paths, stop)
}

fn window(cache: &Path) -> Harness<'static, PistasApp> {
    let options = AppOptions {
        file: None,
        dialogs: Box::new(ScriptedDialogs::default()),
        recovery: None,
        settings: Some(Settings::default()),
        lang: Some(Lang::En),
        tile_cache: Some(cache.to_path_buf()),
    };
    let mut harness = Harness::builder()
        .with_size(vec2(1024.0, 768.0))
        .build_eframe(move |cc| PistasApp::new(cc, options));
    harness.run_steps(3);
    harness
}

fn use_server(h: &mut Harness<'static, PistasApp>, port: u16) {
    h.state_mut()
        .request(Action::Basemap(BasemapChoice::Custom {
            url: format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
            attribution: "Loopback test tiles".to_owned(),
        }));
    h.run_steps(2);
}

/// Steps the window until `done`, for at most `seconds`.
fn until(
    h: &mut Harness<'static, PistasApp>,
    seconds: u64,
    done: impl Fn(&PistasApp) -> bool,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(seconds) {
        h.step();
        if done(h.state()) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn tiles_from_a_local_server_are_drawn_and_then_served_from_the_cache() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = dir.path().join("cache");
    let (port, requests, paths, _stop) = tile_server();
    let mut h = window(&cache);
    assert_eq!(h.state().settings().basemap, BasemapChoice::Offline);
    assert_eq!(
        requests.load(Ordering::Relaxed),
        0,
        "nothing online until chosen"
    );
    use_server(&mut h, port);
    let drawn = until(&mut h, 20, |a| a.tiles_served() > 0);
    let asked = requests.load(Ordering::Relaxed);
    assert!(drawn, "tiles are drawn ({asked} requests)");
    assert!(!h.state().tiles_failing());
    // Every download under way finishes (and is cached) before the window closes.
    let _ = until(&mut h, 2, |_| false);
    drop(h);
    // A new window draws the same tiles from the disk cache: the server, still up, is not
    // asked again.
    std::thread::sleep(Duration::from_millis(200));
    let served = requests.load(Ordering::Relaxed);
    assert!(
        std::fs::read_dir(&cache).is_ok_and(|mut d| d.next().is_some()),
        "cache written"
    );
    let mut again = window(&cache);
    use_server(&mut again, port);
    assert!(
        until(&mut again, 20, |a| a.tiles_served() > 0),
        "drawn from the cache"
    );
    // Let the second window ask for all it wants, then: no tile was asked for twice.
    let _ = until(&mut again, 2, |_| false);
    let asked = paths.lock().expect("paths").clone();
    let mut unique = asked.clone();
    unique.sort();
    unique.dedup();
    assert!(served > 0);
    assert_eq!(
        unique.len(),
        asked.len(),
        "a cached tile is not fetched again: {asked:?}"
    );
}

#[test]
fn a_refusing_server_gives_a_notice_that_blocks_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A port that was just free: connections to it are refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut h = window(&dir.path().join("cache"));
    use_server(&mut h, port);
    assert!(
        until(&mut h, 20, PistasApp::tiles_failing),
        "the notice shows"
    );
    assert_eq!(h.state().tiles_served(), 0);
    assert!(
        !h.state().has_overlay(),
        "nothing to dismiss: the map stays usable"
    );
}
