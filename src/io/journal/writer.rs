//! Writing a journal: one thread per journal appends and syncs every line in the order
//! sent, begins journals (a snapshot or a hard link of the base first) and removes them.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use super::entry::journal_options;
use super::header::{Base, Fingerprint, Header, VERSION};
use crate::io::{save_atomic, write_geojson};

enum Message {
    /// A new journal: its base (a snapshot is written first), its original, its lines.
    Start {
        base: Base,
        original: Option<PathBuf>,
        lines: Vec<String>,
    },
    Append(String),
    /// No unsaved work: the journal and its snapshots go.
    Remove,
    /// Answers once everything sent before is on disk.
    Flush(Sender<()>),
}

/// Writes a journal on a thread of its own; everything sent is written in order.
#[derive(Clone)]
pub struct Writer {
    tx: Sender<Message>,
    error: Arc<Mutex<Option<String>>>,
}

impl Writer {
    /// A writer of the journal at `path` (snapshots go beside it).
    pub fn new(path: PathBuf) -> Self {
        let (tx, rx) = channel();
        let error = Arc::new(Mutex::new(None));
        let errors = error.clone();
        std::thread::spawn(move || run(&path, &rx, &errors));
        Writer { tx, error }
    }

    /// Begins a journal on `base` with `lines` (replaces any journal there was).
    pub fn start(&self, base: Base, original: Option<PathBuf>, lines: Vec<String>) {
        // Ignored (here and below): the writer's thread ends only when the Writer is dropped,
        // or by a panic, which its message has already told.
        let _ = self.tx.send(Message::Start {
            base,
            original,
            lines,
        });
    }

    pub fn append(&self, line: String) {
        // Ignored: see `start`.
        let _ = self.tx.send(Message::Append(line));
    }

    /// A save made `path` the base: the journal is written anew with the `lines` made
    /// after the saved state, or removed when there are none.
    pub fn rebase(&self, path: PathBuf, fingerprint: Fingerprint, lines: Vec<String>) {
        if lines.is_empty() {
            self.remove();
        } else {
            let original = Some(path.clone());
            self.start(Base::File { path, fingerprint }, original, lines);
        }
    }

    pub fn remove(&self) {
        // Ignored: see `start`.
        let _ = self.tx.send(Message::Remove);
    }

    /// Waits until everything sent before is written (tests, and a clean quit).
    pub fn flush(&self) {
        let (tx, rx) = channel();
        if self.tx.send(Message::Flush(tx)).is_ok() {
            // Ignored: an error means the thread is gone: there is nothing left to wait for.
            let _ = rx.recv();
        }
    }

    /// Why writing failed last, once.
    pub fn take_error(&self) -> Option<String> {
        self.error.lock().ok()?.take()
    }
}

/// Snapshots beside `journal`: `<journal>.base-<n>.geojson`.
pub fn snapshot_path(journal: &Path, n: u128) -> PathBuf {
    let mut name = journal.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".base-{n}.geojson"));
    journal.with_file_name(name)
}

/// Every snapshot written beside `journal`, except `keep`.
pub fn remove_snapshots(journal: &Path, keep: Option<&Path>) {
    let Some(folder) = journal.parent() else {
        return;
    };
    let prefix = format!(
        "{}.base-",
        journal.file_name().unwrap_or_default().to_string_lossy()
    );
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(&prefix) && Some(path.as_path()) != keep
        {
            // Ignored: a snapshot that stays is only disk space; the next clean-up tries again.
            let _ = std::fs::remove_file(path);
        }
    }
}

