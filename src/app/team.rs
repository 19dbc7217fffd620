//! The working layer as a database layer: the connection, the base of the last sync, and
//! syncs run on a worker thread (the UI thread never waits for the network).
//!
//! A link belongs to one document (its generation): when another document replaces it,
//! the link is gone, so a sync can never send one file's strips as another's edits.

use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::{self, Base, Picks, Progress, StripConflict, SyncReport, Synced, Target};
use crate::model::Document;

/// How often a linked document syncs by itself while the window is idle.
pub const AUTO_SYNC: Duration = Duration::from_secs(60);

pub struct Link {
    pub target: Target,
    base: Option<Base>,
    generation: u64,
    /// When the last sync finished, and what it did.
    pub last: Option<(Instant, SyncReport)>,
    /// Conflicts the last sync left, for the review.
    pub conflicts: Vec<StripConflict>,
}

struct Running {
    rx: Receiver<Result<Synced, String>>,
    progress: Arc<Mutex<Option<Progress>>>,
    /// The document as the sync read it.
    before: Document,
    generation: u64,
    automatic: bool,
}

/// A sync that finished, for the document it ran for.
pub struct Done {
    pub before: Document,
    pub result: Result<Synced, String>,
    /// Started by the timer, not by the person.
    pub automatic: bool,
}

#[derive(Default)]
pub struct Team {
    link: Option<Link>,
    running: Option<Running>,
    next_auto: Option<Instant>,
}

impl Team {
    /// The link of the document of `generation`, if it has one.
    pub fn link(&self, generation: u64) -> Option<&Link> {
        self.link.as_ref().filter(|l| l.generation == generation)
    }

    pub fn link_mut(&mut self, generation: u64) -> Option<&mut Link> {
        self.link.as_mut().filter(|l| l.generation == generation)
    }

    /// Links the document of `generation` (saved at `path`, if it is) to `target`: the base
    /// kept beside the file is used when it is of the same database, else the first sync
    /// merges both sides as new.
    pub fn connect(&mut self, target: Target, generation: u64, path: Option<&Path>) {
        let base = path
            .and_then(|p| db::state::load(p).ok().flatten())
            .filter(|b| b.state.target == target.describe());
        self.link = Some(Link {
            target,
            base,
            generation,
            last: None,
            conflicts: Vec::new(),
        });
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

    /// Starts a sync of `doc` (the document of `generation`) with `picks` for its conflicts.
    /// False when it is not linked or a sync runs.
    pub fn sync(&mut self, doc: &Document, generation: u64, picks: Picks, automatic: bool) -> bool {
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
        let local = doc.clone();
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
                db::sync(&mut client, &target, &local, base.as_ref(), &picks, &report)
                    .map_err(|e| e.to_string())
            })();
            let _ = tx.send(result);
        });
        self.running = Some(Running {
            rx,
            progress,
            before: doc.clone(),
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

    /// Keeps the base of the last sync and what it did.
    pub fn synced(&mut self, generation: u64, base: Base, report: SyncReport) {
        if let Some(link) = self.link_mut(generation) {
            link.base = Some(base);
            link.conflicts = report.conflicts.clone();
            link.last = Some((Instant::now(), report));
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

    /// The document of `generation` was saved at `path`: its base goes beside it, so that
    /// the next connection from this file syncs only what changed.
    pub fn saved(&self, generation: u64, path: &Path) {
        if let Some(base) = self.link(generation).and_then(|l| l.base.clone()) {
            let path = path.to_owned();
            std::thread::spawn(move || {
                let _ = db::state::store(&path, &base);
            });
        }
    }
}
