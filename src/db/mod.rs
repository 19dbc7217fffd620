//! Team sync on PostgreSQL + PostGIS: a schema QGIS opens as it is, push and pull, and a
//! sync whose unit of merge is the strip's history.
//!
//! The driver is `postgres` (the blocking face of `tokio-postgres`, the most used
//! PostgreSQL client for Rust): every call here blocks, so the window runs them on a worker
//! thread. TLS is `rustls` through `tokio-postgres-rustls`, with no system library. No ORM:
//! the SQL is short, written out, and takes every value as a bound parameter.

pub mod apply;
pub mod backup;
mod connect;
mod copy;
mod error;
pub mod files;
pub mod merge;
mod plan;
mod remote;
pub mod report;
pub mod rows;
pub mod same;
mod schema;
pub mod session;
mod settle;
pub mod state;
mod sync;

pub use connect::{Target, TlsMode};
pub use error::DbError;
pub use merge::{Conflict, Keep, Part};
pub use remote::{Fetched, check_schema, init};
pub use report::{ChangeKind, EventCounts, Resolved, StripChange, StripConflict, SyncReport};
pub use schema::SCHEMA_VERSION;
pub use session::{Access, Session, Tx};
pub use settle::{Settled, Synced};
pub use state::{Base, BaseStrip, SyncState};
pub use sync::{Picks, Progress, pull, push, sync};
