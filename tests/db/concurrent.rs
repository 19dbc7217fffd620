//! Several researchers editing at random and syncing at the same moment, each on a thread
//! with its own connection, checked against what must hold whatever the schedule:
//!
//! - nothing deleted comes back: the `history` table never shows a strip or event row
//!   inserted again after it was deleted;
//! - no change is overwritten by someone who never saw it: every change of a name or an
//!   event's note in `history` goes from the value its author's edit replaced;
//! - every change is in the database or was reported as a conflict to its author;
//! - after everyone syncs twice (conflicts resolved for the database's side), every copy
//!   holds what the database holds, and every delete that was not reported as a conflict
//!   took effect.
//!
//! Every value an edit writes is unique (`n:2:14`: member 2's 14th edit), so the oracle
//! can tell whose edit a value in the database is.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Barrier};

use pistas::db::{Keep, Picks};
use pistas::model::{Document, Event, EventType, Feature, FeatureId, FuzzyDate, Geometry};
use rand::{Rng, SeedableRng};

use super::*;
use crate::server::server;

/// What one edit did, for the oracle.
#[derive(Debug, Clone)]
enum Op {
    /// A name or an event's note set to `value`, replacing `replaced` as the author saw it.
    Set {
        strip: String,
        value: String,
        replaced: Option<String>,
    },
    /// An event with this note, or a strip with this id, added.
    Add { strip: String, value: String },
    /// A strip deleted.
    DeleteStrip { strip: String },
    /// An event deleted (its note, unique).
    DeleteEvent { strip: String, note: String },
    /// A strip moved.
    Move { strip: String },
}

impl Op {
    fn strip(&self) -> &str {
        match self {
            Op::Set { strip, .. }
            | Op::Add { strip, .. }
            | Op::DeleteStrip { strip }
            | Op::DeleteEvent { strip, .. }
            | Op::Move { strip } => strip,
        }
    }
}

/// One member's record: its edits, which of them a later local edit made moot, and which
/// were answered by a conflict report.
#[derive(Default)]
struct Log {
    ops: Vec<Op>,
    moot: HashSet<usize>,
    reported: HashSet<usize>,
    /// Edits not yet through a successful sync.
    pending: Vec<usize>,
    /// This member's own unsynced values, with what they replaced.
    unsynced: HashMap<String, Option<String>>,
    /// Syncs that had to start over because another committed in between.
    retries: usize,
}

impl Log {
    fn push(&mut self, op: Op) {
        self.pending.push(self.ops.len());
        self.ops.push(op);
    }

    /// What a new value replaces: the value as the database last had it (through this
    /// member's own unsynced values, which were never there).
    fn replaced(&self, seen: Option<&str>) -> Option<String> {
        let seen = seen.map(str::to_owned);
        match seen.as_deref().and_then(|s| self.unsynced.get(s)) {
            Some(earlier) => earlier.clone(),
            None => seen,
        }
    }

    /// Pending edits whose value `value` was: moot once replaced or deleted here.
    fn moot_value(&mut self, value: &str) {
        for &i in &self.pending {
            if matches!(&self.ops[i], Op::Set { value: v, .. } | Op::Add { value: v, .. } if v == value)
            {
                self.moot.insert(i);
            }
        }
    }

    fn moot_strip(&mut self, strip: &str) {
        for &i in &self.pending {
            if self.ops[i].strip() == strip {
                self.moot.insert(i);
            }
        }
    }

    /// A sync went through: pending edits on a strip with a conflict (resolved for the
    /// database's side at once, or left) were answered by a report to this member.
    fn synced(&mut self, report: &db::SyncReport) {
        let told: HashSet<&str> = report
            .conflicts
            .iter()
            .map(|c| c.strip.as_str())
            .chain(report.resolved_strips())
            .collect();
        for &i in &self.pending {
            if told.contains(self.ops[i].strip()) {
                self.reported.insert(i);
            }
        }
        self.pending.clear();
        self.unsynced.clear();
        self.retries += report.attempts.saturating_sub(1);
    }
}

