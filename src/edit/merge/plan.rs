//! What a merge proposes and what is decided: matches of incoming features with working
//! ones, their conflicts, and the side each conflict keeps.

/// How features are matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchOptions {
    /// Features without a shared id match only within this distance.
    ///
    /// # Units
    /// Metres, geodesic, between representative points (a runway's or area's centroid).
    pub within_m: f64,
    /// The least name similarity (0–1, Jaro–Winkler of the names' distinctive part) for
    /// two named features to match by distance.
    pub min_similarity: f64,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            within_m: 500.0,
            min_similarity: 0.75,
        }
    }
}

/// Why two features were proposed as the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchReason {
    /// They have the same id.
    SameId,
    /// They have the same id but are farther apart than the distance limit: a conflict
    /// for a person to decide; kept apart by default.
    SameIdFar,
    /// They are within the distance and their names are alike (or one has none).
    Near,
}

impl MatchReason {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchReason::SameId => "id",
            MatchReason::SameIdFar => "id, too far apart",
            MatchReason::Near => "near",
        }
    }
}

/// What differs between two matched features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Geometry,
    Property(String),
}

impl Field {
    pub fn label(&self) -> &str {
        match self {
            Field::Geometry => "geometry",
            Field::Property(key) => key,
        }
    }
}

/// A field both sides have, with different values; the values as short text for review.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub field: Field,
    pub working: String,
    pub incoming: String,
}

/// Which side's value a merged feature keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    #[default]
    Working,
    Incoming,
}

/// A proposed match of an incoming feature with a working one.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub incoming: usize,
    pub working: usize,
    pub reason: MatchReason,
    /// Geodesic metres between the two, when both have a geometry.
    pub distance_m: Option<f64>,
    /// Name similarity, when both have a name.
    pub similarity: Option<f64>,
    pub conflicts: Vec<Conflict>,
    pub events_working: usize,
    pub events_incoming: usize,
    /// Incoming events the working side already has (same type and date).
    pub duplicate_events: usize,
}

/// All proposals, and the incoming features that match nothing (they are added).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub proposals: Vec<Proposal>,
    pub unmatched: Vec<usize>,
    /// Incoming features that match nothing but are already in the working document,
    /// equal in every respect (a feature without id or location, one Pistas could not
    /// read): nothing to add.
    pub identical: Vec<usize>,
}

impl Plan {
    /// What a merge does unless someone decides otherwise, proposal by proposal (see
    /// [`Proposal::default_decision`]).
    pub fn default_decisions(&self) -> Vec<Decision> {
        self.proposals
            .iter()
            .map(Proposal::default_decision)
            .collect()
    }
}

impl Proposal {
    /// What a merge does with this proposal unless someone decides otherwise: join the two
    /// (every conflict on the working side), or keep both when only their ids agree.
    pub fn default_decision(&self) -> Decision {
        match self.reason {
            MatchReason::SameIdFar => Decision::KeepBoth,
            _ => Decision::Merge(vec![Side::Working; self.conflicts.len()]),
        }
    }
}

/// What to do with one proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Join the two; one side per conflict, in the proposal's order (missing ones: working).
    Merge(Vec<Side>),
    /// They are different strips: add the incoming one too.
    KeepBoth,
    /// Leave the incoming one out.
    Skip,
}
