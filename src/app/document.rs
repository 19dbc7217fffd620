//! The open document: the editor, the document's generation (new whenever the document is
//! replaced), its path and project, and its recovery slot with autosave.
//!
//! Everything derived from the document is keyed on [`Version`], which only this part
//! makes: a new document is a new generation, so no cache built for another document, in
//! this window or another, can be taken for this one's.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::recovery::Slot;
use crate::edit::{EditError, Editor};
use crate::io::{WriteOptions, write_geojson};
use crate::model::Document;

/// Seconds without edits before unsaved work is written to the recovery file.
pub const AUTOSAVE_IDLE: Duration = Duration::from_secs(3);

/// Which document, and which state of it: the one key of everything derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Version {
    generation: u64,
    state: u64,
}

static GENERATIONS: AtomicU64 = AtomicU64::new(1);

impl Version {
    /// A generation no document of this process has had: for a document read or made now.
    pub fn fresh() -> Self {
        Version {
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
            state: 0,
        }
    }

    pub fn generation(self) -> u64 {
        self.generation
    }

    pub fn state(self) -> u64 {
        self.state
    }
}

/// Where a document being installed comes from, which decides what happens to the
/// recovery file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Read from its file or made empty: the recovery file held the previous document's
    /// work, which the person saved or chose to discard before this one was installed.
    Fresh,
    /// Restored from the recovery file: the file keeps it until it is saved elsewhere.
    Recovered,
}

pub struct OpenDocument {
    editor: Editor,
    generation: u64,
    /// The file the document is saved to; `None` for a new document or the sample.
    pub path: Option<PathBuf>,
    /// Shown in the title when there is no path.
    pub untitled: String,
    /// The project file the workspace was opened from or saved to.
    pub project: Option<PathBuf>,
    recovery: Option<Slot>,
    /// The slot holds work a window that crashed left, not yet restored or discarded:
    /// nothing may clear or overwrite it (opening another file, New, Quit, autosave).
    holding: bool,
    last_edit: Instant,
    /// The version last written to the recovery file.
    autosaved: Option<Version>,
    /// Set by the autosave thread when writing the recovery file failed.
    autosave_error: Arc<Mutex<Option<String>>>,
}

impl OpenDocument {
    pub fn new(document: Document, untitled: String, recovery: Option<Slot>) -> Self {
        OpenDocument {
            editor: Editor::new(document),
            generation: Version::fresh().generation,
            path: None,
            untitled,
            project: None,
            holding: recovery.as_ref().is_some_and(|s| s.found().is_some()),
            recovery,
            last_edit: Instant::now(),
            autosaved: None,
            autosave_error: Arc::default(),
        }
    }

    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    pub fn document(&self) -> &Document {
        self.editor.document()
    }

