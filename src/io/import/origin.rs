//! Where a row came from in its file: a line and column, or a place in words.

/// Where a row stands in its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Where the row is, in words, when there are no lines: `table "strips", fid 7`.
    pub place: Option<String>,
}

impl Origin {
    pub fn line(line: usize) -> Self {
        Origin {
            line: Some(line),
            ..Origin::default()
        }
    }

    pub fn at(line: usize, column: usize) -> Self {
        Origin {
            line: Some(line),
            column: Some(column),
            place: None,
        }
    }

    pub fn place(place: String) -> Self {
        Origin {
            place: Some(place),
            ..Origin::default()
        }
    }
}
