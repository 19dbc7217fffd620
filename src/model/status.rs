//! A strip's state at a date, derived from its events.

use std::fmt;

use chrono::NaiveDate;

use super::event::{Event, EventType};

/// The state of a strip at some date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No state-changing event yet.
    Unknown,
    /// Built or seen in use, never destroyed before.
    Active,
    /// Usable again after at least one destruction.
    Rebuilt,
    /// Destroyed and not (yet) rebuilt.
    Destroyed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Active,
        Status::Rebuilt,
        Status::Destroyed,
        Status::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Active => "active",
            Status::Rebuilt => "rebuilt",
            Status::Destroyed => "destroyed",
        }
    }

    /// The colour every output draws this status in (the window, dossiers, the web map):
    /// red active, orange rebuilt, grey destroyed, blue no history yet.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Status::Active => [0xd6, 0x2f, 0x2f],
            Status::Rebuilt => [0xe8, 0x7d, 0x00],
            Status::Destroyed => [0x55, 0x55, 0x55],
            Status::Unknown => [0x2f, 0x7f, 0xc1],
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The order in which a history is read: by the middle of each date's range, then its
/// latest day, then as written. So `2014-09~` (rebuilt) follows `2014-09-05` (destroyed).
///
/// **The one rule for coarse and exact dates**: an event takes effect on the middle day of
/// its date's range (`2014` on 2014-07-02, `2014-09` on 2014-09-15, a day on that day).
/// The status at a date counts the events that took effect by then, in this order, and the
/// counts of a history ([`crate::model::History`]) come from the same walk, so status and
/// counts always agree: `destroyed 2014-03-01` with `sighted 2014` is destroyed from
/// 1 March and rebuilt (`times_rebuilt` 1) from 2 July.
pub fn chronological(events: &[Event]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by_key(|&i| (events[i].date().midpoint(), events[i].date().end()));
    order
}

/// The state after `kind` happens to a strip in state `before`; `ever_destroyed` says
/// whether it was destroyed at any time before.
fn next_status(before: Status, kind: EventType, ever_destroyed: bool) -> Status {
    match kind {
        EventType::Reported => before,
        EventType::Destroyed => Status::Destroyed,
        _ if ever_destroyed => Status::Rebuilt,
        _ => Status::Active,
    }
}

/// The state at `day`, and whether it rests on an approximate or uncertain date.
///
/// An event counts from the middle day of its date (see [`chronological`]): `2014-09`
/// counts from 2014-09-15.
pub fn status_at(events: &[Event], order: &[usize], day: NaiveDate) -> (Status, bool) {
    let mut status = Status::Unknown;
    let mut fuzzy = false;
    let mut ever_destroyed = false;
    for &i in order {
        let event = &events[i];
        if event.date().midpoint() > day || !event.kind().changes_state() {
            continue;
        }
        fuzzy = event.date().is_fuzzy();
        status = next_status(status, event.kind(), ever_destroyed);
        ever_destroyed |= event.kind() == EventType::Destroyed;
    }
    (status, fuzzy)
}

/// The state right after each event, by event index, reading them in `order`.
pub fn statuses_after(events: &[Event], order: &[usize]) -> Vec<Status> {
    let mut after = vec![Status::Unknown; events.len()];
    let mut status = Status::Unknown;
    let mut ever_destroyed = false;
    for &i in order {
        status = next_status(status, events[i].kind(), ever_destroyed);
        ever_destroyed |= events[i].kind() == EventType::Destroyed;
        after[i] = status;
    }
    after
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FuzzyDate;

    fn ev(kind: EventType, date: &str) -> Event {
        Event::new(kind, FuzzyDate::parse(date).expect("test date"))
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test day")
    }

    #[test]
    fn follows_the_rules_of_the_design() {
        let events = vec![
            ev(EventType::Rebuilt, "2014-09~"),
            ev(EventType::Sighted, "2014-03"),
            ev(EventType::Destroyed, "2014-09-05"),
            ev(EventType::Reported, "2015"),
        ];
        let order = chronological(&events);
        assert_eq!(order, vec![1, 2, 0, 3]);
        let at = |d: &str| status_at(&events, &order, day(d));
        assert_eq!(at("2014-01-01"), (Status::Unknown, false));
        assert_eq!(at("2014-03-01"), (Status::Unknown, false));
        assert_eq!(at("2014-03-16"), (Status::Active, true));
        // "2014-09~" counts from the middle of September, after the destruction it follows.
        assert_eq!(at("2014-09-05"), (Status::Destroyed, false));
        assert_eq!(at("2014-09-15"), (Status::Rebuilt, true));
        assert_eq!(at("2016-01-01"), (Status::Rebuilt, true));
        use Status::*;
        assert_eq!(
            statuses_after(&events, &order),
            vec![Rebuilt, Active, Destroyed, Rebuilt]
        );
    }

    #[test]
    fn rebuilt_after_destruction() {
        let events = vec![
            ev(EventType::Built, "2013"),
            ev(EventType::Destroyed, "2014-09-05"),
            ev(EventType::Rebuilt, "2014-09-20"),
        ];
        let order = chronological(&events);
        assert_eq!(
            status_at(&events, &order, day("2014-10-01")),
            (Status::Rebuilt, false)
        );
        assert_eq!(
            status_at(&events, &order, day("2013-07-02")),
            (Status::Active, true)
        );
        assert_eq!(
            status_at(&events, &order, day("2013-06-01")),
            (Status::Unknown, false)
        );
    }
}

