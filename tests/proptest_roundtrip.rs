//! Property-based round trips: random files in the profile, with random unknown members,
//! load → save → load unchanged, and unknown values keep their exact text.

use pistas::io::{WriteOptions, read_str, read_str_with_threads, write_geojson};
use proptest::prelude::*;

/// Any JSON value as text, with numbers in spellings a parser might normalise.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "1.50",
            "-0.0",
            "1e3",
            "2.5E-7",
            "12345678901234567890",
            "0.1000"
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9 áñ\"\\\\/\n\t-]{0,12}"
            .prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..4).prop_map(|members| {
                let mut seen = std::collections::HashSet::new();
                let body: Vec<String> = members
                    .into_iter()
                    .filter(|(k, _)| seen.insert(k.clone()))
                    .map(|(k, v)| format!("\"{k}\": {v}"))
                    .collect();
                format!("{{{}}}", body.join(", "))
            }),
        ]
    })
}

fn date() -> impl Strategy<Value = String> {
    (
        1990..2031i32,
        1..13u32,
        1..29u32,
        0..3usize,
        prop::sample::select(vec!["", "~", "?", "%"]),
    )
        .prop_map(|(y, m, d, precision, q)| match precision {
            0 => format!("{y}{q}"),
            1 => format!("{y}-{m:02}{q}"),
            _ => format!("{y}-{m:02}-{d:02}{q}"),
        })
}

fn source() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z ]{1,10}".prop_map(|s| format!("\"{s}\"")),
        ("[A-Za-z ]{1,10}", proptest::option::of(json_value())).prop_map(
            |(t, extra)| match extra {
                Some(v) => format!("{{\"title\": \"{t}\", \"page\": {v}}}"),
                None => format!(
                    "{{\"title\": \"{t}\", \"url\": \"https://example.org/{}\"}}",
                    t.len()
                ),
            }
        ),
    ]
}

fn event() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["built", "sighted", "destroyed", "rebuilt", "reported"]),
        date(),
        proptest::option::of(prop::sample::select(vec![
            "confirmed",
            "probable",
            "unverified",
        ])),
        prop::collection::vec(source(), 0..3),
        proptest::option::of(json_value()),
    )
        .prop_map(|(kind, date, confidence, sources, extra)| {
            let mut e = format!("{{\"type\": \"{kind}\", \"date\": \"{date}\"");
            if let Some(c) = confidence {
                e.push_str(&format!(", \"confidence\": \"{c}\""));
            }
            if !sources.is_empty() {
                e.push_str(&format!(", \"sources\": [{}]", sources.join(", ")));
            }
            if let Some(v) = extra {
                e.push_str(&format!(", \"x_extra\": {v}"));
            }
            e.push('}');
            e
        })
}

