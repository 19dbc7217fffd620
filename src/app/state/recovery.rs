//! Unsaved work kept as a journal of edits and offered back after a crash.
//!
//! Every window claims a slot of its own in the recovery folder and holds a lock on it
//! while it runs: a second window never sees, offers or deletes the first one's live
//! work. A slot whose window died keeps its lock file unlocked, so the next window to
//! start claims it first and offers its work back.
//!
//! A slot's work is a journal ([`crate::io::journal`]): the base it applies to (the
//! document's file, or a snapshot written once beside the journal) and one line per
//! edit, undo or redo, each synced as it is made. One writer thread per slot writes
//! everything in order, so a clear after a write is never overtaken by it.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::io::journal::{self, Fingerprint, Header, Writer};
use crate::io::{Diagnostic, Parsed, Severity};

/// How many windows can keep recovery files at once.
const SLOTS: usize = 64;

/// The folder of recovery slots.
#[derive(Debug, Clone)]
pub struct Recovery {
    dir: PathBuf,
}

/// Work found in a slot at start-up.
#[derive(Debug, Clone)]
pub struct Recovered {
    /// The journal of the work.
    pub journal: PathBuf,
    /// The file the work belonged to, if it had been saved before.
    pub original: Option<PathBuf>,
    /// When the last edit was written, local time.
    pub written: String,
}

impl Recovered {
    /// The work as it was: the journal's base with every complete edit replayed. A journal
    /// that stops at an edit it cannot replay gives what came before, with a warning, and
    /// is copied aside whole (the warning says where). Work that cannot be read at all is
    /// a fatal [`Parsed`] saying why.
    pub fn restore(&self) -> Parsed {
        let restored = match journal::restore(&self.journal) {
            Ok(restored) => restored,
            Err(message) => {
                return Parsed::unreadable(&self.journal.display().to_string(), message);
            }
        };
        let mut parsed = restored.parsed;
        if !restored.complete {
            let aside = aside_name(&self.journal, "journal");
            let kept = std::fs::copy(&self.journal, &aside)
                .map(|_| format!("the whole journal is kept at {}", aside.display()))
                .unwrap_or_else(|e| format!("it could not be copied aside: {e}"));
            parsed.diagnostics.push(Diagnostic::about_file(
                Severity::Warning,
                &self.journal.display().to_string(),
                kept,
            ));
        }
        parsed
    }
}

/// `unreadable-<time>-<name>.<ext>` beside `path`.
fn aside_name(path: &Path, ext: &str) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("unreadable-{stamp}-{stem}.{ext}"))
}

/// One window's recovery slot, locked while the window runs.
#[derive(Clone)]
pub struct Slot {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    number: usize,
    /// Held for the life of the window; the system releases it when the process ends.
    _lock: File,
    writer: Writer,
}

impl Recovery {
    pub fn new(dir: PathBuf) -> Self {
        Recovery { dir }
    }

    /// The per-user folder, or `None` when the system has none.
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("org", "Pistas", "Pistas")
            .map(|d| d.data_local_dir().join("recovery"))
    }

    /// Claims a slot for this window: one left by a window that did not end cleanly (its
    /// work is then offered back), else a free one.
    pub fn claim(&self) -> Result<Slot, String> {
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        let with_work = (0..SLOTS).filter(|n| {
            journal_path(&self.dir, *n).exists() || legacy_path(&self.dir, *n).exists()
        });
        for number in with_work.chain(0..SLOTS) {
            if let Some(slot) = self.try_claim(number)? {
                slot.adopt_legacy();
                return Ok(slot);
            }
        }
        Err(format!(
            "{}: every recovery slot is held by another window",
            self.dir.display()
        ))
    }

    /// Every slot's work in the folder, held by a running window or not.
    pub fn found_all(&self) -> Vec<Recovered> {
        (0..SLOTS)
            .map(|n| journal_path(&self.dir, n))
            .filter(|p| p.exists())
            .map(|p| recovered(&p))
            .collect()
    }

    fn try_claim(&self, number: usize) -> Result<Option<Slot>, String> {
        let path = self.dir.join(format!("slot-{number}.lock"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Slot {
                inner: Arc::new(Inner {
                    dir: self.dir.clone(),
                    number,
                    _lock: file,
                    writer: Writer::new(journal_path(&self.dir, number)),
                }),
            })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(format!("{}: {e}", path.display())),
        }
    }
}

fn journal_path(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("slot-{number}.journal"))
}

/// The whole document an earlier version of Pistas wrote, and what it said of it.
fn legacy_path(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("slot-{number}.geojson"))
}

fn legacy_meta(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("slot-{number}.json"))
}

#[derive(serde::Deserialize)]
struct LegacyMeta {
    original: Option<PathBuf>,
}

