//! Push, full pull and an incremental sync of 10 changed strips against a throwaway
//! PostgreSQL + PostGIS on loopback, beside GDAL's `ogr2ogr` doing the nearest thing
//! (loading the same GeoJSON into PostGIS, and writing the table back to GeoJSON).
//!
//! `cargo bench --bench db` (100k strips); `PISTAS_BENCH_STRIPS=10000` for fewer;
//! `PISTAS_BENCH_PARTS=pull,sync` measures only those (of push, pull, sync, gdal; the
//! database is still loaded once). Each figure is the median of the runs, printed with
//! every run.

#[path = "../tests/db/server.rs"]
#[allow(dead_code)]
mod server;

use std::time::{Duration, Instant};

use pistas::db::{self, Picks, Target};
use pistas::model::synthetic;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn show(what: &str, runs: &[Duration]) {
    let list: Vec<String> = runs
        .iter()
        .map(|d| format!("{:.3}", d.as_secs_f64()))
        .collect();
    println!(
        "{what:<48} median {:>8.3} s   runs [{}]",
        median(runs.to_vec()).as_secs_f64(),
        list.join(", ")
    );
}

fn main() {
    let strips: usize = std::env::var("PISTAS_BENCH_STRIPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let Some(server) = server::server("db bench") else {
        eprintln!("no PostgreSQL + PostGIS: nothing measured");
        return;
    };
    let doc = synthetic::generate(strips, 1);
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("strips.geojson");
    std::fs::write(&file, pistas::io::write_geojson(&doc, &Default::default())).expect("write");
    let events: usize = doc.features().iter().map(|f| f.events().len()).sum();
    println!(
        "{strips} strips, {events} events, {:.0} MB of GeoJSON",
        std::fs::metadata(&file).map_or(0, |m| m.len()) as f64 / 1e6
    );

    let parts =
        std::env::var("PISTAS_BENCH_PARTS").unwrap_or_else(|_| "push,pull,sync,gdal".to_owned());
    let part = |name: &str| parts.split(',').any(|p| p.trim() == name);
    let mut push = Vec::new();
    let mut url = String::new();
    for run in 0..if part("push") { 3 } else { 1 } {
        let name = server.database(&format!("bench_push_{run}"));
        url = server.url(&name);
        let target = Target::parse(&url).expect("url");
        db::init(&mut target.connect().expect("connects")).expect("init");
        let start = Instant::now();
        db::push(&mut target.connect().expect("connects"), &doc, &|_| {}).expect("push");
        push.push(start.elapsed());
    }
    if part("push") {
        show("pistas push (library, one transaction)", &push);
    }
    let target = Target::parse(&url).expect("url");

    let mut pull = Vec::new();
    let mut pulled = None;
    for _ in 0..if part("pull") { 3 } else { 1 } {
        let start = Instant::now();
        pulled = Some(
            db::pull(&mut target.connect().expect("connects"), &target, &|_| {}).expect("pull"),
        );
        pull.push(start.elapsed());
    }
    if part("pull") {
        show("pistas pull (library, into memory)", &pull);
    }
    let (mut base, _) = pulled.expect("pulled");
    let mut local = base.doc.clone();

    let mut sync = Vec::new();
    for run in 0..if part("sync") { 7 } else { 0 } {
        for i in 0..10 {
            let k = (run * 997 + i * 7919) % local.features().len();
            local
                .update(k, |f| {
                    f.set_name(&format!("changed {run}-{i}"));
                })
                .expect("a feature")
                .expect("its own id");
        }
        let mut client = target.connect().expect("connects");
        let start = Instant::now();
        let synced = db::sync(
            &mut client,
            &target,
            &local,
            Some(&base),
            &Picks::default(),
            &|_| {},
        )
        .expect("sync");
        sync.push(start.elapsed());
        assert_eq!(synced.report.sent.len(), 10);
        synced.settle(&mut local, &mut base);
    }
    if part("sync") {
        show("pistas sync, 10 changed strips (library)", &sync);
    }

    let has_gdal = std::process::Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok();
    if has_gdal && part("gdal") {
        let pg = |db: &str| {
            format!(
                "PG:host=127.0.0.1 port={} user=postgres password={} dbname={db}",
                server.port,
                server::PASSWORD
            )
        };
        let mut load = Vec::new();
        for run in 0..3 {
            let name = server.database(&format!("bench_ogr_{run}"));
            let mut c = Target::parse(&server.url(&name))
                .expect("url")
                .connect()
                .expect("connects");
            c.batch_execute("CREATE EXTENSION postgis")
                .expect("postgis");
            let start = Instant::now();
            let out = std::process::Command::new("ogr2ogr")
                .args(["-f", "PostgreSQL", &pg(&name)])
                .arg(&file)
                .args(["-nln", "strips", "-lco", "GEOMETRY_NAME=geom"])
                .output()
                .expect("ogr2ogr");
            load.push(start.elapsed());
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        show("ogr2ogr GeoJSON -> PostGIS (strips, events as JSON)", &load);
        let mut dump = Vec::new();
        let name = url
            .split("dbname=")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_default()
            .to_owned();
        for run in 0..3 {
            let out_file = dir.path().join(format!("ogr-{run}.geojson"));
            let start = Instant::now();
            let out = std::process::Command::new("ogr2ogr")
                .args(["-f", "GeoJSON"])
                .arg(&out_file)
                .args([&pg(&name), "strips"])
                .output()
                .expect("ogr2ogr");
            dump.push(start.elapsed());
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        show("ogr2ogr PostGIS strips table -> GeoJSON", &dump);
    }
}
