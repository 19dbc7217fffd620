//! The editor: the document with its undo and redo history, and the edits of strips,
//! events and properties, each one command.

use std::sync::Arc;

use serde_json::value::RawValue;

use super::changes::{Change, apply_changes};
use super::command::{Command, EditKind};
use super::error::EditError;
use crate::model::{Document, Event, Feature, FeatureId, json_string};

struct Step {
    kind: EditKind,
    /// The changes that undo (or, on the redo stack, redo) this step.
    changes: Vec<Change>,
    before: u64,
    after: u64,
}

/// The document with its undo and redo history.
pub struct Editor {
    /// Shared with a save or export that runs in the background: the first edit while one
    /// runs copies it, and otherwise nothing is ever copied to be written.
    document: Arc<Document>,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Identifies the current state of the document; a new number for every applied command.
    state: u64,
    next_state: u64,
    saved_state: u64,
    /// Features replaced in place by the last apply, undo or redo; `None` when features
    /// were added or removed (callers then rebuild what they derive from the document).
    touched: Option<Vec<usize>>,
    /// The state before the last change.
    previous_state: u64,
    /// Writes the journal line of each change list applied, while recording (see
    /// [`Editor::record_with`]).
    recorder: Option<fn(&[Change]) -> String>,
    /// Journal lines not yet taken, each with the state it leads to.
    recorded: Vec<(u64, String)>,
}

fn touched_by(changes: &[Change]) -> Option<Vec<usize>> {
    changes
        .iter()
        .map(|c| match c {
            Change::Replace { index, .. } => Some(*index),
            _ => None,
        })
        .collect()
}

impl Editor {
    pub fn new(document: Document) -> Self {
        Editor {
            document: Arc::new(document),
            undo: Vec::new(),
            redo: Vec::new(),
            state: 0,
            next_state: 1,
            saved_state: 0,
            touched: None,
            previous_state: 0,
            recorder: None,
            recorded: Vec::new(),
        }
    }

    /// Keeps every change list applied from now on (edits, undos, redos) as the line
    /// `recorder` writes of it, to be taken with [`Editor::take_recorded`]; `None` stops
    /// and drops the lines not taken. The journal switches it on with its own line format
    /// (`set_recording`, in `io::journal`), so the editor knows no file format.
    pub fn record_with(&mut self, recorder: Option<fn(&[Change]) -> String>) {
        self.recorder = recorder;
        if recorder.is_none() {
            self.recorded.clear();
        }
    }

    /// The journal lines recorded since the last call, each with the state it leads to.
    pub fn take_recorded(&mut self) -> Vec<(u64, String)> {
        std::mem::take(&mut self.recorded)
    }

    /// The state before the last change and the features it replaced in place; `None`
    /// after a structural change (features added or removed).
    pub fn touched(&self) -> Option<(u64, &[usize])> {
        Some((self.previous_state, self.touched.as_deref()?))
    }

    pub fn document(&self) -> &Document {
        &self.document
    }

    /// The document as it is now, to write in the background without copying it.
    pub fn shared(&self) -> Arc<Document> {
        self.document.clone()
    }

    /// A number that changes whenever the document changes (for caches).
    pub fn state(&self) -> u64 {
        self.state
    }

    /// True when the document differs from the last saved (or opened) state.
    pub fn is_dirty(&self) -> bool {
        self.state != self.saved_state
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_state = self.state;
    }

    /// Records that `state` is what is on disk (a save of it finished after later edits:
    /// the document stays unsaved, and undoing back to `state` makes it saved).
    pub fn mark_saved_at(&mut self, state: u64) {
        self.saved_state = state;
    }

    /// Marks the document as unsaved (e.g. a restored recovery file).
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_kind(&self) -> Option<EditKind> {
        self.undo.last().map(|s| s.kind)
    }

    pub fn redo_kind(&self) -> Option<EditKind> {
        self.redo.last().map(|s| s.kind)
    }

