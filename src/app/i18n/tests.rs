use super::*;

#[test]
fn both_languages_are_complete_and_templates_agree() {
    for &key in T::ALL {
        let (en, es) = (Lang::En.t(key), Lang::Es.t(key));
        assert!(!en.is_empty() && !es.is_empty(), "{key:?}");
        assert_eq!(
            en.matches("{}").count(),
            es.matches("{}").count(),
            "{key:?}"
        );
    }
}

#[test]
fn fill_puts_values_in_order() {
    assert_eq!(
        Lang::En.fill(T::Counts, &["3", "5"]),
        "3 strips, 5 features"
    );
    assert_eq!(
        Lang::Es.fill(T::Counts, &["3", "5"]),
        "3 pistas, 5 elementos"
    );
}

#[test]
fn two_different_english_texts_are_not_one_spanish_text() {
    // "Ir a" labelled both Go to and Zoom to.
    let mut seen: std::collections::HashMap<&str, &str> = Default::default();
    for &key in T::ALL {
        let (en, es) = (Lang::En.t(key), Lang::Es.t(key));
        if let Some(other) = seen.insert(es, en) {
            assert!(
                other.eq_ignore_ascii_case(en),
                "{key:?}: \"{es}\" says both \"{other}\" and \"{en}\""
            );
        }
    }
}
