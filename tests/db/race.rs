//! Two syncs at the same moment, made to overlap every time: a third connection holds a
//! row lock (`SELECT … FOR SHARE`) on a strip one side also changed, so that side's sync
//! stops after it has read its snapshot and before it writes; the other side syncs and
//! commits; then the lock is let go. The side that commits second must see what the first
//! committed: a change to another part is merged, a change to the same field or event
//! (a delete included) is a conflict reported to it, and nothing the first committed is
//! overwritten or brought back.

use std::time::{Duration, Instant};

use pistas::db::{Keep, Picks};
use pistas::model::{Document, Event, EventType, Feature, FeatureId, FuzzyDate};

use super::*;
use crate::server::server;

/// The strip whose row lock pauses a sync: its id sorts before every other.
const PAUSE: &str = "0-pause";
/// A strip with a history; its last event was added late, after the others, and sits
/// within the history (deleting it changes none of the strip's columns).
const STRIP: &str = "sample-003";
/// A strip with no events yet.
const EMPTY: &str = "sample-empty";

fn event(kind: EventType, date: &str, note: &str) -> Event {
    let mut e = Event::new(kind, FuzzyDate::parse(date).expect("date"));
    e.note_mut().set(Some(note.to_owned()));
    e
}

fn strip(id: &str, x: f64) -> Feature {
    Feature::new_strip(
        FeatureId::String(id.into()),
        id,
        geo::point!(x: x, y: -12.4).into(),
    )
}

fn start_doc() -> Document {
    let mut doc = sample();
    doc.insert(0, strip(PAUSE, -74.1)).expect("a new id");
    doc.push(strip(EMPTY, -73.8)).expect("a new id");
    let i = doc.position(STRIP).expect("strip");
    doc.update(i, |f| {
        f.events_mut().expect("a readable strip").push(event(
            EventType::Sighted,
            "2014-12-01",
            "added late",
        ))
    })
    .expect("a feature")
    .expect("its own id");
    doc
}

