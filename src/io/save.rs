//! Atomic saving: a crash or a full disk never leaves a half-written file behind.

use std::io::Write;
use std::path::Path;

/// Why a file could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The target exists and overwriting was not allowed.
    #[error("{0} already exists (use --force to overwrite it)")]
    Exists(String),
    /// Writing, syncing or renaming failed; the old file, if any, is unchanged.
    #[error("could not save {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is written,
/// synced to disk and renamed over the target, so readers see the old or the new file,
/// never a mix.
pub fn save_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), SaveError> {
    let shown = path.display().to_string();
    let io = |source| SaveError::Io {
        path: shown.clone(),
        source,
    };
    if !overwrite && path.exists() {
        return Err(SaveError::Exists(shown));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".pistas-save-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(io)?;
    // Temporary files are private (0600); the saved file keeps the old file's permissions,
    // or gets the usual 0644 when it is new.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        temp.as_file().set_permissions(permissions).map_err(io)?;
    }
    temp.write_all(bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    if overwrite {
        temp.persist(path).map_err(|e| io(e.error))?;
    } else {
        // Fails instead of replacing a file that appeared meanwhile.
        temp.persist_noclobber(path).map_err(|e| io(e.error))?;
    }
    // The rename is durable only once the folder itself is synced.
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left behind");
    }

    #[test]
    fn a_failed_save_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing-folder").join("out.geojson");
        assert!(matches!(
            save_atomic(&path, b"x", true),
            Err(SaveError::Io { .. })
        ));
    }
}
