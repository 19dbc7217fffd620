//! Why an edit could not be applied, in words for a person.

/// Why a command could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The command names a feature that is not there.
    #[error("there is no feature #{0}")]
    NoFeature(usize),
    /// The command names an event that is not there.
    #[error("feature #{0} has no event #{1}")]
    NoEvent(usize, usize),
    /// Events can only be added to strips.
    #[error("feature #{0} is not a strip (it has no events list)")]
    NotStrip(usize),
    /// An edit that would give two features one id (a file written so would have its
    /// repeat renamed on the next read).
    #[error("another feature already has the id \"{0}\"")]
    IdTaken(String),
    /// A feature Pistas could not read changes only through a fix.
    #[error("feature #{0} could not be read: fix it first (its text is kept as written)")]
    Unreadable(usize),
    /// A property value that is not JSON.
    #[error("not a JSON value: {0}")]
    BadJson(String),
    /// A property name the profile writes itself (`events`, or a derived key of a strip).
    #[error("\"{0}\" is written by Pistas from the strip's events; it cannot be set by hand")]
    Reserved(String),
    /// A property that cannot serve as the features' id.
    #[error("\"{0}\" cannot serve as id: some features lack it, or its values repeat")]
    NotAnIdColumn(String),
    /// An evidence edit that names no item, or no source with a URL.
    #[error("{0}")]
    Evidence(String),
}
