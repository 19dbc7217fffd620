//! The panels of the window and their places: the inspector (`inspector`, with the
//! lifeline), the centre's tabs (the map, the table: `table`, the statistics:
//! `stats_view`), the timeline (`timeline`), the layers and filters sidebar (`layers`,
//! `filters`), the problems panel (`problems`) and unread events (`unread_view`); this
//! file places them and saves a chart as PNG.

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
