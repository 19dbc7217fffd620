//! Files for the window: native dialogs behind a trait (tests hand in paths), opening,
//! saving and exporting off the UI thread with progress and cancel, and recent files.

use std::collections::VecDeque;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::app::recovery::Recovered;
use crate::io::import::read_bytes_as_reporting;
use crate::io::journal::Fingerprint;
use crate::io::{
    Format, ImportOptions, InputFormat, Parsed, WriteOptions, export, read_file, save_atomic_parts,
    write_geojson_parts,
};
use crate::model::Document;

/// A dialog the window asked for, as the in-window picker needs to ask it again.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Files to open: what they are (for the filter), their extensions, one or several.
    Open {
        what: String,
        extensions: Vec<String>,
        many: bool,
    },
    /// Where to save, suggesting `name`.
    Save {
        name: String,
        what: String,
        extension: String,
    },
}

/// What the window asks of file dialogs. The real one is rfd; tests script the answers.
pub trait FileDialogs {
    /// A GeoJSON file to open.
    fn open_geojson(&mut self) -> Option<PathBuf>;
    /// Where to save or export, suggesting `name`.
    fn save_as(&mut self, name: &str, format: Format) -> Option<PathBuf>;
    /// A `.pmtiles` file to use as basemap.
    fn open_pmtiles(&mut self) -> Option<PathBuf>;
    /// GeoJSON files to import as layers (several at once).
    fn open_layers(&mut self) -> Vec<PathBuf>;
    /// Where to save a file that is not an export format: `what` names the kind of file
    /// (for the filter), `ext` its extension.
    fn save_file(&mut self, name: &str, what: &str, ext: &str) -> Option<PathBuf>;
    /// Files to attach as evidence (images, PDFs, saved pages, web archives).
    fn open_evidence(&mut self) -> Vec<PathBuf>;
    /// The dialog asked for last, when the desktop could not show it (no XDG desktop
    /// portal, no zenity): the window then asks with its own picker. Taken once.
    fn unavailable(&mut self) -> Option<Request> {
        None
    }
    /// What the next dialog answers without showing itself, when it asks `request` again:
    /// the in-window picker's choice, handed to the command that asked. Another dialog
    /// asked first drops it (a file picked for evidence is never a Save As's answer).
    fn answer_next(&mut self, _request: Request, _paths: Vec<PathBuf>) {}
}

/// The in-window picker's answer, for the request it answers.
type Preset = (Request, Vec<PathBuf>);

/// A dialog that closes this fast was never shown: nobody cancels in a fifth of a second.
const UNSHOWN: std::time::Duration = std::time::Duration::from_millis(200);

/// Native dialogs through rfd, with what the in-window picker needs when the desktop has
/// none to show.
#[derive(Default)]
pub struct NativeDialogs {
    preset: Option<Preset>,
    unavailable: Option<Request>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl NativeDialogs {
    /// Shows a dialog through `show` unless an answer is waiting; a dialog that returns
    /// nothing at once was not shown, and `request` is kept for the in-window picker.
    fn ask(&mut self, request: Request, show: impl FnOnce() -> Vec<PathBuf>) -> Vec<PathBuf> {
        if let Some((asked, answer)) = self.preset.take()
            && asked == request
        {
            return answer;
        }
        let start = std::time::Instant::now();
        let answer = show();
        if answer.is_empty() && start.elapsed() < UNSHOWN {
            self.unavailable = Some(request);
        }
        answer
    }

    fn open(&mut self, what: &str, extensions: &[&str], many: bool) -> Vec<PathBuf> {
        let request = Request::Open {
            what: what.to_owned(),
            extensions: strings(extensions),
            many,
        };
        self.ask(request, || {
            let dialog = rfd::FileDialog::new()
                .add_filter(what, extensions)
                .add_filter("*", &["*"]);
            if many {
                dialog.pick_files().unwrap_or_default()
            } else {
                dialog.pick_file().into_iter().collect()
            }
        })
    }

    fn save(&mut self, name: &str, what: &str, extension: &str) -> Option<PathBuf> {
        let request = Request::Save {
            name: name.to_owned(),
            what: what.to_owned(),
            extension: extension.to_owned(),
        };
        self.ask(request, || {
            rfd::FileDialog::new()
                .set_file_name(name)
                .add_filter(what, &[extension])
                .save_file()
                .into_iter()
                .collect()
        })
        .into_iter()
        .next()
    }
}

impl FileDialogs for NativeDialogs {
    fn open_geojson(&mut self) -> Option<PathBuf> {
        self.open(
            "GeoJSON, CSV, KML/KMZ, GeoPackage, FlatGeobuf or Pistas project",
            &crate::io::import::EXTENSIONS,
            false,
        )
        .into_iter()
        .next()
    }

    fn open_layers(&mut self) -> Vec<PathBuf> {
        self.open(
            "GeoJSON, CSV, KML/KMZ, GeoPackage, FlatGeobuf",
            &crate::io::import::EXTENSIONS[..9],
            true,
        )
    }

