//! Atomic saving: a crash or a full disk never leaves a half-written file behind.
//!
//! The bytes go to a temporary file in the target's folder, are synced, and the temporary
//! file is renamed over the target, so readers see the old or the new file, never a mix.
//! A save through a symbolic link writes the link's target and keeps the link. A temporary
//! file left by a save that was killed (its name carries the process id) is removed by the
//! next save into that folder.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The target exists and overwriting was not allowed.
    #[error("{0} already exists (use --force to overwrite it)")]
    Exists(String),
    /// The folder to save into does not exist.
    #[error("cannot save {path}: the folder {folder} does not exist")]
    NoFolder { path: String, folder: String },
    /// Writing, syncing or renaming failed; the old file, if any, is unchanged.
    #[error("could not save {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The start of the names of temporary files a save writes.
const TEMP_PREFIX: &str = ".pistas-save-";
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` atomically (see the module documentation). Errors name `path`
/// as the person gave it.
pub fn save_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), SaveError> {
    save_atomic_parts(path, &[bytes], overwrite)
}

/// [`save_atomic`] of the concatenation of `parts`, written one after the other (a large
/// document is never copied into one buffer to be saved).
pub fn save_atomic_parts(path: &Path, parts: &[&[u8]], overwrite: bool) -> Result<(), SaveError> {
    let shown = path.display().to_string();
    let io = |source| SaveError::Io {
        path: shown.clone(),
        source,
    };
    if !overwrite && (path.exists() || path.is_symlink()) {
        return Err(SaveError::Exists(shown));
    }
    let target = resolve_links(path).map_err(io)?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(SaveError::NoFolder {
            path: shown,
            folder: folder.display().to_string(),
        });
    }
    remove_stale_temporaries(&folder);
    // The temporary file is removed when `temp` is dropped on any error below.
    let mut temp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&folder)
        .map_err(io)?;
    // Temporary files are private (0600); the saved file keeps the old file's permissions,
    // or gets the usual 0644 when it is new.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(&target)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        temp.as_file().set_permissions(permissions).map_err(io)?;
    }
    for part in parts {
        temp.write_all(part).map_err(io)?;
    }
    temp.as_file().sync_all().map_err(io)?;
    if overwrite {
        temp.persist(&target).map_err(|e| io(e.error))?;
    } else {
        // Fails instead of replacing a file that appeared meanwhile.
        temp.persist_noclobber(&target).map_err(|e| io(e.error))?;
    }
    // The rename is durable only once the folder itself is synced.
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(&folder)
        && let Err(e) = dir.sync_all()
    {
        // Some file systems cannot sync a folder; the file itself is synced.
        log::debug!("{}: the folder was not synced: {e}", folder.display());
    }
    let bytes: usize = parts.iter().map(|p| p.len()).sum();
    log::info!("wrote {shown} ({bytes} bytes)");
    Ok(())
}

/// The file a path names once symbolic links are followed (the path itself when it is not
/// a link). A link to a file that does not exist yet resolves to where it points.
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Links can form loops; the kernel gives up after 40 as well.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = std::fs::read_link(&current)?;
                current = if next.is_absolute() {
                    next
                } else {
                    current
                        .parent()
                        .map_or_else(|| next.clone(), |parent| parent.join(&next))
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other(
        "too many levels of symbolic links (a loop?)",
    ))
}

/// Removes temporary files that a killed save left in `folder`: those whose process is no
/// longer running (on systems without `/proc`, those older than a day).
fn remove_stale_temporaries(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(TEMP_PREFIX)
            .and_then(|r| r.strip_suffix(TEMP_SUFFIX))
        else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if is_stale(pid, &entry) {
            // Ignored: a stale temporary file that stays is tried again at the next save.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn is_stale(pid: Option<u32>, entry: &std::fs::DirEntry) -> bool {
    let proc = Path::new("/proc");
    if let Some(pid) = pid
        && proc.join("self").exists()
    {
        return pid != std::process::id() && !proc.join(pid.to_string()).exists();
    }
    // Without a process id to ask about (or /proc), only what is clearly abandoned.
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 24 * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn replaces_whole_files_and_refuses_to_clobber() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.geojson");
        save_atomic(&path, b"first", false).expect("first save");
        assert!(matches!(
            save_atomic(&path, b"second", false),
            Err(SaveError::Exists(_))
        ));
        save_atomic(&path, b"second", true).expect("overwrite");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o644,
                "saved files are readable like any other"
            );
        }
        assert_eq!(std::fs::read(&path).expect("read"), b"second");
        assert!(
            leftovers(dir.path()).is_empty(),
            "temporary files left behind"
        );
    }

    #[test]
    fn a_missing_folder_is_named_as_the_person_wrote_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing-folder").join("out.geojson");
        let error = save_atomic(&path, b"x", true).expect_err("no folder");
        let message = error.to_string();
        assert!(matches!(error, SaveError::NoFolder { .. }), "{message}");
        assert!(message.contains("missing-folder"), "{message}");
        assert!(!message.contains(".pistas-save"), "{message}");
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_link_writes_its_target_and_keeps_the_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("real")).expect("dir");
        let target = dir.path().join("real").join("strips.geojson");
        std::fs::write(&target, b"old").expect("write");
        let link = dir.path().join("strips.geojson");
        std::os::unix::fs::symlink("real/strips.geojson", &link).expect("link");
        save_atomic(&link, b"new", true).expect("save");
        assert!(link.is_symlink(), "the link is still a link");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        assert!(leftovers(dir.path()).is_empty() && leftovers(&dir.path().join("real")).is_empty());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn stale_temporaries_of_dead_saves_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        // No process has id 4194305 (above Linux's highest, 2^22).
        let dead = dir.path().join(".pistas-save-4194305-abc.tmp");
        let mine = dir
            .path()
            .join(format!(".pistas-save-{}-def.tmp", std::process::id()));
        std::fs::write(&dead, b"half").expect("write");
        std::fs::write(&mine, b"in flight").expect("write");
        save_atomic(&dir.path().join("a.geojson"), b"x", true).expect("save");
        assert!(!dead.exists(), "a dead save's temporary file is removed");
        assert!(mine.exists(), "a running save's temporary file is kept");
    }
}