/// A sighting inside the sample's histories: deleting it changes none of its strip's
/// columns (the race the row lock of issue 23 is about).
fn event(note: &str) -> Event {
    let mut e = Event::new(
        EventType::Sighted,
        FuzzyDate::parse("2014-06").expect("date"),
    );
    e.note_mut().set(Some(note.to_owned()));
    e
}

/// The sample's first strips, every event with a unique note, and a few strips with no
/// events yet.
fn start_doc(strips: usize) -> Document {
    let mut doc = sample();
    doc.truncate(strips);
    for i in 0..2 {
        let id = format!("empty-{i}");
        doc.push(Feature::new_strip(
            FeatureId::String(id.clone()),
            &id,
            geo::point!(x: -73.9 + 0.01 * i as f64, y: -12.2).into(),
        ))
        .expect("a new id");
    }
    doc.update_all(|f| {
        let id = f.id().as_str().to_owned();
        for (i, e) in f
            .events_mut()
            .expect("a readable strip")
            .iter_mut()
            .enumerate()
        {
            e.note_mut().set(Some(format!("s:{id}:{i}")));
        }
    })
    .expect("ids unchanged");
    doc
}

/// One random edit by member `who` (its `k`th).
fn edit(m: &mut Member, log: &mut Log, rng: &mut impl Rng, who: usize, k: usize) {
    let tag = |kind: &str| format!("{kind}:{who}:{k}");
    if m.doc.features().is_empty() || rng.random_bool(0.08) {
        let id = tag("s");
        m.doc
            .push(Feature::new_strip(
                FeatureId::String(id.clone()),
                &id,
                geo::point!(x: -74.0 + rng.random_range(0.0..0.5), y: -12.5).into(),
            ))
            .expect("a new id");
        log.push(Op::Add {
            strip: id.clone(),
            value: id,
        });
        return;
    }
    let i = rng.random_range(0..m.doc.features().len());
    let strip = m.doc.features()[i].id().as_str().to_owned();
    let n_events = m.doc.features()[i].events().len();
    // Half the time the last event: the one added late, which others touch too.
    let pick_event = |rng: &mut dyn rand::RngCore| {
        if rng.random_bool(0.5) {
            n_events - 1
        } else {
            rng.random_range(0..n_events)
        }
    };
    // 0, 1 and whatever else does not apply: a rename (the last arm).
    match rng.random_range(0..10) {
        2 => {
            let f = &mut m.at(i);
            let x = -74.0 + rng.random_range(0.0..0.5);
            let y = -12.0 - rng.random_range(0.0..0.5);
            f.set_geometry(Some(Geometry::new(geo::point!(x: x, y: y).into())));
            log.push(Op::Move { strip });
        }
        3 | 4 if n_events > 0 => {
            let j = pick_event(rng);
            let value = tag("e");
            let old = m.doc.features()[i].events()[j]
                .note()
                .as_deref()
                .map(str::to_owned);
            let replaced = log.replaced(old.as_deref());
            if let Some(old) = &old {
                log.moot_value(old);
            }
            m.at(i).events_mut().expect("a readable strip")[j]
                .note_mut()
                .set(Some(value.clone()));
            log.unsynced.insert(value.clone(), replaced.clone());
            log.push(Op::Set {
                strip,
                value,
                replaced,
            });
        }
        5 | 6 => {
            let value = tag("a");
            m.at(i)
                .events_mut()
                .expect("a readable strip")
                .push(event(&value));
            log.unsynced.insert(value.clone(), None);
            log.push(Op::Add { strip, value });
        }
        7 if n_events > 0 => {
            let j = pick_event(rng);
            let note = m
                .at(i)
                .events_mut()
                .expect("a readable strip")
                .remove(j)
                .note()
                .as_deref()
                .map(str::to_owned);
            if let Some(note) = note {
                log.moot_value(&note);
                log.push(Op::DeleteEvent { strip, note });
            }
        }
        8 if rng.random_bool(0.4) => {
            m.doc.remove(i);
            log.moot_strip(&strip);
            log.push(Op::DeleteStrip { strip });
        }
        _ => {
            let value = tag("n");
            let replaced = log.replaced(m.doc.features()[i].name());
            if let Some(old) = m.doc.features()[i].name().map(str::to_owned) {
                log.moot_value(&old);
            }
            m.doc
                .update(i, |f| {
                    f.set_name(&value);
                })
                .expect("a feature")
                .expect("its own id");
            log.unsynced.insert(value.clone(), replaced.clone());
            log.push(Op::Set {
                strip,
                value,
                replaced,
            });
        }
    }
}

