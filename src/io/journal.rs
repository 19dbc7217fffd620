//! An append-only journal of edits beside a document, so that recovering from a crash costs
//! what the edits cost, not what the document costs.
//!
//! A journal is a text file of lines. The first names its *base*: the file the edits apply
//! to (the document's own GeoJSON file, or a snapshot the window wrote once), with a
//! fingerprint of its bytes so that edits are never replayed over another file. Every
//! other line is one applied change list (an edit, an undo or a redo) as JSON: the features
//! it puts in place, written as GeoJSON, and the indices it removes. A line counts once its
//! newline is written and synced; a line cut short by a crash is the edit in flight, and
//! is ignored on replay.
//!
//! [`Writer`] appends on a thread of its own (each line synced before the next), so an
//! edit never waits for the disk; [`restore`] reads the base and replays the lines.
//! Saving compacts the journal: the saved file becomes the base and only the edits made
//! after the saved state are written again ([`Writer::rebase`]).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{Diagnostic, Parsed, Severity, WriteOptions, read_bytes, save_atomic, write_geojson};
use crate::edit::{Change, replay};
use crate::model::{Document, Feature, FeatureId, IdOrigin};

/// The journal format this version writes and reads.
pub const VERSION: u32 = 1;

/// What identifies the bytes of a base file: its length and their XXH3 hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub len: u64,
    pub xxh3: String,
}

impl Fingerprint {
    /// The fingerprint of bytes held in memory (the bytes just read or written).
    pub fn of(bytes: &[u8]) -> Self {
        Fingerprint {
            len: bytes.len() as u64,
            xxh3: format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes)),
        }
    }

    /// The fingerprint of `len` bytes whose XXH3-128 is `digest` (bytes hashed in pieces).
    pub fn of_digest(len: u64, digest: u128) -> Self {
        Fingerprint {
            len,
            xxh3: format!("{digest:032x}"),
        }
    }

    /// The fingerprint of a file as it is now on disk, read in pieces.
    pub fn of_file(path: &Path) -> std::io::Result<Self> {
        let mut file = File::open(path)?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut len = 0u64;
        loop {
            let n = file.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            len += n as u64;
        }
        Ok(Fingerprint {
            len,
            xxh3: format!("{:032x}", hasher.digest128()),
        })
    }
}

/// The first line of a journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`VERSION`] for what this version writes.
    pub pistas_journal: u32,
    /// The GeoJSON file the edits apply to; `None`: they apply to an empty document.
    pub base: Option<PathBuf>,
    /// The base's bytes when the journal began.
    pub fingerprint: Option<Fingerprint>,
    /// The document's own file, if it has one (shown when the work is offered back).
    pub original: Option<PathBuf>,
}

/// What the edits of a journal apply to.
#[derive(Debug, Clone)]
pub enum Base {
    /// A GeoJSON file as read or saved, with the fingerprint of those bytes.
    File {
        path: PathBuf,
        fingerprint: Fingerprint,
    },
    /// A document that is in no file as it stands (new, imported from another format,
    /// restored): the writer saves it as a snapshot beside the journal, once.
    Snapshot(Arc<Document>),
}

/// One journal line for a change list about to be applied.
pub fn entry(changes: &[Change]) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"changes\":[");
    for (i, change) in changes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (op, index, feature) = match change {
            Change::Replace { index, feature } => ("replace", index, Some(feature)),
            Change::Insert { index, feature } => ("insert", index, Some(feature)),
            Change::Remove { index } => ("remove", index, None),
        };
        out.push_str(&format!("{{\"{op}\":{index}"));
        if let Some(feature) = feature {
            // A session's id for a feature without one is not in its GeoJSON: keep it here.
            if *feature.id_origin() == IdOrigin::Assigned {
                out.push_str(",\"assigned\":");
                super::write::string(&mut out, feature.id.as_str());
            }
            out.push_str(",\"feature\":");
            super::write::write_feature(&mut out, feature, &journal_options());
        }
        out.push('}');
    }
    out.push_str("]}\n");
    out
}

/// The derived summary written with journaled features is recomputed on reading: any
/// fixed date does.
fn journal_options() -> WriteOptions {
    WriteOptions {
        status_date: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
    }
}

#[derive(Deserialize)]
struct EntryIn<'a> {
    #[serde(borrow)]
    changes: Vec<ChangeIn<'a>>,
}

