//! Change lists applied to a document all or nothing: by the editor's commands, undo and
//! redo, and by the journal replaying what a crashed window did.

use super::error::EditError;
use crate::model::{Document, Feature};

/// One primitive change to the document's list of features.
#[derive(Debug, Clone)]
pub enum Change {
    /// Replace the feature at `index`.
    Replace { index: usize, feature: Box<Feature> },
    /// Insert a feature at `index`.
    Insert { index: usize, feature: Box<Feature> },
    /// Remove the feature at `index`.
    Remove { index: usize },
}

/// Applies a change list read back from a journal, all or nothing.
pub fn replay(doc: &mut Document, changes: Vec<Change>) -> Result<(), EditError> {
    apply_changes(doc, changes).map(drop)
}

/// Applies `changes` in order; returns the changes that undo them, or leaves the document
/// untouched when one of them does not fit.
pub(super) fn apply_changes(
    doc: &mut Document,
    changes: Vec<Change>,
) -> Result<Vec<Change>, EditError> {
    // Own ids the changes bring in (an insert, or a replacement under another id) are
    // checked once all are applied, so that one command may move an id from one feature to
    // another; an edit that would leave two features with one id is refused whole.
    let mut brought: Vec<String> = Vec::new();
    let inverse = apply_each(doc, changes, &mut brought)?;
    if let Some(id) = repeated(doc, &brought) {
        // Undoing what was just done cannot fail; if it ever did, the log says so.
        if let Err(e) = apply_each(doc, inverse, &mut Vec::new()) {
            log::error!("undoing a refused edit failed: {e}");
        }
        return Err(EditError::IdTaken(id));
    }
    Ok(inverse)
}

/// The first of `ids` that two features of `doc` have as their own (written) ids, in one
/// pass over the document. Ids Pistas gave features without one for this session are not
/// written, and a journal's replay renames them after it (see `io::journal`).
fn repeated(doc: &Document, ids: &[String]) -> Option<String> {
    if ids.is_empty() {
        return None;
    }
    let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for f in doc.features().iter().filter(|f| !f.id_assigned()) {
        let id = f.id().as_str();
        if wanted.contains(id) && !seen.insert(id) {
            return Some(id.to_owned());
        }
    }
    None
}

/// Applies the changes in order; returns the changes that undo them, and adds to `brought`
/// the ids they bring in.
fn apply_each(
    doc: &mut Document,
    changes: Vec<Change>,
    brought: &mut Vec<String>,
) -> Result<Vec<Change>, EditError> {
    let mut inverse = Vec::with_capacity(changes.len());
    for change in changes {
        let undo = match change {
            Change::Replace { index, feature } => match doc.list_for_batch().get_mut(index) {
                Some(slot) => {
                    if slot.id() != feature.id() && !feature.id_assigned() {
                        brought.push(feature.id().as_str().to_owned());
                    }
                    Change::Replace {
                        index,
                        feature: Box::new(std::mem::replace(slot, *feature)),
                    }
                }
                None => return rollback(doc, inverse, EditError::NoFeature(index)),
            },
            Change::Insert { index, feature } => {
                if index > doc.list_for_batch().len() {
                    return rollback(doc, inverse, EditError::NoFeature(index));
                }
                if !feature.id_assigned() {
                    brought.push(feature.id().as_str().to_owned());
                }
                doc.list_for_batch().insert(index, *feature);
                Change::Remove { index }
            }
            Change::Remove { index } => {
                if index >= doc.list_for_batch().len() {
                    return rollback(doc, inverse, EditError::NoFeature(index));
                }
                Change::Insert {
                    index,
                    feature: Box::new(doc.list_for_batch().remove(index)),
                }
            }
        };
        inverse.push(undo);
    }
    inverse.reverse();
    Ok(inverse)
}

fn rollback(
    doc: &mut Document,
    mut done: Vec<Change>,
    error: EditError,
) -> Result<Vec<Change>, EditError> {
    done.reverse();
    // Undoing what was just done cannot fail; if it ever did, the log says so.
    if let Err(e) = apply_each(doc, done, &mut Vec::new()) {
        log::error!("undoing a refused edit failed ({error}): {e}");
    }
    Err(error)
}
