//! Problems found in input files, located and explained.

use std::fmt;

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file or feature cannot be read as it is.
    Error,
    /// The data was read, but something was changed or may not mean what it seems.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem in one file, with where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file's name as given by the caller.
    pub file: String,
    /// 1-based line, where the text gives one.
    pub line: Option<usize>,
    /// 1-based column in characters, where the text gives one.
    pub column: Option<usize>,
    /// 0-based index of the feature in the file's `features` list.
    pub feature_index: Option<usize>,
    /// The feature's id as written, if it has one.
    pub feature_id: Option<String>,
    /// 0-based index of the event in the feature's `events` list.
    pub event_index: Option<usize>,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// How the warning of a feature without an id begins (see `read/report.rs`).
pub const NO_ID: &str = "this feature has no id; Pistas gave it the id";
/// The summary of the features without an id past the tenth.
pub const MORE_NO_ID: &str = "more features have no id; Pistas gave them ids";

impl Diagnostic {
    /// A problem of a whole file, at no place in it.
    pub fn about_file(severity: Severity, file: &str, message: String) -> Self {
        Diagnostic {
            severity,
            file: file.to_owned(),
            line: None,
            column: None,
            feature_index: None,
            feature_id: None,
            event_index: None,
            message,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A warning that a feature had no id, or that more did ([`NO_ID`], [`MORE_NO_ID`]):
    /// stale once the features take their ids from a column.
    pub fn is_missing_id(&self) -> bool {
        self.message.starts_with(NO_ID) || self.message.contains(MORE_NO_ID)
    }

    /// "feature #4 (id "x"), event #2" for messages: counted from 1 as people count.
    pub fn subject(&self) -> Option<String> {
        let feature = self.feature_index?;
        let mut text = format!("feature #{}", feature + 1);
        if let Some(id) = &self.feature_id {
            text.push_str(&format!(" (id \"{id}\")"));
        }
        if let Some(event) = self.event_index {
            text.push_str(&format!(", event #{}", event + 1));
        }
        Some(text)
    }
}

impl fmt::Display for Diagnostic {
    /// `FILE:LINE:COL: error: message`, or `FILE: error: ...` when no line is known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}: ", self.severity)?;
        if let Some(subject) = self.subject() {
            write!(f, "{subject}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Converts byte offsets in a text into 1-based line and character column.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, line_starts }
    }

    /// Line and column (both from 1, column in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The byte offset of a 1-based line and byte column as serde_json reports them.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        (start + column.saturating_sub(1)).min(self.text.len())
    }
}

/// Line and column of many offsets in one pass: offsets asked in increasing order cost
/// the text between them, so locating every problem of a file is linear in its size.
pub struct Locator<'a> {
    text: &'a str,
    /// The last offset located, its line and the byte offset where that line starts, and
    /// its column in characters.
    at: usize,
    line: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator {
            text,
            at: 0,
            line: 1,
            column: 1,
        }
    }

    /// Line and column (both from 1, column in characters) of a byte offset; fastest when
    /// offsets come in increasing order (an earlier one starts again from the top).
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.at {
            *self = Locator::new(self.text);
        }
        let between = &self.text.as_bytes()[self.at..offset];
        match between.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += between.iter().filter(|&&b| b == b'\n').count();
                let line_start = self.at + last + 1;
                self.column = 1 + self.text[line_start..offset].chars().count();
            }
            None => self.column += self.text[self.at..offset].chars().count(),
        }
        self.at = offset;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locator_agrees_with_the_line_index() {
        let text = "ab\nñé{x\n\n  z";
        let index = LineIndex::new(text);
        let mut locator = Locator::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(locator.line_col(offset), index.line_col(offset), "{offset}");
        }
        assert_eq!(locator.line_col(0), (1, 1));
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "{\n  \"ñame\": 1,\n  \"x\": 2\n}";
        let index = LineIndex::new(text);
        let at = text.find("\"x\"").expect("x");
        assert_eq!(index.line_col(at), (3, 3));
        let after_enye = text.find(": 1").expect("colon");
        assert_eq!(index.line_col(after_enye), (2, 9));
        assert_eq!(index.offset(3, 3), at);
    }

    #[test]
    fn display_names_file_line_and_feature() {
        let d = Diagnostic {
            severity: Severity::Error,
            file: "a.geojson".into(),
            line: Some(4),
            column: Some(7),
            feature_index: Some(2),
            feature_id: Some("vraem-1".into()),
            event_index: Some(0),
            message: "bad date".into(),
        };
        assert_eq!(
            d.to_string(),
            "a.geojson:4:7: error: feature #3 (id \"vraem-1\"), event #1: bad date"
        );
    }
}
