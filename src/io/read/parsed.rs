//! What reading gives: the document with the problems found, each located.

use crate::analysis::Facts;
use crate::io::diagnostic::{Diagnostic, Severity};
use crate::model::Document;

/// The result of reading a file: every feature, and every problem found.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// Every feature of the file, in order; those with errors are kept verbatim
    /// ([`Feature::unread`]) and events with errors among their feature's unread events.
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
    /// True when nothing could be read (not JSON, not GeoJSON at all).
    pub fatal: bool,
    /// What the window derives from each feature, worked out while the feature was read
    /// (when asked for: see [`read_owned_with_facts`]), so that the window need not read
    /// every feature's text a second time. One per feature, in order.
    pub facts: Option<Vec<Facts>>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }

    /// Nothing read from `file`, for `message` (a file that is not what it should be).
    pub fn unreadable(file: &str, message: String) -> Self {
        fatal(file, None, message)
    }

    /// The document only if there was no error at all.
    pub fn into_strict(self) -> Result<Document, Vec<Diagnostic>> {
        if self.has_errors() {
            Err(self.diagnostics)
        } else {
            Ok(self.document)
        }
    }
}

pub(super) fn fatal(file: &str, at: Option<(usize, usize)>, message: String) -> Parsed {
    Parsed {
        document: Document::default(),
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            feature_index: None,
            feature_id: None,
            event_index: None,
            message,
        }],
        fatal: true,
        facts: None,
    }
}
