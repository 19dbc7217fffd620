//! The file's text, kept once and shared by the features read from it: an unedited
//! feature is a span of it ([`Kept`]), decoded when something asks what it says.
//!
//! Shared, not memory-mapped: a mapped file that another program truncates while Pistas
//! has it open kills the process (SIGBUS), and people overwrite exports in place. The
//! text is read once into one buffer, and every feature and geometry read from it points
//! into that buffer instead of holding a copy.

use std::sync::Arc;

use super::body::Body;

/// Reads one feature's text (a JSON object) as the reader read it in the file, and gives
/// what it says beyond its id and geometry.
pub(super) type Reread = Box<dyn Fn(&str) -> Body + Send + Sync>;

/// A text that features were read from, with the reader that reads one feature of it again.
pub(crate) struct SharedText {
    text: String,
    reread: Reread,
    /// Every property name of the features read from the text, first seen first: set
    /// once the reader is done.
    keys: std::sync::OnceLock<Vec<String>>,
}

impl SharedText {
    /// The text, with what reads its features again (the crate makes one with
    /// `SharedText::new`, from the reader's function that reads a feature).
    pub(super) fn with_reread(text: String, reread: Reread) -> Arc<SharedText> {
        Arc::new(SharedText {
            text,
            reread,
            keys: std::sync::OnceLock::new(),
        })
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Records the property names of the features read (once; later calls change nothing).
    pub(crate) fn set_keys(&self, keys: Vec<String>) {
        // Ignored: the keys are recorded once; a later call finds them set and changes
        // nothing, as said above.
        let _ = self.keys.set(keys);
    }

    /// The property names of the features read from this text.
    pub(crate) fn keys(&self) -> &[String] {
        self.keys.get().map_or(&[], Vec::as_slice)
    }
}

impl std::fmt::Debug for SharedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SharedText({} bytes)", self.text.len())
    }
}

/// A part of a [`SharedText`]'s text.
#[derive(Clone, Debug)]
pub(crate) struct Span {
    source: Arc<SharedText>,
    start: u32,
    len: u32,
}

impl Span {
    /// The span of `part`, which must lie inside `source`'s text; `None` when it does not,
    /// or lies past the text's first 4 GiB (then the caller keeps a copy: 16 bytes a span
    /// is worth that limit).
    pub(crate) fn of(source: &Arc<SharedText>, part: &str) -> Option<Span> {
        let base = source.text.as_ptr() as usize;
        let at = part.as_ptr() as usize;
        let offset = at.checked_sub(base)?;
        if offset + part.len() > source.text.len() {
            return None;
        }
        Some(Span {
            source: Arc::clone(source),
            start: u32::try_from(offset).ok()?,
            len: u32::try_from(part.len()).ok()?,
        })
    }

    pub(crate) fn get(&self) -> &str {
        let start = self.start as usize;
        // In bounds and on character boundaries: made from a part of this very text.
        self.source
            .text
            .get(start..start + self.len as usize)
            .unwrap_or("")
    }

    /// The text this span is part of.
    pub(crate) fn source(&self) -> &Arc<SharedText> {
        &self.source
    }

    /// True when both are the same part of the same text.
    pub(crate) fn same(&self, other: &Span) -> bool {
        Arc::ptr_eq(&self.source, &other.source)
            && self.start == other.start
            && self.len == other.len
    }

    /// What the feature this span holds says beyond its id and geometry, read again as the
    /// reader read it.
    fn decode(&self) -> Body {
        (self.source.reread)(self.get())
    }
}

/// The text of an unedited feature, with the two facts about it that every pass asks.
#[derive(Debug, Clone)]
pub(super) struct Kept {
    pub(super) span: Span,
    /// The `name` property's text (escapes decoded), which lists, the map and search ask
    /// of every feature: a copy, so that asking does not read the whole feature again.
    pub(super) name: Option<Box<str>>,
    /// It has an `events` member (so it is a strip).
    pub(super) events_member: bool,
    /// It could not be read.
    pub(super) unread: bool,
}

impl Kept {
    /// The body of the feature the span holds, read again as the reader read it.
    pub(super) fn decode(&self) -> Body {
        self.span.decode()
    }
}
