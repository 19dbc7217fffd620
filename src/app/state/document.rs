//! The open document: the editor, the document's generation (new whenever the document is
//! replaced), its path and project, and its recovery slot with the journal of its edits.
//!
//! Everything derived from the document is keyed on [`Version`], which only this part
//! makes: a new document is a new generation, so no cache built for another document, in
//! this window or another, can be taken for this one's.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::app::state::recovery::Slot;
use crate::edit::{EditError, Editor};
use crate::io::journal::{Base, Fingerprint};
use crate::model::Document;

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
    /// nothing may clear or overwrite it (opening another file, New, Quit, the journal).
    holding: bool,
    journal: Journal,
}

/// What the slot's journal holds for this document: its base, the editor state of the
/// base, and the lines since.
struct Journal {
    /// The GeoJSON file the document was read from or saved to, as it was then; `None`
    /// when no file holds the document as it stood (new, imported, restored): the first
    /// edit then writes a snapshot.
    base: Option<(PathBuf, Fingerprint)>,
    base_state: u64,
    /// The lines since the base, each with the editor state it leads to.
    entries: Vec<(u64, String)>,
    /// The slot's journal holds `base` and `entries`.
    started: bool,
}

impl Journal {
    fn on(base: Option<(PathBuf, Fingerprint)>, base_state: u64) -> Self {
        Journal {
            base,
            base_state,
            entries: Vec::new(),
            started: false,
        }
    }
}

impl OpenDocument {
    pub fn new(document: Document, untitled: String, recovery: Option<Slot>) -> Self {
        let mut open = OpenDocument {
            editor: Editor::new(document),
            generation: Version::fresh().generation,
            path: None,
            untitled,
            project: None,
            holding: recovery.as_ref().is_some_and(|s| s.found().is_some()),
            recovery,
            journal: Journal::on(None, 0),
        };
        open.record_if_journaling();
        open
    }

    /// The editor keeps journal lines while there is a slot of this window's own to
    /// write them to.
    fn record_if_journaling(&mut self) {
        let on = self.recovery.is_some() && !self.holding;
        self.editor.set_recording(on);
    }

    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    pub fn document(&self) -> &Document {
        self.editor.document()
    }

