//! What a file remembers of its last sync: which database, the mark changes are read from,
//! and each strip as it was then (the base of the next three-way merge) with its event keys
//! and row version. Kept beside the file (`FILE.pistas-sync.json` and
//! `FILE.pistas-base.geojson`), written atomically; never a password.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::DbError;
use crate::io::{WriteOptions, read_str, save_atomic, write_geojson};
use crate::model::{Document, Feature};

pub const FORMAT: &str = "pistas-sync/1";

/// A strip's row as of the last sync.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BaseStrip {
    pub version: i64,
    /// Row keys of the strip's read events, in order.
    pub keys: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    pub format: String,
    /// `pistas_meta.database_id`: a file synced with one database is never merged with
    /// another's strips as if they were its base.
    pub database_id: String,
    /// Where it was synced with, without a password.
    pub target: String,
    /// Changes by transactions from this mark on are not yet in the base.
    pub watermark: String,
    pub strips: HashMap<String, BaseStrip>,
    /// Strips the last sync left in conflict: looked at by every sync until resolved, even
    /// when this side has gone back to the base meanwhile.
    #[serde(default)]
    pub conflicts: Vec<String>,
}

/// The base of the next sync: the state and the strips as they were.
#[derive(Debug, Clone, Default)]
pub struct Base {
    pub state: SyncState,
    pub doc: Document,
}

impl Base {
    /// The base strip with this id, and its event keys.
    pub fn strip(&self, id: &str) -> (Option<&Feature>, &[String]) {
        let feature = self.doc.features().iter().find(|f| f.id().as_str() == id);
        let keys = self
            .state
            .strips
            .get(id)
            .map_or(&[][..], |s| s.keys.as_slice());
        (feature, keys)
    }
}

/// The two files beside `file`.
pub fn paths(file: &Path) -> (PathBuf, PathBuf) {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (
        file.with_file_name(format!("{name}.pistas-sync.json")),
        file.with_file_name(format!("{name}.pistas-base.geojson")),
    )
}

/// Reads the base kept beside `file`; `None` when the file was never synced.
pub fn load(file: &Path) -> Result<Option<Base>, DbError> {
    let (state_path, base_path) = paths(file);
    let state_text = match std::fs::read_to_string(&state_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(DbError::State(format!(
                "cannot read {}: {e}",
                state_path.display()
            )));
        }
    };
    let state: SyncState = serde_json::from_str(&state_text)
        .map_err(|e| DbError::State(format!("{}: {e}", state_path.display())))?;
    if state.format != FORMAT {
        return Err(DbError::State(format!(
            "{} is in format {:?}, which this Pistas does not know",
            state_path.display(),
            state.format
        )));
    }
    let base_text = std::fs::read_to_string(&base_path)
        .map_err(|e| DbError::State(format!("cannot read {}: {e}", base_path.display())))?;
    let parsed = read_str(&base_text, &base_path.display().to_string());
    if parsed.fatal {
        return Err(DbError::State(format!(
            "{} cannot be read",
            base_path.display()
        )));
    }
    Ok(Some(Base {
        state,
        doc: parsed.document,
    }))
}

/// Writes the base beside `file`, the strips first, then the state that points at them.
pub fn store(file: &Path, base: &Base) -> Result<(), DbError> {
    let (state_path, base_path) = paths(file);
    let text = write_geojson(&base.doc, &WriteOptions::default());
    save_atomic(&base_path, text.as_bytes(), true).map_err(|e| DbError::State(e.to_string()))?;
    let state = serde_json::to_string(&base.state).map_err(|e| DbError::State(e.to_string()))?;
    save_atomic(&state_path, state.as_bytes(), true).map_err(|e| DbError::State(e.to_string()))?;
    Ok(())
}
