//! Reading GeoJSON into a document: one pipeline, bytes → scan → interpret → document.
//!
//! The text is checked and taken apart once (`scan`): syntax errors stop the read, with
//! their line and column. Each feature is then interpreted (`interpret`), on every core
//! for large files; a feature or event with a problem is kept verbatim and reported, never
//! dropped. Last, ids are made unique and problems are located.

use std::borrow::Cow;
use std::path::Path;

use serde::de::DeserializeSeed;
use serde_json::value::RawValue;

use super::diagnostic::{LineIndex, Severity};
use super::interpret::Interpreter;
use super::raw::{describe, raw_str, serde_message};
use super::scan::{FeatureIn, PropertiesIn, RawList, Root, RootObject, RootSeed};
use crate::analysis::Facts;
use crate::model::{Document, Extra, Feature, GeometryKind, IdChange, SharedText};
use std::sync::Arc;

mod all;
mod parsed;
mod report;

pub use all::Progress;
pub use parsed::Parsed;
use parsed::fatal;

use all::{Interpreted, Reading, interpret_all};
use report::{finish, finish_fatal, id_changes};

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct ReadFileError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Reads a GeoJSON file. `Err` only when the file cannot be opened.
pub fn read_path(path: &Path) -> Result<Parsed, ReadFileError> {
    let bytes = std::fs::read(path).map_err(|source| ReadFileError {
        path: path.display().to_string(),
        source,
    })?;
    let parsed = read_owned(bytes, &path.display().to_string(), &untold);
    log::info!(
        "read {}: {} features, {} errors, {} warnings",
        path.display(),
        parsed.document.features().len(),
        parsed.error_count(),
        parsed.warning_count()
    );
    Ok(parsed)
}

/// Reads GeoJSON bytes the caller gives away: their text becomes the features' shared
/// text (see [`SharedText`]) without a copy.
pub fn read_owned(bytes: Vec<u8>, file: &str, progress: Progress) -> Parsed {
    read_owned_in(bytes, file, progress, false)
}

/// [`read_owned`], also working out each feature's [`Facts`] while it is read
/// ([`Parsed::facts`]): what the window opens a file with.
pub fn read_owned_with_facts(bytes: Vec<u8>, file: &str, progress: Progress) -> Parsed {
    read_owned_in(bytes, file, progress, true)
}

fn read_owned_in(mut bytes: Vec<u8>, file: &str, progress: Progress, facts: bool) -> Parsed {
    if not_text(&bytes).is_some() {
        return read_bytes_reporting(&bytes, file, progress);
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    // Checked as UTF-8 once, here; text that is not is reported by the general path.
    match String::from_utf8(bytes) {
        Ok(text) => {
            let threads = threads_for(&text);
            let reading = Reading {
                threads,
                progress,
                facts,
            };
            read_text(&SharedText::new(text, reread), file, &reading)
        }
        Err(e) => read_bytes_reporting(e.as_bytes(), file, progress),
    }
}

/// One feature's text read again as the reader read it in its file (see [`SharedText`]).
fn reread(text: &str) -> Feature {
    match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) => Interpreter::new(text).element(0, raw),
        // The text was read as a feature once; it reads the same again.
        Err(e) => Feature::unreadable(
            None,
            crate::model::json_string(text),
            vec![serde_message(&e)],
        ),
    }
}

/// A [`Progress`] that tells no one.
fn untold(_: usize, _: usize) {}

/// Reads GeoJSON bytes, which must be UTF-8 (a leading byte-order mark is ignored).
pub fn read_bytes(bytes: &[u8], file: &str) -> Parsed {
    read_bytes_reporting(bytes, file, &untold)
}

/// [`read_bytes`], telling `progress` how the interpretation of the features goes.
pub fn read_bytes_reporting(bytes: &[u8], file: &str, progress: Progress) -> Parsed {
    if let Some(message) = not_text(bytes) {
        return fatal(file, Some((1, 1)), message);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => read_str_in(text, file, threads_for(text), progress),
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = LineIndex::new(good).line_col(good.len());
            let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
            fatal(
                file,
                Some((line, column)),
                format!(
                    "the file is not UTF-8 text (byte 0x{byte:02X} here); GeoJSON must be UTF-8: \
                     save it again as UTF-8, for example from QGIS with encoding UTF-8"
                ),
            )
        }
    }
}

