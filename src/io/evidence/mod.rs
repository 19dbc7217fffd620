//! The evidence folder beside a document: files added by hash, verified by hash.
//!
//! For `zona.geojson` the folder is `zona.evidence/`. A file is stored once, under
//! `<first two hex digits>/<sha256><.ext>`, and never modified; an item's `path` names it
//! relative to the folder, so a moved or copied folder keeps working.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub mod archive;
pub mod embed;
pub mod georef;
pub mod media;

use crate::model::{Document, Event, Evidence, check_path, json_string};

/// The evidence folder of the document at `doc`.
pub fn folder_of(doc: &Path) -> PathBuf {
    let stem = doc
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    doc.with_file_name(format!("{stem}.evidence"))
}

/// The SHA-256 of a file (lower-case hex) and its size, read 1 MB at a time: a file of any
/// size is never held whole.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        total += n as u64;
    }
    Ok((hex(&hasher.finalize()), total))
}

/// A size in words: 12 B, 340 kB, 5.2 MB, 1.1 GB.
pub fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1u32 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1u32 << 20)),
        b if b >= 1 << 10 => format!("{:.0} kB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// The SHA-256 of bytes in memory, lower-case hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes as lower-case hexadecimal (a digest).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where an item lives relative to the folder: its `path`, else `<hh>/<sha256>`.
pub fn relative_path(item: &Evidence) -> String {
    item.path().unwrap_or_else(|| {
        let hash = item.sha256();
        format!("{}/{hash}", &hash[..2.min(hash.len())])
    })
}

/// The file of `item` in `folder`, when it is there and inside the folder (a path that
/// leaves it, or a link that leads out of it, is never read).
pub fn file_of(folder: &Path, item: &Evidence) -> Result<PathBuf, Problem> {
    let rel = relative_path(item);
    if check_path(&rel).is_err() {
        return Err(Problem::Outside);
    }
    let root = folder.canonicalize().map_err(|_| Problem::Missing)?;
    let real = folder
        .join(&rel)
        .canonicalize()
        .map_err(|_| Problem::Missing)?;
    if !real.starts_with(&root) {
        return Err(Problem::Outside);
    }
    Ok(real)
}

/// What `verify` found wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An item's file is not in the folder.
    Missing,
    /// An item's file has another hash than the item says (the hash found).
    Altered(String),
    /// A file in the folder that no item names.
    Unreferenced,
    /// An item's path leads out of the folder (a link out, say): never read.
    Outside,
    /// The file could not be read.
    Unreadable(String),
}

/// One finding of `verify`: the file (relative to the folder), what is wrong, and which
/// strip and event name it (none for an unreferenced file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub problem: Problem,
    pub strip: Option<String>,
    pub event: Option<usize>,
    /// The item's SHA-256 as written in the document.
    pub sha256: Option<String>,
}

impl Finding {
    /// What is wrong, in a sentence (without its place).
    pub fn message(&self) -> String {
        let path = &self.path;
        let what = match &self.problem {
            Problem::Missing => format!("evidence {path} is missing from the folder"),
            Problem::Altered(found) => {
                format!("evidence {path} is altered: its SHA-256 is now {found}")
            }
            Problem::Unreferenced => {
                format!("{path} is in the evidence folder, but no event names it")
            }
            Problem::Outside => {
                format!("evidence {path} leads out of the evidence folder: not read")
            }
            Problem::Unreadable(why) => format!("evidence {path} cannot be read: {why}"),
        };
        match (&self.strip, self.event) {
            (Some(strip), Some(event)) => format!("{what} (strip {strip}, event {})", event + 1),
            _ => what,
        }
    }

    /// The finding as a diagnostic of `file` (the document), on its strip and event in
    /// `doc` when it names one; a file no event names is warned of, not an error.
    pub fn diagnostic(&self, doc: &Document, file: &str) -> crate::io::diagnostic::Diagnostic {
        use crate::io::diagnostic::{Diagnostic, Severity};
        let severity = if self.problem == Problem::Unreferenced {
            Severity::Warning
        } else {
            Severity::Error
        };
        let mut d = Diagnostic::about_file(severity, file, self.message());
        if let Some(strip) = &self.strip {
            d.feature_index = doc.position(strip);
            d.feature_id = Some(strip.clone());
            d.event_index = self.event;
        }
        d
    }
}

