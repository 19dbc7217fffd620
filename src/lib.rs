//! Pistas: clandestine landing strips in Peru's VRAEM, each with a dated history.
//!
//! The library holds everything but the window: the [`model`] of strips and their events,
//! [`io`] to read and write GeoJSON in the Pistas profile and export it, [`analysis`] for
//! measures and statistics, and [`cli`] for the headless commands. The window (`app`) is a
//! thin layer over the same library.

pub mod analysis;
#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
pub mod db;
pub mod edit;
pub mod geodata;
pub mod io;
pub mod logging;
pub mod model;
pub mod story;

/// The version and the commit it was built from (`build.rs`), as `pistas --version` and
/// Help ▸ About say it.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("PISTAS_COMMIT"),
    ")"
);

/// How many threads the machine runs at once. Asking costs system calls and reading
/// cgroup files (about a millisecond), so it is asked once.
pub(crate) fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}
