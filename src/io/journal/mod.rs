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

#[cfg(test)]
mod tests;
mod writer;

pub use writer::{Writer, create, remove_snapshots, snapshot_path};

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{Diagnostic, Parsed, Severity, WriteOptions, read_bytes};
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
        Self::of_parts(&[bytes])
    }

    /// The fingerprint of the concatenation of `parts` (a file written in pieces).
    pub fn of_parts(parts: &[&[u8]]) -> Self {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        parts.iter().for_each(|p| hasher.update(p));
        Fingerprint {
            len: parts.iter().map(|p| p.len() as u64).sum(),
            xxh3: format!("{:032x}", hasher.digest128()),
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
                super::write::string(&mut out, feature.id().as_str());
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
    let mut features = parsed.document.into_features();
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
            facts: None,
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
    let foreign = document.foreign().clone();
    parsed.document = Document::with_unique_ids(document.into_features(), foreign).0;
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
