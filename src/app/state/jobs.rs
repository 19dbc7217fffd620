//! Background work of the window, at most one job per kind (imports excepted: one per
//! file), each with what follows it as a typed continuation.
//!
//! - A new open supersedes the running one: the old one is cancelled and its result
//!   dropped.
//! - A new save or export waits for the running one, so files are written in the order they
//!   were asked for; a newer waiting request to the same file replaces the older waiting
//!   one (it writes a newer document there, and keeps the older one's continuation).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::app::actions::Action;
use crate::app::state::document::Version;
use crate::app::state::files::{Job, JobKind, JobResult};
use crate::app::state::project::LoadedProject;
use crate::app::state::recovery::Recovered;
use crate::io::journal::Fingerprint;
use crate::io::{Format, ImportOptions, Parsed};
use crate::model::Document;
use std::sync::Arc;

/// What to do once a save succeeded.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterSave {
    Nothing,
    /// The action the unsaved-changes question was asked for.
    Then(Action),
}

/// What an opened file becomes.
#[derive(Debug, Clone)]
pub enum OpenFor {
    /// The working document.
    File,
    /// The working document, restored from the recovery file.
    Recovered(Recovered),
}

/// A write waiting for the running one of its kind.
struct Waiting {
    kind: JobKind,
    doc: Arc<Document>,
    date: NaiveDate,
    then: Option<(Version, AfterSave)>,
}

/// A finished job and what it was for.
pub enum Finished {
    Opened {
        path: PathBuf,
        result: Result<Parsed, String>,
        purpose: OpenFor,
        /// The bytes read, for a GeoJSON file (the base of the document's journal).
        fingerprint: Option<Fingerprint>,
    },
    Imported {
        path: PathBuf,
        result: Result<Parsed, String>,
    },
    Project {
        path: PathBuf,
        result: Box<Result<LoadedProject, String>>,
    },
    Saved {
        path: PathBuf,
        version: Version,
        /// The fingerprint of the bytes written.
        result: Result<Fingerprint, String>,
        then: AfterSave,
    },
    Exported {
        path: PathBuf,
        result: Result<(), String>,
    },
}

#[derive(Default)]
pub struct Jobs {
    open: Option<(Job, OpenFor)>,
    save: Option<(Job, Version, AfterSave)>,
    /// Saves cancelled when they may already be replacing their file: one that did is
    /// still reported (the document's journal must know its file was replaced).
    cancelled_saves: Vec<(Job, Version)>,
    save_waiting: VecDeque<Waiting>,
    export: Option<Job>,
    export_waiting: VecDeque<Waiting>,
    imports: Vec<Job>,
}

impl Jobs {
    /// Opens a file (or a project) in the background, superseding an open that runs.
    pub fn open(&mut self, path: PathBuf, purpose: OpenFor, options: ImportOptions) {
        self.cancel_open();
        let job = if let OpenFor::Recovered(found) = &purpose {
            Job::recover(found.clone())
        } else if path
            .extension()
            .is_some_and(|e| e == crate::io::PROJECT_EXTENSION)
        {
            Job::project(path)
        } else {
            Job::open(path, options)
        };
        self.open = Some((job, purpose));
    }

    fn cancel_open(&mut self) {
        if let Some((job, _)) = self.open.take() {
            job.cancel();
        }
    }

    /// Saves `doc` (the document at `version`) to `path`, after the save that runs.
    pub fn save(
        &mut self,
        path: PathBuf,
        doc: Arc<Document>,
        date: NaiveDate,
        version: Version,
        then: AfterSave,
    ) {
        let waiting = Waiting {
            kind: JobKind::Save(path),
            doc,
            date,
            then: Some((version, then)),
        };
        if self.save.is_some() {
            enqueue(&mut self.save_waiting, waiting);
        } else {
            self.start_save(waiting);
        }
    }

    fn start_save(&mut self, w: Waiting) {
        let (version, then) = w.then.unwrap_or((Version::fresh(), AfterSave::Nothing));
        self.save = Some((Job::write(w.kind, w.doc, w.date), version, then));
    }

    /// Exports `doc` to `path`, after the export that runs.
    pub fn export(&mut self, path: PathBuf, format: Format, doc: Arc<Document>, date: NaiveDate) {
        let waiting = Waiting {
            kind: JobKind::Export { path, format },
            doc,
            date,
            then: None,
        };
        if self.export.is_some() {
            enqueue(&mut self.export_waiting, waiting);
        } else {
            self.export = Some(Job::write(waiting.kind, waiting.doc, waiting.date));
        }
    }

    pub fn import(&mut self, path: PathBuf, options: ImportOptions) {
        self.imports.push(Job::import(path, options));
    }

