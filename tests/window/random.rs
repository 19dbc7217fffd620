//! Long random sequences of what a person does in the window (open, edit, undo, redo,
//! switch tab, change the date, filter, choose a time window, import, merge, new), each
//! followed by a check of every derived value against a computation from scratch on the
//! document the window holds: statuses, what is shown and drawn, the table's rows, the
//! statistics, the filtered export, the selection and the title.
//!
//! `PISTAS_UI_SEED` picks the first seed and `PISTAS_UI_SEQUENCES` how many sequences run
//! (3 by default, 45 steps each).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::analysis::{FactBook, Filter, Stats};
use pistas::app::map::strips::item_of;
use pistas::app::{Action, PistasApp, ScriptedDialogs, Tab};
use pistas::model::{Document, Status};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common;

const STEPS: usize = 45;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn settle(h: &mut Harness<'static, PistasApp>) {
    let start = Instant::now();
    while h.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "background work did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run_steps(2);
}

/// Answers what the window asks (discard unsaved work, dismiss messages); says how.
fn answer(h: &mut Harness<'static, PistasApp>) -> String {
    let mut said = String::new();
    for _ in 0..4 {
        if !h.state().has_overlay() {
            break;
        }
        // A new overlay's area is laid out, unseen, on its first frame.
        h.run_steps(2);
        if let Some(discard) = h.query_by_label("Discard") {
            discard.click();
            said.push_str(" (discard)");
        } else if let Some(ok) = h.query_by_label("OK") {
            ok.click();
            said.push_str(" (ok)");
        } else {
            h.key_press(Key::Escape);
            said.push_str(" (escape)");
        }
        h.run_steps(2);
        settle(h);
    }
    said
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (relative, name) in [
        ("data/vraem-sample.geojson", "sample.geojson"),
        ("tests/fixtures/merge/working.geojson", "working.geojson"),
        ("tests/fixtures/merge/incoming.geojson", "incoming.geojson"),
        (
            "tests/fixtures/pistas/bad/bad-events.geojson",
            "bad.geojson",
        ),
        (
            "tests/fixtures/pistas/good/profile.geojson",
            "profile.geojson",
        ),
    ] {
        let path = dir.join(name);
        std::fs::copy(common::project_file(relative), &path).expect("copy fixture");
        out.push(path);
    }
    let empty = dir.join("empty.geojson");
    std::fs::write(&empty, r#"{"type":"FeatureCollection","features":[]}"#).expect("write");
    out.push(empty);
    out
}

fn random_filter(rng: &mut ChaCha8Rng) -> Filter {
    let mut filter = Filter::default();
    match rng.random_range(0..5) {
        0 => {}
        1 => filter.statuses = vec![Status::Destroyed],
        2 => filter.statuses = vec![Status::Active, Status::Rebuilt],
        3 => filter.min_destroyed = rng.random_range(1..3),
        _ => filter.text = "pista".to_owned(),
    }
    filter
}

/// The window on one step of a random sequence; returns what it did.
fn step(
    h: &mut Harness<'static, PistasApp>,
    dialogs: &ScriptedDialogs,
    files: &[PathBuf],
    window: &mut Option<i64>,
    rng: &mut ChaCha8Rng,
) -> String {
    let n = h.state().document().features().len();
    let what = match rng.random_range(0..13) {
        0 | 1 => {
            let file = files[rng.random_range(0..files.len())].clone();
            let what = format!("open {}", file.display());
            h.state_mut().request(Action::OpenPath(file));
            what
        }
        2 | 3 if n > 0 => {
            let i = rng.random_range(0..n);
            h.state_mut()
                .rename(i, &format!("Renombrada {}", rng.random::<u16>()));
            format!("rename {i}")
        }
        4 => {
            h.state_mut().request(Action::Undo);
            "undo".to_owned()
        }
        5 => {
            h.state_mut().request(Action::Redo);
            "redo".to_owned()
        }
        6 => {
            let tab = [Tab::Map, Tab::Table, Tab::Statistics][rng.random_range(0..3)];
            h.state_mut().show_tab(tab);
            format!("tab {tab:?}")
        }
        7 => {
            // A jump, or a step as the timeline's play makes (few strips change).
            let day = if rng.random_bool(0.5) {
                chrono::NaiveDate::from_ymd_opt(2010, 1, 1).expect("date")
                    + chrono::Days::new(rng.random_range(0..6200))
            } else {
                h.state().date() + chrono::Days::new(rng.random_range(1..40))
            };
            h.state_mut().set_date(day);
            format!("date {day}")
        }
        8 => {
            let filter = random_filter(rng);
            let what = format!("filter {filter:?}");
            h.state_mut().set_filter(filter);
            what
        }
        9 => {
            *window = [None, Some(30), Some(365), Some(3000)][rng.random_range(0..4)];
            h.state_mut().set_window(*window);
            format!("window {window:?}")
        }
        10 => {
            let file = files[rng.random_range(0..files.len())].clone();
            dialogs.push(&file);
            h.state_mut().request(Action::ImportLayer);
            format!("import {}", file.display())
        }
        11 => {
            if h.state().layers().imported.is_empty() {
                return "merge (no layer)".to_owned();
            }
            h.state_mut().show_tab(Tab::Map);
            h.run_steps(2);
            let Some(merge) = h.query_all_by_label("Merge…").next() else {
                return "merge (no button)".to_owned();
            };
            merge.click();
            h.run_steps(3);
            if let Some(apply) = h.query_by_label("Apply merge") {
                apply.click();
            }
            "merge".to_owned()
        }
        12 => {
            h.state_mut().request(Action::New);
            "new".to_owned()
        }
        _ => {
            let i = rng.random_range(0..n.max(1) + 1);
            h.state_mut().select(Some(i));
            format!("select {i}")
        }
    };
    h.run_steps(2);
    settle(h);
    what + &answer(h)
}

/// Every derived value the window shows, against a computation from scratch.
fn check(h: &mut Harness<'static, PistasApp>, window: Option<i64>, history: &[String]) {
    let context = || history.join(" → ");
    let doc: Document = h.state().document().clone();
    let date = h.state().date();
    let filter = h.state().filter().clone();
    let facts = FactBook::build(&doc);
    let statuses = facts.statuses_at(date);
    for (i, s) in statuses.iter().enumerate() {
        assert_eq!(
            h.state().status_of(i),
            Some(s.0),
            "status of {i} after {}",
            context()
        );
    }
    let mut shown = facts.apply(&filter, &statuses);
    // The timeline's counts, kept by difference, are those of a recount.
    let recount = pistas::analysis::DayCounts::count(&facts, &shown);
    assert_eq!(
        h.state().event_counts().days().collect::<Vec<_>>(),
        recount.days().collect::<Vec<_>>(),
        "timeline counts after {}",
        context()
    );
    if let Some(range) = recount.range() {
        assert_eq!(h.state().timeline_range(), range, "timeline range");
    }
    if let Some(days) = window {
        let from = date - chrono::Days::new(days as u64);
        for (s, f) in shown.iter_mut().zip(&facts.facts) {
            *s = *s && f.has_event_between(from, date);
        }
    }
    assert_eq!(
        h.state().strip_count(),
        doc.strips().count(),
        "strips counted after {}",
        context()
    );
    let expected: Vec<usize> = (0..doc.features().len()).filter(|&i| shown[i]).collect();
    let drawn: Vec<usize> = expected
        .iter()
        .copied()
        .filter(|&i| item_of(&doc.features()[i]).is_some())
        .collect();
    assert_eq!(
        h.state().shown_counts(),
        (expected.len(), drawn.len()),
        "{}",
        context()
    );
    assert_eq!(
        h.state().drawn_features(),
        drawn,
        "drawn after {}",
        context()
    );
    let mut rows = h.state_mut().table_rows();
    rows.sort_unstable();
    assert_eq!(rows, expected, "table rows after {}", context());
    let features: Vec<_> = expected
        .iter()
        .map(|&i| doc.features()[i].clone())
        .collect();
    assert_eq!(
        h.state().filtered_document().features(),
        features,
        "{}",
        context()
    );
    let stats = Stats::of_features(features.iter(), date, 10);
    assert_eq!(
        h.state_mut().current_stats(),
        &stats,
        "statistics after {}",
        context()
    );
    if let Some(i) = h.state().selected() {
        assert!(
            i < doc.features().len(),
            "selection {i} after {}",
            context()
        );
    }
    let dirty = h.state().editor().is_dirty();
    assert_eq!(
        h.state().title().starts_with('●'),
        dirty,
        "title after {}",
        context()
    );
}

#[test]
fn random_sequences_of_actions_keep_every_derived_value_right() {
    let first = env_number("PISTAS_UI_SEED", 12);
    let sequences = env_number("PISTAS_UI_SEQUENCES", 3);
    for seed in first..first + sequences {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = files(dir.path());
        let dialogs = ScriptedDialogs::default();
        let mut h = common::window(Some(files[0].clone()), &dialogs, None);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut window = None;
        let mut history = vec![format!("seed {seed}")];
        check(&mut h, window, &history);
        for _ in 0..STEPS {
            let what = step(&mut h, &dialogs, &files, &mut window, &mut rng);
            history.push(what);
            check(&mut h, window, &history);
        }
    }
}
