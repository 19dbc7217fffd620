//! The working layer as a database layer: the connection, the base of the last sync, and
//! syncs run on a worker thread (the UI thread never waits for the network).
//!
//! A link belongs to one document (its generation): when another document replaces it,
//! the link is gone, so a sync can never send one file's strips as another's edits.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::app::state::document::Version;
use crate::db::{self, Base, Picks, Progress, StripConflict, SyncReport, Synced, Target};
use crate::model::Document;

/// How often a linked document syncs by itself while the window is idle.
pub const AUTO_SYNC: Duration = Duration::from_secs(60);

pub struct Link {
    pub target: Target,
    /// Shared with the running sync's thread, which reads it (no copy per sync).
    base: Option<Arc<Base>>,
    generation: u64,
    /// What the last sync did.
    pub last: Option<LastSync>,
    /// How many syncs were brought into the document: a save stores the base only if none
    /// finished while it ran (the base must never be newer than the file beside it).
    syncs: u64,
    /// The document state each running save writes, with the sync count at its start.
    saving: Vec<(u64, u64)>,
    /// Conflicts the last sync left, for the review.
    pub conflicts: Vec<StripConflict>,
}

/// What the last sync did, for the list the status bar opens.
#[derive(Debug, Clone)]
pub struct LastSync {
    /// The local time it finished, as shown.
    pub clock: String,
    pub report: SyncReport,
    /// The copy of the document as it was before the sync (only when it received
    /// something), or why none could be written.
    pub backup: Option<Result<PathBuf, String>>,
}

/// A sync that succeeded, with the copy of the document it kept.
pub struct Finished {
    pub synced: Synced,
    pub backup: Option<Result<PathBuf, String>>,
}

struct Running {
    rx: Receiver<Result<Finished, String>>,
    progress: Arc<Mutex<Option<Progress>>>,
    /// The document as the sync read it (shared with its thread).
    before: Arc<Document>,
    generation: u64,
    automatic: bool,
}

/// A sync that finished, for the document it ran for.
pub struct Done {
    pub before: Arc<Document>,
    pub result: Result<Finished, String>,
    /// Started by the timer, not by the person.
    pub automatic: bool,
}

#[derive(Default)]
pub struct Team {
    link: Option<Link>,
    running: Option<Running>,
    next_auto: Option<Instant>,
    /// Why the sync state beside a file could not be stored, from the thread that stores
    /// it, for the window to show once.
    store_failures: Arc<Mutex<Vec<String>>>,
}

impl Team {
    /// Why the sync state could not be stored since the last call (each told once).
    pub fn take_store_failures(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .store_failures
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// The link of the document of `generation`, if it has one.
    pub fn link(&self, generation: u64) -> Option<&Link> {
        self.link.as_ref().filter(|l| l.generation == generation)
    }

    pub fn link_mut(&mut self, generation: u64) -> Option<&mut Link> {
        self.link.as_mut().filter(|l| l.generation == generation)
    }

    /// Links the document of `generation` (saved at `path`, if it is) to `target`, with
    /// the base kept beside the file (the sync checks it is of the same database); without
    /// one, the first sync merges both sides as new. Err when the base cannot be read.
    pub fn connect(
        &mut self,
        target: Target,
        generation: u64,
        path: Option<&Path>,
    ) -> Result<(), String> {
        let base = match path {
            Some(p) => db::state::load(p).map_err(|e| e.to_string())?,
            None => None,
        };
        self.link = Some(Link {
            target,
            base: base.map(Arc::new),
            generation,
            last: None,
            syncs: 0,
            saving: Vec::new(),
            conflicts: Vec::new(),
        });
        Ok(())
    }

    /// Drops the link of the document of `generation` if it never synced (its first sync
    /// failed: a mistyped connection, a wrong password).
    pub fn forget_unsynced(&mut self, generation: u64) {
        if self.link(generation).is_some_and(|l| l.last.is_none()) {
            self.link = None;
        }
    }

    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// Where the running sync stands.
    pub fn progress(&self) -> Option<Progress> {
        let running = self.running.as_ref()?;
        let p = running.progress.lock().ok()?.clone();
        Some(p.unwrap_or(Progress::Reading))
    }

    /// Starts a sync of `doc` (the document of `generation`, saved at `path` if it is)
    /// with `picks` for its conflicts. A sync that brings others' changes first keeps a
    /// copy of the document as it was beside the file. False when it is not linked or a
    /// sync runs.
    pub fn sync(
        &mut self,
        doc: &Document,
        generation: u64,
        picks: Picks,
        automatic: bool,
        path: Option<PathBuf>,
    ) -> bool {
        if self.running.is_some() {
            return false;
        }
        let Some(link) = self.link(generation) else {
            return false;
        };
        let (tx, rx) = channel();
        let progress = Arc::new(Mutex::new(None));
        let target = link.target.clone();
        let base = link.base.clone();
        let before = Arc::new(doc.clone());
        let local = before.clone();
        let shown = progress.clone();
        std::thread::spawn(move || {
            let result = (|| {
                let mut client = target
                    .connect()
                    .map_err(|e| format!("{}: {e}", target.describe()))?;
                let report = |p: Progress| {
                    if let Ok(mut slot) = shown.lock() {
                        *slot = Some(p);
                    }
                };
                let synced = db::sync(
                    &mut client,
                    &target,
                    &local,
                    base.as_deref(),
                    &picks,
                    &report,
                )
                .map_err(|e| e.to_string())?;
                // Evidence files: those the database lacks go up, those the folder lacks
                // (of the document as this sync leaves it) come down.
                if let Some(path) = &path {
                    let folder = crate::io::evidence::folder_of(path);
                    if folder.is_dir() {
                        db::files::upload(&mut client, &local, &folder)
                            .map_err(|e| e.to_string())?;
                    }
                    if !synced.report.received.is_empty() {
                        let mut after = (*local).clone();
                        synced.settle_doc(&mut after);
                        db::files::fetch(&mut client, &after, &folder)
                            .map_err(|e| e.to_string())?;
                    }
                }
                let backup = match &path {
                    Some(path) if !synced.report.received.is_empty() => {
                        let text =
                            crate::io::write_geojson(&local, &crate::io::WriteOptions::default());
                        Some(db::backup::keep(path, text.as_bytes()).map_err(|e| e.to_string()))
                    }
                    _ => None,
                };
                Ok(Finished { synced, backup })
            })();
            // Let go of the shared base before saying it is done, so that bringing the
            // result in changes it in place.
            drop(base);
            drop(local);
            // Ignored: the receiver is gone only when the window has closed; nobody waits.
            let _ = tx.send(result);
        });
        self.running = Some(Running {
            rx,
            progress,
            before,
            generation,
            automatic,
        });
        self.next_auto = Some(Instant::now() + AUTO_SYNC);
        true
    }

    /// A finished sync for the document of `generation`; one for another document is
    /// dropped (the database has it; that document's link is gone).
    pub fn poll(&mut self, generation: u64) -> Option<Done> {
        let running = self.running.as_ref()?;
        let result = match running.rx.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return None,
            Err(TryRecvError::Disconnected) => Err("the sync stopped unexpectedly".to_owned()),
        };
        let running = self.running.take()?;
        (running.generation == generation).then_some(Done {
            before: running.before,
            result,
            automatic: running.automatic,
        })
    }