    /// Applies a command as one undo step.
    pub fn apply(&mut self, command: Command) -> Result<(), EditError> {
        let before = self.state;
        let touched = touched_by(&command.changes);
        let line = self.recorder.map(|write| write(&command.changes));
        let inverse = apply_changes(Arc::make_mut(&mut self.document), command.changes)?;
        self.touched = touched;
        self.previous_state = before;
        self.state = self.next_state;
        self.next_state += 1;
        if let Some(line) = line {
            self.recorded.push((self.state, line));
        }
        self.undo.push(Step {
            kind: command.kind,
            changes: inverse,
            before,
            after: self.state,
        });
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last step; returns its kind.
    pub fn undo(&mut self) -> Option<EditKind> {
        self.step(true)
    }

    /// Redoes the last undone step; returns its kind.
    pub fn redo(&mut self) -> Option<EditKind> {
        self.step(false)
    }

    /// Takes the last step of the undo (`back`) or redo history, applies its changes, and
    /// puts their inverse on the other history.
    fn step(&mut self, back: bool) -> Option<EditKind> {
        let (from, to) = if back {
            (&mut self.undo, &mut self.redo)
        } else {
            (&mut self.redo, &mut self.undo)
        };
        let step = from.pop()?;
        self.touched = touched_by(&step.changes);
        self.previous_state = self.state;
        let line = self.recorder.map(|write| write(&step.changes));
        match apply_changes(Arc::make_mut(&mut self.document), step.changes) {
            Ok(inverse) => {
                self.state = if back { step.before } else { step.after };
                if let Some(line) = line {
                    self.recorded.push((self.state, line));
                }
                to.push(Step {
                    changes: inverse,
                    ..step
                });
                Some(step.kind)
            }
            // Inverse changes are built from the state they undo, so this cannot fail;
            // if it ever did, the history is dropped rather than applied half-way.
            Err(e) => {
                let which = if back { "undo" } else { "redo" };
                log::error!("{which} failed, so the {which} history is dropped: {e}");
                from.clear();
                None
            }
        }
    }

    fn feature(&self, index: usize) -> Result<&Feature, EditError> {
        self.document
            .features()
            .get(index)
            .ok_or(EditError::NoFeature(index))
    }

    pub(super) fn replace_with(
        &mut self,
        kind: EditKind,
        index: usize,
        edit: impl FnOnce(&mut Feature) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        let mut feature = self.feature(index)?.clone();
        edit(&mut feature)?;
        self.apply(Command {
            kind,
            changes: vec![Change::Replace {
                index,
                feature: Box::new(feature),
            }],
        })
    }

    /// Renames feature `index`. An empty name removes the property.
    pub fn rename(&mut self, index: usize, name: &str) -> Result<(), EditError> {
        self.replace_with(EditKind::Rename, index, |f| {
            if name.is_empty() {
                f.remove_property("name");
            } else {
                f.set_name(name);
            }
            Ok(())
        })
    }

    /// Sets the notes of feature `index`. Empty notes remove the property.
    pub fn set_notes(&mut self, index: usize, notes: &str) -> Result<(), EditError> {
        self.replace_with(EditKind::Notes, index, |f| {
            if notes.is_empty() {
                f.remove_property("notes");
            } else {
                f.set_property("notes", json_string(notes));
            }
            Ok(())
        })
    }

    /// Gives feature `index` a new shape (a move, or a runway end dragged). Positions off
    /// the Earth (past ±360° of longitude or ±90° of latitude, as a drag beyond the edge of
    /// the map at low zoom gives) are brought back onto it, so the file stays readable.
    pub fn set_shape(
        &mut self,
        index: usize,
        mut shape: geo::Geometry<f64>,
    ) -> Result<(), EditError> {
        keep_on_earth(&mut shape, 360.0);
        self.replace_with(EditKind::Move, index, |f| {
            match f.geometry_mut() {
                Some(g) => g.set_shape(shape),
                None => f.set_geometry(Some(crate::model::Geometry::new(shape))),
            }
            Ok(())
        })
    }

    /// Adds a strip at the end of the document; returns its index. Longitudes are wrapped
    /// into ±180° and latitudes kept within ±90°.
    pub fn add_strip(
        &mut self,
        name: &str,
        mut shape: geo::Geometry<f64>,
    ) -> Result<usize, EditError> {
        keep_on_earth(&mut shape, 180.0);
        let id: FeatureId = self.document.fresh_id("strip");
        let feature = Feature::new_strip(id, name, shape);
        let index = self.document.features().len();
        self.apply(Command {
            kind: EditKind::AddStrip,
            changes: vec![Change::Insert {
                index,
                feature: Box::new(feature),
            }],
        })?;
        Ok(index)
    }

    /// Deletes feature `index`.
    pub fn delete(&mut self, index: usize) -> Result<(), EditError> {
        self.feature(index)?;
        self.apply(Command {
            kind: EditKind::DeleteStrip,
            changes: vec![Change::Remove { index }],
        })
    }

    /// Appends an event to strip `index`; returns the event's index.
    pub fn add_event(&mut self, index: usize, event: Event) -> Result<usize, EditError> {
        let mut at = 0;
        self.replace_with(EditKind::AddEvent, index, |f| {
            if !f.is_strip() {
                return Err(EditError::NotStrip(index));
            }
            let events = f.events_mut().ok_or(EditError::Unreadable(index))?;
            events.push(event);
            at = events.len() - 1;
            Ok(())
        })?;
        Ok(at)
    }

    /// Replaces event `event` of strip `index`.
    pub fn set_event(&mut self, index: usize, event: usize, value: Event) -> Result<(), EditError> {
        self.replace_with(EditKind::EditEvent, index, |f| {
            if event >= f.events().len() {
                return Err(EditError::NoEvent(index, event));
            }
            let events = f.events_mut().ok_or(EditError::Unreadable(index))?;
            events[event] = value;
            Ok(())
        })
    }

    /// Deletes event `event` of strip `index`.
    pub fn delete_event(&mut self, index: usize, event: usize) -> Result<(), EditError> {
        self.replace_with(EditKind::DeleteEvent, index, |f| {
            f.remove_event(event)
                .map(drop)
                .ok_or(EditError::NoEvent(index, event))
        })
    }

    /// Replaces unread event `unread` of strip `index` (kept as written because Pistas
    /// could not interpret it) with `event`, its fix.
    pub fn fix_unread_event(
        &mut self,
        index: usize,
        unread: usize,
        event: Event,
    ) -> Result<(), EditError> {
        self.replace_with(EditKind::EditEvent, index, |f| {
            f.fix_unread_event(unread, event)
                .then_some(())
                .ok_or(EditError::NoEvent(index, unread))
        })
    }

    /// Deletes unread event `unread` of strip `index`.
    pub fn delete_unread_event(&mut self, index: usize, unread: usize) -> Result<(), EditError> {
        self.replace_with(EditKind::DeleteEvent, index, |f| {
            f.remove_unread_event(unread)
                .map(drop)
                .ok_or(EditError::NoEvent(index, unread))
        })
    }

    /// Makes property `key` the id of every feature whose id Pistas gave (see
    /// [`Document::id_columns`]); one undo step. Returns how many features changed.
    pub fn take_ids_from(&mut self, key: &str) -> Result<usize, EditError> {
        let mut doc = Document::clone(&self.document);
        let count = doc
            .take_ids_from(key)
            .ok_or_else(|| EditError::NotAnIdColumn(key.to_owned()))?;
        let changes = doc
            .into_features()
            .into_iter()
            .enumerate()
            .filter(|(i, f)| self.document.features()[*i].id_origin() != f.id_origin())
            .map(|(index, feature)| Change::Replace {
                index,
                feature: Box::new(feature),
            })
            .collect();
        self.apply(Command {
            kind: EditKind::SetIds,
            changes,
        })?;
        Ok(count)
    }

    /// Sets property `key` of feature `index` to `json` (any JSON value, kept as written).
    pub fn set_property(&mut self, index: usize, key: &str, json: &str) -> Result<(), EditError> {
        let value = RawValue::from_string(json.trim().to_owned())
            .map_err(|e| EditError::BadJson(e.to_string()))?;
        self.replace_with(EditKind::SetProperty, index, |f| {
            f.set_property(key, value)
                .then_some(())
                .ok_or_else(|| EditError::Reserved(key.to_owned()))
        })
    }

    /// Removes property `key` of feature `index`.
    pub fn remove_property(&mut self, index: usize, key: &str) -> Result<(), EditError> {
        self.replace_with(EditKind::RemoveProperty, index, |f| {
            f.remove_property(key);
            Ok(())
        })
    }
}

/// Wraps longitudes beyond `±max_lon` into ±180° and clamps latitudes to ±90°.
fn keep_on_earth(shape: &mut geo::Geometry<f64>, max_lon: f64) {
    use geo::MapCoordsInPlace;
    shape.map_coords_in_place(|c| {
        let x = if c.x.abs() > max_lon {
            (c.x + 180.0).rem_euclid(360.0) - 180.0
        } else {
            c.x
        };
        geo::Coord {
            x,
            y: c.y.clamp(-90.0, 90.0),
        }
    });
}
