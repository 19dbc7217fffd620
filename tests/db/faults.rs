//! A server that never answers, one that freezes in the middle of a sync, a statement
//! held up past `statement_timeout`, a database of a newer schema, and a sync killed with
//! SIGKILL at random moments: each gives a clear message within its timeout, leaves the
//! local file as it was and the database as before or after, never half-written; the
//! next sync converges.

use std::net::TcpListener;
use std::process::Stdio;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use pistas::db::{DbError, Picks};
use pistas::model::json_string;
use rand::{Rng, SeedableRng};

use super::*;
use crate::server::server;

fn pistas_bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("pistas")
}

/// A listener that accepts connections and never says a word (a frozen postmaster: the
/// kernel completes the handshake, nobody answers).
fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("port");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

#[test]
fn a_server_that_never_answers_gives_up_within_connect_timeout() {
    let port = silent_server();
    for sslmode in ["disable", "prefer"] {
        let url = format!(
            "host=127.0.0.1 port={port} user=ana dbname=vraem password=x sslmode={sslmode} connect_timeout=2"
        );
        let start = Instant::now();
        let err = match target(&url).connect() {
            Ok(_) => panic!("connected to a server that says nothing"),
            Err(e) => e,
        };
        let took = start.elapsed();
        assert!(matches!(err, DbError::Timeout(_)), "{err:?}");
        assert!(err.to_string().contains("connect_timeout"), "{err}");
        assert!(
            took >= Duration::from_secs(2) && took < Duration::from_secs(6),
            "gave up after {took:?}"
        );
    }
    // The command line: a message naming the server, the file untouched.
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("mine.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &file).expect("copy");
    let before = std::fs::read(&file).expect("read");
    let start = Instant::now();
    let out = std::process::Command::new(pistas_bin())
        .args(["db", "sync"])
        .arg(&file)
        .arg(format!(
            "postgresql://ana:x@127.0.0.1:{port}/vraem?sslmode=disable&connect_timeout=2"
        ))
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(start.elapsed() < Duration::from_secs(8));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did not answer") && stderr.contains("127.0.0.1"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&file).expect("read"), before);
}

#[test]
fn a_server_that_freezes_mid_sync_gives_up_and_nothing_is_half_applied() {
    let Some(server) = server("freeze") else {
        return;
    };
    let url = fresh(server, "freeze");
    db::push(&mut client(&url), &sample(), &|_| {}).expect("push");
    let mut a = Member::pull(&url);
    let before = meaning(&database(&url));
    a.strip("sample-004").set_name("Renamed before the freeze");
    let proxy = crate::proxy::start(server.port, usize::MAX);
    let frozen_url = format!(
        "{} options='-c statement_timeout=1s'",
        url.replace(
            &format!("port={}", server.port),
            &format!("port={}", proxy.port)
        )
    );
    let base = a.base.clone();
    let freeze = || proxy.frozen.store(true, Ordering::SeqCst);
    let start = Instant::now();
    let err = db::sync(
        &mut client(&frozen_url),
        &target(&frozen_url),
        &a.doc,
        base.as_ref(),
        &Picks::default(),
        &|p| {
            // After its snapshot is read, before it writes: the server stops answering.
            if matches!(p, db::Progress::Merging { .. }) {
                freeze();
            }
        },
    )
    .expect_err("a frozen server");
    let took = start.elapsed();
    assert!(matches!(err, DbError::Timeout(_)), "{err:?}");
    assert!(err.to_string().contains("did not answer"), "{err}");
    // statement_timeout 1 s, plus this side's 5 s of grace.
    assert!(
        took >= Duration::from_secs(6) && took < Duration::from_secs(15),
        "gave up after {took:?}"
    );
    proxy.cut.store(true, Ordering::SeqCst);
    proxy.frozen.store(false, Ordering::SeqCst);
    assert_eq!(meaning(&database(&url)), before, "nothing was written");
    // The same sync, once the server answers, completes.
    let report = a.sync();
    assert_eq!(report.sent_ids(), ["sample-004"]);
    assert_same(&a.doc, &database(&url), "after the retry");
}

#[test]
fn a_statement_held_up_past_statement_timeout_is_stopped_by_the_server() {
    let Some(server) = server("statement_timeout") else {
        return;
    };
    let url = fresh(server, "statement_timeout");
    db::push(&mut client(&url), &sample(), &|_| {}).expect("push");
    let mut a = Member::pull(&url);
    a.strip("sample-005").set_name("Waits for a lock");
    // Someone else's long transaction holds the strip.
    let mut holder = sql(&url);
    let mut hold = holder.transaction().expect("transaction");
    hold.query(
        "SELECT 1 FROM strips WHERE id = 'sample-005' FOR UPDATE",
        &[],
    )
    .expect("lock");
    let short = format!("{url} options='-c statement_timeout=1s'");
    let start = Instant::now();
    let err = db::sync(
        &mut client(&short),
        &target(&short),
        &a.doc,
        a.base.as_ref(),
        &Picks::default(),
        &|_| {},
    )
    .expect_err("the lock is held longer than the timeout");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(matches!(err, DbError::Timeout(_)), "{err:?}");
    assert!(err.to_string().contains("statement_timeout"), "{err}");
    hold.rollback().expect("let go");
    assert_eq!(a.sync().sent_ids(), ["sample-005"]);
}

#[test]
fn a_database_of_a_newer_schema_is_refused_before_anything_is_read_or_written() {
    let Some(server) = server("newer_schema") else {
        return;
    };
    let url = fresh(server, "newer_schema");
    db::push(&mut client(&url), &sample(), &|_| {}).expect("push");
    let mut a = Member::pull(&url);
    a.strip("sample-001").set_name("Never sent");
    sql(&url)
        .batch_execute("INSERT INTO pistas_migrations (version) VALUES (99)")
        .expect("a newer Pistas upgraded it");
    let err = a.sync_with(&Picks::default()).expect_err("newer schema");
    assert!(matches!(err, DbError::Schema(_)), "{err:?}");
    assert!(err.to_string().contains("update Pistas"), "{err}");
    let name: String = sql(&url)
        .query_one("SELECT name FROM strips WHERE id = 'sample-001'", &[])
        .expect("row")
        .get(0);
    assert_ne!(name, "Never sent");
}

/// A fingerprint of every strip's name and event count.
fn fingerprint(url: &str) -> (i64, String) {
    let row = sql(url)
        .query_one(
            "SELECT (SELECT count(*) FROM events),
                md5(string_agg(id || '=' || coalesce(name, ''), ',' ORDER BY id)) FROM strips",
            &[],
        )
        .expect("fingerprint");
    (row.get(0), row.get(1))
}

#[test]
fn a_sync_killed_at_random_moments_leaves_the_database_before_or_after() {
    let Some(server) = server("kill") else {
        return;
    };
    let url = fresh(server, "kill");
    db::push(
        &mut client(&url),
        &pistas::model::synthetic::generate(3000, 11),
        &|_| {},
    )
    .expect("push");
    let dir = tempfile::tempdir().expect("temp");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(23);
    for round in 0..5 {
        let file = dir.path().join(format!("k{round}.geojson"));
        let out = std::process::Command::new(pistas_bin())
            .args(["db", "pull", &url])
            .arg(&file)
            .output()
            .expect("pull");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // 1,000 strips renamed and given an event each in the file.
        let mut doc = read(&file);
        for i in 0..doc.features().len().min(1000) {
            doc.update(i, |f| {
                f.set_name(&format!("round {round}: {}", f.label()));
                f.set_property("checked", json_string(&format!("round {round}")));
            })
            .expect("a feature")
            .expect("its own id");
        }
        let text = pistas::io::write_geojson(&doc, &pistas::io::WriteOptions::default());
        std::fs::write(&file, text).expect("write");
        let before = fingerprint(&url);
        let file_before = std::fs::read(&file).expect("read");
        let mut child = std::process::Command::new(pistas_bin())
            .args(["db", "sync"])
            .arg(&file)
            .arg(&url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sync starts");
        std::thread::sleep(Duration::from_millis(rng.random_range(0..1500)));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let now = fingerprint(&url);
        let renamed: i64 = sql(&url)
            .query_one(
                "SELECT count(*) FROM strips WHERE name LIKE $1",
                &[&format!("round {round}: %")],
            )
            .expect("count")
            .get(0);
        assert!(
            (now == before && renamed == 0) || renamed == 1000,
            "round {round}: killed ({status:?}), the database holds {renamed} of 1000 renames"
        );
        // The file is whole: as it was, or as the sync wrote it.
        let parsed = pistas::io::read_path(&file).expect("reads");
        assert!(!parsed.fatal, "round {round}: the file was left broken");
        if renamed == 0 {
            assert_eq!(std::fs::read(&file).expect("read"), file_before);
        }
        // The next sync converges.
        let out = std::process::Command::new(pistas_bin())
            .args(["db", "sync"])
            .arg(&file)
            .arg(&url)
            .output()
            .expect("sync");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_same(&read(&file), &database(&url), &format!("round {round}"));
        eprintln!(
            "round {round}: killed {} ({status:?})",
            if renamed == 0 {
                "before its commit"
            } else {
                "after its commit"
            }
        );
    }
}
