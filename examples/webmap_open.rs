//! How long a web map takes to open and draw in headless Chromium: from navigating to the
//! file until its map container says how many strips it drew (`data-strips-drawn`), five
//! times, each in a fresh tab; and the page's own times of its phases (ms since the
//! navigation started). `cargo run --release --example webmap_open -- MAP.html`.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let map = std::env::args()
        .nth(1)
        .ok_or("usage: webmap_open MAP.html")?;
    let map = std::fs::canonicalize(map)?;
    let profile = tempfile::tempdir()?;
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .into_iter()
    .map(OsStr::new)
    .collect();
    let browser = Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(PathBuf::from(
            std::env::var("PISTAS_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        )),
        user_data_dir: Some(profile.path().to_path_buf()),
        window_size: Some((1200, 800)),
        args,
        idle_browser_timeout: Duration::from_secs(300),
        ..LaunchOptions::default()
    })?;
    let mut times = Vec::new();
    for _ in 0..5 {
        let tab = browser.new_tab()?;
        tab.set_default_timeout(Duration::from_secs(120));
        let start = Instant::now();
        tab.navigate_to(&format!("file://{}", map.display()))?;
        // Polled in the page (asking DevTools for the element would copy the whole DOM,
        // with its 50 MB of data, every time).
        let count = loop {
            let found = tab
                .evaluate("(function(){var m=document.getElementById('map');return m?m.getAttribute('data-strips-drawn'):null})()", false)
                .ok()
                .and_then(|r| r.value)
                .and_then(|v| v.as_str().map(str::to_owned));
            if let Some(n) = found {
                break n;
            }
            if start.elapsed() > Duration::from_secs(120) {
                return Err("the map did not draw in 120 s".into());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let seconds = start.elapsed().as_secs_f64();
        let phases = tab
            .evaluate("JSON.stringify([performance.getEntriesByType('navigation')[0].responseEnd, window.pistasTimes])", false)?
            .value
            .unwrap_or_default();
        println!(
            "opened and drew {count} strips in {seconds:.2} s (file read by, then script phases, ms: {phases})"
        );
        times.push(seconds);
        tab.close(true)?;
    }
    times.sort_by(f64::total_cmp);
    println!("median {:.2} s", times[times.len() / 2]);
    Ok(())
}