/// Recognises files that are not text at all, or text in an encoding GeoJSON forbids.
fn not_text(bytes: &[u8]) -> Option<String> {
    let utf16 = |le: bool| {
        format!(
            "the file is UTF-16 text ({}); GeoJSON must be UTF-8: save it again as UTF-8 \
             (in Notepad: Save as, Encoding UTF-8; or `iconv -f UTF-16 -t UTF-8`)",
            if le { "little-endian" } else { "big-endian" }
        )
    };
    match bytes {
        [0x1F, 0x8B, ..] => Some(
            "the file is compressed with gzip; uncompress it first (`gunzip`, or 7-Zip), then \
             open the .geojson inside"
                .into(),
        ),
        [b'P', b'K', 3, 4, ..] => Some(
            "the file is a ZIP archive (a KMZ or a zipped shapefile?); unpack it and open the \
             GeoJSON inside"
                .into(),
        ),
        [0xFF, 0xFE, ..] => Some(utf16(true)),
        [0xFE, 0xFF, ..] => Some(utf16(false)),
        [a, 0, b, 0, ..] if a.is_ascii() && b.is_ascii() && *a != 0 => Some(utf16(true)),
        [0, a, 0, b, ..] if a.is_ascii() && b.is_ascii() && *a != 0 => Some(utf16(false)),
        _ => None,
    }
}

/// Files at least this large are interpreted on every core.
const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Reads a GeoJSON text. `file` names it in diagnostics.
pub fn read_str(text: &str, file: &str) -> Parsed {
    read_str_in(text, file, threads_for(text), &untold)
}

/// The threads a text is interpreted on: every core for a large one.
fn threads_for(text: &str) -> usize {
    if text.len() >= PARALLEL_FROM_BYTES {
        crate::cores()
    } else {
        1
    }
}

/// `read_str` with features interpreted on at most `threads` threads (1: on the calling
/// thread only). The result does not depend on the number of threads.
pub fn read_str_with_threads(text: &str, file: &str, threads: usize) -> Parsed {
    read_str_in(text, file, threads, &untold)
}

fn read_str_in(text: &str, file: &str, threads: usize, progress: Progress) -> Parsed {
    let reading = Reading {
        threads,
        progress,
        facts: false,
    };
    read_text(&SharedText::new(text.to_owned(), reread), file, &reading)
}

/// Why a text cannot be read at all, and where (line and column), if anywhere.
type Stop = (Option<(usize, usize)>, String);

/// Reads the text of `source`; unedited features keep spans of it.
fn read_text(source: &Arc<SharedText>, file: &str, reading: &Reading) -> Parsed {
    let text = source.text();
    let root = match top_object(text) {
        Ok(root) => root,
        Err((at, message)) => return fatal(file, at, message),
    };
    let mut top = Interpreter::new(text);
    for (key, value) in &root.duplicates {
        let at = top.report.offset_of(value);
        top.report.push(
            Severity::Error,
            Some(at),
            None,
            None,
            format!("\"{key}\" appears twice at the top level; member names must be unique"),
        );
    }
    let type_name = match type_name(&mut top, &root, text) {
        Ok(name) => name,
        Err((at, message)) => return fatal(file, at, message),
    };
    let mut foreign: Extra = Vec::new();
    let features = match type_name.as_ref() {
        "FeatureCollection" => {
            foreign = collection_members(&mut top, &root);
            match root.features {
                Some(RawList::List(items)) => interpret_all(text, Some(source), &items, reading),
                Some(RawList::NotList(what)) => {
                    return finish_fatal(
                        top,
                        text,
                        file,
                        format!("\"features\" holds {what}; it must be a list of features"),
                    );
                }
                None => {
                    return finish_fatal(
                        top,
                        text,
                        file,
                        "this FeatureCollection has no \"features\" list".to_owned(),
                    );
                }
            }
        }
        "Feature" => {
            let Ok(raw) = serde_json::from_str::<&RawValue>(text) else {
                return fatal(file, None, "the feature could not be read again".into());
            };
            let one = Reading {
                threads: 1,
                progress: &untold,
                facts: reading.facts,
            };
            interpret_all(text, Some(source), &[raw], &one)
        }
        name => match GeometryKind::parse(name) {
            Some(_) => bare_geometry(text),
            None => {
                let at = LineIndex::new(text)
                    .line_col(root.type_.map_or(0, |raw| top.report.offset_of(raw)));
                return fatal(file, Some(at), unknown_type(name));
            }
        },
    };
    let Interpreted {
        features,
        mut problems,
        mut ids,
        bare,
        facts,
    } = features;
    problems.extend(top.report.problems);
    let (document, changes) = Document::with_unique_ids(features, foreign);
    let facts = facts.map(|facts| every_fact(facts, &document, &changes));
    id_changes(&changes, &mut problems, &mut ids);
    let mut parsed = finish(text, file, document, problems, ids, bare);
    parsed.facts = facts;
    parsed
}

