//! Stories in a real browser: headless Chromium (Debian's, driven over the DevTools
//! protocol) opens the web map and the dossier from file:// with every request that would
//! leave the file intercepted, counted and failed. The web map draws every strip, moving
//! the slider recolours a strip whose status changes, and a click opens its history; the
//! dossier loads with no request leaving it. Command-line errors leave nothing behind.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use assert_cmd::Command;
use headless_chrome::browser::tab::RequestPausedDecision;
use headless_chrome::browser::transport::{SessionId, Transport};
use headless_chrome::protocol::cdp::Fetch::events::RequestPausedEvent;
use headless_chrome::protocol::cdp::Fetch::{ContinueRequest, FailRequest, RequestPattern};
use headless_chrome::protocol::cdp::Network::ErrorReason;
use headless_chrome::{Browser, LaunchOptions, Tab};

fn pistas() -> Command {
    Command::cargo_bin("pistas").expect("binary")
}

fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PISTAS_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
                .into_iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Chromium is missing in CI: .ci/run must install chromium"
        );
        eprintln!("SKIPPED: Chromium is not installed (apt-get install chromium)");
    }
    found
}

fn browser(path: PathBuf, profile: &Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
    ]
    .into_iter()
    .map(OsStr::new)
    .collect();
    Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(path),
        user_data_dir: Some(profile.to_path_buf()),
        window_size: Some((1200, 800)),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    })
    .expect("Chromium starts")
}

/// Every request leaving the file (anything but file:// and data:) is counted and failed:
/// the network is off for the page.
fn offline(tab: &Tab) -> Arc<AtomicUsize> {
    let left = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&left);
    let patterns = [RequestPattern {
        url_pattern: Some("*".into()),
        resource_Type: None,
        request_stage: None,
    }];
    tab.enable_fetch(Some(&patterns), None)
        .expect("fetch domain");
    tab.enable_request_interception(Arc::new(
        move |_t: Arc<Transport>, _s: SessionId, event: RequestPausedEvent| {
            let url = event.params.request.url.clone();
            if url.starts_with("file://") {
                return RequestPausedDecision::Continue(Some(ContinueRequest {
                    request_id: event.params.request_id,
                    url: None,
                    method: None,
                    post_data: None,
                    headers: None,
                    intercept_response: None,
                }));
            }
            counter.fetch_add(1, Ordering::Relaxed);
            eprintln!("request leaving the file: {url}");
            RequestPausedDecision::Fail(FailRequest {
                request_id: event.params.request_id,
                error_reason: ErrorReason::InternetDisconnected,
            })
        },
    ))
    .expect("interception");
    left
}

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false)
        .expect("evaluates")
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// The colour of the strips' canvas under a page point, as `#rrggbb`.
fn colour_at(tab: &Tab, x: f64, y: f64) -> String {
    let js = format!(
        "(function(){{var c=document.querySelector('canvas.pistas-strips');var r=c.getBoundingClientRect();var k=c.width/r.width;var d=c.getContext('2d').getImageData(Math.round(({x}-r.left)*k),Math.round(({y}-r.top)*k),1,1).data;return '#'+[d[0],d[1],d[2]].map(function(v){{return v.toString(16).padStart(2,'0')}}).join('');}})()"
    );
    eval(tab, &js).as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_web_map_draws_plays_and_opens_histories_offline() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp");
    let map = dir.path().join("mapa.html");
    pistas()
        .arg("publish")
        .arg(common::project_file("data/vraem-sample.geojson"))
        .args(["--at", "2014-08-01", "-o"])
        .arg(&map)
        .assert()
        .success();
    let browser = browser(chrome, &dir.path().join("profile"));
    let tab = browser.new_tab().expect("tab");
    let left = offline(&tab);
    tab.navigate_to(&format!("file://{}", map.display()))
        .expect("navigates");
    tab.wait_until_navigated().expect("loaded");
    let drawn = tab
        .wait_for_element("#map[data-strips-drawn]")
        .expect("the map finishes drawing");
    let count = drawn
        .get_attribute_value("data-strips-drawn")
        .expect("attribute")
        .unwrap_or_default();
    assert_eq!(count, "60", "every strip drawn");
    // sample-003 is active before 2014-09-06 and destroyed from then to 2014-09-12.
    assert_eq!(eval(&tab, "pistasMap.statusOf('sample-003')"), "active");
    let at: serde_json::Value = serde_json::from_str(
        eval(&tab, "JSON.stringify(pistasMap.pointOf('sample-003'))")
            .as_str()
            .expect("a point"),
    )
    .expect("json");
    let (x, y) = (at[0].as_f64().expect("x"), at[1].as_f64().expect("y"));
    let before = colour_at(&tab, x, y);
    assert_eq!(before, "#d62f2f", "drawn in the active colour");
    eval(
        &tab,
        "(function(){var s=document.getElementById('date');s.value=String(Math.round(Date.parse('2014-09-08')/86400000));s.dispatchEvent(new Event('input'));})()",
    );
    assert_eq!(eval(&tab, "pistasMap.statusOf('sample-003')"), "destroyed");
    let after = colour_at(&tab, x, y);
    assert_eq!(after, "#555555", "recoloured as destroyed by the slider");
    assert_eq!(
        eval(&tab, "document.getElementById('date-label').textContent"),
        "2014-09-08"
    );
    // A click on the strip opens its history with its sources.
    tab.click_point(headless_chrome::browser::tab::point::Point { x, y })
        .expect("click");
    let popup = tab
        .wait_for_element(".pistas-popup")
        .expect("the history opens");
    let text = popup.get_inner_text().expect("text");
    assert!(text.contains("Pista ejemplo 03"), "{text}");
    assert!(
        text.contains("2014-09-06") && text.contains("destroyed"),
        "{text}"
    );
    assert_eq!(left.load(Ordering::Relaxed), 0, "no request left the file");
    if let Ok(png) = tab.capture_screenshot(
        headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
        None,
        None,
        true,
    ) && let Some(dir) = std::env::var_os("PISTAS_SHOTS")
    {
        let _ = std::fs::write(Path::new(&dir).join("webmap.png"), png);
    }
}