    /// Brings a finished sync into the base, and keeps what it did.
    /// The window's edits change features only: the collection's members received stay
    /// out of the base too (`members` are the document's), so they are never sent back
    /// as if this side had changed them.
    pub fn synced(
        &mut self,
        generation: u64,
        synced: &Synced,
        backup: Option<Result<PathBuf, String>>,
        members: &crate::model::Extra,
    ) {
        let report = synced.report.clone();
        if let Some(link) = self.link_mut(generation) {
            let base = Arc::make_mut(link.base.get_or_insert_with(Arc::default));
            synced.settle_base(base);
            base.doc.set_foreign(members.clone());
            link.conflicts = report.conflicts.clone();
            link.last = Some(LastSync {
                clock: chrono::Local::now().format("%H:%M").to_string(),
                report,
                backup,
            });
            link.syncs += 1;
        }
    }

    /// True when an automatic sync is due.
    pub fn auto_due(&self, generation: u64) -> bool {
        self.link(generation).is_some()
            && self.running.is_none()
            && self.next_auto.is_some_and(|t| Instant::now() >= t)
    }

    pub fn until_auto(&self) -> Option<Duration> {
        self.next_auto
            .map(|t| t.saturating_duration_since(Instant::now()))
    }

    /// A save of the document at `version` starts.
    pub fn save_started(&mut self, version: Version) {
        if let Some(link) = self.link_mut(version.generation()) {
            let syncs = link.syncs;
            link.saving.push((version.state(), syncs));
        }
    }

    /// The document at `version` was saved at `path`: the base goes beside it, so that the
    /// next connection from this file syncs only what changed. Only when no sync was
    /// brought in while the save ran (the base would be newer than the file; an older one
    /// is safe: the next sync finds both sides already agree). One writer at a time, the
    /// strips before the state that points at them.
    pub fn saved(&mut self, version: Version, path: &Path) {
        static WRITER: Mutex<()> = Mutex::new(());
        let Some(link) = self.link_mut(version.generation()) else {
            return;
        };
        let Some(at) = link.saving.iter().position(|(s, _)| *s == version.state()) else {
            return;
        };
        let (_, syncs) = link.saving.remove(at);
        if syncs != link.syncs {
            return;
        }
        if let Some(base) = link.base.as_deref().cloned() {
            let path = path.to_owned();
            let failures = Arc::clone(&self.store_failures);
            std::thread::spawn(move || {
                let _guard = WRITER.lock();
                if let Err(e) = db::state::store(&path, &base) {
                    log::error!(
                        "the sync state beside {} was not stored: {e}",
                        path.display()
                    );
                    failures
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(format!("{}: {e}", path.display()));
                }
            });
        }
    }
}
