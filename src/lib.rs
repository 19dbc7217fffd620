//! Pistas: clandestine landing strips in Peru's VRAEM, each with a dated history.
//!
//! The library holds everything but the window: the [`model`] of strips and their events,
//! [`io`] to read and write GeoJSON in the Pistas profile and export it, [`analysis`] for
//! measures and statistics, and [`cli`] for the headless commands. The window (`app`) is a
//! thin layer over the same library.

pub mod analysis;
pub mod app;
pub mod cli;
pub mod edit;
pub mod io;
pub mod model;
