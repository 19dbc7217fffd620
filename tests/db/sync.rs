//! Two researchers on one database: different strips, different events of one strip, the
//! same field (a conflict), and sequences of random edits checked against a computation
//! from scratch.

use pistas::db::{Keep, Part, Picks};
use pistas::model::{Event, EventType, FuzzyDate, json_string};

use super::*;
use crate::server::server;

fn two(test: &str) -> Option<(String, Member, Member)> {
    let server = server(test)?;
    let url = fresh(server, test);
    db::push(&mut client(&url), &sample(), &|_| {}).expect("push");
    let a = Member::pull(&url);
    let b = Member::pull(&url);
    Some((url, a, b))
}

fn event(kind: EventType, date: &str, note: &str) -> Event {
    let mut e = Event::new(kind, FuzzyDate::parse(date).expect("date"));
    e.note_mut().set(Some(note.to_owned()));
    e
}

#[test]
fn different_strips_never_conflict() {
    let Some((url, mut a, mut b)) = two("different_strips") else {
        return;
    };
    a.strip("sample-001").set_name("Renamed by A");
    b.strip("sample-002")
        .set_property("notes", json_string("Seen again by B"));
    let ra = a.sync();
    assert_eq!(ra.sent_ids(), ["sample-001"]);
    assert!(ra.conflicts.is_empty());
    let rb = b.sync();
    assert_eq!(rb.sent_ids(), ["sample-002"]);
    assert_eq!(rb.received_ids(), ["sample-001"]);
    let ra = a.sync();
    assert_eq!(ra.received_ids(), ["sample-002"]);
    assert!(ra.sent.is_empty());
    assert_same(&a.doc, &b.doc, "tests/db/sync.rs");
    assert_same(&a.doc, &database(&url), "tests/db/sync.rs");
    // A sync with nothing new does nothing.
    let again = a.sync();
    assert!(again.sent.is_empty() && again.received.is_empty());
}

#[test]
fn events_added_and_edited_on_both_sides_are_all_kept() {
    let Some((url, mut a, mut b)) = two("both_events") else {
        return;
    };
    let id = "sample-003";
    let before = a.strip(id).events().len();
    assert!(before >= 2, "the sample strip has a history");
    a.strip(id)
        .events_mut()
        .expect("a readable strip")
        .push(event(EventType::Sighted, "2025-02-01", "A saw it"));
    b.strip(id)
        .events_mut()
        .expect("a readable strip")
        .push(event(EventType::Destroyed, "2025-03-04", "B's report"));
    // And each edits a different one of the old events.
    a.strip(id).events_mut().expect("a readable strip")[0]
        .note_mut()
        .set(Some("A's note".into()));
    b.strip(id).events_mut().expect("a readable strip")[1]
        .operation_mut()
        .set(Some("B's operation".into()));
    assert!(a.sync().conflicts.is_empty());
    let rb = b.sync();
    assert!(rb.conflicts.is_empty(), "{:?}", rb.conflicts);
    a.sync();
    let strip = a.strip(id).clone();
    assert_eq!(strip.events().len(), before + 2);
    let notes: Vec<Option<&str>> = strip.events().iter().map(|e| e.note().as_deref()).collect();
    assert!(notes.contains(&Some("A saw it")) && notes.contains(&Some("B's report")));
    assert_eq!(strip.events()[0].note().as_deref(), Some("A's note"));
    assert_eq!(
        strip.events()[1].operation().as_deref(),
        Some("B's operation")
    );
    assert_same(&a.doc, &b.doc, "tests/db/sync.rs");
    assert_same(&b.doc, &database(&url), "tests/db/sync.rs");
}

