//! Evidence that travels: a GeoPackage export carries the files its items name in a table
//! of its own (`pistas_evidence`: hash, media type, size, content), and reading it back
//! restores them into an evidence folder; a document saved or converted elsewhere takes
//! its files along. Files are streamed a megabyte at a time in both directions and checked
//! against their hash; one that is missing or altered is never copied, and said.

use std::io::{Read, Write};
use std::path::Path;

use rusqlite::{Connection, MAIN_DB, OptionalExtension, blob::ZeroBlob};
use sha2::{Digest, Sha256};

use super::{distinct_items, file_of, hex, relative_path};
use crate::model::{Document, check_path};

/// The table a GeoPackage keeps evidence files in.
pub const TABLE: &str = "pistas_evidence";

/// SQLite holds a value of at most this many bytes.
const LARGEST: u64 = 1_000_000_000;

/// What was carried, and what could not be, in words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    pub files: usize,
    pub bytes: u64,
    pub not_carried: Vec<String>,
}

fn sql(e: rusqlite::Error) -> String {
    format!("GeoPackage: {e}")
}

/// Adds the files of `doc`'s items, read from `folder`, to the GeoPackage at `gpkg`.
pub fn embed(gpkg: &Path, doc: &Document, folder: &Path) -> Result<Carried, String> {
    let mut conn = Connection::open(gpkg).map_err(sql)?;
    let tx = conn.transaction().map_err(sql)?;
    tx.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {TABLE} (sha256 TEXT PRIMARY KEY NOT NULL, media_type TEXT, bytes INTEGER NOT NULL, content BLOB NOT NULL);
         INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('{TABLE}', 'attributes', '{TABLE}', 'Evidence files of the events, by SHA-256 (Pistas)');"
    ))
    .map_err(sql)?;
    let mut carried = Carried::default();
    for item in distinct_items(doc) {
        let hash = item.sha256();
        let rel = relative_path(&item);
        let file = match file_of(folder, &item) {
            Ok(f) => f,
            Err(e) => {
                log::debug!("{rel}: not carried ({e:?})");
                carried
                    .not_carried
                    .push(format!("{rel}: not in {}", folder.display()));
                continue;
            }
        };
        let size = std::fs::metadata(&file).map_err(|e| e.to_string())?.len();
        if size > LARGEST {
            carried.not_carried.push(format!(
                "{rel}: {} MB is more than a GeoPackage value can hold",
                size >> 20
            ));
            continue;
        }
        tx.execute(
            &format!("INSERT OR REPLACE INTO {TABLE} (sha256, media_type, bytes, content) VALUES (?1, ?2, ?3, ?4)"),
            rusqlite::params![hash, item.media_type(), size as i64, ZeroBlob(size as i32)],
        )
        .map_err(sql)?;
        let row = tx.last_insert_rowid();
        let mut blob = tx
            .blob_open(MAIN_DB, TABLE, "content", row, false)
            .map_err(sql)?;
        let mut source = std::fs::File::open(&file).map_err(|e| format!("{rel}: {e}"))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let n = source
                .read(&mut buffer)
                .map_err(|e| format!("{rel}: {e}"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            blob.write_all(&buffer[..n])
                .map_err(|e| format!("{rel}: {e}"))?;
        }
        drop(blob);
        if hex(&hasher.finalize()) != hash {
            tx.execute(&format!("DELETE FROM {TABLE} WHERE rowid = ?1"), [row])
                .map_err(sql)?;
            carried.not_carried.push(format!(
                "{rel}: altered (its hash is not the one the event names)"
            ));
            continue;
        }
        carried.files += 1;
        carried.bytes += size;
    }
    tx.commit().map_err(sql)?;
    Ok(carried)
}

/// True when the GeoPackage at `gpkg` carries evidence files.
pub fn carries(gpkg: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(gpkg, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return false;
    };
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [TABLE],
        |_| Ok(()),
    )
    .optional()
    .ok()
    .flatten()
    .is_some()
}