    /// The document as it is now, shared with a background write (never copied for it).
    pub fn shared(&self) -> std::sync::Arc<Document> {
        self.editor.shared()
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

    /// Replaces the document: a new generation, a new history, the recovery journal as
    /// `origin` says. `source` is the fingerprint of the GeoJSON file at `path` as read.
    pub fn install(
        &mut self,
        document: Document,
        path: Option<PathBuf>,
        untitled: String,
        origin: Origin,
        source: Option<Fingerprint>,
    ) {
        self.editor = Editor::new(document);
        self.generation = Version::fresh().generation;
        self.untitled = untitled;
        match origin {
            Origin::Fresh => {
                self.clear_recovery();
                self.journal = Journal::on(path.clone().zip(source), 0);
            }
            Origin::Recovered => {
                // Unsaved until saved somewhere. The slot's journal holds it until the first
                // edit writes it as the base of a new journal, or a save removes it.
                self.editor.mark_unsaved();
                self.holding = false;
                self.journal = Journal::on(None, 0);
            }
        }
        self.path = path;
        self.record_if_journaling();
    }

    /// Runs one edit; on success it goes to the journal.
    pub fn edit<R>(
        &mut self,
        edit: impl FnOnce(&mut Editor) -> Result<R, EditError>,
    ) -> Result<R, EditError> {
        let result = edit(&mut self.editor);
        self.write_journal();
        result
    }

    /// Undo or redo; true when the document changed.
    pub fn step(&mut self, redo: bool) -> bool {
        let changed = if redo {
            self.editor.redo().is_some()
        } else {
            self.editor.undo().is_some()
        };
        self.write_journal();
        changed
    }

    /// Hands the lines the editor recorded to the slot's writer (which syncs each one off
    /// this thread). The first edit on a base no file holds writes the document as it now
    /// stands as the journal's base instead.
    fn write_journal(&mut self) {
        let lines = self.editor.take_recorded();
        let Some(slot) = self.recovery.as_ref().filter(|_| !self.holding) else {
            return;
        };
        if lines.is_empty() {
            return;
        }
        let journal = &mut self.journal;
        if journal.started {
            for (_, line) in &lines {
                slot.writer().append(line.clone());
            }
            journal.entries.extend(lines);
            return;
        }
        match &journal.base {
            Some((path, fingerprint)) => {
                let text = lines.iter().map(|(_, l)| l.clone()).collect();
                let base = Base::File {
                    path: path.clone(),
                    fingerprint: fingerprint.clone(),
                };
                slot.writer().start(base, self.path.clone(), text);
                journal.entries.extend(lines);
            }
            None => {
                let snapshot = Base::Snapshot(self.editor.shared());
                slot.writer().start(snapshot, self.path.clone(), Vec::new());
                journal.base_state = self.editor.state();
                journal.entries.clear();
            }
        }
        journal.started = true;
    }

    /// Why writing the journal failed last, once. The writer stops appending to a journal
    /// it failed to write, so the next edit begins a new one on a snapshot.
    pub fn journal_error(&mut self) -> Option<String> {
        let error = self.recovery.as_ref()?.writer().take_error()?;
        self.journal = Journal::on(None, self.editor.state());
        Some(error)
    }

    /// Waits until every journal line is on disk.
    pub fn flush_journal(&self) {
        if let Some(slot) = &self.recovery {
            slot.writer().flush();
        }
    }

    /// A save of `version` (the `fingerprint` of what it wrote) finished: the document is
    /// saved if nothing changed since, and its journal is no longer needed; else the saved
    /// file becomes the journal's base, with only the edits made after `version`.
    pub fn saved(&mut self, version: Version, path: &Path, fingerprint: Fingerprint) {
        if version.generation != self.generation {
            return;
        }
        self.path = Some(path.to_path_buf());
        let saved = version.state;
        if saved == self.editor.state() {
            self.editor.mark_saved();
            self.clear_recovery();
            self.journal = Journal::on(Some((path.to_path_buf(), fingerprint)), saved);
            return;
        }
        self.editor.mark_saved_at(saved);
        let journal = &mut self.journal;
        // States name contents: the edits after the last time the document was in the
        // saved state lead from the saved file to the document as it is.
        let from = match journal.entries.iter().rposition(|(s, _)| *s == saved) {
            Some(i) => i + 1,
            None if journal.base_state == saved => 0,
            // The saved state is not in this journal (an undo past its base): it stays.
            None => return,
        };
        journal.entries.drain(..from);
        journal.base = Some((path.to_path_buf(), fingerprint.clone()));
        journal.base_state = saved;
        if let Some(slot) = self.recovery.as_ref().filter(|_| !self.holding) {
            let lines = journal.entries.iter().map(|(_, l)| l.clone()).collect();
            slot.writer().rebase(path.to_path_buf(), fingerprint, lines);
            journal.started = !journal.entries.is_empty();
        }
    }

    /// The person chose to lose the unsaved work (at Quit): the journal is removed before
    /// this returns, so the next start offers nothing back.
    pub fn discard(&mut self) {
        self.editor.mark_saved();
        self.clear_recovery();
        self.flush_journal();
    }

    /// Removes the journal. Work a crashed window left stays until it is restored or
    /// discarded.
    pub fn clear_recovery(&mut self) {
        if let Some(slot) = self.recovery.as_ref().filter(|_| !self.holding) {
            slot.clear();
            // What is not journaled any more needs a new base before the next edit.
            self.journal = Journal::on(None, self.editor.state());
        }
    }

    /// The person discarded the crashed window's work.
    pub fn discard_recovered(&mut self) {
        self.holding = false;
        self.clear_recovery();
        self.record_if_journaling();
    }

    /// The crashed window's work could not be read: it is moved aside, kept, so that this
    /// window's autosave can use the slot; returns where it went.
    pub fn set_aside_recovered(&mut self) -> Option<Result<PathBuf, String>> {
        let slot = self.recovery.as_ref().filter(|_| self.holding)?;
        let result = slot.set_aside();
        if result.is_ok() {
            self.holding = false;
            self.journal = Journal::on(None, self.editor.state());
            self.record_if_journaling();
        }
        Some(result)
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
        open.install(Document::default(), None, "b".into(), Origin::Fresh, None);
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
        open.saved(written, Path::new("/x.geojson"), Fingerprint::of(b""));
        assert!(open.is_dirty());
        assert!(open.step(false));
        assert!(!open.is_dirty(), "undone to what was saved");
    }
}