/// The text's top-level object, taken apart; the text must be JSON, and an object.
fn top_object(text: &str) -> Result<RootObject<'_>, Stop> {
    let mut de = serde_json::Deserializer::from_str(text);
    let root = RootSeed
        .deserialize(&mut de)
        .and_then(|root| de.end().map(|()| root))
        .map_err(|e| {
            let index = LineIndex::new(text);
            let at = index.line_col(index.offset(e.line(), e.column()));
            let message = match e.classify() {
                serde_json::error::Category::Eof => format!(
                    "the file ends too early ({}): it was cut off, or a bracket is missing",
                    serde_message(&e)
                ),
                _ => format!("this is not valid JSON: {}", serde_message(&e)),
            };
            (Some(at), message)
        })?;
    match root {
        Root::Object(root) => Ok(root),
        Root::NotObject(what) => Err((
            Some((1, 1)),
            format!("the file holds {what}, not a GeoJSON object"),
        )),
    }
}

/// The top-level object's type. A "features" list with a missing or misspelt type is still
/// a FeatureCollection: the problem is reported, and every feature opens.
fn type_name<'t>(
    top: &mut Interpreter<'t>,
    root: &RootObject<'t>,
    text: &str,
) -> Result<Cow<'t, str>, Stop> {
    let has_list = matches!(root.features, Some(RawList::List(_)));
    let as_collection = |top: &mut Interpreter<'_>, at: usize, problem: String| {
        top.report.push(
            Severity::Error,
            Some(at),
            None,
            None,
            format!(
                "{problem}; it has a \"features\" list, so Pistas reads it as a FeatureCollection"
            ),
        );
        Cow::Borrowed("FeatureCollection")
    };
    let Some(type_raw) = root.type_ else {
        if has_list {
            return Ok(as_collection(
                top,
                0,
                "the top-level object has no \"type\"".to_owned(),
            ));
        }
        return Err((
            Some((1, 1)),
            "the top-level object has no \"type\": is this GeoJSON? Expected \"FeatureCollection\", \"Feature\" or a geometry".to_owned(),
        ));
    };
    Ok(match raw_str(type_raw) {
        Some(name)
            if has_list
                && name != "FeatureCollection"
                && name.eq_ignore_ascii_case("FeatureCollection") =>
        {
            let at = top.report.offset_of(type_raw);
            as_collection(
                top,
                at,
                format!(
                    "the type \"{name}\" must be written \"FeatureCollection\" (GeoJSON types are case-sensitive)"
                ),
            )
        }
        Some(name) => name,
        None if has_list => {
            let at = top.report.offset_of(type_raw);
            as_collection(
                top,
                at,
                format!(
                    "the top-level \"type\" is {}; it must be \"FeatureCollection\"",
                    describe(type_raw.get())
                ),
            )
        }
        None => {
            let at = LineIndex::new(text).line_col(top.report.offset_of(type_raw));
            return Err((
                Some(at),
                format!(
                    "the top-level \"type\" is {}; it must be text such as \"FeatureCollection\"",
                    describe(type_raw.get())
                ),
            ));
        }
    })
}

