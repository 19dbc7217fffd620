//! Rows of another format become GeoJSON features, read by the GeoJSON reader: the
//! profile's rules (events, derived properties, ids) live there only. Problems the reader
//! finds are told where the row is in the original file, not in the GeoJSON made from it.

use crate::io::{Diagnostic, Parsed, Severity, json_string_into, read_str};

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

/// One feature to be: JSON texts of its parts.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The top-level id as JSON (a string or a number).
    pub id: Option<String>,
    /// The geometry as GeoJSON text; `None` is `null`.
    pub geometry: Option<String>,
    /// Properties in order, each value as JSON text.
    pub properties: Vec<(String, String)>,
    pub origin: Origin,
}

impl Row {
    pub fn set(&mut self, key: &str, json: String) {
        match self.properties.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = json,
            None => self.properties.push((key.to_owned(), json)),
        }
    }
}

/// The geometry of a `geo` shape as GeoJSON text.
pub fn shape_json(shape: &geo::Geometry<f64>) -> String {
    let mut out = String::new();
    crate::io::write_shape(&mut out, shape);
    out
}

/// Features gathered from a file, and the problems found on the way.
pub struct Collection {
    file: String,
    rows: Vec<Row>,
    diagnostics: Vec<Diagnostic>,
    /// Members of the collection itself (`name`), as JSON.
    members: Vec<(String, String)>,
}

impl Collection {
    pub fn new(file: &str) -> Self {
        Collection {
            file: file.to_owned(),
            rows: Vec::new(),
            diagnostics: Vec::new(),
            members: Vec::new(),
        }
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    pub fn push(&mut self, row: Row) {
        self.rows.push(row);
    }

    pub fn rows_mut(&mut self) -> &mut Vec<Row> {
        &mut self.rows
    }

    /// A member of the FeatureCollection, such as its `name`.
    pub fn member(&mut self, key: &str, json: String) {
        self.members.push((key.to_owned(), json));
    }

    /// A problem with the row about to be pushed (or, with `row: None`, the file).
    pub fn problem(
        &mut self,
        severity: Severity,
        origin: &Origin,
        row: Option<usize>,
        message: String,
    ) {
        self.diagnostics
            .push(diagnostic(&self.file, severity, origin, row, None, message));
    }

    /// A problem with the feature `self.len()` will be.
    pub fn warn_next(&mut self, origin: &Origin, message: String) {
        let row = self.rows.len();
        self.problem(Severity::Warning, origin, Some(row), message);
    }

    /// The features as GeoJSON text.
    pub fn geojson(&self) -> String {
        let size: usize = self
            .rows
            .iter()
            .map(|r| {
                64 + r.geometry.as_ref().map_or(4, String::len)
                    + r.properties
                        .iter()
                        .map(|(k, v)| k.len() + v.len() + 4)
                        .sum::<usize>()
            })
            .sum();
        let mut out = String::with_capacity(size + 64);
        out.push_str("{\"type\":\"FeatureCollection\"");
        for (key, value) in &self.members {
            out.push(',');
            json_string_into(&mut out, key);
            out.push(':');
            out.push_str(value);
        }
        out.push_str(",\"features\":[");
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("\n{\"type\":\"Feature\"");
            if let Some(id) = &row.id {
                out.push_str(",\"id\":");
                out.push_str(id);
            }
            out.push_str(",\"geometry\":");
            out.push_str(row.geometry.as_deref().unwrap_or("null"));
            out.push_str(",\"properties\":{");
            for (j, (key, value)) in row.properties.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                json_string_into(&mut out, key);
                out.push(':');
                out.push_str(value);
            }
            out.push_str("}}");
        }
        out.push_str("\n]}\n");
        out
    }

    /// Reads the features with the GeoJSON reader; its problems are placed at the rows.
    pub fn finish(self) -> Parsed {
        let text = self.geojson();
        let mut parsed = read_str(&text, &self.file);
        let mut diagnostics = self.diagnostics;
        if parsed.fatal {
            // The text is made here, so this is a fault of Pistas: say so plainly.
            for d in &mut parsed.diagnostics {
                d.message = format!(
                    "Pistas could not read what it made of this file ({}); please report it",
                    d.message
                );
            }
            diagnostics.append(&mut parsed.diagnostics);
            parsed.diagnostics = diagnostics;
            return parsed;
        }
        for mut d in std::mem::take(&mut parsed.diagnostics) {
            let origin = d
                .feature_index
                .and_then(|i| self.rows.get(i))
                .map(|r| &r.origin);
            d.line = origin.and_then(|o| o.line);
            d.column = origin.and_then(|o| o.column);
            if let Some(place) = origin.and_then(|o| o.place.as_ref()) {
                d.message = format!("{place}: {}", d.message);
            }
            diagnostics.push(d);
        }
        // Problems of rows first by where they are, then the reader's.
        diagnostics.sort_by_key(|d| (d.feature_index.is_some(), d.feature_index));
        parsed.diagnostics = diagnostics;
        parsed
    }
}

/// A diagnostic located at a row of the original file.
pub fn diagnostic(
    file: &str,
    severity: Severity,
    origin: &Origin,
    row: Option<usize>,
    feature_id: Option<String>,
    message: String,
) -> Diagnostic {
    Diagnostic {
        severity,
        file: file.to_owned(),
        line: origin.line,
        column: origin.column,
        feature_index: row,
        feature_id,
        event_index: None,
        message: match &origin.place {
            Some(place) => format!("{place}: {message}"),
            None => message,
        },
    }
}

/// A file that cannot be read at all, with where and why.
pub fn fatal(file: &str, origin: &Origin, message: String) -> Parsed {
    Parsed {
        document: crate::model::Document::default(),
        diagnostics: vec![diagnostic(
            file,
            Severity::Error,
            origin,
            None,
            None,
            message,
        )],
        fatal: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_placed_at_the_rows() {
        let mut c = Collection::new("survey.csv");
        c.push(Row {
            id: Some("\"a\"".into()),
            geometry: Some("{\"type\":\"Point\",\"coordinates\":[-73.9,-12.4]}".into()),
            properties: vec![("name".into(), "\"Uno\"".into())],
            origin: Origin::line(2),
        });
        c.push(Row {
            id: Some("\"b\"".into()),
            geometry: None,
            properties: vec![(
                "events".into(),
                "[{\"type\":\"built\",\"date\":\"May 2014\"}]".into(),
            )],
            origin: Origin::line(3),
        });
        let parsed = c.finish();
        assert!(!parsed.fatal);
        assert_eq!(parsed.document.features.len(), 2);
        let d = parsed
            .diagnostics
            .iter()
            .find(|d| d.feature_index == Some(1))
            .expect("the unreadable date is reported");
        assert_eq!(d.line, Some(3));
        assert!(d.to_string().starts_with("survey.csv:3: "), "{d}");
    }
}
