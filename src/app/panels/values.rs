//! A property's value as text, and typed text as a property's value: shared by the table's
//! cells and the inspector's properties.

/// The JSON for typed text: JSON values other than bare strings stay JSON; anything else is
/// a string.
pub fn text_json(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text.trim()) {
        Ok(v) if !v.is_string() || text.trim().starts_with('"') => text.trim().to_owned(),
        _ => serde_json::to_string(text).unwrap_or_else(|_| "null".to_owned()),
    }
}

/// A property value as shown: strings without quotes, anything else as JSON.
pub fn value_text(raw: &serde_json::value::RawValue) -> String {
    serde_json::from_str::<String>(raw.get()).unwrap_or_else(|_| raw.get().to_owned())
}