    /// True while anything runs or waits.
    pub fn busy(&self) -> bool {
        self.open.is_some()
            || self.save.is_some()
            || self.export.is_some()
            || !self.imports.is_empty()
            || !self.cancelled_saves.is_empty()
    }

    /// The jobs running, for the status bar.
    pub fn running(&self) -> impl Iterator<Item = &Job> {
        self.open
            .iter()
            .map(|(j, _)| j)
            .chain(self.save.iter().map(|(j, ..)| j))
            .chain(self.export.iter())
    }

    /// Imports being read, for the layers panel.
    pub fn imports(&self) -> &[Job] {
        &self.imports
    }

    /// The person cancelled what the status bar shows: the open, save and export (and what
    /// waits behind them). A cancelled write leaves its file as it was.
    pub fn cancel(&mut self) {
        self.cancel_open();
        if let Some((job, version, _)) = self.save.take() {
            job.cancel();
            self.cancelled_saves.push((job, version));
        }
        if let Some(job) = self.export.take() {
            job.cancel();
        }
        self.save_waiting.clear();
        self.export_waiting.clear();
    }

    /// What finished since the last poll; waiting writes start.
    pub fn poll(&mut self) -> Vec<Finished> {
        let mut done = Vec::new();
        if let Some(result) = self.open.as_ref().and_then(|(j, _)| j.poll())
            && let Some((job, purpose)) = self.open.take()
        {
            let path = job.path().to_path_buf();
            done.push(match result {
                JobResult::Project(result) => Finished::Project { path, result },
                JobResult::Opened(result, fingerprint) => Finished::Opened {
                    path,
                    result,
                    purpose,
                    fingerprint,
                },
                JobResult::Written(result) => Finished::Opened {
                    path,
                    result: Err(result
                        .err()
                        .unwrap_or_else(|| "the open stopped unexpectedly".to_owned())),
                    purpose,
                    fingerprint: None,
                },
            });
        }
        if let Some(result) = self.save.as_ref().and_then(|(j, ..)| j.poll())
            && let Some((job, version, then)) = self.save.take()
        {
            done.push(Finished::Saved {
                path: job.path().to_path_buf(),
                version,
                result: written(result)
                    .and_then(|f| f.ok_or_else(|| "the save stopped unexpectedly".to_owned())),
                then,
            });
            if let Some(w) = self.save_waiting.pop_front() {
                self.start_save(w);
            }
        }
        let mut still = Vec::new();
        for (job, version) in std::mem::take(&mut self.cancelled_saves) {
            match job.poll() {
                None => still.push((job, version)),
                Some(JobResult::Written(Ok(Some(fingerprint)))) => done.push(Finished::Saved {
                    path: job.path().to_path_buf(),
                    version,
                    result: Ok(fingerprint),
                    then: AfterSave::Nothing,
                }),
                // Cancelled before the file was replaced: nothing happened.
                Some(_) => {}
            }
        }
        self.cancelled_saves = still;
        if let Some(result) = self.export.as_ref().and_then(Job::poll)
            && let Some(job) = self.export.take()
        {
            done.push(Finished::Exported {
                path: job.path().to_path_buf(),
                result: written(result).map(drop),
            });
            if let Some(w) = self.export_waiting.pop_front() {
                self.export = Some(Job::write(w.kind, w.doc, w.date));
            }
        }
        let mut still = Vec::new();
        for job in std::mem::take(&mut self.imports) {
            match job.poll() {
                None => still.push(job),
                Some(result) => done.push(Finished::Imported {
                    path: job.path().to_path_buf(),
                    result: match result {
                        JobResult::Opened(r, _) => r,
                        _ => Err("the import stopped unexpectedly".to_owned()),
                    },
                }),
            }
        }
        self.imports = still;
        done
    }
}

fn target(kind: &JobKind) -> Option<&Path> {
    match kind {
        JobKind::Save(p) | JobKind::Export { path: p, .. } => Some(p),
        _ => None,
    }
}

/// Queues a write; one waiting for the same file is replaced in its place (its
/// continuation kept when the new one has none).
fn enqueue(queue: &mut VecDeque<Waiting>, mut waiting: Waiting) {
    match queue
        .iter_mut()
        .find(|w| target(&w.kind) == target(&waiting.kind))
    {
        Some(older) => {
            if let (Some((_, AfterSave::Nothing)), Some((_, then))) = (&waiting.then, &older.then) {
                let then = then.clone();
                if let Some((_, slot)) = &mut waiting.then {
                    *slot = then;
                }
            }
            *older = waiting;
        }
        None => queue.push_back(waiting),
    }
}

fn written(result: JobResult) -> Result<Option<Fingerprint>, String> {
    match result {
        JobResult::Written(r) => r,
        _ => Err("the background task stopped unexpectedly".to_owned()),
    }
}
