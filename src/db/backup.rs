//! Copies of a file as it was before a sync changed it, so any sync can be undone by hand:
//! `FILE.pistas-backups/before-sync-<UTC time>-<n>.geojson` beside the file, the last
//! [`KEEP`] kept, each written atomically. A sync that changes nothing here makes none.

use std::path::{Path, PathBuf};

use super::error::DbError;

/// How many copies are kept beside a file.
pub const KEEP: usize = 5;

/// The folder the copies of `file` go in.
pub fn folder(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.with_file_name(format!("{name}.pistas-backups"))
}

/// Keeps `bytes` (the file as it was before the sync) as the newest copy, and removes
/// the oldest beyond [`KEEP`]. Returns the copy's path.
pub fn keep(file: &Path, bytes: &[u8]) -> Result<PathBuf, DbError> {
    let dir = folder(file);
    std::fs::create_dir_all(&dir)
        .map_err(|e| DbError::State(format!("cannot create {}: {e}", dir.display())))?;
    // Names sort by time: the time to the microsecond, then a count for copies made
    // within the same one.
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
    let mut n = 1;
    let mut path = dir.join(format!("before-sync-{stamp}-{n:02}.geojson"));
    while path.exists() {
        n += 1;
        path = dir.join(format!("before-sync-{stamp}-{n:02}.geojson"));
    }
    crate::io::save_atomic(&path, bytes, true).map_err(|e| DbError::State(e.to_string()))?;
    prune(file, &path);
    Ok(path)
}

/// The copies kept, oldest first.
pub fn list(file: &Path) -> Vec<PathBuf> {
    let mut copies: Vec<PathBuf> = std::fs::read_dir(folder(file))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("before-sync-") && n.ends_with(".geojson"))
                })
                .collect()
        })
        .unwrap_or_default();
    // The names sort by time.
    copies.sort();
    copies
}

/// Removes the oldest copies beyond [`KEEP`], never `newest` (the one just written, even
/// if the clock stepped back). An old copy that cannot be removed stays: one copy too
/// many is harmless, and the sync it was kept for must not fail over it.
fn prune(file: &Path, newest: &Path) {
    let copies: Vec<PathBuf> = list(file).into_iter().filter(|p| p != newest).collect();
    let extra = (copies.len() + 1).saturating_sub(KEEP);
    for old in &copies[..extra.min(copies.len())] {
        // Ignored: see above.
        let _ = std::fs::remove_file(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_few_copies_are_kept_oldest_first() {
        let dir = tempfile::tempdir().expect("temp");
        let file = dir.path().join("zona.geojson");
        let mut made = Vec::new();
        for i in 0..KEEP + 2 {
            made.push(keep(&file, format!("version {i}").as_bytes()).expect("kept"));
        }
        let copies = list(&file);
        assert_eq!(copies.len(), KEEP);
        assert_eq!(copies, made[2..]);
        assert_eq!(
            std::fs::read_to_string(copies.last().expect("newest")).expect("reads"),
            format!("version {}", KEEP + 1)
        );
        assert!(folder(&file).ends_with("zona.geojson.pistas-backups"));
    }
}
