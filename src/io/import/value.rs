//! Cells of formats without JSON types (CSV, KML) as JSON values: a column of numbers is
//! numbers, written as the file wrote them; a column of `true`/`false` is booleans; a cell
//! holding a JSON list or object (as GDAL writes nested values) is that JSON; anything
//! else is text, kept exactly.

use crate::io::write::string as json_string_into;

/// What a column's cells are, decided from all of them together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Number,
    Boolean,
    Text,
}

/// The JSON number a cell holds, as JSON text: `-12.5`, `800`, `1e3`; with
/// `decimal_comma`, `-12,5` too (as Excel writes numbers in Spanish). `None` for anything
/// else, including `007` and `+5`, which are text in JSON's eyes and in a survey's.
pub fn number_text(cell: &str, decimal_comma: bool) -> Option<String> {
    let cell = cell.trim();
    let bytes = cell.as_bytes();
    let mut i = 0;
    if bytes.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let int = digits(&mut i);
    if int == 0 || (int > 1 && bytes[int_start] == b'0') {
        return None;
    }
    let mut text = cell[..i].to_owned();
    if i < bytes.len() && (bytes[i] == b'.' || (decimal_comma && bytes[i] == b',')) {
        i += 1;
        let start = i;
        if digits(&mut i) == 0 {
            return None;
        }
        text.push('.');
        text.push_str(&cell[start..i]);
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let start = i;
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
        text.push_str(&cell[start..i]);
    }
    (i == bytes.len()).then_some(text)
}

fn boolean(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A column's kind as its cells are seen one by one; empty cells say nothing.
#[derive(Debug, Clone, Copy)]
pub struct KindGuess {
    numbers: bool,
    booleans: bool,
    any: bool,
}

impl Default for KindGuess {
    fn default() -> Self {
        KindGuess {
            numbers: true,
            booleans: true,
            any: false,
        }
    }
}

impl KindGuess {
    pub fn add(&mut self, cell: &str, decimal_comma: bool) {
        if (!self.numbers && !self.booleans) || cell.trim().is_empty() {
            return;
        }
        self.any = true;
        self.numbers = self.numbers && number_text(cell, decimal_comma).is_some();
        self.booleans = self.booleans && boolean(cell).is_some();
    }

    pub fn kind(self) -> ColumnKind {
        match (self.any, self.numbers, self.booleans) {
            (true, true, _) => ColumnKind::Number,
            (true, false, true) => ColumnKind::Boolean,
            _ => ColumnKind::Text,
        }
    }
}

/// The kind of a column from its cells; empty cells say nothing.
pub fn infer<'a>(cells: impl IntoIterator<Item = &'a str>, decimal_comma: bool) -> ColumnKind {
    let mut guess = KindGuess::default();
    for cell in cells {
        guess.add(cell, decimal_comma);
    }
    guess.kind()
}

/// A text value as JSON: the JSON list or object it holds, else the text as a string.
pub fn text_json(cell: &str) -> String {
    let trimmed = cell.trim_start();
    if (trimmed.starts_with('[') || trimmed.starts_with('{'))
        && serde_json::from_str::<serde::de::IgnoredAny>(cell).is_ok()
    {
        return cell.trim().to_owned();
    }
    let mut out = String::with_capacity(cell.len() + 2);
    json_string_into(&mut out, cell);
    out
}

/// A cell of a column of `kind` as JSON text; an empty cell is `null`.
pub fn cell_json(cell: &str, kind: ColumnKind, decimal_comma: bool) -> String {
    if cell.trim().is_empty() && kind != ColumnKind::Text {
        return "null".to_owned();
    }
    match kind {
        ColumnKind::Number => number_text(cell, decimal_comma).unwrap_or_else(|| text_json(cell)),
        ColumnKind::Boolean => match boolean(cell) {
            Some(b) => b.to_string(),
            None => text_json(cell),
        },
        ColumnKind::Text if cell.is_empty() => "null".to_owned(),
        ColumnKind::Text => text_json(cell),
    }
}

/// A JSON number for a float: `null` for NaN and infinities, which JSON cannot hold.
pub fn float_json(value: f64) -> String {
    crate::io::write::number(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_json_numbers_as_written() {
        assert_eq!(number_text("-12.5", false).as_deref(), Some("-12.5"));
        assert_eq!(number_text("800", false).as_deref(), Some("800"));
        assert_eq!(number_text("1E3", false).as_deref(), Some("1E3"));
        assert_eq!(number_text("-12,5", true).as_deref(), Some("-12.5"));
        assert_eq!(number_text("-12,5", false), None);
        for text in ["007", "+5", "1.", ".5", "12a", "", "-", "1,2,3", "1 000"] {
            assert_eq!(number_text(text, true), None, "{text}");
        }
    }

    #[test]
    fn a_column_is_typed_by_all_its_cells() {
        assert_eq!(infer(["1", "", "2.5"], false), ColumnKind::Number);
        assert_eq!(infer(["1", "007"], false), ColumnKind::Text);
        assert_eq!(infer(["TRUE", "false"], false), ColumnKind::Boolean);
        assert_eq!(infer(["", ""], false), ColumnKind::Text);
        assert_eq!(cell_json("", ColumnKind::Number, false), "null");
        assert_eq!(cell_json("TRUE", ColumnKind::Boolean, false), "true");
        assert_eq!(
            cell_json("a \"b\"", ColumnKind::Text, false),
            "\"a \\\"b\\\"\""
        );
        assert_eq!(cell_json("[1, 2]", ColumnKind::Text, false), "[1, 2]");
        assert_eq!(cell_json("[sic]", ColumnKind::Text, false), "\"[sic]\"");
    }

    proptest::proptest! {
        /// Whatever a cell holds, its JSON is valid and a text cell keeps its text.
        #[test]
        fn every_cell_becomes_valid_json(cell in "\\PC{0,12}", comma: bool) {
            for kind in [ColumnKind::Number, ColumnKind::Boolean, ColumnKind::Text] {
                let json = cell_json(&cell, kind, comma);
                let value: serde_json::Value = serde_json::from_str(&json).unwrap();
                if kind == ColumnKind::Text
                    && !cell.is_empty()
                    && let serde_json::Value::String(s) = value
                {
                    proptest::prop_assert_eq!(s, cell.clone());
                }
            }
            if let Some(n) = number_text(&cell, comma) {
                proptest::prop_assert!(serde_json::from_str::<serde_json::Number>(&n).is_ok());
            }
        }
    }
}
