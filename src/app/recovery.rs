//! Unsaved work written every few idle seconds and offered back after a crash.
//!
//! Every window claims a slot of its own in the recovery folder and holds a lock on it
//! while it runs: a second window never sees, offers or deletes the first one's live
//! work. A slot whose window died keeps its lock file unlocked, so the next window to
//! start claims it first and offers its work back.
//!
//! Writes and clears of a slot are ordered: [`Slot::clear`] moves the slot to a new epoch,
//! and a write started in an earlier epoch (an autosave still running when a save
//! finished) writes nothing.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::io::save_atomic;

/// How many windows can keep recovery files at once.
const SLOTS: usize = 64;

/// The folder of recovery slots.
#[derive(Debug, Clone)]
pub struct Recovery {
    dir: PathBuf,
}

/// A recovery file found at start-up.
#[derive(Debug, Clone)]
pub struct Recovered {
    pub geojson: PathBuf,
    /// The file the work belonged to, if it had been saved before.
    pub original: Option<PathBuf>,
    pub written: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct RecoveryMeta {
    original: Option<PathBuf>,
    written: String,
}

/// One window's recovery files, locked while the window runs.
#[derive(Clone)]
pub struct Slot {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    number: usize,
    /// Held for the life of the window; the system releases it when the process ends.
    _lock: File,
    /// The epoch, bumped by every clear; held while a write renames its file.
    epoch: Mutex<u64>,
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
        let with_work = (0..SLOTS).filter(|n| data_path(&self.dir, *n).exists());
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

    /// Every recovery file in the folder, held by a running window or not.
    pub fn found_all(&self) -> Vec<Recovered> {
        (0..SLOTS)
            .filter(|n| data_path(&self.dir, *n).exists())
            .map(|n| recovered(&self.dir, n))
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
                    epoch: Mutex::new(0),
                }),
            })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(format!("{}: {e}", path.display())),
        }
    }
}

fn data_path(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("slot-{number}.geojson"))
}

fn meta_path(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("slot-{number}.json"))
}

fn recovered(dir: &Path, number: usize) -> Recovered {
    let meta: Option<RecoveryMeta> = std::fs::read_to_string(meta_path(dir, number))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    Recovered {
        geojson: data_path(dir, number),
        original: meta.as_ref().and_then(|m| m.original.clone()),
        written: meta.map(|m| m.written).unwrap_or_default(),
    }
}

impl Slot {
    fn geojson(&self) -> PathBuf {
        data_path(&self.inner.dir, self.inner.number)
    }

    fn meta(&self) -> PathBuf {
        meta_path(&self.inner.dir, self.inner.number)
    }

    /// Work of an earlier version of Pistas (one recovery file for every window) becomes
    /// this slot's, when the slot has none.
    fn adopt_legacy(&self) {
        let (old, old_meta) = (
            self.inner.dir.join("recovery.geojson"),
            self.inner.dir.join("recovery.json"),
        );
        if old.exists() && !self.geojson().exists() && std::fs::rename(&old, self.geojson()).is_ok()
        {
            let _ = std::fs::rename(old_meta, self.meta());
        }
    }

    /// The work a window that did not end cleanly left in this slot.
    pub fn found(&self) -> Option<Recovered> {
        self.geojson()
            .exists()
            .then(|| recovered(&self.inner.dir, self.inner.number))
    }

    /// The current epoch: a write started now passes it to [`Slot::write`].
    pub fn epoch(&self) -> u64 {
        self.inner.epoch.lock().map(|e| *e).unwrap_or(u64::MAX)
    }

    /// Writes the recovery file atomically, unless the slot was cleared since `epoch`.
    pub fn write(&self, geojson: &str, original: Option<&Path>, epoch: u64) -> Result<(), String> {
        let current = self.inner.epoch.lock().map_err(|e| e.to_string())?;
        if *current != epoch {
            return Ok(());
        }
        let meta = RecoveryMeta {
            original: original.map(Path::to_path_buf),
            written: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        };
        let text = serde_json::to_string(&meta).map_err(|e| e.to_string())?;
        save_atomic(&self.meta(), text.as_bytes(), true).map_err(|e| e.to_string())?;
        save_atomic(&self.geojson(), geojson.as_bytes(), true).map_err(|e| e.to_string())
    }

    /// Moves the recovery file aside (it could not be read), next to the slots, under a
    /// name no slot uses; returns where.
    pub fn set_aside(&self) -> Result<PathBuf, String> {
        let _epoch = self.inner.epoch.lock().map_err(|e| e.to_string())?;
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let to = self.inner.dir.join(format!(
            "unreadable-{stamp}-slot-{}.geojson",
            self.inner.number
        ));
        std::fs::rename(self.geojson(), &to).map_err(|e| format!("{}: {e}", to.display()))?;
        let _ = std::fs::remove_file(self.meta());
        Ok(to)
    }

    /// Removes the recovery file (the work is saved, or the person discarded it).
    pub fn clear(&self) {
        if let Ok(mut epoch) = self.inner.epoch.lock() {
            *epoch += 1;
            let _ = std::fs::remove_file(self.geojson());
            let _ = std::fs::remove_file(self.meta());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY: &str = "{\"type\":\"FeatureCollection\",\"features\":[]}";

    #[test]
    fn a_slot_round_trips_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        let slot = Recovery::new(dir.path().join("rec")).claim().unwrap();
        assert!(slot.found().is_none());
        slot.write(EMPTY, Some(Path::new("/x.geojson")), slot.epoch())
            .unwrap();
        let found = slot.found().unwrap();
        assert_eq!(found.original.as_deref(), Some(Path::new("/x.geojson")));
        slot.clear();
        assert!(slot.found().is_none());
    }

    #[test]
    fn a_write_started_before_a_clear_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let slot = Recovery::new(dir.path().to_path_buf()).claim().unwrap();
        let epoch = slot.epoch();
        slot.clear();
        slot.write(EMPTY, None, epoch).unwrap();
        assert!(slot.found().is_none());
    }

    #[test]
    fn windows_hold_slots_of_their_own_and_a_dead_one_is_offered_back() {
        let dir = tempfile::tempdir().unwrap();
        let recovery = Recovery::new(dir.path().to_path_buf());
        let first = recovery.claim().unwrap();
        first.write(EMPTY, None, first.epoch()).unwrap();
        let second = recovery.claim().unwrap();
        assert!(
            second.found().is_none(),
            "the first window's live work is its own"
        );
        second.clear();
        assert!(first.found().is_some(), "and the second cannot delete it");
        drop(first);
        let third = recovery.claim().unwrap();
        assert!(
            third.found().is_some(),
            "a dead window's work is offered back"
        );
    }

    #[test]
    fn the_single_recovery_file_of_earlier_versions_is_adopted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("recovery.geojson"), EMPTY).unwrap();
        let slot = Recovery::new(dir.path().to_path_buf()).claim().unwrap();
        assert!(slot.found().is_some());
    }
}
