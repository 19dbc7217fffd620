//! Figures derived from a strip's history: counts, first and last event, rebuild intervals.

use chrono::NaiveDate;

use super::event::{Event, EventType};
use super::status::{Status, chronological, status_at};

/// The time from a destruction to the rebuild that follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildInterval {
    /// Index of the destruction among the strip's events.
    destroyed: usize,
    /// Index of the rebuild among the strip's events.
    rebuilt: usize,
    /// Best estimate in days: between the middles of the two dates, never negative.
    days: i64,
    /// The fewest days the two dates allow (never negative).
    min_days: i64,
    /// The most days the two dates allow.
    max_days: i64,
    /// True when either date is approximate, uncertain or not a single day.
    fuzzy: bool,
}

/// The summary of a strip's history that the profile writes next to its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// Event indices in chronological order.
    order: Vec<usize>,
    times_destroyed: usize,
    times_rebuilt: usize,
    first_event: Option<NaiveDate>,
    last_event: Option<NaiveDate>,
    rebuilds: Vec<RebuildInterval>,
}

impl RebuildInterval {
    /// Index of the destruction among the strip's events.
    pub fn destroyed(&self) -> usize {
        self.destroyed
    }

    /// Index of the rebuild among the strip's events.
    pub fn rebuilt(&self) -> usize {
        self.rebuilt
    }

    /// Best estimate in days: between the middles of the two dates, never negative.
    pub fn days(&self) -> i64 {
        self.days
    }

    /// The fewest days the two dates allow (never negative).
    pub fn min_days(&self) -> i64 {
        self.min_days
    }

    /// The most days the two dates allow.
    pub fn max_days(&self) -> i64 {
        self.max_days
    }

    /// True when either date is approximate, uncertain or not a single day.
    pub fn fuzzy(&self) -> bool {
        self.fuzzy
    }
}

impl History {
    /// Event indices in chronological order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    pub fn times_destroyed(&self) -> usize {
        self.times_destroyed
    }

    pub fn times_rebuilt(&self) -> usize {
        self.times_rebuilt
    }

    /// The first day of the earliest event.
    pub fn first_event(&self) -> Option<NaiveDate> {
        self.first_event
    }

    /// The last day of the latest event.
    pub fn last_event(&self) -> Option<NaiveDate> {
        self.last_event
    }

    /// Each destruction followed by a rebuild, in chronological order.
    pub fn rebuilds(&self) -> &[RebuildInterval] {
        &self.rebuilds
    }

    /// Reads the history of a list of events.
    pub fn of(events: &[Event]) -> Self {
        let order = chronological(events);
        let mut rebuilds = Vec::new();
        let mut times_destroyed = 0;
        // The walk of the status rule (`status::chronological`): a destruction, then any
        // event that puts the strip back in use (rebuilt, built or sighted), is a rebuild.
        let mut pending_destruction: Option<usize> = None;
        for &i in &order {
            match events[i].kind() {
                EventType::Destroyed => {
                    times_destroyed += 1;
                    pending_destruction = Some(i);
                }
                EventType::Reported => {}
                _ => {
                    if let Some(d) = pending_destruction.take() {
                        let (a, b) = (&events[d].date(), &events[i].date());
                        rebuilds.push(RebuildInterval {
                            destroyed: d,
                            rebuilt: i,
                            days: (b.midpoint() - a.midpoint()).num_days().max(0),
                            min_days: (b.start() - a.end()).num_days().max(0),
                            max_days: (b.end() - a.start()).num_days().max(0),
                            fuzzy: a.is_fuzzy() || b.is_fuzzy(),
                        });
                    }
                }
            }
        }
        History {
            times_destroyed,
            times_rebuilt: rebuilds.len(),
            first_event: events.iter().map(|e| e.date().start()).min(),
            last_event: events.iter().map(|e| e.date().end()).max(),
            rebuilds,
            order,
        }
    }

    /// The state at `day` and whether it rests on a fuzzy date.
    pub fn status_at(&self, events: &[Event], day: NaiveDate) -> (Status, bool) {
        status_at(events, &self.order, day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FuzzyDate;

    fn ev(kind: EventType, date: &str) -> Event {
        Event::new(kind, FuzzyDate::parse(date).expect("test date"))
    }

    #[test]
    fn counts_and_intervals() {
        let events = vec![
            ev(EventType::Sighted, "2014-03"),
            ev(EventType::Destroyed, "2014-09-05"),
            ev(EventType::Rebuilt, "2014-09~"),
            ev(EventType::Destroyed, "2015-01-10"),
            ev(EventType::Rebuilt, "2015-01-14"),
            ev(EventType::Rebuilt, "2015-06-01"),
        ];
        let h = History::of(&events);
        // The last rebuild report finds the strip in use already: two returns to use.
        assert_eq!((h.times_destroyed, h.times_rebuilt), (2, 2));
        assert_eq!(h.first_event, Some("2014-03-01".parse().expect("day")));
        assert_eq!(h.last_event, Some("2015-06-01".parse().expect("day")));
        assert_eq!(
            h.rebuilds.len(),
            2,
            "a rebuild with no destruction before it has no interval"
        );
        let first = h.rebuilds[0];
        assert_eq!((first.destroyed, first.rebuilt), (1, 2));
        assert_eq!(first.days, 10); // 5 September to the middle of September (the 15th)
        assert_eq!((first.min_days, first.max_days), (0, 25));
        assert!(first.fuzzy);
        let second = h.rebuilds[1];
        assert_eq!((second.days, second.min_days, second.max_days), (4, 4, 4));
        assert!(!second.fuzzy);
    }

    #[test]
    fn status_and_counts_follow_one_rule() {
        // A coarse sighting after an exact destruction: the year counts from its middle.
        let events = vec![
            ev(EventType::Destroyed, "2014-03-01"),
            ev(EventType::Sighted, "2014"),
        ];
        let h = History::of(&events);
        let day = |d: &str| d.parse::<NaiveDate>().expect("day");
        assert_eq!(h.status_at(&events, day("2014-03-15")).0, Status::Destroyed);
        assert_eq!(h.status_at(&events, day("2014-07-02")).0, Status::Rebuilt);
        assert_eq!((h.times_destroyed, h.times_rebuilt), (1, 1));
        assert_eq!(h.rebuilds[0].rebuilt, 1);
    }
}
