//! Files for the window: opening, saving and exporting off the UI thread with progress and
//! cancel, and recent files. The dialogs that ask where are in [`super::file_dialogs`].

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use chrono::NaiveDate;

pub use super::file_dialogs::{FileDialogs, NativeDialogs, Request, ScriptedDialogs, extension};
use crate::app::state::recovery::Recovered;
use crate::io::import::read_bytes_as_reporting;
use crate::io::journal::Fingerprint;
use crate::io::{
    Format, ImportOptions, InputFormat, Parsed, WriteOptions, export, read_file, save_atomic_parts,
    write_geojson_parts,
};
use crate::model::Document;

/// What a background job was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum JobKind {
    Open(PathBuf),
    /// Read a file to add as an imported layer.
    Import(PathBuf),
    /// Save the working document.
    Save(PathBuf),
    Export {
        path: PathBuf,
        format: Format,
    },
    /// Read a project and every layer it names.
    Project(PathBuf),
}

/// What a finished job reports.
pub enum JobResult {
    /// What was read, with the fingerprint of a GeoJSON file's bytes (a journal's base).
    Opened(Result<Parsed, String>, Option<Fingerprint>),
    Project(Box<Result<crate::app::state::project::LoadedProject, String>>),
    /// Written; a save gives the fingerprint of the bytes it wrote.
    Written(Result<Option<Fingerprint>, String>),
}

/// Work running off the UI thread.
pub struct Job {
    pub kind: JobKind,
    /// Progress in thousandths; `u32::MAX` while the amount of work is unknown.
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    rx: Receiver<JobResult>,
}

const UNKNOWN: u32 = u32::MAX;

impl Job {
    /// Reads and checks a file of any format Pistas knows; progress follows the bytes read.
    pub fn open(path: PathBuf, options: ImportOptions) -> Self {
        // The window's facts are worked out as each feature is read.
        let options = ImportOptions {
            facts: true,
            ..options
        };
        Self::read(JobKind::Open(path.clone()), path, options)
    }

    /// Reads a file to import as a layer.
    pub fn import(path: PathBuf, options: ImportOptions) -> Self {
        Self::read(JobKind::Import(path.clone()), path, options)
    }

    fn read(kind: JobKind, path: PathBuf, options: ImportOptions) -> Self {
        let (tx, rx) = channel();
        let progress = Arc::new(AtomicU32::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let (p, c, file) = (progress.clone(), cancel.clone(), path.clone());
        std::thread::spawn(move || {
            let (result, fingerprint) = match read_with_progress(&file, &options, &p, &c) {
                Ok((parsed, fingerprint)) => (Ok(parsed), fingerprint),
                Err(e) => (Err(e), None),
            };
            if c.load(Ordering::Relaxed) {
                return;
            }
            // Ignored: the receiver is gone only when the window has closed; nobody waits.
            let _ = tx.send(JobResult::Opened(result, fingerprint));
        });
        Job {
            kind,
            progress,
            cancel,
            rx,
        }
    }

    /// Restores the work a crashed window left: its journal replayed on its base.
    pub fn recover(found: Recovered) -> Self {
        let (tx, rx) = channel();
        let progress = Arc::new(AtomicU32::new(UNKNOWN));
        let cancel = Arc::new(AtomicBool::new(false));
        let c = cancel.clone();
        let kind = JobKind::Open(found.journal.clone());
        std::thread::spawn(move || {
            let parsed = found.restore();
            if !c.load(Ordering::Relaxed) {
                // Ignored: the receiver is gone only when the window has closed; nobody waits.
                let _ = tx.send(JobResult::Opened(Ok(parsed), None));
            }
        });
        Job {
            kind,
            progress,
            cancel,
            rx,
        }
    }

    /// Writes `doc` as Pistas GeoJSON (atomically) or in an export format.
    pub fn write(kind: JobKind, doc: Arc<Document>, date: NaiveDate) -> Self {
        let (tx, rx) = channel();
        let progress = Arc::new(AtomicU32::new(UNKNOWN));
        let cancel = Arc::new(AtomicBool::new(false));
        let (c, p) = (cancel.clone(), progress.clone());
        let job_kind = kind.clone();
        std::thread::spawn(move || {
            let (path, parts) = match &job_kind {
                // Written on every core in pieces; writing them out is the last tenth of
                // the bar.
                JobKind::Save(path) => {
                    let tell = |done: usize, total: usize| {
                        let share = done as u64 * 900 / total.max(1) as u64;
                        p.store(share as u32, Ordering::Relaxed);
                    };
                    let options = WriteOptions { status_date: date };
                    let parts = write_geojson_parts(&doc, &options, &tell);
                    (
                        path,
                        Ok(parts.into_iter().map(String::into_bytes).collect()),
                    )
                }
                JobKind::Export { path, format } => (
                    path,
                    export(&doc, *format, date)
                        .map(|bytes| vec![bytes])
                        .map_err(|e| e.to_string()),
                ),
                JobKind::Open(_) | JobKind::Import(_) | JobKind::Project(_) => return,
            };
            // The document is not needed any more: an edit meanwhile need not copy it.
            drop(doc);
            // Cancelling before the file is replaced leaves the old file as it was.
            if c.load(Ordering::Relaxed) {
                return;
            }
            let saving = matches!(job_kind, JobKind::Save(_));
            let result = parts.and_then(|parts| {
                let bytes: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
                save_atomic_parts(path, &bytes, true).map_err(|e| e.to_string())?;
                Ok(saving.then(|| Fingerprint::of_parts(&bytes)))
            });
            // Ignored: the receiver is gone only when the window has closed; nobody waits.
            let _ = tx.send(JobResult::Written(result));
        });
        Job {
            kind,
            progress,
            cancel,
            rx,
        }
    }

    /// Reads a project and its layers.
    pub fn project(path: PathBuf) -> Self {
        let (tx, rx) = channel();
        let progress = Arc::new(AtomicU32::new(UNKNOWN));
        let cancel = Arc::new(AtomicBool::new(false));
        let (c, file) = (cancel.clone(), path.clone());
        std::thread::spawn(move || {
            let loaded = crate::app::state::project::LoadedProject::read(&file);
            if !c.load(Ordering::Relaxed) {
                // Ignored: the receiver is gone only when the window has closed; nobody waits.
                let _ = tx.send(JobResult::Project(Box::new(loaded)));
            }
        });
        Job {
            kind: JobKind::Project(path),
            progress,
            cancel,
            rx,
        }
    }

    /// The file the job reads or writes.
    pub fn path(&self) -> &Path {
        match &self.kind {
            JobKind::Open(p)
            | JobKind::Import(p)
            | JobKind::Save(p)
            | JobKind::Project(p)
            | JobKind::Export { path: p, .. } => p,
        }
    }

    /// Progress from 0 to 1, or `None` when unknown.
    pub fn progress(&self) -> Option<f32> {
        match self.progress.load(Ordering::Relaxed) {
            UNKNOWN => None,
            p => Some(p as f32 / 1000.0),
        }
    }

    /// Asks the work to stop; its result, if any, is dropped.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The result once the job is done.
    pub fn poll(&self) -> Option<JobResult> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(JobResult::Written(Err(
                "the background task stopped unexpectedly".to_owned(),
            ))),
        }
    }
}

