//! A feature's id: a string, or a JSON number kept as written and checked when made.

use std::fmt;

/// A GeoJSON feature id: a string or a number, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FeatureId {
    String(String),
    /// A JSON number, as its text, so `42` and `4.20e1` stay as they were.
    Number(JsonNumber),
}

impl FeatureId {
    /// The id as text, for display and matching.
    pub fn as_str(&self) -> &str {
        match self {
            FeatureId::String(s) => s,
            FeatureId::Number(n) => n.as_str(),
        }
    }

    /// A number id from its text; `None` unless the text is a JSON number.
    pub fn number(text: &str) -> Option<FeatureId> {
        JsonNumber::new(text).map(FeatureId::Number)
    }
}

/// The text of a JSON number (RFC 8259: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`),
/// checked when it is made: a number id is written as this text, so it can never break
/// the file it is written to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JsonNumber(String);

impl JsonNumber {
    pub fn new(text: &str) -> Option<JsonNumber> {
        is_json_number(text).then(|| JsonNumber(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

impl fmt::Display for FeatureId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
