//! The problems found while interpreting a text, each at its byte offset.

use serde_json::value::RawValue;

use crate::io::diagnostic::Severity;

/// A problem before it is located: a byte offset in the text.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub severity: Severity,
    pub offset: Option<usize>,
    pub feature: Option<usize>,
    pub event: Option<usize>,
    pub message: String,
}

/// The problems found in one text, with the count of errors.
pub(crate) struct Report<'t> {
    text: &'t str,
    pub problems: Vec<Problem>,
    pub errors: usize,
    /// The errors that were about events, which cost only their event.
    pub event_errors: usize,
}

impl<'t> Report<'t> {
    pub fn new(text: &'t str) -> Self {
        Report {
            text,
            problems: Vec::new(),
            errors: 0,
            event_errors: 0,
        }
    }

    pub fn offset_of(&self, raw: &RawValue) -> usize {
        let at = raw.get().as_ptr() as usize;
        let base = self.text.as_ptr() as usize;
        if at >= base && at <= base + self.text.len() {
            at - base
        } else {
            0
        }
    }

    pub fn push(
        &mut self,
        severity: Severity,
        offset: Option<usize>,
        feature: Option<usize>,
        event: Option<usize>,
        message: String,
    ) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.problems.push(Problem {
            severity,
            offset,
            feature,
            event,
            message,
        });
    }

    pub fn push_at(
        &mut self,
        severity: Severity,
        at: Option<&RawValue>,
        feature: Option<usize>,
        event: Option<usize>,
        message: String,
    ) {
        let offset = at.map(|raw| self.offset_of(raw));
        self.push(severity, offset, feature, event, message);
    }
}
