//! `pistas verify` and `pistas evidence …`: the files that back events, sealed by hash.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::exit::{FAILURE, INVALID, OK};
use super::say::{say, told};
use crate::io::evidence::{self, AddOptions, Finding, Problem};
use crate::io::{LineIndex, WriteOptions, read_path, save_atomic, write_geojson};

/// What `pistas evidence` can do.
#[derive(Debug, clap::Subcommand)]
pub enum EvidenceCommand {
    /// Copy FILEs into the document's evidence folder (DOC's name with `.evidence`), sealed
    /// by their SHA-256, and attach them to an event of a strip (its latest event unless
    /// --event names one by its id).
    Add {
        doc: PathBuf,
        #[arg(long)]
        strip: String,
        #[arg(long)]
        event: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        caption: Option<String>,
        #[arg(long)]
        credit: Option<String>,
        /// Keep the files out of publication exports.
        #[arg(long)]
        private: bool,
    },
    /// Print DOC's SHA-256 and every evidence item's: a chain-of-custody record.
    Manifest {
        doc: PathBuf,
        /// For publication: leave out private items and the files' local paths.
        #[arg(long)]
        public: bool,
    },
}

type Outcome = Result<i32, String>;

pub fn run(action: EvidenceCommand, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    match action {
        EvidenceCommand::Add {
            doc,
            strip,
            event,
            files,
            caption,
            credit,
            private,
        } => {
            let options = AddOptions {
                caption,
                credit,
                private,
            };
            add(&doc, &strip, event.as_deref(), &files, &options, err)
        }
        EvidenceCommand::Manifest { doc, public } => {
            let bytes = std::fs::read(&doc).map_err(|e| format!("{}: {e}", doc.display()))?;
            let parsed = read_path(&doc).map_err(|e| e.to_string())?;
            told(write!(
                out,
                "{}",
                evidence::manifest(&bytes, &parsed.document, public)
            ));
            Ok(OK)
        }
    }
}

fn add(
    doc: &Path,
    strip: &str,
    event: Option<&str>,
    files: &[PathBuf],
    options: &AddOptions,
    err: &mut dyn Write,
) -> Outcome {
    let parsed = read_path(doc).map_err(|e| e.to_string())?;
    if parsed.fatal {
        for d in &parsed.diagnostics {
            say!(err, "{d}");
        }
        return Ok(INVALID);
    }
    let folder = evidence::folder_of(doc);
    let mut items = Vec::new();
    for file in files {
        let stored = evidence::store(&folder, file, options)?;
        if let Some(note) = stored.note {
            say!(err, "{note}");
        }
        items.push(stored.item);
    }
    let mut document = parsed.document;
    evidence::attach(&mut document, strip, event, items)?;
    let text = write_geojson(&document, &WriteOptions::default());
    save_atomic(doc, text.as_bytes(), true).map_err(|e| e.to_string())?;
    say!(
        err,
        "{}: {} file(s) attached to strip {strip}, kept in {}",
        doc.display(),
        files.len(),
        folder.display()
    );
    Ok(OK)
}

/// Writes a converted file, taking its evidence along: a GeoPackage carries the files
/// (from INPUT's evidence folder), a GeoJSON written from a GeoPackage that carries some
/// gets them back in its own folder, and one written from a GeoJSON gets a copy.
pub(super) fn write_carrying(
    input: &Path,
    output: &Path,
    doc: &crate::model::Document,
    format: crate::io::Format,
    bytes: &[u8],
    force: bool,
    err: &mut dyn Write,
) -> Result<(), String> {
    use crate::io::evidence::embed;
    use crate::io::{Format, InputFormat};
    let has_items = !evidence::items(doc).is_empty();
    let from = evidence::folder_of(input);
    let input_format = InputFormat::of_file(input);
    let carried = if format == Format::GeoPackage && has_items && from.is_dir() {
        let carried = embed::write_gpkg(bytes, output, doc, &from, force)?;
        Some(carried)
    } else {
        save_atomic(output, bytes, force).map_err(|e| e.to_string())?;
        let to = evidence::folder_of(output);
        match (format, input_format) {
            (Format::GeoJson, InputFormat::GeoPackage) if has_items && embed::carries(input) => {
                Some(embed::restore(input, doc, &to)?)
            }
            (Format::GeoJson, InputFormat::GeoJson) if has_items && from.is_dir() => {
                Some(embed::carry(doc, &from, &to)?)
            }
            _ => None,
        }
    };
    if let Some(c) = carried {
        say!(
            err,
            "evidence: {} file(s), {} taken along",
            c.files,
            crate::io::evidence::human_bytes(c.bytes)
        );
        for line in &c.not_carried {
            say!(err, "evidence not taken along: {line}");
        }
    }
    Ok(())
}

/// `pistas verify DOC`: every item's file hashed again; each one missing, altered or
/// outside the folder, and each file no item names, listed at the item's place in DOC.
pub fn verify(doc: &Path, err: &mut dyn Write) -> Outcome {
    let text = std::fs::read_to_string(doc).map_err(|e| format!("{}: {e}", doc.display()))?;
    let parsed = read_path(doc).map_err(|e| e.to_string())?;
    if parsed.fatal {
        for d in &parsed.diagnostics {
            say!(err, "{d}");
        }
        return Ok(FAILURE);
    }
    let folder = evidence::folder_of(doc);
    let findings = evidence::verify(&parsed.document, &folder);
    let lines = LineIndex::new(&text);
    let places = hash_places(&text);
    for finding in &findings {
        say!(err, "{}", located(doc, &places, &lines, &folder, finding));
    }
    let items = evidence::items(&parsed.document).len();
    say!(
        err,
        "{}: {items} evidence item(s), {}",
        doc.display(),
        if findings.is_empty() {
            "all intact".to_owned()
        } else {
            format!("{} problem(s)", findings.len())
        }
    );
    Ok(if findings.is_empty() { OK } else { INVALID })
}

/// A finding as a diagnostic line: at the item's hash in the document when it names one.
fn located(
    doc: &Path,
    places: &HashMap<String, usize>,
    lines: &LineIndex,
    folder: &Path,
    f: &Finding,
) -> String {
    let at = f
        .sha256
        .as_deref()
        .and_then(|hash| places.get(hash))
        .map(|&offset| lines.line_col(offset));
    let place = match at {
        Some((line, column)) => format!("{}:{line}:{column}", doc.display()),
        None => folder.join(&f.path).display().to_string(),
    };
    let severity = if f.problem == Problem::Unreferenced {
        "warning"
    } else {
        "error"
    };
    format!("{place}: {severity}: {}", f.message())
}

/// Where each run of exactly 64 hexadecimal digits (a SHA-256) first stands in `text`,
/// by its lower case: found in one pass, however many findings there are.
fn hash_places(text: &str) -> HashMap<String, usize> {
    let bytes = text.as_bytes();
    let mut places = HashMap::new();
    let mut start = 0;
    for i in 0..=bytes.len() {
        if i < bytes.len() && bytes[i].is_ascii_hexdigit() {
            continue;
        }
        if i - start == 64 {
            places
                .entry(text[start..i].to_ascii_lowercase())
                .or_insert(start);
        }
        start = i + 1;
    }
    places
}
