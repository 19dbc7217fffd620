//! What a person asks of the inspector: each edit of a strip, its history or its evidence.

use crate::edit::{EditError, Editor};
use crate::model::Event;

/// An edit asked for in the inspector.
#[derive(Debug)]
pub enum Edit {
    Rename(usize, String),
    Notes(usize, String),
    /// A new shape; the map centres on the given lon/lat.
    Shape(usize, geo::Geometry<f64>, (f64, f64)),
    AddEvent(usize, Event),
    SetEvent(usize, usize, Event),
    DeleteEvent(usize, usize),
    SetProperty(usize, String, String),
    RemoveProperty(usize, String),
    /// Replace unread event `.1` of a strip with its fix.
    FixUnreadEvent(usize, usize, Event),
    DeleteUnreadEvent(usize, usize),
    /// Make a property the id of every feature whose id Pistas gave.
    TakeIds(String),
}

impl Edit {
    pub fn apply(self, editor: &mut Editor) -> Outcome {
        let mut go_to = None;
        let result = match self {
            Edit::Rename(i, name) => editor.rename(i, &name),
            Edit::Notes(i, notes) => editor.set_notes(i, &notes),
            Edit::Shape(i, shape, at) => {
                go_to = Some(at);
                editor.set_shape(i, shape)
            }
            Edit::AddEvent(i, e) => editor.add_event(i, e).map(|_| ()),
            Edit::SetEvent(i, j, e) => editor.set_event(i, j, e),
            Edit::DeleteEvent(i, j) => editor.delete_event(i, j),
            Edit::SetProperty(i, k, v) => editor.set_property(i, &k, &v),
            Edit::RemoveProperty(i, k) => editor.remove_property(i, &k),
            Edit::FixUnreadEvent(i, j, e) => editor.fix_unread_event(i, j, e),
            Edit::DeleteUnreadEvent(i, j) => editor.delete_unread_event(i, j),
            Edit::TakeIds(key) => editor.take_ids_from(&key).map(drop),
        };
        Outcome { result, go_to }
    }
}

/// The result of applying an [`Edit`].
pub struct Outcome {
    pub result: Result<(), EditError>,
    pub go_to: Option<(f64, f64)>,
}
