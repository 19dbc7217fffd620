//! Matching and merging layers: the library, and `pistas merge` as the real binary.

mod common;

use assert_cmd::Command;
use pistas::edit::Editor;
use pistas::edit::merge::{self, Decision, Field, MatchOptions, MatchReason, Side};
use pistas::io::read_path;
use pistas::model::{Document, Source};

fn load(name: &str) -> Document {
    let path = common::project_file(&format!("tests/fixtures/merge/{name}"));
    read_path(&path)
        .expect("read")
        .into_strict()
        .expect("valid fixture")
}

fn ids(doc: &Document) -> Vec<&str> {
    doc.features().iter().map(|f| f.id().as_str()).collect()
}

#[test]
fn matches_by_id_then_by_distance_and_name() {
    let (working, incoming) = (load("working.geojson"), load("incoming.geojson"));
    let plan = merge::propose(&working, &incoming, &MatchOptions::default());
    let pairs: Vec<(&str, &str, MatchReason)> = plan
        .proposals
        .iter()
        .map(|p| {
            (
                incoming.features()[p.incoming].id().as_str(),
                working.features()[p.working].id().as_str(),
                p.reason,
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("w1", "w1", MatchReason::SameId),
            ("c-santa", "w2", MatchReason::Near),
            // No name on the detection: the distance decides.
            ("c-det", "w3", MatchReason::Near),
        ]
    );
    // Same name but 3.3 km away, and 110 m away with another name: both are new strips.
    let unmatched: Vec<&str> = plan
        .unmatched
        .iter()
        .map(|&i| incoming.features()[i].id().as_str())
        .collect();
    assert_eq!(unmatched, ["c-far", "c-diff"]);

    let santa = &plan.proposals[1];
    let d = santa.distance_m.expect("distance");
    assert!((150.0..160.0).contains(&d), "{d}");
    assert!(santa.similarity.expect("both named") >= 0.75);
    assert_eq!(
        (
            santa.events_working,
            santa.events_incoming,
            santa.duplicate_events
        ),
        (1, 2, 1)
    );

    // A tighter distance leaves the near duplicates apart; the id match stays.
    let tight = MatchOptions {
        within_m: 50.0,
        ..MatchOptions::default()
    };
    let plan = merge::propose(&working, &incoming, &tight);
    assert_eq!(plan.proposals.len(), 1);
    assert_eq!(plan.unmatched.len(), 4);
}

#[test]
fn conflicting_properties_are_shown_and_picked() {
    let (working, incoming) = (load("working.geojson"), load("incoming.geojson"));
    let plan = merge::propose(&working, &incoming, &MatchOptions::default());
    let same_id = &plan.proposals[0];
    let fields: Vec<&str> = same_id.conflicts.iter().map(|c| c.field.label()).collect();
    // `length_est` is 800 on one side and 800.0 on the other: the same number, no conflict.
    assert_eq!(fields, ["geometry", "name", "region"]);
    let region = &same_id.conflicts[2];
    assert_eq!(region.field, Field::Property("region".into()));
    assert_eq!(
        (region.working.as_str(), region.incoming.as_str()),
        ("\"Ayacucho\"", "\"Cusco\"")
    );

    let (w, i) = (&working.features()[0], &incoming.features()[0]);
    let (kept, _) = merge::merge_features(w, i, &[]);
    assert_eq!(kept.property_str("region").as_deref(), Some("Ayacucho"));
    assert_eq!(kept.name(), Some("Pista Palmapampa"));
    assert_eq!(kept.geometry(), w.geometry());
    let picks = [Side::Incoming, Side::Working, Side::Incoming];
    let (picked, counts) = merge::merge_features(w, i, &picks);
    assert_eq!(picked.property_str("region").as_deref(), Some("Cusco"));
    assert_eq!(picked.name(), Some("Pista Palmapampa"));
    assert_eq!(picked.geometry(), i.geometry());
    // Only the incoming side has `detected_by`: it is added, not a conflict.
    assert_eq!(
        picked.property_str("detected_by").as_deref(),
        Some("imagery")
    );
    assert_eq!(counts.properties_added, 1);
}

#[test]
fn identical_events_from_two_sources_are_kept_once_with_both_sources() {
    let (working, incoming) = (load("working.geojson"), load("incoming.geojson"));
    let (merged, counts) =
        merge::merge_features(&working.features()[0], &incoming.features()[0], &[]);
    assert_eq!(counts.events_added, 1);
    assert_eq!(counts.duplicate_events, 1);
    assert_eq!(counts.sources_added, 1);
    let kinds: Vec<&str> = merged.events().iter().map(|e| e.kind().as_str()).collect();
    assert_eq!(kinds, ["built", "destroyed", "rebuilt"]);
    let destroyed = &merged.events()[1];
    let sources: Vec<&str> = destroyed.sources().iter().map(Source::label).collect();
    assert_eq!(sources, ["AP", "Policía Nacional, parte 123"]);
    // The working event had no note: the incoming one's is taken; its confidence stays.
    assert_eq!(destroyed.note().as_deref(), Some("two craters"));
    assert_eq!(
        destroyed.confidence().get().map(|c| c.as_str()),
        Some("confirmed")
    );

    // The same source on both sides is not doubled.
    let (santa, counts) =
        merge::merge_features(&working.features()[1], &incoming.features()[1], &[]);
    assert_eq!(counts.sources_added, 0);
    assert_eq!(santa.events()[0].sources().len(), 1);
}

#[test]
fn the_whole_merge_is_one_undo_step() {
    let (working, incoming) = (load("working.geojson"), load("incoming.geojson"));
    let plan = merge::propose(&working, &incoming, &MatchOptions::default());
    // Accept the first, keep both for the second, skip the third.
    let decisions = [
        Decision::Merge(vec![Side::Working, Side::Working, Side::Incoming]),
        Decision::KeepBoth,
        Decision::Skip,
    ];
    let (command, rows) = merge::merge_command(&working, &incoming, &plan, &decisions);
    let mut editor = Editor::new(working.clone());
    editor.apply(command).expect("apply");
    let doc = editor.document();
    assert_eq!(
        ids(doc),
        ["w1", "w2", "w3", "w4", "c-santa", "c-far", "c-diff"]
    );
    assert_eq!(
        doc.features()[0].property_str("region").as_deref(),
        Some("Cusco")
    );
    assert_eq!(doc.features()[0].events().len(), 3);
    // Skipped: w3 does not get the detection's sighting.
    assert_eq!(doc.features()[2].events().len(), 1);
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        ["merged", "kept both", "skipped", "added", "added"]
    );
    assert!(editor.is_dirty());
    editor.undo();
    assert_eq!(editor.document(), &working);
    assert!(!editor.can_undo());
}

