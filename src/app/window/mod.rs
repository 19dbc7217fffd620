//! How each feature is wired into the window's state ([`PistasApp`](crate::app::PistasApp)):
//! placing the panels, the map and the overlays, starting background work and taking its
//! results, opening, importing, exporting, syncing and stories. Panels, dialogs, the map and
//! the state types below `app/` never name `PistasApp`; they are given what they show and
//! return what the person asked for.

mod evidence;
mod import;
mod map;
mod overlays;
mod panels;
mod picker;
mod problems;
mod project;
mod queries;
mod stories;
mod sync_report;
mod team;
mod workspace;