    pub fn version(&self) -> Version {
        Version {
            generation: self.generation,
            state: self.editor.state(),
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.editor.is_dirty()
    }

    /// The features an edit changed in place since `since`, when that is all it did (the
    /// caches then update those only).
    pub fn touched_since(&self, since: Version) -> Option<&[usize]> {
        let (before, indices) = self.editor.touched()?;
        (since.generation == self.generation && before == since.state).then_some(indices)
    }

    /// Replaces the document: a new generation, a new history, the recovery file as
    /// `origin` says.
    pub fn install(
        &mut self,
        document: Document,
        path: Option<PathBuf>,
        untitled: String,
        origin: Origin,
    ) {
        self.editor = Editor::new(document);
        self.generation = Version::fresh().generation;
        self.path = path;
        self.untitled = untitled;
        match origin {
            Origin::Fresh => {
                self.clear_recovery();
                self.autosaved = None;
            }
            Origin::Recovered => {
                // Unsaved until saved somewhere; the recovery file already holds it.
                self.editor.mark_unsaved();
                self.autosaved = Some(self.version());
                self.holding = false;
            }
        }
    }

    /// Runs one edit; on success the autosave clock restarts.
    pub fn edit<R>(
        &mut self,
        edit: impl FnOnce(&mut Editor) -> Result<R, EditError>,
    ) -> Result<R, EditError> {
        let result = edit(&mut self.editor)?;
        self.last_edit = Instant::now();
        Ok(result)
    }

    /// Undo or redo; true when the document changed.
    pub fn step(&mut self, redo: bool) -> bool {
        let changed = if redo {
            self.editor.redo().is_some()
        } else {
            self.editor.undo().is_some()
        };
        if changed {
            self.last_edit = Instant::now();
        }
        changed
    }

    /// A save of `version` finished: the document is saved if nothing changed since, and
    /// only then is the recovery file no longer needed.
    pub fn saved(&mut self, version: Version, path: &Path) {
        if version.generation != self.generation {
            return;
        }
        self.path = Some(path.to_path_buf());
        if version.state == self.editor.state() {
            self.editor.mark_saved();
            self.clear_recovery();
        } else {
            self.editor.mark_saved_at(version.state);
        }
    }

    /// The person chose to lose the unsaved work (at Quit).
    pub fn discard(&mut self) {
        self.editor.mark_saved();
        self.clear_recovery();
    }

    /// Removes the recovery file; an autosave still running then writes nothing. Work a
    /// crashed window left stays until it is restored or discarded.
    pub fn clear_recovery(&mut self) {
        if let Some(slot) = self.recovery.as_ref().filter(|_| !self.holding) {
            slot.clear();
        }
    }

    /// The person discarded the crashed window's work.
    pub fn discard_recovered(&mut self) {
        self.holding = false;
        self.clear_recovery();
    }

    /// The crashed window's work could not be read: it is moved aside, kept, so that this
    /// window's autosave can use the slot; returns where it went.
    pub fn set_aside_recovered(&mut self) -> Option<Result<PathBuf, String>> {
        let slot = self.recovery.as_ref().filter(|_| self.holding)?;
        let result = slot.set_aside();
        if result.is_ok() {
            self.holding = false;
        }
        Some(result)
    }

    /// When autosave will next want to run, so the window wakes for it.
    pub fn autosave_due(&self) -> Option<Duration> {
        (self.recovery.is_some()
            && !self.holding
            && self.editor.is_dirty()
            && self.autosaved != Some(self.version()))
        .then(|| AUTOSAVE_IDLE.saturating_sub(self.last_edit.elapsed()))
    }

    /// Writes unsaved work to the recovery file after a few idle seconds, off the UI thread;
    /// returns why the last one failed, once.
    pub fn autosave(&mut self, date: NaiveDate) -> Option<String> {
        let failed = self.autosave_error.lock().ok().and_then(|mut e| e.take());
        let due = self.autosave_due().is_some_and(|d| d.is_zero());
        let Some(slot) = self.recovery.clone().filter(|_| due) else {
            return failed;
        };
        self.autosaved = Some(self.version());
        // Writing 100k strips takes about a second: do it on a copy.
        let (doc, path, epoch) = (self.document().clone(), self.path.clone(), slot.epoch());
        let errors = self.autosave_error.clone();
        std::thread::spawn(move || {
            let text = write_geojson(&doc, &WriteOptions { status_date: date });
            if let (Err(e), Ok(mut out)) =
                (slot.write(&text, path.as_deref(), epoch), errors.lock())
            {
                *out = Some(e);
            }
        });
        failed
    }

    /// The file name shown in the title and dialogs.
    pub fn title_name(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            None => self.untitled.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_document_never_shares_a_version() {
        let mut open = OpenDocument::new(Document::default(), "a".into(), None);
        let first = open.version();
        open.install(Document::default(), None, "b".into(), Origin::Fresh);
        assert_ne!(open.version(), first);
        assert_eq!(open.version().state(), first.state());
        let other = OpenDocument::new(Document::default(), "c".into(), None);
        assert_ne!(other.version(), open.version());
    }

    #[test]
    fn a_save_of_an_older_state_leaves_the_document_unsaved() {
        let mut open = OpenDocument::new(Document::default(), "a".into(), None);
        open.edit(|e| e.add_strip("one", geo::Point::new(-74.0, -12.0).into()))
            .unwrap();
        let written = open.version();
        open.edit(|e| e.rename(0, "two")).unwrap();
        open.saved(written, Path::new("/x.geojson"));
        assert!(open.is_dirty());
        assert!(open.step(false));
        assert!(!open.is_dirty(), "undone to what was saved");
    }
}
