//! File ▸ Connect to database…, Sync, the conflicts review and the sync's place in the
//! status bar.

use crate::app::i18n::T;
use crate::db::{Keep, Part, Picks, StripConflict};

/// The conflicts a sync left, with a side picked for each (none: still open).
pub struct ConflictReview {
    pub generation: u64,
    pub strips: Vec<StripConflict>,
    pub picks: Vec<Vec<Option<Keep>>>,
}

impl ConflictReview {
    pub fn new(generation: u64, strips: Vec<StripConflict>) -> Self {
        let picks = strips
            .iter()
            .map(|s| vec![None; s.conflicts.len()])
            .collect();
        ConflictReview {
            generation,
            strips,
            picks,
        }
    }

    pub(crate) fn chosen(&self) -> Picks {
        let mut picks = Picks::default();
        for (strip, sides) in self.strips.iter().zip(&self.picks) {
            for (conflict, side) in strip.conflicts.iter().zip(sides) {
                if let Some(side) = side {
                    picks
                        .each
                        .insert((strip.strip.clone(), conflict.part.clone()), *side);
                }
            }
        }
        picks
    }
}

pub(crate) fn part_label(lang: crate::app::i18n::Lang, part: &Part) -> String {
    match part {
        Part::Existence => lang.t(T::ConflictExistence).to_owned(),
        Part::Geometry => lang.t(T::ConflictGeometry).to_owned(),
        Part::Property(key) => key.clone(),
        Part::Event(_) => lang.t(T::ConflictEvent).to_owned(),
    }
}