#[test]
fn the_same_field_is_a_conflict_and_both_values_stay_in_the_history() {
    let Some((url, mut a, mut b)) = two("same_field") else {
        return;
    };
    a.strip("sample-004").set_name("Name by A");
    b.strip("sample-004").set_name("Name by B");
    b.strip("sample-005").set_name("Other strip by B");
    a.sync();
    let rb = b.sync();
    assert_eq!(rb.conflicts.len(), 1);
    let c = &rb.conflicts[0];
    assert_eq!(c.strip, "sample-004");
    assert_eq!(c.conflicts[0].part, Part::Property("name".into()));
    assert!(
        c.conflicts[0].mine.contains("Name by B") && c.conflicts[0].theirs.contains("Name by A")
    );
    // The other strip went through; the conflicted one changed on neither side.
    assert_eq!(rb.sent_ids(), ["sample-005"]);
    assert_eq!(b.strip("sample-004").name(), Some("Name by B"));
    let db_doc = database(&url);
    let i = db_doc.position("sample-004").expect("strip");
    assert_eq!(db_doc.features()[i].name(), Some("Name by A"));
    // Again: still a conflict, still nothing lost.
    assert_eq!(b.sync().conflicts.len(), 1);
    // B keeps its own value, field by field.
    let mut picks = Picks::default();
    picks.each.insert(
        ("sample-004".into(), Part::Property("name".into())),
        Keep::Mine,
    );
    let resolved = b.sync_with(&picks).expect("sync");
    assert_eq!(resolved.resolved.len(), 1);
    assert!(resolved.conflicts.is_empty());
    a.sync();
    assert_eq!(a.strip("sample-004").name(), Some("Name by B"));
    // Both values are in the history table.
    let rows = client(&url)
        .query("SELECT coalesce(old_row::text, '') || coalesce(new_row::text, '') FROM history WHERE strip_id = 'sample-004'", &[])
        .expect("history");
    let all: String = rows.iter().map(|r| r.get::<_, String>(0)).collect();
    assert!(
        all.contains("Name by A") && all.contains("Name by B"),
        "{all}"
    );
    let conflicts: i64 = client(&url)
        .query_one(
            "SELECT count(*) FROM history WHERE op = 'CONFLICT' AND strip_id = 'sample-004'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(conflicts, 1);
}

#[test]
fn the_same_event_changed_twice_is_a_conflict_and_theirs_can_win() {
    let Some((url, mut a, mut b)) = two("same_event") else {
        return;
    };
    let id = "sample-006";
    a.strip(id).events_mut().expect("a readable strip")[0]
        .note_mut()
        .set(Some("A's reading".into()));
    b.strip(id).events_mut().expect("a readable strip")[0]
        .note_mut()
        .set(Some("B's reading".into()));
    a.sync();
    let rb = b.sync();
    assert_eq!(rb.conflicts.len(), 1);
    assert!(matches!(rb.conflicts[0].conflicts[0].part, Part::Event(_)));
    let rb = b
        .sync_with(&Picks {
            all: Some(Keep::Theirs),
            ..Picks::default()
        })
        .expect("sync");
    assert_eq!(rb.resolved.len(), 1);
    assert_eq!(
        b.strip(id).events()[0].note().as_deref(),
        Some("A's reading")
    );
    assert_same(&b.doc, &database(&url), "tests/db/sync.rs");
    let lost: i64 = client(&url)
        .query_one("SELECT count(*) FROM history WHERE op = 'CONFLICT' AND new_row::text LIKE '%B''s reading%'", &[])
        .expect("count")
        .get(0);
    assert_eq!(lost, 1, "the side not kept is in the history");
}

#[test]
fn deleting_a_strip_another_changed_is_a_conflict() {
    let Some((url, mut a, mut b)) = two("deleted_changed") else {
        return;
    };
    let i = a.doc.position("sample-007").expect("strip");
    a.doc.remove(i);
    b.strip("sample-007").set_name("Still here, says B");
    let i = a.doc.position("sample-008").expect("strip");
    a.doc.remove(i);
    a.sync();
    assert!(
        database(&url).position("sample-008").is_none(),
        "an unchanged strip is deleted"
    );
    let rb = b.sync();
    assert_eq!(rb.conflicts.len(), 1);
    assert_eq!(rb.conflicts[0].conflicts[0].part, Part::Existence);
    assert!(
        b.doc.position("sample-008").is_none(),
        "B receives the deletion"
    );
    assert!(b.doc.position("sample-007").is_some());
    let rb = b
        .sync_with(&Picks {
            all: Some(Keep::Mine),
            ..Picks::default()
        })
        .expect("sync");
    assert_eq!(rb.sent_ids(), ["sample-007"]);
    a.sync();
    assert_eq!(a.strip("sample-007").name(), Some("Still here, says B"));
}

#[test]
fn new_strips_from_both_sides_arrive_everywhere() {
    let Some((url, mut a, mut b)) = two("new_strips") else {
        return;
    };
    let strip = |id: &str, x: f64| {
        pistas::model::Feature::new_strip(
            pistas::model::FeatureId::String(id.into()),
            id,
            geo::point!(x: x, y: -12.5).into(),
        )
    };
    let mut with_history = strip("new-a", -74.0);
    with_history
        .events_mut()
        .expect("a readable strip")
        .push(event(EventType::Built, "2025-01", "cleared"));
    with_history
        .events_mut()
        .expect("a readable strip")
        .push(event(EventType::Destroyed, "2025-02-03", "blown up"));
    a.doc.push(with_history).expect("a new id");
    b.doc.push(strip("new-b", -73.9)).expect("a new id");
    a.sync();
    b.sync();
    a.sync();
    assert!(a.doc.position("new-b").is_some() && b.doc.position("new-a").is_some());
    assert_same(&a.doc, &b.doc, "tests/db/sync.rs");
    let truth = database(&url);
    assert_eq!(truth.features().len(), sample().features().len() + 2);
    // A new strip goes with its whole history.
    let i = truth.position("new-a").expect("strip");
    assert_eq!(truth.features()[i].events().len(), 2);
    let rows: i64 = client(&url)
        .query_one("SELECT count(*) FROM events WHERE strip_id = 'new-a'", &[])
        .expect("count")
        .get(0);
    assert_eq!(rows, 2);
    // B edits one of its events later: still one history, nothing deleted.
    b.strip("new-a").events_mut().expect("a readable strip")[0]
        .confidence_mut()
        .set(Some(pistas::model::Confidence::Confirmed));
    b.sync();
    a.sync();
    assert_eq!(a.strip("new-a").events().len(), 2);
    assert_same(
        &a.doc,
        &database(&url),
        "after an edit of a received new strip",
    );
}

/// Random edits by three members, synced in random order, against what must hold: after
/// everyone syncs twice (conflicts resolved for theirs), all hold what the database holds,
/// and every event anyone added is there unless someone deleted its strip.
#[test]
fn random_team_edits_converge_and_lose_no_event() {
    use rand::{Rng, SeedableRng};
    let Some(server) = server("random team") else {
        return;
    };
    let seeds: u64 = std::env::var("PISTAS_DB_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    for seed in 0..seeds {
        let url = fresh(server, &format!("random{seed}"));
        let mut doc = sample();
        doc.truncate(12);
        db::push(&mut client(&url), &doc, &|_| {}).expect("push");
        let mut team: Vec<Member> = (0..3).map(|_| Member::pull(&url)).collect();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut added: Vec<(String, String)> = Vec::new();
        let mut deleted: Vec<String> = Vec::new();
        for step in 0..40 {
            let who = rng.random_range(0..team.len());
            let m = &mut team[who];
            if m.doc.features().is_empty() {
                m.sync();
                continue;
            }
            let i = rng.random_range(0..m.doc.features().len());
            let id = m.doc.features()[i].id().as_str().to_owned();
            match rng.random_range(0..7) {
                0 => {
                    m.doc
                        .update(i, |f| {
                            f.set_name(&format!("name {seed}-{step}"));
                        })
                        .expect("a feature")
                        .expect("its own id");
                }
                1 => {
                    let note = format!("event {seed}-{step}");
                    m.at(i).events_mut().expect("a readable strip").push(event(
                        EventType::Sighted,
                        "2024-06",
                        &note,
                    ));
                    added.push((id, note));
                }
                2 => {
                    if let Some(e) = m.at(i).events_mut().expect("a readable strip").first_mut() {
                        e.operation_mut().set(Some(format!("op {seed}-{step}")));
                    }
                }
                3 if rng.random_bool(0.3) => {
                    m.doc.remove(i);
                    deleted.push(id);
                }
                4 => {
                    m.doc
                        .update(i, |f| {
                            f.set_property("source_team", json_string(&format!("{who}")));
                        })
                        .expect("a feature")
                        .expect("its own id");
                }
                _ => {
                    let keep = if rng.random_bool(0.5) {
                        Keep::Mine
                    } else {
                        Keep::Theirs
                    };
                    let pick = if rng.random_bool(0.5) {
                        None
                    } else {
                        Some(keep)
                    };
                    m.sync_with(&Picks {
                        all: pick,
                        ..Picks::default()
                    })
                    .expect("sync");
                }
            }
        }
        let theirs = Picks {
            all: Some(Keep::Theirs),
            ..Picks::default()
        };
        for _ in 0..2 {
            for m in &mut team {
                let report = m.sync_with(&theirs).expect("final sync");
                assert!(report.conflicts.is_empty());
            }
        }
        let truth = database(&url);
        for (n, m) in team.iter().enumerate() {
            assert_same(&m.doc, &truth, &format!("seed {seed}: member {n}"));
        }
        for (strip, note) in &added {
            if deleted.contains(strip) {
                continue;
            }
            let Some(i) = truth.position(strip) else {
                panic!("seed {seed}: strip {strip} with a new event vanished");
            };
            assert!(
                truth.features()[i]
                    .events()
                    .iter()
                    .any(|e| e.note().as_deref() == Some(note.as_str())),
                "seed {seed}: event {note:?} on {strip} was lost"
            );
        }
    }
}

#[test]
fn a_strip_renamed_in_sql_moves_with_its_events() {
    let Some((url, mut a, _)) = two("sql_rename") else {
        return;
    };
    let before = a.strip("sample-009").events().len();
    client(&url)
        .batch_execute("UPDATE strips SET id = 'renamed-in-qgis' WHERE id = 'sample-009'")
        .expect("rename");
    let r = a.sync();
    assert!(r.conflicts.is_empty());
    assert!(
        a.doc.position("sample-009").is_none(),
        "the old id is gone here too"
    );
    assert_eq!(a.strip("renamed-in-qgis").events().len(), before);
    assert_same(&a.doc, &database(&url), "after the rename");
}

#[test]
fn a_conflict_undone_here_still_receives_theirs() {
    let Some((_url, mut a, mut b)) = two("conflict_undone") else {
        return;
    };
    a.strip("sample-010").set_name("A's name");
    b.strip("sample-010").set_name("B's name");
    a.sync();
    assert_eq!(b.sync().conflicts.len(), 1);
    // B takes its edit back (Undo): the strip is as the base had it again.
    b.strip("sample-010").set_name("Pista ejemplo 10");
    let r = b.sync();
    assert!(r.conflicts.is_empty(), "{:?}", r.conflicts);
    assert_eq!(b.strip("sample-010").name(), Some("A's name"));
}

#[test]
fn the_collections_own_members_travel_both_ways() {
    let Some((_url, mut a, mut b)) = two("collection") else {
        return;
    };
    let mut members = a.doc.foreign().clone();
    members.retain(|(k, _)| k != "name");
    members.push(("name".into(), json_string("VRAEM, team copy")));
    a.doc.set_foreign(members);
    a.sync();
    b.sync();
    assert!(
        b.doc
            .foreign()
            .iter()
            .any(|(k, v)| k == "name" && v.get() == "\"VRAEM, team copy\""),
        "B receives the collection's name"
    );
    // B changes nothing: a sync sends nothing back.
    assert!(b.sync().sent.is_empty());
    assert!(pistas::model::extra_eq(a.doc.foreign(), b.doc.foreign()));
}

/// A first push is one history row per table; every later insert is recorded row by row,
/// even one whose statement finds only rows this transaction touched (an event put first
/// renumbers the others before it is inserted).
#[test]
fn only_a_first_load_is_summarised_in_the_history() {
    let Some(server) = server("first_load") else {
        return;
    };
    let url = fresh(server, "first_load");
    let mut doc = sample();
    doc.truncate(1);
    let id = doc.features()[0].id().as_str().to_owned();
    db::push(&mut client(&url), &doc, &|_| {}).expect("push");
    let ops = |table: &str| -> Vec<(String, Option<String>)> {
        sql(&url)
            .query(
                "SELECT op, strip_id FROM history WHERE table_name = $1 ORDER BY seq",
                &[&table],
            )
            .expect("history")
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    assert_eq!(ops("strips"), [("LOAD".to_owned(), None)]);
    assert_eq!(ops("events"), [("LOAD".to_owned(), None)]);
    let mut a = Member::pull(&url);
    a.strip(&id)
        .events_mut()
        .expect("a readable strip")
        .insert(0, event(EventType::Sighted, "2013-01", "seen first"));
    assert_eq!(a.sync().sent_ids(), [id.as_str()]);
    let events = ops("events");
    assert!(
        events.contains(&("INSERT".to_owned(), Some(id.clone()))),
        "the new event has its own history row: {events:?}"
    );
    assert_eq!(events.iter().filter(|(op, _)| op == "LOAD").count(), 1);
}
