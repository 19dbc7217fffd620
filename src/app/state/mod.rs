//! The window's state, each part with one owner: the open document and its editor
//! (`document`), everything derived from it behind one key (`derived`), the selection,
//! background work (`jobs`), the stack of questions and dialogs (`overlays`), what is
//! remembered (`settings`), crash recovery (`recovery`), files (`files`) and the dialogs
//! that ask for them (`file_dialogs`), projects (`project`), team sync (`team`), imported
//! layers and exports (`workspace`), and what tests and benchmarks may read of it all
//! (`queries`).

pub(crate) mod derived;
pub(crate) mod document;
pub(crate) mod file_dialogs;
pub(crate) mod files;
pub(crate) mod jobs;
pub(crate) mod overlays;
pub(crate) mod project;
pub(crate) mod recovery;
pub(crate) mod selection;
pub(crate) mod settings;
pub(crate) mod team;