fn run(path: &Path, rx: &Receiver<Message>, errors: &Mutex<Option<String>>) {
    let shown = path.display().to_string();
    // The journal open for appending, and its length after the last whole line.
    let mut file: Option<(File, u64)> = None;
    let fail = |e: String| {
        log::warn!("journal: {e}");
        if let Ok(mut slot) = errors.lock() {
            *slot = Some(e);
        }
    };
    while let Ok(message) = rx.recv() {
        match message {
            Message::Start {
                base,
                original,
                lines,
            } => {
                file = None;
                match start(path, base, original, &lines) {
                    Ok(f) => file = Some(f),
                    Err(e) => fail(e),
                }
            }
            // After a failed write nothing more is appended (a gap would replay later
            // edits on the wrong features) until the window starts a new journal.
            Message::Append(line) => {
                if let Some((f, len)) = file.as_mut() {
                    match f.write_all(line.as_bytes()).and_then(|()| f.sync_data()) {
                        Ok(()) => *len += line.len() as u64,
                        Err(e) => {
                            // A line written in part is cut off: the journal ends whole.
                            if let Err(cut) = f.set_len(*len) {
                                log::warn!("{shown}: a line written in part stays: {cut}");
                            }
                            file = None;
                            fail(format!("{shown}: {e}"));
                        }
                    }
                }
            }
            Message::Remove => {
                file = None;
                if let Err(e) = std::fs::remove_file(path)
                    && e.kind() != std::io::ErrorKind::NotFound
                {
                    log::warn!("{shown}: the journal stays: {e}");
                }
                remove_snapshots(path, None);
            }
            Message::Flush(done) => {
                // Ignored: a flush that stopped waiting has nothing to be told.
                let _ = done.send(());
            }
        }
    }
}

/// Writes a journal whole, atomically: its header and `lines`.
pub fn create(path: &Path, header: &Header, lines: &[String]) -> Result<(), String> {
    let mut text = serde_json::to_string(header).map_err(|e| e.to_string())?;
    text.push('\n');
    for line in lines {
        text.push_str(line);
    }
    save_atomic(path, text.as_bytes(), true).map_err(|e| e.to_string())
}

/// Writes a new journal atomically (the snapshot first, when there is one); returns it
/// open for appending.
fn start(
    path: &Path,
    base: Base,
    original: Option<PathBuf>,
    lines: &[String],
) -> Result<(File, u64), String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let (base, fingerprint) = match base {
        // A hard link beside the journal keeps the base's bytes when a save (or another
        // program) replaces the file by renaming over it; across file systems, where no
        // link can be made, the journal names the file itself.
        Base::File {
            path: file,
            fingerprint,
        } => {
            let file = std::path::absolute(&file).unwrap_or(file);
            let link = snapshot_path(path, stamp);
            match std::fs::hard_link(&file, &link) {
                Ok(()) if Fingerprint::of_file(&link).ok().as_ref() == Some(&fingerprint) => {
                    (link, fingerprint)
                }
                Ok(()) => {
                    // The file changed since it was read: the edits are not on it.
                    // Ignored: a link that stays is a snapshot, removed at the next clean-up.
                    let _ = std::fs::remove_file(&link);
                    return Err(format!(
                        "{} changed since it was read: its edits cannot be journaled on it",
                        file.display()
                    ));
                }
                Err(e) => {
                    log::debug!(
                        "no snapshot of {}: {e}; the journal names it",
                        file.display()
                    );
                    (file, fingerprint)
                }
            }
        }
        Base::Snapshot(doc) => {
            let text = write_geojson(&doc, &journal_options());
            let snapshot = snapshot_path(path, stamp);
            save_atomic(&snapshot, text.as_bytes(), true).map_err(|e| e.to_string())?;
            (snapshot, Fingerprint::of(text.as_bytes()))
        }
    };
    let header = Header {
        pistas_journal: VERSION,
        base: Some(base.clone()),
        fingerprint: Some(fingerprint),
        original: original.map(|o| std::path::absolute(&o).unwrap_or(o)),
    };
    create(path, &header, lines)?;
    // Snapshots of earlier journals are no longer needed.
    remove_snapshots(path, Some(&base));
    let file = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let len = file
        .metadata()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    Ok((file, len))
}