/// Every item of every strip's events and of their sources, with its strip id and event
/// index.
pub fn items(doc: &Document) -> Vec<(String, usize, Evidence)> {
    let mut out = Vec::new();
    // A feature whose text names no evidence is skipped unread.
    for feature in doc.strips().filter(|f| f.may_have_evidence()) {
        let feature = feature.decoded();
        for (e, event) in feature.events().iter().enumerate() {
            let of_sources = event.sources().iter().flat_map(|s| match s {
                crate::model::Source::Reference(r) => r.evidence().as_slice(),
                crate::model::Source::Text(_) => &[],
            });
            for item in event.evidence().iter().chain(of_sources) {
                out.push((feature.id().as_str().to_owned(), e, item.clone()));
            }
        }
    }
    out
}

/// Each item of `doc` once, by hash (its first place in the document).
pub fn distinct_items(doc: &Document) -> Vec<Evidence> {
    let mut seen = std::collections::HashSet::new();
    items(doc)
        .into_iter()
        .map(|(_, _, item)| item)
        .filter(|item| seen.insert(item.sha256()))
        .collect()
}

/// Recomputes every item's hash against the files in `folder`, and lists the files there
/// that no item names. Nothing is changed or repaired.
pub fn verify(doc: &Document, folder: &Path) -> Vec<Finding> {
    use rayon::prelude::*;
    let root = folder.canonicalize().ok();
    let all = items(doc);
    let named: std::collections::HashSet<String> =
        all.iter().map(|(_, _, item)| relative_path(item)).collect();
    // Files are hashed on every core; the findings keep the document's order.
    let mut findings: Vec<Finding> = all
        .par_iter()
        .filter_map(|(strip, event, item)| {
            let rel = relative_path(item);
            let finding = |problem| Finding {
                path: rel.clone(),
                problem,
                strip: Some(strip.clone()),
                event: Some(*event),
                sha256: Some(item.sha256()),
            };
            if check_path(&rel).is_err() {
                return Some(finding(Problem::Outside));
            }
            let Ok(real) = folder.join(&rel).canonicalize() else {
                return Some(finding(Problem::Missing));
            };
            if root.as_ref().is_none_or(|r| !real.starts_with(r)) {
                return Some(finding(Problem::Outside));
            }
            match sha256_file(&real) {
                Ok((found, _)) if found == item.sha256() => None,
                Ok((found, _)) => Some(finding(Problem::Altered(found))),
                Err(e) => Some(finding(Problem::Unreadable(e.to_string()))),
            }
        })
        .collect();
    let mut files = Vec::new();
    list_files(folder, folder, &mut files);
    files.sort();
    for rel in files {
        if !named.contains(&rel) {
            findings.push(Finding {
                path: rel,
                problem: Problem::Unreferenced,
                strip: None,
                event: None,
                sha256: None,
            });
        }
    }
    findings
}

/// The files below `dir`, relative to `root`, with forward slashes (links not followed).
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            list_files(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
}

/// A chain-of-custody record: the document's SHA-256, then each item's hash, path, strip
/// and event, one per line. For publication (`public`), private items are left out and so
/// are paths.
pub fn manifest(doc_bytes: &[u8], doc: &Document, public: bool) -> String {
    let mut out = format!("document {}\n", sha256_bytes(doc_bytes));
    for (strip, event, item) in items(doc) {
        if public && item.private() {
            continue;
        }
        let path = if public {
            String::new()
        } else {
            format!("  {}", relative_path(&item))
        };
        out.push_str(&format!(
            "{}{path}  strip {strip} event {}\n",
            item.sha256(),
            event + 1
        ));
    }
    out
}

/// What to say of a file added as evidence.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub private: bool,
}

/// A file stored in the evidence folder: its item, and what is worth saying about it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub item: Evidence,
    /// A warning: the file is too large to show, or its georeferencing cannot be used.
    pub note: Option<String>,
}

/// Files from this size on are warned of: they are hashed and copied a piece at a time,
/// and never shown.
pub const LARGE: u64 = 1 << 30;