#[test]
fn colliding_ids_of_added_features_are_renamed() {
    let working = load("working.geojson");
    // Merging a layer into itself with every match kept apart: all ids collide.
    let plan = merge::propose(&working, &working, &MatchOptions::default());
    assert_eq!(plan.proposals.len(), 4);
    assert!(plan.proposals.iter().all(|p| p.conflicts.is_empty()));
    let decisions = vec![Decision::KeepBoth; 4];
    let (command, _) = merge::merge_command(&working, &working, &plan, &decisions);
    let mut editor = Editor::new(working.clone());
    editor.apply(command).expect("apply");
    assert_eq!(
        ids(editor.document()),
        ["w1", "w2", "w3", "w4", "w1-2", "w2-2", "w3-2", "w4-2"]
    );
}

fn pistas() -> Command {
    Command::cargo_bin("pistas").expect("binary")
}

#[test]
fn cli_merge_writes_the_layer_and_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("merged.geojson");
    let report = dir.path().join("report.csv");
    let a = common::project_file("tests/fixtures/merge/working.geojson");
    let b = common::project_file("tests/fixtures/merge/incoming.geojson");
    let run = pistas()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("3 merged, 2 added"), "{stderr}");

    let merged = read_path(&out).expect("read").into_strict().expect("valid");
    assert_eq!(ids(&merged), ["w1", "w2", "w3", "w4", "c-far", "c-diff"]);
    // The library with the same rules gives the same document.
    let (working, incoming) = (load("working.geojson"), load("incoming.geojson"));
    let plan = merge::propose(&working, &incoming, &MatchOptions::default());
    let all = vec![Decision::Merge(Vec::new()); plan.proposals.len()];
    let (command, _) = merge::merge_command(&working, &incoming, &plan, &all);
    let mut editor = Editor::new(working);
    editor.apply(command).expect("apply");
    assert_eq!(&merged, editor.document());

    let mut csv = csv::Reader::from_path(&report).expect("report");
    let headers = csv.headers().expect("headers").clone();
    assert_eq!(&headers[2], "action");
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[0][0], "w1");
    assert_eq!(&rows[0][2], "merged");
    assert_eq!(&rows[0][5], "id");
    assert!(
        rows[0][12].contains("region: kept working"),
        "{:?}",
        rows[0]
    );
    assert_eq!(&rows[3][2], "added");

    // Without --force an existing output is not replaced; with a tight distance fewer match.
    pistas()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    let run = pistas()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .args(["--within", "50", "--force"])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("1 merged, 4 added"),
        "{run:?}"
    );
}