fn read_with_progress(
    path: &Path,
    options: &ImportOptions,
    progress: &AtomicU32,
    cancel: &AtomicBool,
) -> Result<(Parsed, Option<Fingerprint>), String> {
    let name = path.display().to_string();
    let format = InputFormat::of_file(path);
    if format == InputFormat::GeoPackage {
        // SQLite reads the file itself.
        return read_file(path, options)
            .map(|p| (p, None))
            .map_err(|e| e.to_string());
    }
    let mut file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0).max(1);
    let mut bytes = Vec::with_capacity(total as usize);
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err("cancelled".to_owned());
        }
        // Read straight into the buffer, 16 MB at a time (a copy through a smaller buffer
        // copied every byte once more).
        let n = (&mut file)
            .take(16 << 20)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        if n == 0 {
            break;
        }
        // Reading is the first half of the bar; checking the features is the second.
        progress.store(
            (bytes.len() as u64 * 500 / total).min(500) as u32,
            Ordering::Relaxed,
        );
    }
    // The bytes read are what a journal's edits will apply to.
    let fingerprint = (format == InputFormat::GeoJson).then(|| Fingerprint::of(&bytes));
    // A GeoJSON file's features, as they are interpreted, are the second half of the bar;
    // the other formats do not tell.
    progress.store(
        if format == InputFormat::GeoJson {
            500
        } else {
            UNKNOWN
        },
        Ordering::Relaxed,
    );
    let tell = |done: usize, total: usize| {
        let share = 500 + done as u64 * 500 / total.max(1) as u64;
        progress.fetch_max(share.min(1000) as u32, Ordering::Relaxed);
    };
    Ok((
        read_bytes_as_reporting(bytes, &name, Some(path), format, options, &tell),
        fingerprint,
    ))
}

/// Puts `path` first in the recent list, at most ten entries.
pub fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_path_buf());
    recent.truncate(10);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_and_bounded() {
        let mut recent = Vec::new();
        for i in 0..12 {
            remember(&mut recent, Path::new(&format!("/f{i}")));
        }
        remember(&mut recent, Path::new("/f5"));
        assert_eq!(recent.len(), 10);
        assert_eq!(recent[0], Path::new("/f5"));
        assert_eq!(recent.iter().filter(|p| *p == Path::new("/f5")).count(), 1);
    }

    #[test]
    fn open_job_reports_and_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.geojson");
        std::fs::write(&path, crate::app::SAMPLE_GEOJSON).unwrap();
        let job = Job::open(path, ImportOptions::default());
        let result = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        match result {
            JobResult::Opened(Ok(parsed), Some(_)) => {
                assert_eq!(parsed.document.features().len(), 60)
            }
            _ => panic!("the sample should open"),
        }
    }
}