/// One side's edit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Edit {
    NoteOnLastEvent(&'static str),
    DeleteLastEvent,
    NoteOnMiddleEvent(&'static str),
    DeleteMiddleEvent,
    Rename(&'static str, &'static str),
    DeleteStrip(&'static str),
    AddEvent(&'static str),
    Notes(&'static str, &'static str),
}

impl Edit {
    fn apply(self, m: &mut Member) {
        let last = |m: &mut Member| m.strip(STRIP).events().len() - 1;
        match self {
            Edit::NoteOnLastEvent(note) => {
                let i = last(m);
                m.strip(STRIP).events_mut().expect("a readable strip")[i]
                    .note_mut()
                    .set(Some(note.into()));
            }
            Edit::DeleteLastEvent => {
                let i = last(m);
                m.strip(STRIP)
                    .events_mut()
                    .expect("a readable strip")
                    .remove(i);
            }
            Edit::NoteOnMiddleEvent(note) => {
                m.strip(STRIP).events_mut().expect("a readable strip")[1]
                    .note_mut()
                    .set(Some(note.into()));
            }
            Edit::DeleteMiddleEvent => {
                m.strip(STRIP)
                    .events_mut()
                    .expect("a readable strip")
                    .remove(1);
            }
            Edit::Rename(id, name) => m.strip(id).set_name(name),
            Edit::DeleteStrip(id) => {
                let i = m.doc.position(id).expect("strip");
                m.doc.remove(i);
            }
            Edit::AddEvent(note) => m
                .strip(STRIP)
                .events_mut()
                .expect("a readable strip")
                .push(event(EventType::Destroyed, "2025-07-02", note)),
            Edit::Notes(id, notes) => {
                m.strip(id)
                    .set_property("notes", pistas::model::json_string(notes));
            }
        }
    }
}

/// Waits until some connection of this database waits for a lock.
fn wait_for_lock_wait(url: &str) {
    let mut c = sql(url);
    let start = Instant::now();
    loop {
        let waiting: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .expect("pg_stat_activity")
            .get(0);
        if waiting > 0 {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the paused sync never waited for the held lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

struct Outcome {
    first: Member,
    second: Member,
    first_report: db::SyncReport,
    second_report: db::SyncReport,
    url: String,
}

/// `first_edit` is synced while the side with `second_edit` is paused after its snapshot.
fn race(test: &str, first_edit: Edit, second_edit: Edit) -> Option<Outcome> {
    let server = server(test)?;
    let url = fresh(server, test);
    db::push(&mut client(&url), &start_doc(), &|_| {}).expect("push");
    let mut first = Member::pull(&url);
    let mut second = Member::pull(&url);
    first_edit.apply(&mut first);
    second_edit.apply(&mut second);
    // The paused side also renames the pause strip, so it must lock it.
    second.strip(PAUSE).set_name("renamed while paused");

    let mut holder = sql(&url);
    let mut hold = holder.transaction().expect("transaction");
    hold.query("SELECT 1 FROM strips WHERE id = $1 FOR SHARE", &[&PAUSE])
        .expect("hold the lock");
    let paused = std::thread::spawn(move || {
        let report = second.sync_with(&Picks::default());
        (second, report)
    });
    wait_for_lock_wait(&url);
    let first_report = first.sync();
    assert!(first_report.conflicts.is_empty(), "{:?}", first_report);
    hold.commit().expect("let the lock go");
    let (second, second_report) = paused.join().expect("the paused sync's thread");
    let second_report = second_report.expect("the paused sync ends without error");
    Some(Outcome {
        first,
        second,
        first_report,
        second_report,
        url,
    })
}

fn conflict_strips(report: &db::SyncReport) -> Vec<&str> {
    report.conflicts.iter().map(|c| c.strip.as_str()).collect()
}

/// A conflict case: the second side is told, and the database keeps the first side's
/// change (and the second's other, unconflicting edits); after the second keeps theirs,
/// every copy agrees.
fn assert_conflict(test: &str, first_edit: Edit, second_edit: Edit, strip: &str) {
    let Some(mut o) = race(test, first_edit, second_edit) else {
        return;
    };
    assert_eq!(
        conflict_strips(&o.second_report),
        [strip],
        "{first_edit:?} then {second_edit:?}: the side committing second is told ({:?})",
        o.second_report
    );
    assert!(o.first_report.sent.iter().any(|s| s.id == strip));
    // The database holds the first side's change, untouched by the second's.
    let mut expected = o.first.doc.clone();
    let i = expected.position(PAUSE).expect("pause strip");
    expected
        .update(i, |f| {
            f.set_name("renamed while paused");
        })
        .expect("a feature")
        .expect("its own id");
    assert_same(
        &database(&o.url),
        &expected,
        &format!("{first_edit:?} committed first, {second_edit:?} second"),
    );
    let theirs = Picks {
        all: Some(Keep::Theirs),
        ..Picks::default()
    };
    let resolved = o.second.sync_with(&theirs).expect("resolves");
    assert!(resolved.conflicts.is_empty());
    o.first.sync();
    assert_same(&o.first.doc, &o.second.doc, "both sides after resolving");
    assert_same(&o.first.doc, &database(&o.url), "a side and the database");
}

/// A merge case: no conflict, and both changes end up everywhere.
fn assert_merged(test: &str, first_edit: Edit, second_edit: Edit, check: fn(&Document)) {
    let Some(mut o) = race(test, first_edit, second_edit) else {
        return;
    };
    assert!(
        o.second_report.conflicts.is_empty(),
        "{first_edit:?} and {second_edit:?} merge: {:?}",
        o.second_report
    );
    // A side receives what was committed after its snapshot at its next sync.
    o.first.sync();
    o.second.sync();
    let truth = database(&o.url);
    check(&truth);
    assert_same(&o.first.doc, &truth, "the first side and the database");
    assert_same(&o.second.doc, &truth, "the second side and the database");
}

fn has_note(doc: &Document, note: &str) -> bool {
    let i = doc.position(STRIP).expect("strip");
    doc.features()[i]
        .events()
        .iter()
        .any(|e| e.note().as_deref() == Some(note))
}

#[test]
fn late_event_deleted_then_edited_is_a_conflict() {
    assert_conflict(
        "race_late_delete_edit",
        Edit::DeleteLastEvent,
        Edit::NoteOnLastEvent("A's note"),
        STRIP,
    );
}

#[test]
fn late_event_edited_then_deleted_is_a_conflict() {
    assert_conflict(
        "race_late_edit_delete",
        Edit::NoteOnLastEvent("A's note"),
        Edit::DeleteLastEvent,
        STRIP,
    );
}

#[test]
fn eventless_strip_deleted_then_renamed_is_a_conflict() {
    assert_conflict(
        "race_empty_delete_rename",
        Edit::DeleteStrip(EMPTY),
        Edit::Rename(EMPTY, "renamed by A"),
        EMPTY,
    );
}

#[test]
fn eventless_strip_renamed_then_deleted_is_a_conflict() {
    assert_conflict(
        "race_empty_rename_delete",
        Edit::Rename(EMPTY, "renamed by A"),
        Edit::DeleteStrip(EMPTY),
        EMPTY,
    );
}

#[test]
fn middle_event_deleted_and_edited_is_a_conflict_both_ways() {
    assert_conflict(
        "race_middle_delete_edit",
        Edit::DeleteMiddleEvent,
        Edit::NoteOnMiddleEvent("A's note"),
        STRIP,
    );
    assert_conflict(
        "race_middle_edit_delete",
        Edit::NoteOnMiddleEvent("A's note"),
        Edit::DeleteMiddleEvent,
        STRIP,
    );
}

#[test]
fn strip_with_events_deleted_and_renamed_is_a_conflict_both_ways() {
    assert_conflict(
        "race_full_delete_rename",
        Edit::DeleteStrip(STRIP),
        Edit::Rename(STRIP, "renamed by A"),
        STRIP,
    );
    assert_conflict(
        "race_full_rename_delete",
        Edit::Rename(STRIP, "renamed by A"),
        Edit::DeleteStrip(STRIP),
        STRIP,
    );
}

#[test]
fn both_renaming_one_strip_is_a_conflict() {
    assert_conflict(
        "race_both_rename",
        Edit::Rename(STRIP, "B's name"),
        Edit::Rename(STRIP, "A's name"),
        STRIP,
    );
}

#[test]
fn different_events_added_at_once_are_both_kept() {
    assert_merged(
        "race_add_events",
        Edit::AddEvent("B's event"),
        Edit::AddEvent("A's event"),
        |doc| assert!(has_note(doc, "B's event") && has_note(doc, "A's event")),
    );
}

#[test]
fn different_strips_edited_at_once_are_both_kept() {
    assert_merged(
        "race_other_strips",
        Edit::Notes("sample-010", "B's notes"),
        Edit::Notes("sample-011", "A's notes"),
        |doc| {
            let notes = |id: &str| {
                let i = doc.position(id).expect("strip");
                doc.features()[i].notes().map(str::to_owned)
            };
            assert_eq!(notes("sample-010").as_deref(), Some("B's notes"));
            assert_eq!(notes("sample-011").as_deref(), Some("A's notes"));
        },
    );
}

#[test]
fn an_event_edited_on_one_side_and_another_added_on_the_other_merge() {
    assert_merged(
        "race_edit_and_add",
        Edit::NoteOnMiddleEvent("B's note"),
        Edit::AddEvent("A's event"),
        |doc| assert!(has_note(doc, "B's note") && has_note(doc, "A's event")),
    );
}

/// Two `pistas db sync` processes started 0–50 ms apart, as two researchers would: one
/// edits the late event's note, the other deletes it. In every run exactly one of them
/// is told of a conflict (exit status 1) and the database holds the other's change.
#[test]
fn two_processes_syncing_at_once_never_both_succeed_on_one_event() {
    use rand::{Rng, SeedableRng};
    let Some(server) = server("race_processes") else {
        return;
    };
    let bin = assert_cmd::cargo::cargo_bin("pistas");
    let dir = tempfile::tempdir().expect("temp");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let (mut edit_won, mut delete_won) = (0, 0);
    for run in 0..8 {
        let url = fresh(server, &format!("race_processes{run}"));
        db::push(&mut client(&url), &start_doc(), &|_| {}).expect("push");
        let files: Vec<std::path::PathBuf> = ["a", "b"]
            .iter()
            .map(|who| {
                let file = dir.path().join(format!("{who}{run}.geojson"));
                let out = std::process::Command::new(&bin)
                    .args(["db", "pull", &url])
                    .arg(&file)
                    .output()
                    .expect("pull");
                assert!(out.status.success());
                file
            })
            .collect();
        let edit = |file: &std::path::Path, change: Edit| {
            let mut m = Member {
                url: url.clone(),
                doc: read(file),
                base: None,
            };
            change.apply(&mut m);
            let text = pistas::io::write_geojson(&m.doc, &pistas::io::WriteOptions::default());
            std::fs::write(file, text).expect("write");
        };
        edit(&files[0], Edit::NoteOnLastEvent("A's note"));
        edit(&files[1], Edit::DeleteLastEvent);
        let gap = std::time::Duration::from_millis(rng.random_range(0..50));
        let (first, second) = if rng.random_bool(0.5) { (0, 1) } else { (1, 0) };
        let spawn = |i: usize| {
            std::process::Command::new(&bin)
                .args(["db", "sync"])
                .arg(&files[i])
                .arg(&url)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("sync starts")
        };
        let p1 = spawn(first);
        std::thread::sleep(gap);
        let p2 = spawn(second);
        let mut codes = [0; 2];
        for (i, p) in [(first, p1), (second, p2)] {
            let out = p.wait_with_output().expect("sync ends");
            codes[i] = out.status.code().unwrap_or(-1);
            assert!(
                codes[i] == 0 || codes[i] == 1,
                "run {run}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let truth = database(&url);
        let noted = has_note(&truth, "A's note");
        let late = has_note(&truth, "added late");
        match codes {
            [0, 1] => {
                assert!(
                    noted,
                    "run {run}: the edit went through, the delete was told"
                );
                edit_won += 1;
            }
            [1, 0] => {
                assert!(
                    !noted && !late,
                    "run {run}: the delete went through, the edit was told"
                );
                delete_won += 1;
            }
            other => panic!(
                "run {run}: exit statuses {other:?}: exactly one side must be told of the conflict (the event is {})",
                if noted { "there with A's note" } else { "gone" }
            ),
        }
    }
    eprintln!("the edit committed first {edit_won} times, the delete {delete_won} times");
}
