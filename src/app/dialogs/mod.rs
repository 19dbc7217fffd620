//! The window's dialogs, each drawing itself and returning the person's answer: Export…
//! (`export_view`), the import preview (`import_view`), the merge review (`merge_view`),
//! connecting to the team's database and reviewing a sync's conflicts (`team_view`), the
//! last sync's report (`sync_report_view`), dossiers and the web map (`stories`), the
//! in-window file picker (`picker`), and the shortcuts and About (`help`). What their
//! answers start is in `app/window/`.

pub mod export_view;
pub(crate) mod help;
pub(crate) mod import_view;
pub(crate) mod merge_view;
pub(crate) mod picker;
pub(crate) mod stories;
pub(crate) mod sync_report_view;
pub(crate) mod team_view;