    fn save_file(&mut self, name: &str, what: &str, ext: &str) -> Option<PathBuf> {
        self.save(name, what, ext)
    }

    fn save_as(&mut self, name: &str, format: Format) -> Option<PathBuf> {
        self.save(name, format.name(), extension(format))
    }

    fn open_pmtiles(&mut self) -> Option<PathBuf> {
        self.open("PMTiles", &["pmtiles"], false).into_iter().next()
    }

    fn open_evidence(&mut self) -> Vec<PathBuf> {
        self.open(
            "Images, PDF, saved pages, web archives",
            &crate::app::evidence::EXTENSIONS,
            true,
        )
    }

    fn unavailable(&mut self) -> Option<Request> {
        self.unavailable.take()
    }

    fn answer_next(&mut self, request: Request, paths: Vec<PathBuf>) {
        self.preset = Some((request, paths));
    }
}

/// The usual file extension of an export format.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::GeoJson | Format::EventsGeoJson => "geojson",
        Format::StripsCsv | Format::EventsCsv => "csv",
        Format::Kml => "kml",
        Format::GeoPackage => "gpkg",
        Format::FlatGeobuf | Format::EventsFlatGeobuf => "fgb",
    }
}

/// Dialog answers queued by a test; an empty queue is a cancelled dialog. Made
/// [`ScriptedDialogs::without_native`], it plays a desktop with no file dialog: every
/// dialog is unavailable, and only the in-window picker's answers come back.
#[derive(Clone, Default)]
pub struct ScriptedDialogs {
    answers: Arc<Mutex<VecDeque<PathBuf>>>,
    without_native: bool,
    preset: Arc<Mutex<Option<Preset>>>,
    unavailable: Arc<Mutex<Option<Request>>>,
}

impl ScriptedDialogs {
    /// Dialogs of a desktop that has none to show.
    pub fn without_native() -> Self {
        ScriptedDialogs {
            without_native: true,
            ..ScriptedDialogs::default()
        }
    }

    /// The answer for `request`: the picker's preset, else the queue, else (without
    /// native dialogs) nothing, and the request is kept as unavailable.
    fn answer(&self, request: Request, many: bool) -> Vec<PathBuf> {
        if let Some((asked, answer)) = self.preset.lock().ok().and_then(|mut p| p.take())
            && asked == request
        {
            return answer;
        }
        if self.without_native {
            if let Ok(mut u) = self.unavailable.lock() {
                *u = Some(request);
            }
            return Vec::new();
        }
        if many {
            std::iter::from_fn(|| self.next()).collect()
        } else {
            self.next().into_iter().collect()
        }
    }

    /// Queues the path the next dialog returns.
    pub fn push(&self, path: impl Into<PathBuf>) {
        if let Ok(mut q) = self.answers.lock() {
            q.push_back(path.into());
        }
    }

    fn next(&self) -> Option<PathBuf> {
        self.answers.lock().ok()?.pop_front()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn open_geojson(&mut self) -> Option<PathBuf> {
        let request = Request::Open {
            what: "GeoJSON".into(),
            extensions: strings(&crate::io::import::EXTENSIONS),
            many: false,
        };
        self.answer(request, false).into_iter().next()
    }
    fn save_as(&mut self, name: &str, format: Format) -> Option<PathBuf> {
        let request = Request::Save {
            name: name.to_owned(),
            what: format.name().to_owned(),
            extension: extension(format).to_owned(),
        };
        self.answer(request, false).into_iter().next()
    }
    fn open_pmtiles(&mut self) -> Option<PathBuf> {
        let request = Request::Open {
            what: "PMTiles".into(),
            extensions: strings(&["pmtiles"]),
            many: false,
        };
        self.answer(request, false).into_iter().next()
    }
    /// Every queued answer: a test queues the files it "selects" together.
    fn open_layers(&mut self) -> Vec<PathBuf> {
        let request = Request::Open {
            what: "layers".into(),
            extensions: strings(&crate::io::import::EXTENSIONS[..9]),
            many: true,
        };
        self.answer(request, true)
    }
    fn save_file(&mut self, name: &str, what: &str, ext: &str) -> Option<PathBuf> {
        let request = Request::Save {
            name: name.to_owned(),
            what: what.to_owned(),
            extension: ext.to_owned(),
        };
        self.answer(request, false).into_iter().next()
    }
    fn open_evidence(&mut self) -> Vec<PathBuf> {
        let request = Request::Open {
            what: "evidence".into(),
            extensions: strings(&crate::app::evidence::EXTENSIONS),
            many: true,
        };
        self.answer(request, true)
    }
    fn unavailable(&mut self) -> Option<Request> {
        self.unavailable.lock().ok()?.take()
    }
    fn answer_next(&mut self, request: Request, paths: Vec<PathBuf>) {
        if let Ok(mut p) = self.preset.lock() {
            *p = Some((request, paths));
        }
    }
}

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
    Project(Box<Result<crate::app::project::LoadedProject, String>>),
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
            let loaded = crate::app::project::LoadedProject::read(&file);
            if !c.load(Ordering::Relaxed) {
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
