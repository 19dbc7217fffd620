//! `pistas db …`: init, push, pull and sync against PostgreSQL + PostGIS.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::exit::{INVALID, OK};
use super::say::{say, told};
use crate::db::{self, DbError, Keep, Picks, Target};
use crate::io::{WriteOptions, read_path, save_atomic, write_geojson};

/// What `pistas db` can do.
#[derive(Debug, clap::Subcommand)]
pub enum DbCommand {
    /// Create the Pistas tables in a database, or upgrade them (PostGIS must be installed
    /// on the server; run by the database's owner).
    Init { url: String },
    /// Write every feature of FILE to the database: new strips are added, strips with the
    /// same id replaced (the old rows stay in the history table).
    Push {
        file: std::path::PathBuf,
        url: String,
    },
    /// Write the database's strips to OUT, ready to sync later.
    Pull {
        url: String,
        out: std::path::PathBuf,
        /// Overwrite OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Send FILE's changes and receive the others' (both ways, one transaction). Conflicts
    /// are listed and left (exit status 1) unless --keep says which side wins.
    Sync {
        file: std::path::PathBuf,
        url: String,
        #[arg(long, value_parser = ["mine", "theirs"])]
        keep: Option<String>,
    },
}

/// Connects, asking for the password on the terminal when the environment and
/// `~/.pgpass` have none and the server wants one.
pub fn connect(url: &str, err: &mut dyn Write) -> Result<(Target, db::Session), String> {
    let mut target = Target::parse(url).map_err(|e| e.to_string())?;
    target.password_from_environment();
    match target.connect() {
        Ok(client) => Ok((target, client)),
        Err(e) if target.needs_password() && e.to_string().contains("password") => {
            if !std::io::stdin().is_terminal() {
                return Err(format!(
                    "{}: the server wants a password; set PGPASSWORD or add it to ~/.pgpass",
                    target.describe()
                ));
            }
            told(err.flush());
            let password =
                rpassword::prompt_password(format!("Password for {}: ", target.describe()))
                    .map_err(|e| format!("cannot read the password: {e}"))?;
            target.set_password(&password);
            let client = target
                .connect()
                .map_err(|e| format!("{}: {e}", target.describe()))?;
            Ok((target, client))
        }
        Err(e) => Err(format!("{}: {e}", target.describe())),
    }
}

fn progress(_: db::Progress) {}

pub fn run(command: DbCommand, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, String> {
    match command {
        DbCommand::Init { url } => {
            let (target, mut client) = connect(&url, err)?;
            let applied = db::init(&mut client).map_err(fail)?;
            match applied.as_slice() {
                [] => writeln!(
                    out,
                    "{}: schema is up to date (version {})",
                    target.describe(),
                    db::SCHEMA_VERSION
                ),
                versions => writeln!(
                    out,
                    "{}: applied schema version{} {}",
                    target.describe(),
                    if versions.len() == 1 { "" } else { "s" },
                    versions
                        .iter()
                        .map(i32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
            .map_err(|e| e.to_string())?;
            Ok(OK)
        }
        DbCommand::Push { file, url } => {
            let parsed = read_path(&file).map_err(|e| e.to_string())?;
            if parsed.fatal {
                for d in &parsed.diagnostics {
                    say!(err, "{d}");
                }
                return Ok(INVALID);
            }
            let assigned = parsed
                .document
                .features()
                .iter()
                .filter(|f| f.id_assigned())
                .count();
            let (target, mut client) = connect(&url, err)?;
            let n = db::push(&mut client, &parsed.document, &progress).map_err(fail)?;
            upload_evidence(&mut client, &file, &parsed.document, err)?;
            if assigned > 0 {
                say!(
                    err,
                    "{assigned} features had no id: in the database they have the ids Pistas gave them (pistas-1, …); pull or sync to have them in a file"
                );
            }
            say!(
                out,
                "pushed {n} features of {} to {}",
                file.display(),
                target.describe()
            );
            Ok(OK)
        }
        DbCommand::Pull {
            url,
            out: path,
            force,
        } => {
            if !force && path.exists() {
                return Err(format!(
                    "{} already exists (use --force to overwrite it)",
                    path.display()
                ));
            }
            let (target, mut client) = connect(&url, err)?;
            let (base, problems) = db::pull(&mut client, &target, &progress).map_err(fail)?;
            let doc = &base.doc;
            for p in &problems {
                say!(err, "{}: {p}", target.describe());
            }
            let text = write_geojson(doc, &WriteOptions::default());
            save_atomic(&path, text.as_bytes(), true).map_err(|e| e.to_string())?;
            db::state::store(&path, &base).map_err(fail)?;
            fetch_evidence(&mut client, &path, doc, err)?;
            say!(
                out,
                "pulled {} features from {} into {}",
                doc.features().len(),
                target.describe(),
                path.display()
            );
            Ok(OK)
        }
        DbCommand::Sync { file, url, keep } => sync(&file, &url, keep.as_deref(), out, err),
    }
}

/// Uploads the evidence files of `doc` (read from `file`'s evidence folder) that the
/// database lacks, and says so.
fn upload_evidence(
    client: &mut db::Session,
    file: &Path,
    doc: &crate::model::Document,
    err: &mut dyn Write,
) -> Result<(), String> {
    let folder = crate::io::evidence::folder_of(file);
    if crate::io::evidence::items(doc).is_empty() {
        return Ok(());
    }
    let moved = db::files::upload(client, doc, &folder).map_err(fail)?;
    say_moved(&moved, "uploaded", err);
    Ok(())
}

/// Fetches the evidence files of `doc` that `file`'s evidence folder lacks.
fn fetch_evidence(
    client: &mut db::Session,
    file: &Path,
    doc: &crate::model::Document,
    err: &mut dyn Write,
) -> Result<(), String> {
    if crate::io::evidence::items(doc).is_empty() {
        return Ok(());
    }
    let folder = crate::io::evidence::folder_of(file);
    let moved = db::files::fetch(client, doc, &folder).map_err(fail)?;
    say_moved(&moved, "fetched", err);
    Ok(())
}

fn say_moved(moved: &db::files::Moved, what: &str, err: &mut dyn Write) {
    if moved.files > 0 {
        say!(
            err,
            "evidence: {what} {} file(s), {}",
            moved.files,
            crate::io::evidence::human_bytes(moved.bytes)
        );
    }
    for p in &moved.problems {
        say!(err, "evidence: {p}");
    }
}

fn fail(e: DbError) -> String {
    e.to_string()
}

fn sync(
    file: &Path,
    url: &str,
    keep: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, String> {
    let parsed = read_path(file).map_err(|e| e.to_string())?;
    if parsed.fatal {
        for d in &parsed.diagnostics {
            say!(err, "{d}");
        }
        return Ok(INVALID);
    }
    let base = db::state::load(file).map_err(|e| e.to_string())?;
    // A strip in a database needs a lasting id: the ones Pistas gave become the features'
    // own, and are written to the file.
    let mut local = parsed.document.clone();
    let given = local.keep_assigned_ids().map_err(|e| e.to_string())?;
    if given > 0 {
        say!(
            err,
            "{given} features had no id: they keep the ids Pistas gave them (pistas-1, …), written to {}",
            file.display()
        );
    }
    let (target, mut client) = connect(url, err)?;
    let picks = Picks {
        all: match keep {
            Some("mine") => Some(Keep::Mine),
            Some("theirs") => Some(Keep::Theirs),
            _ => None,
        },
        ..Picks::default()
    };
    let synced = db::sync(
        &mut client,
        &target,
        &local,
        base.as_ref(),
        &picks,
        &progress,
    )
    .map_err(fail)?;
    upload_evidence(&mut client, file, &local, err)?;
    // The file first, then the base: a crash between the two leaves a base older than the
    // file, which the next sync takes for changes both sides already share.
    let mut doc = local;
    let mut new_base = base.unwrap_or_default();
    synced.settle(&mut doc, &mut new_base);
    let mut backup = None;
    if doc != parsed.document {
        backup = keep_backup(file, err);
        let text = write_geojson(&doc, &WriteOptions::default());
        save_atomic(file, text.as_bytes(), true).map_err(|e| e.to_string())?;
    }
    db::state::store(file, &new_base).map_err(|e| e.to_string())?;
    fetch_evidence(&mut client, file, &doc, err)?;
    let report = &synced.report;
    say_synced(file, report, backup.as_deref(), out);
    if !report.conflicts.is_empty() {
        say!(
            err,
            "conflicts left: nothing changed for those strips on either side; run again with --keep mine|theirs, or resolve them in the window"
        );
        return Ok(INVALID);
    }
    Ok(OK)
}

/// Keeps a copy of the file as it was, before a sync replaces it: any sync can be undone by
/// hand. The database has this sync already: a copy that cannot be kept is a warning (and
/// no copy), and the file and its base are still brought up to date.
fn keep_backup(file: &Path, err: &mut dyn Write) -> Option<PathBuf> {
    let kept = std::fs::read(file)
        .map_err(|e| e.to_string())
        .and_then(|bytes| db::backup::keep(file, &bytes).map_err(|e| e.to_string()));
    match kept {
        Ok(path) => Some(path),
        Err(e) => {
            say!(
                err,
                "warning: no copy of {} as it was before this sync could be kept: {e}",
                file.display()
            );
            None
        }
    }
}

/// Says what a sync did: its summary and lines, where the old file was kept, and every
/// conflict left.
fn say_synced(file: &Path, report: &db::SyncReport, backup: Option<&Path>, out: &mut dyn Write) {
    say!(out, "{}: {}", file.display(), report.summary());
    for line in report.lines() {
        say!(out, "  {line}");
    }
    if let Some(path) = backup {
        say!(
            out,
            "the file as it was before this sync: {} (the last {} are kept)",
            path.display(),
            db::backup::KEEP
        );
    }
    for strip in &report.conflicts {
        for c in &strip.conflicts {
            say!(
                out,
                "conflict: {} ({}), {}: mine {} / theirs {}",
                strip.label,
                strip.strip,
                c.part.label(),
                c.mine,
                c.theirs
            );
        }
    }
}
