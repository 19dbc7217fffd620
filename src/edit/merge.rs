//! Merging another layer into the working document: which features are the same strip,
//! and one command that joins their histories without losing either side.
//!
//! Matching trusts only what the files say: features with the same id (an id the file
//! gave, never one Pistas assigned while reading) match; when they are farther apart than
//! the distance limit the match is proposed as a conflict and kept apart unless someone
//! decides otherwise. The others match the nearest unmatched feature within a distance
//! (500 m by default) whose name is alike (or when either side has no name, as imagery
//! detections often do). Each feature matches at most once; features Pistas could not read
//! never match and are added as they are.
//!
//! Merging two features keeps the working feature and adds to it: events the working side
//! lacks, sources of events both sides have (the same type on the same date), properties only
//! the incoming side has. Properties both sides have with different values, and different
//! geometries, are conflicts: the caller picks a side for each (the working side by default).

mod command;
mod join;
mod plan;
mod propose;

pub use command::{ReportRow, RowAction, merge_command, report_csv};
pub(crate) use join::same_json;
pub use join::{MergeCounts, conflicts, merge_features, same_event};
pub use plan::{Conflict, Decision, Field, MatchOptions, MatchReason, Plan, Proposal, Side};
pub use propose::propose;