/// A feature's text and its unknown properties (key, exact value text), in order.
fn feature() -> impl Strategy<Value = (String, Vec<(String, String)>)> {
    (
        prop::collection::vec(("[a-z]{1,8}", json_value()), 0..5),
        proptest::option::of(prop::collection::vec(event(), 0..5)),
        (-75.5f64..-73.0, -13.8f64..-11.0, any::<bool>()),
        (
            prop_oneof![Just(None), "[a-z0-9-]{1,8}".prop_map(Some)],
            // A foreign member beside GeoJSON's own, as some tools write (`title`, `bbox`).
            proptest::option::of(json_value()),
        ),
    )
        .prop_map(|(props, events, (lon, lat, line), (id, foreign))| {
            let mut seen = std::collections::HashSet::new();
            let props: Vec<(String, String)> = props
                .into_iter()
                .filter(|(k, _)| {
                    k != "events"
                        && !pistas::model::DERIVED_PROPERTIES.contains(&k.as_str())
                        && seen.insert(k.clone())
                })
                .collect();
            let mut body: Vec<String> =
                props.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            if let Some(events) = events {
                let at = body.len() / 2;
                body.insert(at, format!("\"events\": [{}]", events.join(", ")));
            }
            let geometry = if line {
                format!(
                    "{{\"type\": \"LineString\", \"coordinates\": [[{lon}, {lat}], [{}, {}]]}}",
                    lon + 0.01,
                    lat
                )
            } else {
                format!("{{\"type\": \"Point\", \"coordinates\": [{lon}, {lat}]}}")
            };
            let id = id.map(|i| format!("\"id\": \"{i}\", ")).unwrap_or_default();
            let foreign = foreign
                .map(|v| format!(", \"x_title\": {v}"))
                .unwrap_or_default();
            let text = format!(
                "{{\"type\": \"Feature\", {id}\"geometry\": {geometry}, \"properties\": {{{}}}{foreign}}}",
                body.join(", ")
            );
            (text, props)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn profile_files_round_trip(features in prop::collection::vec(feature(), 0..6)) {
        let texts: Vec<&str> = features.iter().map(|(t, _)| t.as_str()).collect();
        let input = format!("{{\"type\": \"FeatureCollection\", \"features\": [{}]}}", texts.join(",\n"));
        let options = WriteOptions { status_date: "2026-01-01".parse().expect("date") };
        let first = read_str(&input, "generated");
        prop_assert!(!first.has_errors(), "{:#?}\n{input}", first.diagnostics);
        // Unknown properties keep their exact text and their order.
        for (feature, (_, props)) in first.document.features().iter().zip(&features) {
            let read: Vec<(&str, &str)> =
                feature.properties().iter().map(|(k, v)| (k.as_str(), v.get())).collect();
            let expected: Vec<(&str, &str)> = props.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            prop_assert_eq!(read, expected);
        }
        let written = write_geojson(&first.document, &options);
        let second = read_str(&written, "written");
        prop_assert!(!second.has_errors(), "{:#?}", second.diagnostics);
        prop_assert_eq!(&second.document, &first.document);
        prop_assert_eq!(write_geojson(&second.document, &options), written);
    }

    /// The fast reader and the full reader agree on random files in the profile and on
    /// the same files with a random edit: a character dropped, or one of `"\\{}[],:`,
    /// a control character or an escape put in. Whenever the fast reader accepts a file,
    /// it reads and reports what the full reader does, and the full reader finds no error.
    #[test]
    fn any_text_reads_the_same_on_any_thread_count_and_writes_back(
        features in prop::collection::vec(feature(), 1..6),
        edit in proptest::option::of((any::<prop::sample::Index>(), 0..12usize)),
        ids in any::<bool>(),
    ) {
        let texts: Vec<String> = features
            .iter()
            .enumerate()
            .map(|(i, (t, _))| if ids && !t.contains("\"id\"") {
                t.replacen("{\"type\": \"Feature\", ", &format!("{{\"type\": \"Feature\", \"id\": {i}, "), 1)
            } else {
                t.clone()
            })
            .collect();
        let mut input = format!("{{\"type\": \"FeatureCollection\", \"features\": [{}]}}", texts.join(",\n"));
        if let Some((at, what)) = edit {
            let mut at = at.index(input.len());
            while !input.is_char_boundary(at) {
                at -= 1;
            }
            let inserted = ["\"", "\\", "{", "}", "[", "]", ",", ":", "\u{1}", "\\u00e9", "\\n"];
            match inserted.get(what) {
                Some(text) => input.insert_str(at, text),
                None => {
                    if let Some(c) = input[at..].chars().next() {
                        input.replace_range(at..at + c.len_utf8(), "");
                    }
                }
            }
        }
        // Whatever the text, one thread and two read the same; whatever is read writes a
        // file that reads back to the same document, with no error if the input had none.
        let one = read_str_with_threads(&input, "generated", 1);
        let two = read_str_with_threads(&input, "generated", 2);
        prop_assert_eq!(&one.diagnostics, &two.diagnostics);
        prop_assert_eq!(&one.document, &two.document);
        prop_assert_eq!(&read_str(&input, "generated").document, &one.document);
        if !one.fatal {
            let options = WriteOptions { status_date: "2026-01-01".parse().expect("date") };
            let written = write_geojson(&one.document, &options);
            // Features that keep spans of the text and the same features decoded and
            // owned write the same bytes.
            let mut owned = one.document.clone();
            owned.make_own();
            prop_assert_eq!(&owned, &one.document);
            prop_assert_eq!(&write_geojson(&owned, &options), &written);
            let again = read_str(&written, "written");
            prop_assert_eq!(&again.document, &one.document, "{}", written);
            if !one.has_errors() {
                prop_assert!(!again.has_errors(), "{:#?}\n{}", again.diagnostics, written);
            }
        }
    }
}