/// Member `who`'s rounds: edits, then a sync at the same moment as the others.
fn member_rounds(
    mut m: Member,
    who: usize,
    seed: u64,
    rounds: usize,
    barrier: Arc<Barrier>,
) -> (Member, Log) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed * 100 + who as u64);
    let mut log = Log::default();
    let theirs = Picks {
        all: Some(Keep::Theirs),
        ..Picks::default()
    };
    let mut k = 0;
    for _ in 0..rounds {
        for _ in 0..rng.random_range(1..=4) {
            k += 1;
            edit(&mut m, &mut log, &mut rng, who, k);
        }
        barrier.wait();
        std::thread::sleep(std::time::Duration::from_millis(rng.random_range(0..15)));
        // A slow client: a pause between reading its snapshot and writing, so that the
        // others' commits land in between.
        let pause = rng.random_range(0..40);
        let slow = |p: db::Progress| {
            if matches!(p, db::Progress::Merging { .. }) {
                std::thread::sleep(std::time::Duration::from_millis(pause));
            }
        };
        match m.sync_progress(&theirs, &slow) {
            Ok(report) => log.synced(&report),
            // Busy after every retry: the edits wait for the next sync.
            Err(db::DbError::Busy) => {}
            Err(e) => panic!("member {who}: sync failed: {e}"),
        }
    }
    (m, log)
}

/// Every row of `history` for the checks.
struct History {
    /// (table, op, row id, old row, new row) in order.
    rows: Vec<(String, String, String, serde_json::Value, serde_json::Value)>,
}

impl History {
    fn read(url: &str) -> History {
        let rows = sql(url)
            .query(
                "SELECT table_name, op, row_id, coalesce(old_row, 'null')::text,
                    coalesce(new_row, 'null')::text
                 FROM history ORDER BY seq",
                &[],
            )
            .expect("history")
            .into_iter()
            .map(|r| {
                let json = |i: usize| {
                    serde_json::from_str::<serde_json::Value>(r.get::<_, &str>(i)).expect("JSON")
                };
                (r.get(0), r.get(1), r.get(2), json(3), json(4))
            })
            .collect();
        History { rows }
    }

    /// Every value a committed row ever had in `field` (names, notes, strip ids).
    fn committed(&self) -> HashSet<String> {
        let mut out = HashSet::new();
        for (_, _, id, _, new) in &self.rows {
            out.insert(id.clone());
            for field in ["name", "note"] {
                if let Some(v) = new.get(field).and_then(|v| v.as_str()) {
                    out.insert(v.to_owned());
                }
            }
        }
        out
    }
}

