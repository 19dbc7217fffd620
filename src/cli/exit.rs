//! The exit statuses of the command line's subcommands.

/// Exit status: everything fine.
pub const OK: i32 = 0;
/// Exit status: the input is invalid.
pub const INVALID: i32 = 1;
/// Exit status: usage or I/O error.
pub const FAILURE: i32 = 2;