/// Copies `file` into `folder` under its hash (once: a file already there with that hash
/// is left as it is) and returns the item that names it. An image that says where it lies
/// (GeoTIFF tags, a world file beside it) gets its `footprint`.
pub fn store(folder: &Path, file: &Path, options: &AddOptions) -> Result<Stored, String> {
    let name = file.display();
    let (hash, bytes) = sha256_file(file).map_err(|e| format!("{name}: {e}"))?;
    let mut note = (bytes >= LARGE).then(|| {
        format!(
            "{name}: {:.1} GB, kept and sealed, but too large to show",
            bytes as f64 / f64::from(1u32 << 30)
        )
    });
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()));
    let rel = match &ext {
        Some(ext) => format!("{}/{hash}.{ext}", &hash[..2]),
        None => format!("{}/{hash}", &hash[..2]),
    };
    let target = folder.join(&rel);
    let present = sha256_file(&target).is_ok_and(|(h, _)| h == hash);
    if !present {
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        // Copied beside, then moved into place: a file in the folder is whole or absent.
        let partial = target.with_extension("partial");
        std::fs::copy(file, &partial).map_err(|e| format!("{name}: {e}"))?;
        let (copied, _) = sha256_file(&partial).map_err(|e| e.to_string())?;
        if copied != hash {
            // Ignored: a copy left beside is only a ".partial" file, written anew next time.
            let _ = std::fs::remove_file(&partial);
            return Err(format!(
                "{name} changed while it was copied; nothing was added"
            ));
        }
        std::fs::rename(&partial, &target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let mut members = vec![
        ("sha256".to_owned(), json_string(&hash)),
        ("path".to_owned(), json_string(&rel)),
    ];
    if let Some(media) = ext.as_deref().and_then(media_type) {
        members.push(("media_type".to_owned(), json_string(media)));
    }
    if let Ok(raw) = serde_json::value::RawValue::from_string(bytes.to_string()) {
        members.push(("bytes".to_owned(), raw));
    }
    for (key, value) in [("caption", &options.caption), ("credit", &options.credit)] {
        if let Some(text) = value {
            members.push((key.to_owned(), json_string(text)));
        }
    }
    if options.private
        && let Ok(raw) = serde_json::value::RawValue::from_string("true".to_owned())
    {
        members.push(("private".to_owned(), raw));
    }
    if bytes < LARGE {
        match georef::footprint_of(file) {
            Ok(Some([w, s, e, n])) => {
                let [w, s, e, n] = [w, s, e, n].map(degrees);
                if let Ok(raw) =
                    serde_json::value::RawValue::from_string(format!("[{w},{s},{e},{n}]"))
                {
                    members.push(("footprint".to_owned(), raw));
                }
            }
            Ok(None) => {}
            Err(e) => note = Some(format!("not placed on the map: {e}")),
        }
    }
    let item = Evidence::from_members(members).map_err(|e| e.message().to_owned())?;
    Ok(Stored { item, note })
}

/// Degrees to nine decimals (a tenth of a millimetre), without the noise of the
/// arithmetic that found them.
fn degrees(v: f64) -> String {
    let text = format!("{v:.9}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// The media type of a file extension Pistas knows.
fn media_type(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "tif" | "tiff" => "image/tiff",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "html" | "htm" => "text/html",
        "warc" => "application/warc",
        "txt" => "text/plain",
        _ => return None,
    })
}

/// Adds `items` to event `event` of a strip (its latest event when `None`, by the event's
/// `id` otherwise); an item whose file the event already has is not added twice. `Err`
/// says why not.
pub fn attach(
    doc: &mut Document,
    strip: &str,
    event: Option<&str>,
    items: Vec<Evidence>,
) -> Result<(), String> {
    let index = doc
        .position(strip)
        .ok_or_else(|| format!("no strip has the id \"{strip}\""))?;
    let result = doc.update(index, |f| -> Result<(), String> {
        let events = f
            .events_mut()
            .ok_or_else(|| format!("the strip \"{strip}\" could not be read; fix it first"))?;
        let target: &mut Event = match event {
            // The latest event by date (the last in the file among equals).
            None => events
                .iter_mut()
                .max_by_key(|e| e.date().end())
                .ok_or_else(|| format!("the strip \"{strip}\" has no events yet"))?,
            Some(id) => events
                .iter_mut()
                .find(|e| e.id().as_deref() == Some(id))
                .ok_or_else(|| {
                    format!("the strip \"{strip}\" has no event with the id \"{id}\"")
                })?,
        };
        for item in items {
            if !target
                .evidence()
                .iter()
                .any(|e| e.sha256() == item.sha256())
            {
                target.evidence_mut().push(item);
            }
        }
        Ok(())
    });
    match result {
        Some(Ok(done)) => done,
        Some(Err(e)) => Err(e.to_string()),
        None => Err(format!("no strip has the id \"{strip}\"")),
    }
}
