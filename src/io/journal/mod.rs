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

mod entry;
mod header;
#[cfg(test)]
mod tests;
mod writer;

pub use entry::entry;
pub use header::{Base, Fingerprint, Header, VERSION};
pub use writer::{Writer, create, remove_snapshots, snapshot_path};

use std::fs::File;
use std::path::Path;

use super::{Diagnostic, Parsed, Severity, read_bytes};
use crate::edit::replay;
use crate::model::Document;
use entry::parse_entry;

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
