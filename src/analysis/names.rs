//! Place names as people write them: folding accents and case, and how alike two names are.

/// Lower case without accents, for matching names as people type them.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    // Decomposed, every accent is a mark of its own (ã = a + ◌̃, ç = c + ◌̧): dropped.
    text.trim()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Words that say what a place is rather than which one it is.
const GENERIC: [&str; 14] = [
    "pista",
    "pistas",
    "pta",
    "aerodromo",
    "aerodrome",
    "airstrip",
    "strip",
    "clandestina",
    "de",
    "del",
    "la",
    "el",
    "los",
    "las",
];

/// The distinctive part of a name: folded, punctuation dropped, generic words removed and the
/// rest joined without spaces, so "Pista Palma Pampa" and "palmapampa" are the same key.
pub fn name_key(name: &str) -> String {
    let folded = fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let distinctive: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !GENERIC.contains(w))
        .collect();
    // A name made only of generic words ("Pista") is its own key.
    if distinctive.is_empty() {
        words.concat()
    } else {
        distinctive.concat()
    }
}

/// How alike two names are, from 0 (nothing in common) to 1 (the same key), by Jaro–Winkler
/// similarity of their keys: it forgives the dropped letters and swapped spellings of names
/// copied from reports ("Sta. Rosa", "Santa Rosa").
///
/// Numbers must agree: "Pista 12" and "Pista 21", or "Km 45" and "Km 46", are different
/// places however alike the letters are, so names whose numbers differ score 0.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (name_key(a), name_key(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let numbers = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.trim_start_matches('0').to_owned())
            .collect()
    };
    let (na, nb) = (numbers(&a), numbers(&b));
    if !na.is_empty() && !nb.is_empty() && na != nb {
        return 0.0;
    }
    strsim::jaro_winkler(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_words_accents_and_spaces_do_not_count() {
        assert_eq!(name_key("Pista  Palma Pampa"), "palmapampa");
        assert_eq!(name_key("Aeródromo de Pichari"), "pichari");
        assert_eq!(name_key("Pista"), "pista");
        assert!((name_similarity("Pista Palmapampa", "PALMA PAMPA") - 1.0).abs() < 1e-12);
        assert!(name_similarity("Santa Rosa", "Sta. Rosa") >= 0.75);
        assert!(name_similarity("Llochegua", "Pichari") < 0.75);
        assert_eq!(name_similarity("", "Pichari"), 0.0);
        assert_eq!(name_similarity("Pista 12", "Pista 21"), 0.0);
        assert!(name_similarity("Km 45", "km 045") > 0.9);
        assert!(name_similarity("Synthetic strip 000123", "Synthetic strip 000123") > 0.99);
    }

    #[test]
    fn folding_drops_accents_and_case() {
        assert_eq!(fold(" Ñuñunhuayo Río "), "nununhuayo rio");
    }
}

/// Orders texts as a person reads them: runs of digits by their value, so `pistas-49`
/// comes before `pistas-489` and `strip 9` before `strip 10`; other text by character,
/// ignoring case first. Equal by that order, the texts compare as written, so the order
/// is total.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // Compared in place, without allocating: tables sort 100k names with this.
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    let digits = |s: &[u8], from: usize| {
        let end = s[from..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(s.len(), |n| from + n);
        let start = s[from..end]
            .iter()
            .position(|c| *c != b'0')
            .map_or(end, |n| from + n);
        (start, end)
    };
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let (m0, m1) = digits(x, i);
            let (n0, n1) = digits(y, j);
            let order = (m1 - m0)
                .cmp(&(n1 - n0))
                .then_with(|| x[m0..m1].cmp(&y[n0..n1]));
            if order != Ordering::Equal {
                return order;
            }
            (i, j) = (m1, n1);
            continue;
        }
        // One character of each side, by its lowercase.
        let (Some(c), Some(d)) = (a[i..].chars().next(), b[j..].chars().next()) else {
            break;
        };
        let order = c.to_lowercase().cmp(d.to_lowercase());
        if order != Ordering::Equal {
            return order;
        }
        i += c.len_utf8();
        j += d.len_utf8();
    }
    (x.len() - i)
        .cmp(&(y.len() - j))
        .then_with(|| a.to_lowercase().cmp(&b.to_lowercase()))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod natural_tests {
    use super::natural_cmp;

    #[test]
    fn numbers_in_text_sort_by_value() {
        let mut ids = vec![
            "pistas-489",
            "pistas-49",
            "pistas-5",
            "Pistas-50",
            "a",
            "pistas-049",
        ];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            vec![
                "a",
                "pistas-5",
                "pistas-049",
                "pistas-49",
                "Pistas-50",
                "pistas-489"
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn the_order_is_total_and_consistent(a in "[a-c0-9-]{0,8}", b in "[a-c0-9-]{0,8}", c in "[a-c0-9-]{0,8}") {
            use std::cmp::Ordering::*;
            proptest::prop_assert_eq!(natural_cmp(&a, &b), natural_cmp(&b, &a).reverse());
            proptest::prop_assert_eq!(natural_cmp(&a, &b) == Equal, a == b);
            if natural_cmp(&a, &b) != Greater && natural_cmp(&b, &c) != Greater {
                proptest::prop_assert_ne!(natural_cmp(&a, &c), Greater);
            }
        }
    }

    #[test]
    fn fold_drops_every_accent_of_spanish_and_portuguese() {
        assert_eq!(
            crate::analysis::fold("  Ñaupa São João Açaí Güepí ÀÉÎÕÜ "),
            "naupa sao joao acai guepi aeiou"
        );
        assert_eq!(crate::analysis::fold("Código"), "codigo");
    }
}
