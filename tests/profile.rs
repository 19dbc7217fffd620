//! The Pistas profile: histories read and written, nothing lost, problems reported.

mod common;

use pistas::io::{Severity, read_path, read_str, write_geojson};
use pistas::model::{EventType, FeatureId, Status};
use serde_json::Value;

#[test]
fn unknown_members_order_ids_and_numbers_survive() {
    let path = common::project_file("tests/fixtures/pistas/good/profile.geojson");
    let parsed = read_path(&path).expect("read");
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let doc = parsed.document;
    assert_eq!(
        *doc.features()[1].id(),
        FeatureId::number("17").expect("a number")
    );
    assert_eq!(
        *doc.features()[2].id(),
        FeatureId::number("3.50").expect("a number")
    );
    let written = write_geojson(&doc, &common::options());
    // Coordinates and numbers keep their spelling; property order is kept with events in place.
    assert!(written.contains("[-74.12350000, -12.3457]"), "{written}");
    assert!(written.contains("\"id\":3.50"), "{written}");
    assert!(written.contains("[-73.9, -12.1, 600]"));
    let out: Value = serde_json::from_str(&written).expect("json");
    let strip = &out["features"][0];
    assert_eq!(strip["foreign_member"]["a"], 1);
    let props = strip["properties"].as_object().expect("properties");
    let keys: Vec<&str> = props.keys().map(String::as_str).collect();
    let position = |k: &str| keys.iter().position(|x| *x == k).unwrap_or(usize::MAX);
    assert!(position("zeta") < position("name") && position("name") < position("alpha"));
    assert!(position("alpha") < position("events") && position("events") < position("notes"));
    assert!(position("notes") < position("mid"));
    // Derived fields are recomputed, never trusted.
    assert_eq!(props["status"], "rebuilt");
    assert_eq!(props["times_destroyed"], 1);
    assert_eq!(props["times_rebuilt"], 1);
    assert_eq!(props["first_event"], "2014-03-01");
    assert_eq!(props["last_event"], "2014-09-30");
    let length = props["runway_length_m"].as_f64().expect("length");
    assert!((600.0..700.0).contains(&length), "{length}");
    // Event bounds are written; unknown event and source members kept.
    let e1 = &props["events"][0];
    assert_eq!(
        (e1["date_start"].as_str(), e1["date_end"].as_str()),
        (Some("2014-03-01"), Some("2014-03-31"))
    );
    assert_eq!(e1["analyst"], "RM");
    assert_eq!(e1["sources"][0]["page"], 7);
    assert_eq!(props["events"][1]["date_start"], "2014-09-05");
    // Non-strips keep even properties named like derived ones.
    let ctx = &out["features"][3]["properties"];
    assert_eq!(ctx["status"], "kept as is: not a strip");
    assert_eq!(ctx["times_destroyed"], "also kept");
    assert!(out["features"][2]["properties"].is_null());
    assert_eq!(out["name"], "profile test");
    assert_eq!(out["crs_note"]["kept"][1], 2.5);
    assert!(written.contains("[1, 2.50, \"x\"]"));
}

#[test]
fn bad_events_are_named_and_good_features_still_load() {
    let path = common::project_file("tests/fixtures/pistas/bad/bad-events.geojson");
    let parsed = read_path(&path).expect("read");
    let text: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    let find = |needle: &str| {
        text.iter()
            .find(|t| t.contains(needle))
            .unwrap_or_else(|| panic!("no diagnostic with {needle:?} in {text:#?}"))
    };
    let month = find("month 13 does not exist");
    assert!(month.contains("bad-events.geojson:7:"), "{month}");
    assert!(
        month.contains("feature #2 (id \"bad-date\"), event #2"),
        "{month}"
    );
    assert!(find("\"Sept 2014\" is not a date").contains("feature #3"));
    assert!(find("did you mean \"destroyed\"").contains("event #1"));
    assert!(find("the date is the number 2014").contains("event #2"));
    let duplicate = find("already used by an earlier feature");
    assert!(duplicate.contains("warning"), "{duplicate}");
    let confidence = find("confidence \"alta\"");
    assert!(confidence.contains("warning"));
    // Every feature opens: the bad events are kept as written beside the good ones, and the
    // duplicate id is renamed, not merged.
    let features = &parsed.document.features();
    assert_eq!(features.len(), 5);
    let unread: Vec<usize> = features.iter().map(|f| f.unread_events().len()).collect();
    assert!(unread[1..4].iter().all(|&n| n > 0), "{unread:?}");
    assert!(features.iter().all(|f| f.unread().is_none()));
    let ids: Vec<&str> = features.iter().map(|f| f.id().as_str()).collect();
    assert_eq!(ids[0], "good-1");
    assert_eq!(ids[4], "good-1-1");
    assert!(parsed.clone().into_strict().is_err());
    // The unknown confidence is kept as written.
    let written = write_geojson(&parsed.document, &common::options());
    assert!(written.contains("\"confidence\":\"alta\""), "{written}");
}

