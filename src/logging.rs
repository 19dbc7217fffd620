//! Where the log goes: the `log` facade's lines, written by env_logger.
//!
//! The command line logs to stderr: warnings by default, more with `-v` (Pistas's info)
//! and `-vv` (its debug). The window logs Pistas's info and up to a file, `pistas.log` in
//! the user's state folder (`$XDG_STATE_HOME/pistas` on Linux), moved to `pistas.log.1`
//! at start once it is over [`LIMIT`] bytes. `RUST_LOG` replaces either filter when it is
//! set (`RUST_LOG=debug`, `RUST_LOG=pistas::db=trace`).
//!
//! Each line holds the local time, the level, the module and the message. Nothing here
//! depends on the rest of Pistas.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use env_logger::{Builder, Env, Target};
use log::Record;

/// The log file's name in its folder.
pub const FILE_NAME: &str = "pistas.log";

/// A log file larger than this at start is moved aside (to `pistas.log.1`, replacing the
/// one before), so the two together stay near 10 MB.
pub const LIMIT: u64 = 5 * 1024 * 1024;

/// Logs to stderr for the command line: warnings and errors; with `verbosity` 1 (`-v`)
/// also Pistas's info, 2 (`-vv`) its debug, 3 or more (`-vvv`) everything's debug and
/// Pistas's trace. `RUST_LOG`, when set, decides instead.
pub fn for_cli(verbosity: u8) {
    let mut builder = builder(cli_filter(verbosity));
    builder.target(Target::Stderr);
    // Ignored: a logger is set once per process; a second set-up (a test calling the
    // command line twice) keeps the first, which is what it would have made.
    let _ = builder.try_init();
}

/// The filter `-v` repeated `verbosity` times gives, in RUST_LOG's syntax.
fn cli_filter(verbosity: u8) -> &'static str {
    match verbosity {
        0 => "warn",
        1 => "warn,pistas=info",
        2 => "warn,pistas=debug",
        _ => "debug,pistas=trace",
    }
}

/// Logs Pistas's info and up (or what `RUST_LOG` says) to `pistas.log` in the user's state
/// folder, appending; returns the file's path. `None`, logging nowhere, when there is no
/// such folder or the file cannot be opened (said once on stderr).
#[cfg(feature = "gui")]
pub fn for_window() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("org", "Pistas", "Pistas")?;
    // A state folder is Linux's (XDG); elsewhere the local data folder holds the log.
    let folder = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    to_folder(folder)
}

/// Logs Pistas's info and up (or what `RUST_LOG` says) to [`FILE_NAME`] in `folder`
/// (made if missing), appending, after moving a file over [`LIMIT`] aside. Returns the
/// file's path, or `None` (logging nowhere) when the folder or the file cannot be made.
pub fn to_folder(folder: &Path) -> Option<PathBuf> {
    let path = folder.join(FILE_NAME);
    if let Err(e) = std::fs::create_dir_all(folder) {
        eprintln!("pistas: no log file: {}: {e}", folder.display());
        return None;
    }
    let rotated = rotate(&path, LIMIT);
    let file = match OpenOptions::new().create(true).append(true).open(&path) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("pistas: no log file: {}: {e}", path.display());
            return None;
        }
    };
    let mut builder = builder("warn,pistas=info");
    builder.target(Target::Pipe(Box::new(file)));
    if builder.try_init().is_err() {
        // Another logger was set up first (a test); this file gets nothing.
        return None;
    }
    if let Err(e) = rotated {
        log::warn!("{} was not moved aside: {e}", path.display());
    }
    Some(path)
}

/// A logger filtered by `RUST_LOG` when it is set, else by `default`, with lines made by
/// [`write_line`].
fn builder(default: &str) -> Builder {
    let mut builder = Builder::from_env(Env::default().default_filter_or(default));
    builder.format(|out, record| write_line(out, record));
    builder
}

/// One line of the log: local time (milliseconds, with its offset), level, module, message.
fn write_line(out: &mut dyn Write, record: &Record<'_>) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {:<5} {}: {}",
        chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f%:z"),
        record.level(),
        record.module_path().unwrap_or_else(|| record.target()),
        record.args()
    )
}

/// Moves `path` to `path.1` (replacing it) when it is larger than `limit` bytes; says
/// whether it did. A file that is not there is left so.
fn rotate(path: &Path, limit: u64) -> std::io::Result<bool> {
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if size <= limit {
        return Ok(false);
    }
    let mut old = path.as_os_str().to_owned();
    old.push(".1");
    std::fs::rename(path, PathBuf::from(old))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_is_moved_aside_replacing_the_last() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join(FILE_NAME);
        let old = dir.path().join("pistas.log.1");
        assert!(!rotate(&path, 10).expect("nothing to move"));
        std::fs::write(&path, "0123456789").expect("written");
        assert!(!rotate(&path, 10).expect("at the limit"));
        std::fs::write(&old, "older").expect("written");
        std::fs::write(&path, "0123456789A").expect("written");
        assert!(rotate(&path, 10).expect("moved"));
        assert!(!path.exists());
        assert_eq!(std::fs::read_to_string(&old).expect("read"), "0123456789A");
    }

    #[test]
    fn a_line_has_time_level_module_and_message() {
        let mut out = Vec::new();
        let record = Record::builder()
            .level(log::Level::Warn)
            .module_path(Some("pistas::db::sync"))
            .target("pistas::db::sync")
            .args(format_args!("tried again"))
            .build();
        write_line(&mut out, &record).expect("written");
        let line = String::from_utf8(out).expect("UTF-8");
        let (time, rest) = line.split_once(' ').expect("a time first");
        assert!(chrono::DateTime::parse_from_str(time, "%Y-%m-%dT%H:%M:%S%.3f%:z").is_ok());
        assert_eq!(rest, "WARN  pistas::db::sync: tried again\n");
    }

    #[test]
    fn more_v_logs_more() {
        assert_eq!(cli_filter(0), "warn");
        assert_eq!(cli_filter(1), "warn,pistas=info");
        assert_eq!(cli_filter(2), "warn,pistas=debug");
        assert_eq!(cli_filter(9), "debug,pistas=trace");
    }

    /// The only test that sets the process's logger (it is global): the file gets lines.
    #[test]
    fn the_window_logs_to_a_file_in_a_folder_it_makes() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let folder = dir.path().join("state").join("pistas");
        let Some(path) = to_folder(&folder) else {
            // A logger was set up before this test's; nothing to check here.
            return;
        };
        assert_eq!(path, folder.join(FILE_NAME));
        log::warn!("a line for the file");
        if log::log_enabled!(log::Level::Warn) {
            let text = std::fs::read_to_string(&path).expect("the log file");
            assert!(
                text.contains("WARN  pistas::logging::tests: a line for the file"),
                "{text}"
            );
        }
    }

    #[test]
    fn no_folder_no_log_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("a file");
        std::fs::write(&file, "").expect("written");
        assert_eq!(to_folder(&file.join("below")), None);
    }
}
