//! Every change to the document is a command here, so undo/redo, the unsaved-changes flag
//! and autosave work the same way for every edit. No egui: the window and tests share it.

mod changes;
mod command;
pub(crate) mod coords;
mod editor;
mod error;
mod evidence;
pub mod merge;

pub use changes::{Change, replay};
pub use command::{Command, EditKind};
pub use coords::{CoordError, Hemisphere, format_dms, parse_angle, parse_coordinates};
pub use editor::Editor;
pub use error::EditError;
pub use evidence::Holder;

#[cfg(test)]
mod tests;