fn recovered(journal: &Path) -> Recovered {
    let header = journal::read_header(journal);
    let written = std::fs::metadata(journal)
        .and_then(|m| m.modified())
        .map(|t| {
            chrono::DateTime::<chrono::Local>::from(t)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default();
    Recovered {
        journal: journal.to_path_buf(),
        original: header.and_then(|h| h.original),
        written,
    }
}

impl Slot {
    /// Where this slot's journal is.
    pub fn journal(&self) -> PathBuf {
        journal_path(&self.inner.dir, self.inner.number)
    }

    /// The writer of this slot's journal.
    pub fn writer(&self) -> &Writer {
        &self.inner.writer
    }

    /// Work an earlier version of Pistas kept as a whole document (one file for every
    /// window, or one per slot) becomes this slot's journal, with that document as base.
    fn adopt_legacy(&self) {
        let dir = &self.inner.dir;
        let n = self.inner.number;
        for (data, meta) in [
            (legacy_path(dir, n), legacy_meta(dir, n)),
            (dir.join("recovery.geojson"), dir.join("recovery.json")),
        ] {
            if !data.exists() || self.journal().exists() {
                continue;
            }
            let base = journal::snapshot_path(&self.journal(), 0);
            if std::fs::rename(&data, &base).is_err() {
                continue;
            }
            let original = std::fs::read_to_string(&meta)
                .ok()
                .and_then(|t| serde_json::from_str::<LegacyMeta>(&t).ok())
                .and_then(|m| m.original);
            let header = Header {
                pistas_journal: journal::VERSION,
                fingerprint: Fingerprint::of_file(&base).ok(),
                base: Some(base),
                original,
            };
            if journal::create(&self.journal(), &header, &[]).is_ok()
                && let Err(e) = std::fs::remove_file(&meta)
            {
                log::warn!(
                    "{} was kept after its journal was written: {e}",
                    meta.display()
                );
            }
        }
    }

    /// The work a window that did not end cleanly left in this slot.
    pub fn found(&self) -> Option<Recovered> {
        self.inner.writer.flush();
        let journal = self.journal();
        journal.exists().then(|| recovered(&journal))
    }

    /// Moves the work aside (it could not be read), next to the slots, under names no slot
    /// uses: the journal, and its base when that is a snapshot of the slot's; returns where
    /// the journal went.
    pub fn set_aside(&self) -> Result<PathBuf, String> {
        self.inner.writer.flush();
        let journal = self.journal();
        let to = aside_name(&journal, "journal");
        if let Some(base) = journal::read_header(&journal).and_then(|h| h.base)
            && base.parent() == Some(self.inner.dir.as_path())
        {
            let aside = to.with_extension("geojson");
            if let Err(e) = std::fs::rename(&base, &aside) {
                log::warn!(
                    "{} was not set aside as {}: {e}",
                    base.display(),
                    aside.display()
                );
            }
        }
        std::fs::rename(&journal, &to).map_err(|e| format!("{}: {e}", to.display()))?;
        Ok(to)
    }

    /// Removes the work (it is saved, or the person discarded it), after every write sent
    /// before.
    pub fn clear(&self) {
        self.inner.writer.remove();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::journal::Base;
    use crate::model::Document;

    fn leave_work(slot: &Slot, original: Option<PathBuf>) {
        slot.writer().start(
            Base::Snapshot(std::sync::Arc::new(crate::model::synthetic::generate(3, 1))),
            original,
            Vec::new(),
        );
        slot.writer().flush();
    }

    #[test]
    fn a_slot_round_trips_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let slot = Recovery::new(dir.path().join("rec")).claim().unwrap();
        assert!(slot.found().is_none());
        leave_work(&slot, Some(PathBuf::from("/x.geojson")));
        let found = slot.found().unwrap();
        assert_eq!(found.original.as_deref(), Some(Path::new("/x.geojson")));
        assert_eq!(found.restore().document.features().len(), 3);
        slot.clear();
        assert!(slot.found().is_none());
        let left: Vec<_> = std::fs::read_dir(dir.path().join("rec"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["slot-0.lock"], "the snapshot goes with the journal");
    }

    #[test]
    fn windows_hold_slots_of_their_own_and_a_dead_one_is_offered_back() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = Recovery::new(dir.path().to_path_buf());
        let first = recovery.claim().unwrap();
        leave_work(&first, None);
        let second = recovery.claim().unwrap();
        assert!(
            second.found().is_none(),
            "the first window's live work is its own"
        );
        second.clear();
        second.writer().flush();
        assert!(first.found().is_some(), "and the second cannot delete it");
        drop(first);
        let third = recovery.claim().unwrap();
        assert!(
            third.found().is_some(),
            "a dead window's work is offered back"
        );
    }

    #[test]
    fn the_whole_documents_of_earlier_versions_are_adopted() {
        let dir = tempfile::tempdir().unwrap();
        let text = crate::io::write_geojson(&Document::default(), &Default::default());
        std::fs::write(dir.path().join("recovery.geojson"), &text).unwrap();
        std::fs::write(
            dir.path().join("recovery.json"),
            r#"{"original":"/a.geojson","written":"x"}"#,
        )
        .unwrap();
        let slot = Recovery::new(dir.path().to_path_buf()).claim().unwrap();
        let found = slot.found().unwrap();
        assert_eq!(found.original.as_deref(), Some(Path::new("/a.geojson")));
        assert!(found.restore().document.features().is_empty());
    }

    #[test]
    fn work_that_cannot_be_read_is_set_aside_whole() {
        let dir = tempfile::tempdir().unwrap();
        let slot = Recovery::new(dir.path().to_path_buf()).claim().unwrap();
        leave_work(&slot, None);
        let base = journal::read_header(&slot.journal()).unwrap().base.unwrap();
        std::fs::write(&base, "not json").unwrap();
        assert!(slot.found().unwrap().restore().fatal);
        let to = slot.set_aside().unwrap();
        assert!(slot.found().is_none());
        assert!(to.exists());
        assert_eq!(
            std::fs::read_to_string(to.with_extension("geojson")).unwrap(),
            "not json"
        );
    }
}
