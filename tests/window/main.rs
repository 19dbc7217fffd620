//! The window's tests, in one binary: each test binary links egui and wgpu, so one link
//! instead of four saves minutes and gigabytes in CI.
//!
//! `cargo test --test window` runs them; `UPDATE_SNAPSHOTS=1 cargo test --test window
//! snapshots` rewrites the snapshots under `tests/snapshots/`.

#[path = "../common/mod.rs"]
mod common;

mod dialogs;
mod evidence;
mod flows;
mod formats;
mod hero;
mod layers;
mod parts;
mod random;
#[path = "../db/server.rs"]
#[allow(dead_code)]
mod server;
mod snapshots;
mod stories;
mod table_fill;
mod team;
mod tiles;
mod time;
mod timeline;
mod view;