#[derive(Deserialize)]
struct ChangeIn<'a> {
    replace: Option<usize>,
    insert: Option<usize>,
    remove: Option<usize>,
    assigned: Option<String>,
    #[serde(borrow)]
    feature: Option<&'a RawValue>,
}

/// The change list of one journal line.
fn parse_entry(line: &str) -> Result<Vec<Change>, String> {
    let entry: EntryIn = serde_json::from_str(line).map_err(|e| e.to_string())?;
    entry
        .changes
        .into_iter()
        .map(|c| {
            let feature = || -> Result<Box<Feature>, String> {
                let raw = c.feature.ok_or("a change without its feature")?;
                let mut feature = read_feature(raw.get())?;
                if let Some(id) = &c.assigned {
                    feature.assign_id(FeatureId::String(id.clone()));
                }
                Ok(Box::new(feature))
            };
            match (c.replace, c.insert, c.remove) {
                (Some(index), None, None) => Ok(Change::Replace {
                    index,
                    feature: feature()?,
                }),
                (None, Some(index), None) => Ok(Change::Insert {
                    index,
                    feature: feature()?,
                }),
                (None, None, Some(index)) => Ok(Change::Remove { index }),
                _ => Err("a change that is not one of replace, insert or remove".to_owned()),
            }
        })
        .collect()
}

/// One feature from its GeoJSON text, read as the reader reads it in a file.
fn read_feature(text: &str) -> Result<Feature, String> {
    let wrapped = format!("{{\"type\":\"FeatureCollection\",\"features\":[{text}]}}");
    let parsed = super::read_str_with_threads(&wrapped, "journal", 1);
    let mut features = parsed.document.features;
    match (parsed.fatal, features.len()) {
        (false, 1) => Ok(features.remove(0)),
        _ => Err("a feature that cannot be read".to_owned()),
    }
}

/// What [`restore`] gives back.
#[derive(Debug)]
pub struct Restored {
    /// The base with every complete line applied; problems of the base as read, and a
    /// warning when a line could not be replayed.
    pub parsed: Parsed,
    pub header: Header,
    /// How many lines were applied.
    pub applied: usize,
    /// False when a line could not be applied: the lines after it were not either.
    pub complete: bool,
}

/// Reads a journal's base and replays its lines. `Err` when the journal or its base cannot
/// be opened, or the base is no longer the file the edits were made on; a base that is not
/// GeoJSON gives its fatal [`Parsed`].
pub fn restore(journal: &Path) -> Result<Restored, String> {
    let shown = journal.display().to_string();
    let text = std::fs::read_to_string(journal).map_err(|e| format!("{shown}: {e}"))?;
    let mut lines = text.split_inclusive('\n');
    let header: Header = lines
        .next()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| format!("{shown}: not a Pistas journal"))?;
    if header.pistas_journal != VERSION {
        return Err(format!(
            "{shown}: a journal of format {} (this version reads {VERSION})",
            header.pistas_journal
        ));
    }
    let mut parsed = match &header.base {
        None => Parsed {
            document: Document::default(),
            diagnostics: Vec::new(),
            fatal: false,
        },
        Some(base) => {
            let name = base.display().to_string();
            let bytes = std::fs::read(base).map_err(|e| format!("{name}: {e}"))?;
            if header.fingerprint.as_ref() != Some(&Fingerprint::of(&bytes)) {
                return Err(format!(
                    "{name} changed after the edits in {shown} were made: they cannot be \
                     replayed on it"
                ));
            }
            read_bytes(&bytes, &name)
        }
    };
    if parsed.fatal {
        // Said as any unreadable file is: where and what.
        return Ok(Restored {
            parsed,
            header,
            applied: 0,
            complete: true,
        });
    }
    let mut applied = 0;
    let mut complete = true;
    for (number, line) in lines.enumerate() {
        // A line without its newline was being written when the window stopped.
        if !line.ends_with('\n') {
            break;
        }
        let result = parse_entry(line)
            .and_then(|changes| replay(&mut parsed.document, changes).map_err(|e| e.to_string()));
        if let Err(problem) = result {
            parsed.diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                file: shown.clone(),
                line: Some(number + 2),
                column: None,
                feature_index: None,
                feature_id: None,
                event_index: None,
                message: format!(
                    "edit {} of the journal cannot be replayed ({problem}); it and the {} after \
                     it are not restored",
                    number + 1,
                    text.split_inclusive('\n')
                        .count()
                        .saturating_sub(number + 2)
                ),
            });
            complete = false;
            break;
        }
        applied += 1;
    }
    // Ids Pistas gave while reading the base and ids the journal kept for features
    // without one may meet (after a deletion, say): they are session names, given anew.
    let document = std::mem::take(&mut parsed.document);
    parsed.document = Document::with_unique_ids(document.features, document.foreign).0;
    Ok(Restored {
        parsed,
        header,
        applied,
        complete,
    })
}

