//! The panels of the window, each given what it shows and returning what the person asked
//! for: the inspector (`inspector`, with the lifeline: `lifeline`), the table (`table`),
//! the statistics (`stats_view`), the timeline (`timeline`), the layers and filters
//! sidebar (`layers`, `filters`), the problems panel (`problems`), unread events
//! (`unread_view`) and property values as text (`values`). Where they sit in the window is
//! `app/window/panels.rs`.

pub(crate) mod filters;
pub(crate) mod inspector;
pub mod layers;
pub(crate) mod lifeline;
pub(crate) mod problems;
pub(crate) mod stats_view;
pub(crate) mod table;
pub(crate) mod timeline;
pub(crate) mod unread_view;
pub(crate) mod values;

use std::path::PathBuf;

/// The path with `.png` as its extension (kept when it already has it, in any case).
pub(crate) fn with_png_extension(path: PathBuf) -> PathBuf {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        path
    } else {
        path.with_extension("png")
    }
}