fn run_seed(server: &server::Server, seed: u64, members: usize, rounds: usize) {
    let url = fresh(server, &format!("concurrent{seed}"));
    db::push(&mut client(&url), &start_doc(5), &|_| {}).expect("push");
    let barrier = Arc::new(Barrier::new(members));
    let handles: Vec<_> = (0..members)
        .map(|who| {
            let m = Member::pull(&url);
            let barrier = barrier.clone();
            std::thread::spawn(move || member_rounds(m, who, seed, rounds, barrier))
        })
        .collect();
    let mut team: Vec<(Member, Log)> = handles
        .into_iter()
        .map(|h| h.join().expect("member thread"))
        .collect();
    let theirs = Picks {
        all: Some(Keep::Theirs),
        ..Picks::default()
    };
    for _ in 0..2 {
        for (m, log) in &mut team {
            let report = m.sync_with(&theirs).expect("final sync");
            assert!(report.conflicts.is_empty(), "seed {seed}: {report:?}");
            log.synced(&report);
        }
    }
    let truth = database(&url);
    for (n, (m, _)) in team.iter().enumerate() {
        assert_same(&m.doc, &truth, &format!("seed {seed}: member {n}"));
    }
    let history = History::read(&url);

    // Nothing deleted comes back.
    let mut deleted: HashSet<(String, String)> = HashSet::new();
    for (table, op, id, _, _) in &history.rows {
        let key = (table.clone(), id.clone());
        match op.as_str() {
            "DELETE" => {
                deleted.insert(key);
            }
            "INSERT" => assert!(
                !deleted.contains(&key),
                "seed {seed}: {table} row {id} was deleted and then inserted again"
            ),
            _ => {}
        }
    }

    // No change overwrites a value its author never saw.
    let replaced: HashMap<&str, Option<&str>> = team
        .iter()
        .flat_map(|(_, log)| log.ops.iter())
        .filter_map(|op| match op {
            Op::Set {
                value, replaced, ..
            } => Some((value.as_str(), replaced.as_deref())),
            _ => None,
        })
        .collect();
    for (table, op, id, old, new) in &history.rows {
        if op != "UPDATE" {
            continue;
        }
        let field = if table == "strips" { "name" } else { "note" };
        let (Some(before), Some(after)) = (
            old.get(field).map(|v| v.as_str()),
            new.get(field).and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        if before == Some(after) {
            continue;
        }
        if let Some(seen) = replaced.get(after) {
            assert_eq!(
                *seen, before,
                "seed {seed}: {table} row {id}: {after:?} overwrote {before:?}, but its author had seen {seen:?}"
            );
        }
    }

    // Every change is in the database (now or in its history) or was reported.
    let committed = history.committed();
    let now: HashSet<String> = truth
        .features()
        .iter()
        .flat_map(|f| {
            let notes = f
                .events()
                .iter()
                .filter_map(|e| e.note().as_deref().map(str::to_owned));
            std::iter::once(f.id().as_str().to_owned())
                .chain(notes)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut counts = [0usize; 3];
    for (who, (_, log)) in team.iter().enumerate() {
        for (i, op) in log.ops.iter().enumerate() {
            let told = log.reported.contains(&i) || log.moot.contains(&i);
            match op {
                Op::Set { value, strip, .. } | Op::Add { value, strip } => {
                    counts[0] += 1;
                    assert!(
                        committed.contains(value) || told,
                        "seed {seed}: member {who}'s {value:?} on {strip} never reached the database and no conflict was reported"
                    );
                }
                Op::DeleteStrip { strip } => {
                    counts[1] += 1;
                    assert!(
                        truth.position(strip).is_none() || told,
                        "seed {seed}: member {who} deleted {strip}, it is still there and no conflict was reported"
                    );
                }
                Op::DeleteEvent { strip, note } => {
                    counts[1] += 1;
                    assert!(
                        !now.contains(note) || told,
                        "seed {seed}: member {who} deleted event {note:?} of {strip}, it is still there and no conflict was reported"
                    );
                }
                Op::Move { .. } => counts[2] += 1,
            }
        }
    }
    let retries: usize = team.iter().map(|(_, log)| log.retries).sum();
    let told: usize = team.iter().map(|(_, log)| log.reported.len()).sum();
    eprintln!(
        "seed {seed}: {members} members, {rounds} rounds: {} edits, {} deletes, {} moves; {retries} syncs started over, {told} edits answered by a conflict",
        counts[0], counts[1], counts[2]
    );
}

#[test]
fn members_syncing_at_the_same_moment_lose_nothing() {
    let Some(server) = server("concurrent") else {
        return;
    };
    let seeds: u64 = std::env::var("PISTAS_DB_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    for seed in 0..seeds {
        run_seed(server, seed, 4, 8);
    }
}
