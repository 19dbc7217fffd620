//! How many events of each type fall on each day, over the features that pass the
//! filters: counted once, then kept up to date by difference. A new date flips a few
//! strips in or out of a status filter, an edit changes one strip: neither recounts a
//! million strips' events.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::filter::FactBook;
use crate::model::EventType;

/// Events on one day, by type (in [`EventType::ALL`] order).
pub type TypeCounts = [u32; 5];

/// Days a dense count may span (about 1,100 years); a wider span is kept sparse.
const DENSE_DAYS: i64 = 400_000;

#[derive(Debug, Clone, PartialEq)]
enum Store {
    /// One slot per day from `first` (days from the common era).
    Dense {
        first: i32,
        days: Vec<TypeCounts>,
    },
    Sparse(BTreeMap<i32, TypeCounts>),
}

/// Events per day of the passing features.
#[derive(Debug, Clone, PartialEq)]
pub struct DayCounts {
    store: Store,
}

impl Default for DayCounts {
    fn default() -> Self {
        DayCounts {
            store: Store::Sparse(BTreeMap::new()),
        }
    }
}

/// Where `kind` is counted.
pub fn type_slot(kind: EventType) -> usize {
    EventType::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl DayCounts {
    /// Counts the events of every feature that passes.
    pub fn count(facts: &FactBook, passes: &[bool]) -> Self {
        let days = (0..passes.len())
            .flat_map(|i| facts.event_days_of(i))
            .map(|(d, _)| d.num_days_from_ce());
        let span = days.fold(None, |s: Option<(i32, i32)>, d| {
            Some(s.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
        });
        let mut counts = DayCounts {
            store: match span {
                Some((a, b)) if i64::from(b) - i64::from(a) < DENSE_DAYS => Store::Dense {
                    first: a,
                    days: vec![[0; 5]; (b - a + 1) as usize],
                },
                _ => Store::Sparse(BTreeMap::new()),
            },
        };
        for (i, _) in passes.iter().enumerate().filter(|(_, p)| **p) {
            counts.add(facts.event_days_of(i), true);
        }
        counts
    }

    /// Adds (`true`) or removes (`false`) a feature's events.
    pub fn add(&mut self, events: &[(NaiveDate, EventType)], add: bool) {
        for (day, kind) in events {
            let slot = self.slot(day.num_days_from_ce());
            let n = &mut slot[type_slot(*kind)];
            *n = if add {
                n.saturating_add(1)
            } else {
                n.saturating_sub(1)
            };
        }
    }

    /// The counts of `day`, made room for.
    fn slot(&mut self, day: i32) -> &mut TypeCounts {
        if let Store::Dense { first, days } = &mut self.store {
            let last = *first + days.len() as i32 - 1;
            let (a, b) = ((*first).min(day), last.max(day));
            if i64::from(b) - i64::from(a) >= DENSE_DAYS {
                let sparse = days
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.iter().any(|n| *n > 0))
                    .map(|(k, c)| (*first + k as i32, *c))
                    .collect();
                self.store = Store::Sparse(sparse);
            } else if day < *first {
                let grow = (*first - day) as usize;
                days.splice(0..0, std::iter::repeat_n([0; 5], grow));
                *first = day;
            } else if day > last {
                days.resize(days.len() + (day - last) as usize, [0; 5]);
            }
        }
        match &mut self.store {
            Store::Dense { first, days } => &mut days[(day - *first) as usize],
            Store::Sparse(map) => map.entry(day).or_insert([0; 5]),
        }
    }

    /// The days with events, in order.
    pub fn days(&self) -> Box<dyn Iterator<Item = (NaiveDate, TypeCounts)> + '_> {
        let date = |d: i32| NaiveDate::from_num_days_from_ce_opt(d);
        match &self.store {
            Store::Dense { first, days } => Box::new(
                days.iter()
                    .enumerate()
                    .filter(|(_, c)| c.iter().any(|n| *n > 0))
                    .filter_map(move |(k, c)| Some((date(*first + k as i32)?, *c))),
            ),
            Store::Sparse(map) => Box::new(
                map.iter()
                    .filter(|(_, c)| c.iter().any(|n| *n > 0))
                    .filter_map(move |(d, c)| Some((date(*d)?, *c))),
            ),
        }
    }

    /// The first and last day with an event.
    pub fn range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.days().next()?.0;
        let last = match &self.store {
            Store::Dense { first, days } => days
                .iter()
                .rposition(|c| c.iter().any(|n| *n > 0))
                .and_then(|k| NaiveDate::from_num_days_from_ce_opt(*first + k as i32)),
            Store::Sparse(map) => map
                .iter()
                .rev()
                .find(|(_, c)| c.iter().any(|n| *n > 0))
                .and_then(|(d, _)| NaiveDate::from_num_days_from_ce_opt(*d)),
        }?;
        Some((first, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_str;
    use proptest::prelude::*;

    fn facts() -> FactBook {
        let doc = crate::model::synthetic::generate(60, 4);
        let text = crate::io::write_geojson(&doc, &Default::default());
        FactBook::build(&read_str(&text, "x").document)
    }

    proptest! {
        /// Flipping features in and out by difference gives the counts of a recount, as
        /// does an event far outside the span (the store turns sparse).
        #[test]
        fn differences_give_the_recount(flips in proptest::collection::vec((0usize..60, any::<bool>()), 0..80)) {
            let facts = facts();
            let mut passes = vec![true; 60];
            let mut counts = DayCounts::count(&facts, &passes);
            for (i, on) in flips {
                if passes[i] != on {
                    counts.add(facts.event_days_of(i), on);
                    passes[i] = on;
                }
            }
            let recount = DayCounts::count(&facts, &passes);
            prop_assert_eq!(counts.days().collect::<Vec<_>>(), recount.days().collect::<Vec<_>>());
            prop_assert_eq!(counts.range(), recount.range());
            let far = [(NaiveDate::from_ymd_opt(-3000, 1, 1).unwrap(), EventType::Built)];
            counts.add(&far, true);
            prop_assert_eq!(counts.range().map(|r| r.0), Some(far[0].0));
            counts.add(&far, false);
            prop_assert_eq!(counts.days().collect::<Vec<_>>(), recount.days().collect::<Vec<_>>());
        }
    }
}
