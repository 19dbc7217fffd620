//! A journal's first line: the format version, the base its edits apply to and the
//! fingerprint of the base's bytes.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::Document;

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