/// A strip's status as a step function of the day: the same answers as [`status_at`], looked
/// up by binary search, so statuses for many strips at a new date cost one search each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusTimeline {
    /// From each day on (until the next entry): the status and whether it is fuzzy.
    steps: Vec<(NaiveDate, Status, bool)>,
}

impl StatusTimeline {
    /// The timeline of `events` read in `order`, which must be [`chronological`]: one walk,
    /// a step on each day an event takes effect.
    pub fn of(events: &[Event], order: &[usize]) -> Self {
        let changing: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| events[i].kind().changes_state())
            .collect();
        let mut steps = Vec::new();
        let (mut status, mut ever_destroyed) = (Status::Unknown, false);
        for (n, &i) in changing.iter().enumerate() {
            let event = &events[i];
            status = next_status(status, event.kind(), ever_destroyed);
            ever_destroyed |= event.kind() == EventType::Destroyed;
            let day = event.date().midpoint();
            let last_that_day = changing
                .get(n + 1)
                .is_none_or(|&j| events[j].date().midpoint() != day);
            if last_that_day {
                steps.push((day, status, event.date().is_fuzzy()));
            }
        }
        StatusTimeline { steps }
    }

    /// The steps: from each day on, the status and whether it is fuzzy.
    pub fn steps(&self) -> &[(NaiveDate, Status, bool)] {
        &self.steps
    }

    /// The status at `day` and whether it rests on a fuzzy date.
    pub fn at(&self, day: NaiveDate) -> (Status, bool) {
        let n = self.steps.partition_point(|(d, _, _)| *d <= day);
        match n {
            0 => (Status::Unknown, false),
            n => {
                let (_, status, fuzzy) = self.steps[n - 1];
                (status, fuzzy)
            }
        }
    }
}

#[cfg(test)]
mod timeline_tests {
    use super::*;
    use crate::model::FuzzyDate;

    fn event(kind: EventType, date: &str) -> Event {
        Event::new(kind, FuzzyDate::parse(date).unwrap())
    }

    #[test]
    fn timeline_agrees_with_status_at_every_day() {
        let events = vec![
            event(EventType::Built, "2013"),
            event(EventType::Destroyed, "2014-09-05"),
            event(EventType::Rebuilt, "2014-09~"),
            event(EventType::Reported, "2014-10-02"),
            event(EventType::Destroyed, "2015-02?"),
            event(EventType::Rebuilt, "2015-02-20"),
        ];
        let order = chronological(&events);
        let timeline = StatusTimeline::of(&events, &order);
        let mut day = NaiveDate::from_ymd_opt(2012, 12, 1).unwrap();
        while day < NaiveDate::from_ymd_opt(2015, 6, 1).unwrap() {
            assert_eq!(timeline.at(day), status_at(&events, &order, day), "{day}");
            day = day.succ_opt().unwrap();
        }
        // A month counts from its middle day, and says it rests on an approximate date.
        let middle = NaiveDate::from_ymd_opt(2014, 9, 15).unwrap();
        assert_eq!(timeline.at(middle), (Status::Rebuilt, true));
    }
}

#[cfg(test)]
mod rule_properties {
    use super::*;
    use crate::model::{FuzzyDate, History};
    use proptest::prelude::*;

    fn history() -> impl Strategy<Value = Vec<Event>> {
        let date = prop::sample::select(vec![
            "2013",
            "2014",
            "2014-03",
            "2014-03-01",
            "2014-07-02",
            "2014-09~",
            "2014-09-05",
            "2015?",
            "2015-01-10",
            "2015-06",
        ]);
        let kind = prop::sample::select(EventType::ALL.to_vec());
        prop::collection::vec((kind, date), 0..10).prop_map(|v| {
            v.into_iter()
                .map(|(k, d)| Event::new(k, FuzzyDate::parse(d).expect("date")))
                .collect()
        })
    }

    proptest! {
        /// The timeline, `status_at` and the counts of `History` follow one rule.
        #[test]
        fn timeline_status_and_counts_agree(events in history(), offset in 0i64..1200) {
            let order = chronological(&events);
            let timeline = StatusTimeline::of(&events, &order);
            let day = NaiveDate::from_ymd_opt(2012, 6, 1).expect("day")
                + chrono::Duration::days(offset);
            prop_assert_eq!(timeline.at(day), status_at(&events, &order, day));
            let h = History::of(&events);
            let (last, _) = status_at(&events, &order, NaiveDate::MAX);
            // "rebuilt" exactly when it was put back in use after a destruction and is in use.
            prop_assert_eq!(
                last == Status::Rebuilt,
                h.times_rebuilt() > 0 && last != Status::Destroyed
            );
            prop_assert!(h.times_rebuilt() <= h.times_destroyed());
        }
    }
}