/// A FeatureCollection's own members (foreign ones, `bbox`, and those written twice),
/// kept in order; those only other objects have, and a wrong `bbox`, are errors.
fn collection_members(top: &mut Interpreter<'_>, root: &RootObject<'_>) -> Extra {
    let mut foreign: Extra = Vec::new();
    for (key, value) in &root.members {
        let at = Some(top.report.offset_of(value));
        if ["coordinates", "geometries", "geometry", "properties"].contains(&key.as_ref()) {
            top.report.push(
                Severity::Error,
                at,
                None,
                None,
                format!(
                    "a FeatureCollection must not have a \"{key}\" member (RFC 7946 §7.1){}",
                    if key == "properties" {
                        "; properties belong to each feature"
                    } else {
                        ""
                    }
                ),
            );
        } else if key == "bbox"
            && let Err(message) = super::geometry::check_bbox(value)
        {
            top.report.push(Severity::Error, at, None, None, message);
        }
        foreign.push((key.to_string(), (*value).to_owned()));
    }
    // A member written twice is reported; its second value is kept too, so that
    // saving loses nothing (and the file keeps its error until someone fixes it).
    for (key, value) in &root.duplicates {
        foreign.push((key.clone(), (*value).to_owned()));
    }
    foreign
}

/// The message for a type GeoJSON does not have, with the one meant if only its case is
/// wrong.
fn unknown_type(name: &str) -> String {
    let hint = ["FeatureCollection", "Feature"]
        .iter()
        .copied()
        .chain(GeometryKind::ALL.iter().map(|k| k.as_str()))
        .find(|known| known.eq_ignore_ascii_case(name))
        .map_or_else(
            || "expected \"FeatureCollection\", \"Feature\" or a geometry type".to_owned(),
            |known| format!("GeoJSON types are case-sensitive: write \"{known}\""),
        );
    format!("unknown GeoJSON type \"{name}\"; {hint}")
}

/// The facts of every feature of `document`: those a worker did not finish, and those of
/// features whose id changed (they search its id), worked out again.
fn every_fact(
    mut facts: Vec<Option<Facts>>,
    document: &Document,
    changes: &[IdChange],
) -> Vec<Facts> {
    for (slot, feature) in facts.iter_mut().zip(document.features()) {
        if slot.is_none() {
            *slot = Some(Facts::of(feature));
        }
    }
    // In place: an `Option<Facts>` is the size of a `Facts`, so the list is not copied.
    let mut facts: Vec<Facts> = facts.into_iter().map(Option::unwrap_or_default).collect();
    for change in changes {
        if let (Some(slot), Some(feature)) = (
            facts.get_mut(change.index()),
            document.features().get(change.index()),
        ) {
            *slot = Facts::of(feature);
        }
    }
    facts
}

/// A bare geometry read as a feature without properties.
fn bare_geometry(text: &str) -> Interpreted {
    let raw: Option<&RawValue> = serde_json::from_str(text).ok();
    let mut interpreter = Interpreter::new(text);
    interpreter.bare = true;
    let features = match raw {
        Some(raw) => {
            let f = FeatureIn {
                type_: None,
                geometry: Some(raw),
                properties: PropertiesIn::Null,
                anchor: Some(raw),
                ..FeatureIn::default()
            };
            let verbatim = RawValue::from_string(format!(
                "{{\"type\":\"Feature\",\"geometry\":{},\"properties\":null}}",
                raw.get()
            ))
            .ok();
            vec![interpreter.feature(0, raw, f, verbatim)]
        }
        None => Vec::new(),
    };
    Interpreted {
        features,
        problems: interpreter.report.problems,
        ids: interpreter.ids,
        bare: true,
        facts: None,
    }
}

#[cfg(test)]
mod tests;
