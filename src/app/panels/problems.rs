//! The problems panel: what reading a file found, for the working layer or an imported
//! layer. A click on a problem selects its feature in the layer the problems belong to, and
//! only while that layer still holds the document they were found in.

use std::path::Path;

use crate::io::{Diagnostic, Severity};

/// Whose problems are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemsOf {
    /// A file that could not be opened: nothing to select.
    Nothing,
    /// The working layer's document of this generation.
    Working(u64),
    /// The imported layer with this key.
    Layer(u64),
}

pub struct Problems {
    pub(crate) of: ProblemsOf,
    pub file: String,
    pub list: Vec<Diagnostic>,
    pub show: bool,
    /// The whole list, not only its one-line summary.
    pub expanded: bool,
}

impl Default for Problems {
    fn default() -> Self {
        Problems {
            of: ProblemsOf::Nothing,
            file: String::new(),
            list: Vec::new(),
            show: false,
            expanded: false,
        }
    }
}

impl Problems {
    /// Lists `list`, found in `file`; the panel opens when there is something to show.
    pub fn set(&mut self, of: ProblemsOf, file: &Path, list: Vec<Diagnostic>) {
        self.of = of;
        self.file = file.display().to_string();
        self.show = !list.is_empty();
        // Errors and a few warnings are listed at once; warnings only (a survey's 1,269
        // "no id") are a line until opened, so the map keeps the room.
        let errors = list.iter().any(Diagnostic::is_error);
        self.expanded = list.len() <= 3 || (errors && list.len() <= 50);
        self.list = list;
    }

    /// Adds `list` to what is listed for `of`, or lists it alone when another layer's
    /// problems were listed.
    pub fn extend(&mut self, of: ProblemsOf, file: &Path, list: Vec<Diagnostic>) {
        if self.of == of {
            self.show |= !list.is_empty();
            self.list.extend(list);
        } else {
            self.set(of, file, list);
        }
    }

    pub fn clear(&mut self) {
        *self = Problems::default();
    }

    pub fn warnings(&self) -> usize {
        self.list.len() - self.errors()
    }

    pub fn errors(&self) -> usize {
        self.list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}
