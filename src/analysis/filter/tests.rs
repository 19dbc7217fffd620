use super::*;
use crate::io::read_str;
use proptest::prelude::*;

proptest! {
    /// Every feature whose status differs between two dates is among those
    /// `changed_between` names, also after edits of some features.
    #[test]
    fn changed_between_names_every_status_that_changes(
        a in 0u64..7000, b in 0u64..7000, edits in proptest::collection::vec(0usize..80, 0..6)
    ) {
        let mut doc = crate::model::synthetic::generate(80, 11);
        let mut book = FactBook::build(&doc);
        for &i in &edits {
            doc.update(i, |f| { f.events_mut().expect("a readable strip").clear(); }).unwrap().unwrap();
            book.update(&doc, &[i]);
        }
        let day = |n: u64| NaiveDate::from_ymd_opt(2008, 1, 1).unwrap() + chrono::Days::new(n);
        let (a, b) = (day(a), day(b));
        let named = book.changed_between(a, b);
        for i in 0..doc.features().len() {
            if book.status_of(i, a) != book.status_of(i, b) {
                prop_assert!(named.contains(&i), "feature {} changes but is not named", i);
            }
        }
    }
}

const DOC: &str = r#"{"type":"FeatureCollection","features":[
  {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[-74.0,-12.0]},
   "properties":{"name":"Alfa","notes":"near the river","events":[
     {"type":"built","date":"2013"},
     {"type":"destroyed","date":"2014-09-05","operation":"Op Uno","confidence":"confirmed","sources":["AP"]},
     {"type":"rebuilt","date":"2014-09~"},
     {"type":"destroyed","date":"2015-03-01","operation":"Op Dos"},
     {"type":"rebuilt","date":"2015-03-20","sources":[{"title":"IDL-Reporteros","url":"https://idl-reporteros.pe/x"}]}]}},
  {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[-73.0,-13.0]},
   "properties":{"name":"Bravo","events":[
     {"type":"sighted","date":"2016-05","confidence":"unverified"},
     {"type":"destroyed","date":"2016-07-01","operation":"Op Dos"}]}},
  {"type":"Feature","id":"c","geometry":{"type":"Point","coordinates":[-75.0,-11.0]},
   "properties":{"name":"Charlie aerodrome"}}
]}"#;

fn passing(filter: &Filter, day: &str) -> Vec<&'static str> {
    let doc = read_str(DOC, "t").document;
    let book = FactBook::build(&doc);
    let statuses = book.statuses_at(day.parse().unwrap());
    let ids = ["a", "b", "c"];
    book.apply(filter, &statuses)
        .into_iter()
        .zip(ids)
        .filter_map(|(p, id)| p.then_some(id))
        .collect()
}

#[test]
fn updating_in_place_matches_a_rebuild() {
    let mut doc = read_str(DOC, "t").document;
    let mut book = FactBook::build(&doc);
    // Give "b" two more events, and "a" one fewer.
    let extra = doc.features()[0].events()[..2].to_vec();
    doc.update(1, |f| {
        f.events_mut().expect("a readable strip").extend(extra)
    })
    .unwrap()
    .unwrap();
    doc.update(0, |f| f.events_mut().expect("a readable strip").pop())
        .unwrap()
        .unwrap();
    book.update(&doc, &[1, 0]);
    let fresh = FactBook::build(&doc);
    for day in ["2013-06-01", "2014-09-10", "2015-03-25", "2016-08-01"] {
        let d = day.parse().unwrap();
        assert_eq!(book.statuses_at(d), fresh.statuses_at(d), "{day}");
    }
    for i in 0..3 {
        assert_eq!(book.event_days_of(i), fresh.event_days_of(i));
    }
    assert_eq!(book.strip_count(), fresh.strip_count());
    // "c" has no history: without its place it is a strip no more.
    assert_eq!(book.strip_count(), 3);
    doc.update(2, |f| {
        f.set_geometry(None);
    })
    .unwrap()
    .unwrap();
    book.update(&doc, &[2]);
    assert_eq!(book.strip_count(), 2);
    assert_eq!(book.strip_count(), doc.strips().count());
}

#[test]
fn empty_filter_passes_all() {
    assert_eq!(passing(&Filter::default(), "2020-01-01"), ["a", "b", "c"]);
}

