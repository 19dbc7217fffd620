//! What the person asked for: a command, its kind as the Edit menu says it, and the changes
//! it makes.

use super::changes::Change;

/// What the person asked for, in words for the Edit menu ("Undo rename").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Rename,
    Notes,
    Move,
    AddStrip,
    DeleteStrip,
    AddEvent,
    EditEvent,
    DeleteEvent,
    SetProperty,
    RemoveProperty,
    Merge,
    SetIds,
    /// Evidence attached, placed or taken off an event or a source.
    Evidence,
    /// Others' changes received from a database.
    Sync,
}

/// A command: a kind and the changes it makes.
#[derive(Debug, Clone)]
pub struct Command {
    pub kind: EditKind,
    pub changes: Vec<Change>,
}
