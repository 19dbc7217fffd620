//! The order of the table's rows: property values compared sensibly, texts in natural
//! order.

use crate::analysis::natural_cmp;
use crate::app::panels::values::value_text;

/// Two property values in a sensible order: numbers by value, text as read (natural
/// order), missing values last.
pub(super) fn property_cmp(
    a: Option<&serde_json::value::RawValue>,
    b: Option<&serde_json::value::RawValue>,
) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        // Numbers first, by value; then text in natural order: one consistent order, so
        // mixed columns sort (a comparison that disagreed with itself could panic).
        (Some(a), Some(b)) => match (a.get().parse::<f64>(), b.get().parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => natural_cmp(&value_text(a), &value_text(b)),
        },
    }
}

/// Sorts `rows` by their text in natural order (stable: equal texts keep their order).
pub(super) fn sort_by_text<'a>(rows: &mut Vec<usize>, text: impl Fn(usize) -> &'a str) {
    let mut keyed: Vec<(&str, usize)> = rows.iter().map(|&i| (text(i), i)).collect();
    keyed.sort_by(|a, b| natural_cmp(a.0, b.0));
    *rows = keyed.into_iter().map(|(_, i)| i).collect();
}
