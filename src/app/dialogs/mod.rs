//! The window's dialogs: Export… (`export_view`), the import preview (`import_view`), the
//! merge review (`merge_view`), team sync (`team_view`) and its report
//! (`sync_report_view`), dossiers and the web map (`stories`), and the in-window file
//! picker (`picker`).

pub mod export_view;
pub(crate) mod help;
pub(crate) mod import_view;
pub(crate) mod merge_view;
pub(crate) mod picker;
pub(crate) mod stories;
pub(crate) mod sync_report_view;
pub(crate) mod team_view;