/// The first line of a journal file, if it is one.
pub fn read_header(journal: &Path) -> Option<Header> {
    let file = File::open(journal).ok()?;
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(file), &mut line).ok()?;
    serde_json::from_str(&line).ok()
}

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
        let _ = self.tx.send(Message::Start {
            base,
            original,
            lines,
        });
    }

    pub fn append(&self, line: String) {
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
        let _ = self.tx.send(Message::Remove);
    }

    /// Waits until everything sent before is written (tests, and a clean quit).
    pub fn flush(&self) {
        let (tx, rx) = channel();
        if self.tx.send(Message::Flush(tx)).is_ok() {
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
            let _ = std::fs::remove_file(path);
        }
    }
}

fn run(path: &Path, rx: &Receiver<Message>, errors: &Mutex<Option<String>>) {
    let shown = path.display().to_string();
    // The journal open for appending, and its length after the last whole line.
    let mut file: Option<(File, u64)> = None;
    let fail = |e: String| {
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
                            let _ = f.set_len(*len);
                            file = None;
                            fail(format!("{shown}: {e}"));
                        }
                    }
                }
            }
            Message::Remove => {
                file = None;
                let _ = std::fs::remove_file(path);
                remove_snapshots(path, None);
            }
            Message::Flush(done) => {
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
                    let _ = std::fs::remove_file(&link);
                    return Err(format!(
                        "{} changed since it was read: its edits cannot be journaled on it",
                        file.display()
                    ));
                }
                Err(_) => (file, fingerprint),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Editor;
    use crate::io::{read_str, write_geojson};

    fn sample() -> (tempfile::TempDir, PathBuf, Document) {
        let dir = tempfile::tempdir().unwrap();
        let doc = crate::model::synthetic::generate(20, 7);
        let text = write_geojson(&doc, &journal_options());
        let path = dir.path().join("strips.geojson");
        std::fs::write(&path, &text).unwrap();
        let doc = read_str(&text, "strips.geojson").document;
        (dir, path, doc)
    }

    #[test]
    fn edits_undo_and_redo_replay_onto_the_file() {
        let (dir, path, doc) = sample();
        let journal = dir.path().join("slot.journal");
        let writer = Writer::new(journal.clone());
        let mut editor = Editor::new(doc);
        editor.set_recording(true);
        editor.rename(3, "Renombrada").unwrap();
        editor.delete(5).unwrap();
        editor
            .add_strip("Nueva", geo::Point::new(-74.1, -12.2).into())
            .unwrap();
        editor.undo();
        editor.undo();
        editor.redo();
        let lines: Vec<String> = editor.take_recorded().into_iter().map(|(_, l)| l).collect();
        assert_eq!(lines.len(), 6);
        let fingerprint = Fingerprint::of_file(&path).unwrap();
        writer.start(
            Base::File {
                path: path.clone(),
                fingerprint,
            },
            Some(path.clone()),
            lines,
        );
        writer.flush();
        let restored = restore(&journal).unwrap();
        assert!(restored.complete);
        assert_eq!(restored.applied, 6);
        assert_eq!(&restored.parsed.document, editor.document());
    }

    #[test]
    fn a_save_over_the_base_leaves_the_journal_replayable() {
        let (dir, path, doc) = sample();
        let journal = dir.path().join("slot.journal");
        let writer = Writer::new(journal.clone());
        let mut editor = Editor::new(doc);
        editor.set_recording(true);
        editor.rename(2, "Antes").unwrap();
        let lines = editor.take_recorded().into_iter().map(|(_, l)| l).collect();
        writer.start(
            Base::File {
                fingerprint: Fingerprint::of_file(&path).unwrap(),
                path: path.clone(),
            },
            Some(path.clone()),
            lines,
        );
        writer.flush();
        // Another program (or a save whose end the window never heard of) replaces the
        // file by renaming over it; the window goes on editing.
        save_atomic(
            &path,
            b"{\"type\":\"FeatureCollection\",\"features\":[]}",
            true,
        )
        .unwrap();
        editor.delete(0).unwrap();
        for (_, line) in editor.take_recorded() {
            writer.append(line);
        }
        writer.flush();
        let restored = restore(&journal).unwrap();
        assert_eq!(&restored.parsed.document, editor.document());
        assert_eq!(restored.header.original.as_deref(), Some(path.as_path()));
    }

    #[test]
    fn ids_given_while_reading_stay_unique_after_replay() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noids.geojson");
        let feature = |n: u32| {
            format!(
                "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[-74.{n},-12.0]}},\"properties\":{{\"name\":\"p{n}\"}}}}"
            )
        };
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{},{},{}]}}",
            feature(1),
            feature(2),
            feature(3)
        );
        std::fs::write(&path, &text).unwrap();
        let doc = read_str(&text, "noids").document;
        let mut editor = Editor::new(doc);
        editor.set_recording(true);
        editor.delete(0).unwrap();
        let deleted = editor.document().clone();
        let saved = write_geojson(&deleted, &journal_options());
        std::fs::write(&path, &saved).unwrap();
        editor.take_recorded();
        // The saved file read again names its features pistas-1, pistas-2; the journal
        // keeps the session's pistas-2 for the first one, renamed.
        editor.rename(0, "renombrada").unwrap();
        let writer = Writer::new(dir.path().join("slot.journal"));
        let lines = editor.take_recorded().into_iter().map(|(_, l)| l).collect();
        writer.start(
            Base::File {
                fingerprint: Fingerprint::of(saved.as_bytes()),
                path: path.clone(),
            },
            None,
            lines,
        );
        writer.flush();
        let restored = restore(&dir.path().join("slot.journal")).unwrap();
        let ids: std::collections::HashSet<&str> = restored
            .parsed
            .document
            .features
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        assert_eq!(ids.len(), 2, "ids stay unique");
        assert_eq!(
            restored.parsed.document.features[0].name(),
            Some("renombrada")
        );
    }

    #[test]
    fn a_torn_last_line_is_the_edit_in_flight() {
        let (dir, path, doc) = sample();
        let journal = dir.path().join("slot.journal");
        let writer = Writer::new(journal.clone());
        let mut editor = Editor::new(doc);
        editor.set_recording(true);
        editor.rename(0, "Una").unwrap();
        let expected = editor.document().clone();
        editor.rename(1, "Dos").unwrap();
        let mut lines: Vec<String> = editor.take_recorded().into_iter().map(|(_, l)| l).collect();
        let last = lines.pop().unwrap();
        writer.start(
            Base::File {
                fingerprint: Fingerprint::of_file(&path).unwrap(),
                path,
            },
            None,
            lines,
        );
        writer.flush();
        let mut f = OpenOptions::new().append(true).open(&journal).unwrap();
        f.write_all(&last.as_bytes()[..last.len() / 2]).unwrap();
        let restored = restore(&journal).unwrap();
        assert!(restored.complete);
        assert_eq!(restored.parsed.document, expected);
    }

    #[test]
    fn a_changed_base_is_refused_and_a_snapshot_is_its_own_base() {
        let (dir, path, doc) = sample();
        let journal = dir.path().join("slot.journal");
        let writer = Writer::new(journal.clone());
        writer.start(
            Base::File {
                fingerprint: Fingerprint::of_file(&path).unwrap(),
                path: path.clone(),
            },
            None,
            vec![entry(&[Change::Remove { index: 0 }])],
        );
        writer.flush();
        std::fs::write(&path, "{\"type\":\"FeatureCollection\",\"features\":[]}").unwrap();
        let error = restore(&journal).unwrap_err();
        assert!(error.contains("changed after the edits"), "{error}");
        writer.start(Base::Snapshot(Arc::new(doc.clone())), None, Vec::new());
        writer.append(entry(&[Change::Remove { index: 0 }]));
        writer.flush();
        let restored = restore(&journal).unwrap();
        assert_eq!(
            restored.parsed.document.features.len(),
            doc.features.len() - 1
        );
        writer.remove();
        writer.flush();
        assert!(!journal.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the strips file is left");
    }
}