/// Writes the files the GeoPackage at `gpkg` carries for `doc`'s items into `folder`, each
/// at its item's path, checked against its hash (copied beside, then moved into place). A
/// file already there whole is left alone.
pub fn restore(gpkg: &Path, doc: &Document, folder: &Path) -> Result<Carried, String> {
    let conn = Connection::open_with_flags(gpkg, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sql)?;
    let mut carried = Carried::default();
    if !carries(gpkg) {
        return Ok(carried);
    }
    for item in distinct_items(doc) {
        let hash = item.sha256();
        let rel = relative_path(&item);
        if check_path(&rel).is_err() {
            carried
                .not_carried
                .push(format!("{rel}: leads out of the evidence folder"));
            continue;
        }
        let row: Option<(i64, i64)> = conn
            .query_row(
                &format!("SELECT rowid, bytes FROM {TABLE} WHERE sha256 = ?1"),
                [&hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(sql)?;
        let Some((row, _)) = row else {
            carried
                .not_carried
                .push(format!("{rel}: not carried by {}", gpkg.display()));
            continue;
        };
        let target = folder.join(&rel);
        if super::sha256_file(&target).is_ok_and(|(h, _)| h == hash) {
            continue;
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let partial = target.with_extension("partial");
        let mut blob = conn
            .blob_open(MAIN_DB, TABLE, "content", row, true)
            .map_err(sql)?;
        let mut out =
            std::fs::File::create(&partial).map_err(|e| format!("{}: {e}", partial.display()))?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 20];
        let mut size = 0u64;
        loop {
            let n = blob.read(&mut buffer).map_err(|e| format!("{rel}: {e}"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            out.write_all(&buffer[..n])
                .map_err(|e| format!("{rel}: {e}"))?;
            size += n as u64;
        }
        out.sync_all().map_err(|e| e.to_string())?;
        drop(out);
        if hex(&hasher.finalize()) != hash {
            // Ignored: a copy left beside is only a ".partial" file, written anew next time.
            let _ = std::fs::remove_file(&partial);
            carried.not_carried.push(format!(
                "{rel}: the GeoPackage's copy is altered; not restored"
            ));
            continue;
        }
        std::fs::rename(&partial, &target).map_err(|e| format!("{}: {e}", target.display()))?;
        carried.files += 1;
        carried.bytes += size;
    }
    Ok(carried)
}

/// Copies the files of `doc`'s items from `from` to `to` (a document saved or converted
/// elsewhere): those already there whole are left, missing or altered ones are said.
pub fn carry(doc: &Document, from: &Path, to: &Path) -> Result<Carried, String> {
    let mut carried = Carried::default();
    if from == to {
        return Ok(carried);
    }
    for item in distinct_items(doc) {
        let rel = relative_path(&item);
        let hash = item.sha256();
        let target = to.join(&rel);
        if check_path(&rel).is_err() {
            continue;
        }
        if super::sha256_file(&target).is_ok_and(|(h, _)| h == hash) {
            continue;
        }
        let Ok(source) = file_of(from, &item) else {
            carried
                .not_carried
                .push(format!("{rel}: not in {}", from.display()));
            continue;
        };
        match super::sha256_file(&source) {
            Ok((h, _)) if h == hash => {}
            _ => {
                carried
                    .not_carried
                    .push(format!("{rel}: altered; not copied"));
                continue;
            }
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let partial = target.with_extension("partial");
        let size = std::fs::copy(&source, &partial).map_err(|e| format!("{rel}: {e}"))?;
        std::fs::rename(&partial, &target).map_err(|e| format!("{}: {e}", target.display()))?;
        carried.files += 1;
        carried.bytes += size;
    }
    Ok(carried)
}

/// Writes `bytes` (a GeoPackage) to `output` with the evidence of `doc` from `folder`
/// embedded: built beside the output and moved into place whole.
pub fn write_gpkg(
    bytes: &[u8],
    output: &Path,
    doc: &Document,
    folder: &Path,
    force: bool,
) -> Result<Carried, String> {
    if !force && output.exists() {
        return Err(format!("{} already exists", output.display()));
    }
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new()
        .prefix(".pistas-")
        .suffix(".gpkg")
        .tempfile_in(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(temp.path(), bytes).map_err(|e| e.to_string())?;
    let carried = embed(temp.path(), doc, folder)?;
    temp.as_file().sync_all().map_err(|e| e.to_string())?;
    temp.persist(output)
        .map_err(|e| format!("{}: {}", output.display(), e.error))?;
    Ok(carried)
}