proptest! {
    /// The searchable text is the lower case of the name, id, notes and sources,
    /// one per line, whatever their script (final sigma, dotted capital I, emoji).
    #[test]
    fn searchable_text_is_the_lower_case_of_the_whole(
        name in "\\PC{0,12}",
        notes in proptest::option::of("[a-zA-Z\u{391}-\u{3A9}\u{130}\u{C0}-\u{FF} ]{0,12}"),
        title in "\\PC{0,8}",
        url in "[A-Za-z:/.Σ]{0,10}",
    ) {
        let mut properties = serde_json::json!({
            "name": name,
            "events": [{"type": "built", "date": "2014",
                        "sources": [{"title": title, "url": url}, "AP Σ"]}],
        });
        if let Some(notes) = &notes {
            properties["notes"] = serde_json::json!(notes);
        }
        let text = serde_json::json!({"type": "FeatureCollection", "features": [{
            "type": "Feature", "id": "ΣA-1", "geometry": null, "properties": properties,
        }]})
        .to_string();
        let doc = read_str(&text, "t").document;
        let feature = &doc.features()[0];
        let mut whole = format!("{}\n{}", feature.label(), feature.id().as_str());
        if let Some(notes) = feature.notes() {
            whole.push('\n');
            whole.push_str(notes);
        }
        for e in feature.events() {
            for s in e.sources() {
                whole.push('\n');
                whole.push_str(s.label());
                if let Source::Reference(r) = s && let Some(url) = r.url().get() {
                    whole.push('\n');
                    whole.push_str(url);
                }
            }
        }
        let facts = Facts::of(feature);
        prop_assert_eq!(facts.search_text(), whole.to_lowercase());
    }
}

#[test]
fn text_searches_names_notes_sources_and_ids() {
    let f = |t: &str| Filter {
        text: t.into(),
        ..Filter::default()
    };
    assert_eq!(passing(&f("RIVER"), "2020-01-01"), ["a"]);
    assert_eq!(passing(&f("idl-reporteros"), "2020-01-01"), ["a"]);
    assert_eq!(passing(&f("bravo"), "2020-01-01"), ["b"]);
    assert_eq!(passing(&f("charlie"), "2020-01-01"), ["c"]);
    assert_eq!(
        passing(&f("alfa river"), "2020-01-01"),
        ["a"],
        "every word must match"
    );
}

#[test]
fn status_at_the_date() {
    let f = Filter {
        statuses: vec![Status::Destroyed],
        ..Filter::default()
    };
    assert_eq!(
        passing(&f, "2014-09-10"),
        ["a"],
        "rebuilt 2014-09~ counts from the middle of September"
    );
    assert_eq!(passing(&f, "2014-09-16"), Vec::<&str>::new());
    assert_eq!(passing(&f, "2015-03-05"), ["a"]);
    assert_eq!(passing(&f, "2016-08-01"), ["b"]);
    let f = Filter {
        statuses: vec![Status::Unknown],
        ..Filter::default()
    };
    assert_eq!(
        passing(&f, "2012-01-01"),
        ["a", "b", "c"],
        "a point without events is a strip with no history yet"
    );
}

#[test]
fn events_of_a_type_within_dates() {
    let f = Filter {
        event_type: Some(EventType::Destroyed),
        from: Some("2015-01-01".parse().unwrap()),
        to: Some("2015-12-31".parse().unwrap()),
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["a"]);
    // A month-precision event meets a range that touches any of its days.
    let f = Filter {
        event_type: Some(EventType::Sighted),
        from: Some("2016-05-31".parse().unwrap()),
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["b"]);
}

#[test]
fn counts_confidence_operation_and_area() {
    let f = Filter {
        min_rebuilt: 2,
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["a"]);
    let f = Filter {
        min_destroyed: 1,
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["a", "b"]);
    let f = Filter {
        confidence: Some(Confidence::Unverified),
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["b"]);
    let f = Filter {
        operation: "op dos".into(),
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["a", "b"]);
    let f = Filter {
        area: Some([-74.5, -13.5, -72.5, -12.5]),
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["b"]);
    // An L-shaped polygon: "a" lies in its notch, inside its bounding box but outside it.
    let l_shape = vec![
        (-74.5, -13.5),
        (-72.5, -13.5),
        (-72.5, -11.5),
        (-73.5, -11.5),
        (-73.5, -12.5),
        (-74.5, -12.5),
    ];
    let f = Filter {
        polygon: Some(Ring::new(l_shape.clone())),
        ..Filter::default()
    };
    assert_eq!(passing(&f, "2020-01-01"), ["b"]);
    let ring = Ring::new(l_shape);
    assert!(ring.contains(-73.0, -12.0));
    assert!(!ring.contains(-74.0, -12.0));
}
