//! The headless command line: the same library as the window, without one.

mod args;
mod commands;
mod db;
mod evidence;
mod exit;
mod say;
mod story;

pub use args::{Cli, Command};
pub use commands::run;
pub use db::DbCommand;