#[test]
fn the_dossier_loads_with_no_request_leaving_it() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("dossier.html");
    pistas()
        .arg("dossier")
        .arg(common::project_file("data/vraem-sample.geojson"))
        .args([
            "--rebuilt-at-least",
            "1",
            "--at",
            "2015-06-01",
            "--lang",
            "es",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let browser = browser(chrome, &dir.path().join("profile"));
    let tab = browser.new_tab().expect("tab");
    let left = offline(&tab);
    tab.navigate_to(&format!("file://{}", out.display()))
        .expect("navigates");
    tab.wait_until_navigated().expect("loaded");
    let title = eval(&tab, "document.querySelector('h1').textContent");
    assert!(
        title.as_str().unwrap_or("").starts_with("Dossier"),
        "{title}"
    );
    let sections = eval(&tab, "document.querySelectorAll('section.strip').length");
    assert!(sections.as_u64().unwrap_or(0) > 1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(left.load(Ordering::Relaxed), 0, "no request left the file");
}

#[test]
fn a_dossier_that_cannot_be_made_leaves_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let sample = common::project_file("data/vraem-sample.geojson");
    let out = dir.path().join("d.html");
    let run = pistas()
        .arg("dossier")
        .arg(&sample)
        .args(["--strip", "no-such-strip", "-o"])
        .arg(&out)
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&run.get_output().stderr).contains("\"no-such-strip\""));
    assert!(!out.exists());
    let run = pistas()
        .arg("dossier")
        .arg(&sample)
        .args(["--strip", "sample-001", "-o"])
        .arg(dir.path().join("missing-folder").join("d.html"))
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&run.get_output().stderr).contains("does not exist"));
    // Evidence missing on disk: the dossier says so in place of the picture.
    let doc = dir.path().join("zona.geojson");
    let text = std::fs::read_to_string(&sample).expect("sample").replacen(
        r#""events": ["#,
        &format!(
            r#""events": [{{"type":"sighted","date":"2013-01-01","evidence":[{{"sha256":"{}","path":"ab/gone.png","media_type":"image/png"}}]}},"#,
            "ab".repeat(32)
        ),
        1,
    );
    std::fs::write(&doc, text).expect("write");
    pistas()
        .arg("dossier")
        .arg(&doc)
        .args(["--strip", "sample-001", "-o"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(
        html.contains("missing from the evidence folder: ab/gone.png"),
        "said in place"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_pdf_dossier_has_every_strip_and_date_as_text() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("dossier.pdf");
    pistas()
        .arg("dossier")
        .arg(common::project_file("data/vraem-sample.geojson"))
        .args(["--at", "2015-06-01", "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).expect("written");
    assert!(bytes.starts_with(b"%PDF-"));
    let Ok(text) = std::process::Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "poppler-utils is installed in CI"
        );
        eprintln!("SKIPPED the text check: pdftotext is not installed");
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout);
    let doc = pistas::io::read_path(&common::project_file("data/vraem-sample.geojson"))
        .expect("sample")
        .document;
    for feature in doc.strips() {
        let name = feature.name().expect("named");
        assert!(text.contains(name), "{name} missing from the PDF's text");
        for event in feature.events() {
            let date = event.date().to_string();
            assert!(text.contains(&date), "{name}: {date} missing");
        }
    }
}