#[test]
fn a_strip_history_reads_as_the_design_says() {
    let text = r#"{"type":"Feature","id":"s","geometry":{"type":"Point","coordinates":[-74,-12]},
        "properties":{"events":[
          {"type":"built","date":"2013"},
          {"type":"destroyed","date":"2014-09-05"},
          {"type":"rebuilt","date":"2014-09-20"},
          {"type":"reported","date":"2015"}]}}"#;
    let parsed = read_str(text, "inline");
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let strip = &parsed.document.features()[0];
    assert_eq!(strip.events()[1].kind(), EventType::Destroyed);
    let summary = pistas::analysis::StripSummary::of(strip, "2014-09-10".parse().expect("day"));
    assert_eq!(summary.status, Status::Destroyed);
    assert_eq!(summary.history.rebuilds()[0].days(), 15);
}

#[test]
fn syntax_errors_and_non_utf8_stop_the_read_with_a_location() {
    let parsed = read_str(
        "{\"type\": \"FeatureCollection\",\n \"features\": [\n {\"type\": }",
        "cut.geojson",
    );
    assert!(parsed.fatal);
    let d = &parsed.diagnostics[0];
    assert_eq!((d.severity, d.line), (Severity::Error, Some(3)));
    let parsed = read_str(
        "{\"type\": \"FeatureCollection\", \"features\": [",
        "short.geojson",
    );
    assert!(parsed.diagnostics[0].message.contains("ends too early"));
    let parsed = pistas::io::read_bytes(
        b"{\"type\": \"Feature\",\n \"name\": \"Caf\xe9\"}",
        "latin1.geojson",
    );
    assert!(parsed.fatal);
    assert!(parsed.diagnostics[0].message.contains("not UTF-8"));
    assert_eq!(parsed.diagnostics[0].line, Some(2));
}

/// An event's evidence is read typed and written back as written (member order, spelling,
/// unknown members); an item that breaks the profile's rules is an error at its place,
/// and its event is kept as written.
#[test]
fn evidence_reads_and_writes_back_and_bad_items_are_located() {
    const HASH: &str = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
    let item = format!(
        r#"{{"path":"9f/86d0.png","sha256":"{HASH}","bytes":2048,"captured":"2014-09~","footprint":[-74.10, -12.2, -74.0, -12.1],"private":false,"lens":"50mm"}}"#
    );
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"s","geometry":{{"type":"Point","coordinates":[-74,-12]}},"properties":{{"events":[{{"type":"destroyed","date":"2014-09-05","evidence":[{item}]}}]}}}}]}}"#
    );
    let parsed = read_str(&text, "evidence.geojson");
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let event = &parsed.document.features()[0].events()[0];
    let evidence = &event.evidence()[0];
    assert_eq!(evidence.sha256(), HASH.to_ascii_lowercase());
    assert_eq!(evidence.bytes(), Some(2048));
    assert_eq!(evidence.footprint(), Some([-74.1, -12.2, -74.0, -12.1]));
    assert!(
        event.extra().is_empty(),
        "evidence is the model's own member"
    );
    let written = write_geojson(&parsed.document, &common::options());
    assert!(
        written.contains(&format!("\"evidence\":[{item}]")),
        "{written}"
    );
    let again = read_str(&written, "again");
    assert_eq!(again.document, parsed.document);

    // A source object has evidence too; a bad item there is named with its source.
    let fixture = common::project_file("tests/fixtures/pistas/good/evidence.geojson");
    let parsed = pistas::io::read_path(&fixture).expect("read");
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let event = &parsed.document.features()[0].events()[0];
    match &event.sources()[1] {
        pistas::model::Source::Reference(r) => {
            assert_eq!(r.evidence().len(), 1);
            assert_eq!(r.evidence()[0].path().as_deref(), Some("2c/page.html"));
            assert!(r.extra().get("evidence").is_none());
        }
        other => panic!("a reference, not {other:?}"),
    }
    let written = write_geojson(&parsed.document, &common::options());
    assert_eq!(read_str(&written, "again").document, parsed.document);
    let fixture_text = std::fs::read_to_string(&fixture).expect("read");
    let bad = read_str(
        &fixture_text.replacen("\"2c/page.html\"", "\"/etc/page.html\"", 1),
        "bad",
    );
    let errors: Vec<_> = bad.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.starts_with("source #2: evidence #1"),
        "{}",
        errors[0].message
    );

    for (bad, member) in [
        (r#"{"sha256":"abc"}"#, "sha256"),
        (
            r#"{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","path":"../secret.png"}"#,
            "path",
        ),
        (r#""a photo""#, "evidence #1"),
    ] {
        let text = text.replacen(&item, bad, 1);
        let parsed = read_str(&text, "bad.geojson");
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{bad}: {errors:#?}");
        assert!(errors[0].message.contains(member), "{}", errors[0].message);
        assert!(errors[0].line.is_some() && errors[0].event_index == Some(0));
        let feature = &parsed.document.features()[0];
        assert_eq!(
            feature.unread_events().len(),
            1,
            "the event is kept as written"
        );
        let written = write_geojson(&parsed.document, &common::options());
        assert!(written.contains(bad), "{written}");
    }
}