#[test]
fn cli_merge_refuses_invalid_input_and_names_the_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("merged.geojson");
    let a = common::project_file("tests/fixtures/merge/working.geojson");
    let bad = common::project_file("tests/fixtures/pistas/bad/bad-events.geojson");
    let run = pistas()
        .arg("merge")
        .arg(&a)
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("bad-events.geojson:"), "{stderr}");
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(!out.exists());
}

/// A FeatureCollection of id-less points with names, `offset_deg` east of the VRAEM.
fn idless(names: &[&str], offset_deg: f64) -> Document {
    let features: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{},{}]}},"properties":{{"name":"{name}","events":[{{"type":"sighted","date":"2020"}}]}}}}"#,
                -74.0 + offset_deg + i as f64 * 0.1,
                -12.0
            )
        })
        .collect();
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    pistas::io::read_str(&text, "idless").document
}

#[test]
fn ids_pistas_gave_are_never_evidence() {
    // Two id-less files 300 km apart: both get pistas-1..3, yet nothing is the same strip.
    let a = idless(&["Alfa", "Bravo", "Charlie"], 0.0);
    let b = idless(&["Delta", "Eco", "Foxtrot"], 2.75);
    assert_eq!(ids(&a), ids(&b), "the same ids were given on both sides");
    let plan = merge::propose(&a, &b, &MatchOptions::default());
    assert!(plan.proposals.is_empty(), "{:?}", plan.proposals);
    assert_eq!(plan.unmatched.len(), 3);
    let merged = common::merge_default(&a, &b);
    assert_eq!(merged.features().len(), 6, "no feature is lost");
    for f in merged.features() {
        assert_eq!(
            f.events().len(),
            1,
            "{}: events stay on their strip",
            f.label()
        );
    }
}

#[test]
fn the_same_id_far_apart_is_a_conflict_kept_apart() {
    let text = |lon: f64| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"s-1","geometry":{{"type":"Point","coordinates":[{lon},-12]}},"properties":{{"name":"Alfa"}}}}]}}"#
        )
    };
    let near = pistas::io::read_str(&text(-74.0), "a").document;
    let far = pistas::io::read_str(&text(-71.0), "b").document;
    let plan = merge::propose(&near, &far, &MatchOptions::default());
    assert_eq!(plan.proposals.len(), 1);
    assert_eq!(plan.proposals[0].reason, MatchReason::SameIdFar);
    assert_eq!(plan.proposals[0].default_decision(), Decision::KeepBoth);
    // The command line keeps them apart.
    let dir = tempfile::tempdir().expect("temp");
    let (w, i, out) = (
        dir.path().join("w.geojson"),
        dir.path().join("i.geojson"),
        dir.path().join("out.geojson"),
    );
    std::fs::write(&w, text(-74.0)).expect("write");
    std::fs::write(&i, text(-71.0)).expect("write");
    Command::cargo_bin("pistas")
        .expect("binary")
        .arg("merge")
        .arg(&w)
        .arg(&i)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let merged = read_path(&out).expect("read").document;
    assert_eq!(merged.features().len(), 2, "kept apart");
}

#[test]
fn events_with_different_ids_are_different_reports() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[
        {"id":"a","type":"destroyed","date":"2014-09"},{"id":"b","type":"destroyed","date":"2014-09"}]}}]}"#;
    let doc = pistas::io::read_str(text, "t").document;
    let merged = common::merge_default(&doc, &doc);
    assert_eq!(&merged, &doc, "merging a file with itself changes nothing");
    assert_eq!(merged.features()[0].events().len(), 2);
}
