//! One journal line per change list: written as an editor applies it, read back to replay
//! it.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::edit::{Change, Editor};
use crate::io::WriteOptions;
use crate::model::{Feature, FeatureId, IdOrigin};

impl Editor {
    /// Keeps every change list applied from now on (edits, undos, redos) as a journal
    /// line, to be taken with [`Editor::take_recorded`].
    pub fn set_recording(&mut self, on: bool) {
        self.record_with(on.then_some(entry as fn(&[Change]) -> String));
    }
}

/// One journal line for a change list about to be applied.
pub fn entry(changes: &[Change]) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"changes\":[");
    for (i, change) in changes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (op, index, feature) = match change {
            Change::Replace { index, feature } => ("replace", index, Some(feature)),
            Change::Insert { index, feature } => ("insert", index, Some(feature)),
            Change::Remove { index } => ("remove", index, None),
        };
        out.push_str(&format!("{{\"{op}\":{index}"));
        if let Some(feature) = feature {
            // A session's id for a feature without one is not in its GeoJSON: keep it here.
            if *feature.id_origin() == IdOrigin::Assigned {
                out.push_str(",\"assigned\":");
                crate::io::write::string(&mut out, feature.id().as_str());
            }
            out.push_str(",\"feature\":");
            crate::io::write::write_feature(&mut out, feature, &journal_options());
        }
        out.push('}');
    }
    out.push_str("]}\n");
    out
}

/// The derived summary written with journaled features is recomputed on reading: any
/// fixed date does.
pub(super) fn journal_options() -> WriteOptions {
    WriteOptions {
        status_date: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
    }
}

#[derive(Deserialize)]
struct EntryIn<'a> {
    #[serde(borrow)]
    changes: Vec<ChangeIn<'a>>,
}

#[derive(Deserialize)]
struct ChangeIn<'a> {
    replace: Option<usize>,
    insert: Option<usize>,
    remove: Option<usize>,
    assigned: Option<String>,
    #[serde(borrow)]
    feature: Option<&'a RawValue>,
}

/// The change list of one journal line.
pub(super) fn parse_entry(line: &str) -> Result<Vec<Change>, String> {
    let entry: EntryIn = serde_json::from_str(line).map_err(|e| e.to_string())?;
    entry
        .changes
        .into_iter()
        .map(|c| {
            let feature = || -> Result<Box<Feature>, String> {
                let raw = c.feature.ok_or("a change without its feature")?;
                let mut feature = read_feature(raw.get())?;
                if let Some(id) = &c.assigned {
                    feature.assign_id(FeatureId::String(id.clone()));
                }
                Ok(Box::new(feature))
            };
            match (c.replace, c.insert, c.remove) {
                (Some(index), None, None) => Ok(Change::Replace {
                    index,
                    feature: feature()?,
                }),
                (None, Some(index), None) => Ok(Change::Insert {
                    index,
                    feature: feature()?,
                }),
                (None, None, Some(index)) => Ok(Change::Remove { index }),
                _ => Err("a change that is not one of replace, insert or remove".to_owned()),
            }
        })
        .collect()
}

/// One feature from its GeoJSON text, read as the reader reads it in a file.
fn read_feature(text: &str) -> Result<Feature, String> {
    let wrapped = format!("{{\"type\":\"FeatureCollection\",\"features\":[{text}]}}");
    let parsed = crate::io::read_str_with_threads(&wrapped, "journal", 1);
    let mut features = parsed.document.into_features();
    match (parsed.fatal, features.len()) {
        (false, 1) => Ok(features.remove(0)),
        _ => Err("a feature that cannot be read".to_owned()),
    }
}
