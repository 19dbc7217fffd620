use super::*;
use geo::point;

proptest::proptest! {
    /// A name and notes read back as written, whether the file escapes nothing, the
    /// usual characters, or every non-ASCII character (`\uXXXX`, as Python writes by
    /// default); edited afterwards, they follow the edit.
    #[test]
    fn names_and_notes_read_back_as_written_however_escaped(
        name in "\\PC{0,16}|[\"\\\\\n\t]{0,4}",
        notes in proptest::option::of("\\PC{0,24}"),
        ascii in proptest::bool::ANY,
        renamed in "\\PC{0,8}",
    ) {
        let encode = |text: &str| {
            let json = serde_json::to_string(text).unwrap();
            if !ascii {
                return json;
            }
            let mut out = String::new();
            for c in json.chars() {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
            }
            out
        };
        let notes_member = notes
            .as_deref()
            .map(|n| format!(r#","notes":{}"#, encode(n)))
            .unwrap_or_default();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"a","geometry":null,"properties":{{"name":{}{notes_member}}}}}]}}"#,
            encode(&name)
        );
        let doc = crate::io::read_str(&text, "t").document;
        let feature = &mut doc.features()[0].clone();
        proptest::prop_assert_eq!(feature.name(), Some(name.as_str()));
        proptest::prop_assert_eq!(feature.label(), name.as_str());
        proptest::prop_assert_eq!(feature.notes(), notes.as_deref());
        feature.set_name(&renamed);
        proptest::prop_assert_eq!(feature.name(), Some(renamed.as_str()));
        feature.remove_property("notes");
        proptest::prop_assert_eq!(feature.notes(), None);
    }
}

#[test]
fn properties_keep_their_places() {
    let mut f = Feature::new_strip(
        FeatureId::String("s1".into()),
        "Pista \"Norte\"",
        point!(x: -74.0, y: -12.0).into(),
    );
    assert_eq!(f.name(), Some("Pista \"Norte\""));
    f.set_property("notes", json_string("fresh clearing"));
    f.set_property("name", json_string("Pista Sur"));
    let keys: Vec<&str> = f.properties().iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["name", "notes"]);
    assert_eq!(f.label(), "Pista Sur");
    assert_eq!(f.notes(), Some("fresh clearing"));
    assert!(f.remove_property("name").is_some());
    assert_eq!(f.label(), "s1");
}

proptest::proptest! {
    /// A number id is exactly what JSON's grammar calls a number (however large): the
    /// check agrees with serde_json's reader, which Pistas reads files with, on whether
    /// the text is one JSON number.
    #[test]
    fn number_ids_are_exactly_json_numbers(text in "[-+0-9.eE ]{0,8}|-?[0-9]{1,4}(\\.[0-9]{0,3})?([eE][-+]?[0-9]{0,3})?") {
        let serde_says = serde_json::from_str::<Box<serde_json::value::RawValue>>(&text).is_ok()
            && text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
            && !text.ends_with(' ');
        proptest::prop_assert_eq!(FeatureId::number(&text).is_some(), serde_says, "{:?}", text);
    }
}

#[test]
fn number_ids_refuse_what_would_break_the_file() {
    for good in ["0", "-0", "17", "3.50", "4.20e1", "1E-7", "-12.5e+3"] {
        assert!(FeatureId::number(good).is_some(), "{good}");
    }
    for bad in [
        "", "-", "1-2", "--1", "01", "1.", ".5", "1e", "+1", "1 ", "NaN", "0x10",
    ] {
        assert!(FeatureId::number(bad).is_none(), "{bad:?}");
    }
}

#[test]
fn foreign_members_never_collide_with_geojson_own_or_repeat() {
    let value = || json_string("x");
    let mut foreign = Foreign::default();
    assert!(foreign.push("bbox".into(), value()).is_ok());
    assert!(foreign.push("my_tool".into(), value()).is_ok());
    for own in Foreign::OWN {
        let refused = foreign.push(own.into(), value());
        assert!(refused.is_err_and(|e| e.contains(own)), "{own}");
    }
    assert!(foreign.push("bbox".into(), value()).is_err());
    assert_eq!(foreign.members().len(), 2);
    assert!(Foreign::from_members(vec![("geometry".into(), value())]).is_err());
    // What a feature carries is written once: its text has each member once.
    let mut f = Feature::new_strip(
        FeatureId::String("s".into()),
        "S",
        point!(x: 1.0, y: 2.0).into(),
    );
    f.set_foreign(foreign);
    let doc = crate::model::Document::with_unique_ids(vec![f], Vec::new()).0;
    let text = crate::io::write_geojson(&doc, &crate::io::WriteOptions::default());
    assert_eq!(text.matches("\"geometry\"").count(), 1, "{text}");
    assert_eq!(text.matches("\"my_tool\"").count(), 1, "{text}");
}

/// A feature Pistas could not read is written as read: nothing can change its events
/// (the change would vanish when written), only a fix that replaces it.
#[test]
fn an_unreadable_feature_refuses_event_edits() {
    let raw = RawValue::from_string(r#"{"type":"Feature","geometry":7}"#.to_owned()).expect("JSON");
    let mut f = Feature::unreadable(
        Some(FeatureId::String("u".into())),
        raw,
        vec!["bad geometry".into()],
    );
    assert!(f.events_mut().is_none());
    let unread = Unread::new(json_string("an event"), Vec::new());
    assert!(!f.push_unread_event(unread));
    assert!(!f.set_property("name", json_string("renamed")));
    let doc = crate::model::Document::with_unique_ids(vec![f], Vec::new()).0;
    let mut editor = crate::edit::Editor::new(doc);
    let err = editor
        .add_event(
            0,
            Event::new(
                crate::model::EventType::Sighted,
                crate::model::FuzzyDate::parse("2020").expect("date"),
            ),
        )
        .expect_err("an unreadable strip takes no event");
    assert!(matches!(
        err,
        crate::edit::EditError::Unreadable(0) | crate::edit::EditError::NotStrip(0)
    ));
    assert!(!editor.can_undo());
}

/// The summary a strip is written with has every derived property of the one list
/// ([`DERIVED_PROPERTIES`]) once, in its order: a runway with a history has them all.
#[test]
fn a_runway_with_a_history_is_written_with_every_derived_property() {
    let mut f = Feature::new_strip(
        FeatureId::String("r".into()),
        "Runway",
        geo::LineString::from(vec![(-74.0, -12.0), (-74.0, -12.01)]).into(),
    );
    f.events_mut().expect("readable").push(Event::new(
        crate::model::EventType::Destroyed,
        crate::model::FuzzyDate::parse("2014-09-05").expect("date"),
    ));
    let doc = crate::model::Document::with_unique_ids(vec![f], Vec::new()).0;
    let text = crate::io::write_geojson(&doc, &crate::io::WriteOptions::default());
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let properties = value["features"][0]["properties"]
        .as_object()
        .expect("properties");
    let written: Vec<&str> = properties
        .keys()
        .map(String::as_str)
        .filter(|k| DERIVED_PROPERTIES.contains(k))
        .collect();
    assert_eq!(written, DERIVED_PROPERTIES, "{text}");
}
