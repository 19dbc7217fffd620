//! An event being written or edited in the inspector: its fields as text, and the event
//! they make, which keeps what the original had and the form does not show.

use crate::model::{Confidence, Event, EventType, Field, FuzzyDate, Reference, Source};

/// An event being written or edited.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    /// `None` for a new event.
    pub(super) index: Option<usize>,
    pub(super) original: Option<Event>,
    pub(super) kind: EventType,
    pub(super) date: String,
    pub(super) confidence: Option<Confidence>,
    pub(super) operation: String,
    pub(super) sources: String,
    pub(super) note: String,
}

/// One line per source: `title | url`, a URL, or text.
pub(super) fn source_line(source: &Source) -> String {
    match source {
        // A line break would split the source in two lines: it is shown as ⏎.
        Source::Text(t) => t.replace('\n', " ⏎ "),
        Source::Reference(r) => match (r.title().get(), r.url().get().or(r.archived_url().get())) {
            (Some(t), Some(u)) => format!("{t} | {u}"),
            (Some(t), None) => t.clone(),
            (None, Some(u)) => u.clone(),
            (None, None) => String::new(),
        },
    }
}

/// The line of source `k` in the editing box: a source with no text of its own (a
/// reference without title or URL) is shown by its number, so that it is kept.
fn draft_line(k: usize, source: &Source) -> String {
    let line = source_line(source);
    if line.trim().is_empty() {
        format!("[source {}]", k + 1)
    } else {
        line.trim().to_owned()
    }
}

impl Draft {
    pub(super) fn new() -> Self {
        Draft {
            index: None,
            original: None,
            kind: EventType::Sighted,
            date: String::new(),
            confidence: None,
            operation: String::new(),
            sources: String::new(),
            note: String::new(),
        }
    }

    pub(super) fn of(index: usize, e: &Event) -> Self {
        Draft {
            index: Some(index),
            original: Some(e.clone()),
            kind: e.kind(),
            date: e.date().to_string(),
            confidence: e.confidence().value(),
            operation: e.operation().value().unwrap_or_default(),
            sources: e
                .sources()
                .iter()
                .enumerate()
                .map(|(k, s)| draft_line(k, s))
                .collect::<Vec<_>>()
                .join("\n"),
            note: e.note().value().unwrap_or_default(),
        }
    }

    /// The event, keeping the original's id, unknown fields and unchanged sources.
    pub(super) fn event(&self) -> Result<Event, String> {
        let date = FuzzyDate::parse(self.date.trim()).map_err(|e| e.to_string())?;
        let mut event = self
            .original
            .clone()
            .unwrap_or_else(|| Event::new(self.kind, date));
        event.set_kind(self.kind);
        *event.date_mut() = date;
        // A field left as it was keeps what it holds, a value Pistas could not read too.
        if event.confidence().value() != self.confidence {
            event.confidence_mut().set(self.confidence);
        }
        let set_text = |field: &mut Field<String>, text: &str| {
            let text = text.trim();
            if field.as_deref().unwrap_or("") != text {
                field.set(Some(text.to_owned()).filter(|s| !s.is_empty()));
            }
        };
        set_text(event.operation_mut(), &self.operation);
        set_text(event.note_mut(), &self.note);
        let old = self
            .original
            .as_ref()
            .map(|e| e.sources().clone())
            .unwrap_or_default();
        *event.sources_mut() = self
            .sources
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                if let Some((_, s)) = old
                    .iter()
                    .enumerate()
                    .find(|(k, s)| draft_line(*k, s) == line)
                {
                    return s.clone();
                }
                match line.split_once(" | ") {
                    Some((title, url)) => {
                        Source::Reference(Reference::titled(title.trim(), Some(url.trim())))
                    }
                    None if line.starts_with("http://") || line.starts_with("https://") => {
                        let mut r = Reference::default();
                        *r.url_mut() = Field::Value(line.to_owned());
                        Source::Reference(r)
                    }
                    None => Source::Text(line.to_owned()),
                }
            })
            .collect();
        Ok(event)
    }
}
