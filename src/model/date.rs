//! Dates as researchers write them: an EDTF level-1 subset.
//!
//! `2014`, `2014-09`, `2014-09-05`, each optionally followed by `~` (approximate),
//! `?` (uncertain) or `%` (both). Every date covers a range of days, from its earliest
//! to its latest day, so a month-precise date can be compared with a day-precise one.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// The EDTF qualifier of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Qualifier {
    #[default]
    None,
    /// `~`: the date is approximate ("around September 2014").
    Approximate,
    /// `?`: the source is not sure of the date.
    Uncertain,
    /// `%`: both approximate and uncertain.
    ApproximateUncertain,
}

impl Qualifier {
    fn suffix(self) -> &'static str {
        match self {
            Qualifier::None => "",
            Qualifier::Approximate => "~",
            Qualifier::Uncertain => "?",
            Qualifier::ApproximateUncertain => "%",
        }
    }
}

/// A date of an event: a day, month or year, maybe approximate or uncertain.
///
/// Its earliest and latest days are worked out once, when it is made: statuses and
/// histories compare them millions of times when a large file opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    year: i32,
    month: u8,
    day: u8,
    precision: Precision,
    qualifier: Qualifier,
    /// The first and last day of the range, from the fields above.
    first: NaiveDate,
    last: NaiveDate,
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{text}\" is not a date Pistas understands: {reason}")]
pub struct DateError {
    text: String,
    reason: String,
}

impl DateError {
    /// The text as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What is wrong, in words.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

const HOW_TO_WRITE: &str = "write 2014 (a year), 2014-09 (a month) or 2014-09-05 (a day), \
    adding ~ when approximate or ? when uncertain";

/// The numbers of a date written exactly `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as almost
/// every date is: read without splitting. Other spellings take the general path.
fn canonical(body: &str) -> Option<(i32, u32, u32, Precision)> {
    let b = body.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = digits(0..4)? as i32;
    match b.len() {
        4 => Some((year, 1, 1, Precision::Year)),
        7 if b[4] == b'-' => Some((year, digits(5..7)?, 1, Precision::Month)),
        10 if b[4] == b'-' && b[7] == b'-' => {
            Some((year, digits(5..7)?, digits(8..10)?, Precision::Day))
        }
        _ => None,
    }
}

impl FuzzyDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, optionally followed by `~`, `?` or `%`.
    ///
    /// ```
    /// use pistas::model::FuzzyDate;
    /// let d = FuzzyDate::parse("2014-09~").unwrap();
    /// assert_eq!(d.start().to_string(), "2014-09-01");
    /// assert_eq!(d.end().to_string(), "2014-09-30");
    /// assert!(FuzzyDate::parse("2014-13-40").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let fail = |reason: String| DateError {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(fail(format!("it is empty; {HOW_TO_WRITE}")));
        }
        let (body, qualifier) = match trimmed.as_bytes()[trimmed.len() - 1] {
            b'~' => (&trimmed[..trimmed.len() - 1], Qualifier::Approximate),
            b'?' => (&trimmed[..trimmed.len() - 1], Qualifier::Uncertain),
            b'%' => (
                &trimmed[..trimmed.len() - 1],
                Qualifier::ApproximateUncertain,
            ),
            _ => (trimmed, Qualifier::None),
        };
        if let Some((year, month, day, precision)) = canonical(body) {
            return FuzzyDate::checked(year, month, day, precision, qualifier).map_err(fail);
        }
        let mut split = body.split('-');
        let parts: [&str; 3] = [
            split.next().unwrap_or(""),
            split.next().unwrap_or(""),
            split.next().unwrap_or(""),
        ];
        let count = 3 - parts.iter().rev().take_while(|p| p.is_empty()).count();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let shape_ok = split.next().is_none()
            && match count {
                1 => digits(parts[0], 4),
                2 => digits(parts[0], 4) && digits(parts[1], 2),
                3 => digits(parts[0], 4) && digits(parts[1], 2) && digits(parts[2], 2),
                _ => false,
            };
        if !shape_ok {
            if body.contains('/') || body.contains("..") {
                return Err(fail(format!(
                    "date ranges are not supported in an event date; {HOW_TO_WRITE}"
                )));
            }
            return Err(fail(HOW_TO_WRITE.to_owned()));
        }
        // The shape check above guarantees these are ASCII digits of fitting length.
        let number = |s: &str| s.parse::<u32>().unwrap_or(0);
        let year = number(parts[0]) as i32;
        let (month, day, precision) = match count {
            1 => (1, 1, Precision::Year),
            2 => (number(parts[1]), 1, Precision::Month),
            _ => (number(parts[1]), number(parts[2]), Precision::Day),
        };
        FuzzyDate::checked(year, month, day, precision, qualifier).map_err(fail)
    }

    /// The date, if the month and day exist; else why not.
    fn checked(
        year: i32,
        month: u32,
        day: u32,
        precision: Precision,
        qualifier: Qualifier,
    ) -> Result<Self, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month:02} does not exist; {HOW_TO_WRITE}"));
        }
        let Some(first) = NaiveDate::from_ymd_opt(year, month, day) else {
            return Err(format!(
                "{year}-{month:02} has no day {day:02}; {HOW_TO_WRITE}"
            ));
        };
        let last = match precision {
            Precision::Day => Some(first),
            Precision::Month => first
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt()),
            Precision::Year => NaiveDate::from_ymd_opt(year, 12, 31),
        }
        .unwrap_or(NaiveDate::MAX);
        // A month is 1..=12 and a day 1..=31 once `first` exists.
        Ok(FuzzyDate {
            year,
            month: month as u8,
            day: day as u8,
            precision,
            qualifier,
            first,
            last,
        })
    }

    /// An exact day.
    pub fn from_day(day: NaiveDate) -> Self {
        FuzzyDate {
            year: day.year(),
            month: day.month() as u8,
            day: day.day() as u8,
            precision: Precision::Day,
            qualifier: Qualifier::None,
            first: day,
            last: day,
        }
    }

    /// The same date with another qualifier.
    pub fn with_qualifier(mut self, qualifier: Qualifier) -> Self {
        self.qualifier = qualifier;
        self
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    pub fn qualifier(&self) -> Qualifier {
        self.qualifier
    }

    /// True when the date is not an exact day stated with certainty.
    pub fn is_fuzzy(&self) -> bool {
        self.precision != Precision::Day || self.qualifier != Qualifier::None
    }

    /// The earliest day the date can mean.
    pub fn start(&self) -> NaiveDate {
        self.first
    }

    /// The latest day the date can mean.
    pub fn end(&self) -> NaiveDate {
        self.last
    }

    /// The middle of the range, used as the best single estimate.
    pub fn midpoint(&self) -> NaiveDate {
        let start = self.first.num_days_from_ce();
        let days = (self.last.num_days_from_ce() - start) / 2;
        self.first
            .checked_add_days(chrono::Days::new(days as u64))
            .unwrap_or(self.last)
    }

    /// True when the date's range contains `day`.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{:04}", self.year)?,
            Precision::Month => write!(f, "{:04}-{:02}", self.year, self.month)?,
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?,
        }
        f.write_str(self.qualifier.suffix())
    }
}

impl std::str::FromStr for FuzzyDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FuzzyDate::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("test day")
    }

    #[test]
    fn bounds_of_each_precision() {
        let y = FuzzyDate::parse("2016").expect("year");
        assert_eq!((y.start(), y.end()), (day("2016-01-01"), day("2016-12-31")));
        let m = FuzzyDate::parse("2016-02").expect("month");
        assert_eq!((m.start(), m.end()), (day("2016-02-01"), day("2016-02-29")));
        let d = FuzzyDate::parse("2014-09-05?").expect("day");
        assert_eq!((d.start(), d.end()), (day("2014-09-05"), day("2014-09-05")));
        assert_eq!(d.qualifier(), Qualifier::Uncertain);
        assert!(d.is_fuzzy());
        assert!(!FuzzyDate::parse("2014-09-05").expect("exact").is_fuzzy());
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "2014",
            "2014-09",
            "2014-09-05",
            "2014~",
            "2014-09?",
            "2014-09-05%",
        ] {
            assert_eq!(FuzzyDate::parse(text).expect(text).to_string(), text);
        }
    }

    #[test]
    fn bad_dates_explain_themselves() {
        let err = FuzzyDate::parse("2014-13-40").expect_err("bad month");
        assert!(err.to_string().contains("month 13 does not exist"), "{err}");
        let err = FuzzyDate::parse("2015-02-29").expect_err("not a leap year");
        assert!(err.to_string().contains("has no day 29"), "{err}");
        let err = FuzzyDate::parse("Sept 2014").expect_err("words");
        assert!(err.to_string().contains("write 2014"), "{err}");
        let err = FuzzyDate::parse("2014/2015").expect_err("range");
        assert!(err.to_string().contains("ranges"), "{err}");
        assert!(FuzzyDate::parse("").is_err());
        assert!(FuzzyDate::parse("14-09").is_err());
        assert!(FuzzyDate::parse("2014-9").is_err());
    }

    proptest::proptest! {
        /// The days worked out when a date is made are those of the calendar, for any
        /// year, month and day written at any precision.
        #[test]
        fn first_last_and_middle_days_are_the_calendar_s(
            year in 0i32..10000,
            month in 1u32..=12,
            day in 1u32..=31,
            precision in 0usize..3,
        ) {
            let text = match precision {
                0 => format!("{year:04}"),
                1 => format!("{year:04}-{month:02}"),
                _ => format!("{year:04}-{month:02}-{day:02}"),
            };
            let Ok(date) = FuzzyDate::parse(&text) else {
                // Only a day that does not exist is refused.
                proptest::prop_assert!(precision == 2);
                proptest::prop_assert!(NaiveDate::from_ymd_opt(year, month, day).is_none());
                return Ok(());
            };
            let (start, end) = match precision {
                0 => (
                    NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
                    NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
                ),
                1 => {
                    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
                    let next = if month == 12 {
                        NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap()
                    } else {
                        NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap()
                    };
                    (first, next.pred_opt().unwrap())
                }
                _ => {
                    let d = NaiveDate::from_ymd_opt(year, month, day).unwrap();
                    (d, d)
                }
            };
            proptest::prop_assert_eq!(date.start(), start);
            proptest::prop_assert_eq!(date.end(), end);
            proptest::prop_assert_eq!(
                date.midpoint(),
                start + chrono::Duration::days((end - start).num_days() / 2)
            );
            proptest::prop_assert_eq!(date.to_string(), text.clone());
            proptest::prop_assert_eq!(FuzzyDate::parse(&format!("{text}~")).unwrap().start(), start);
            if precision == 2 {
                proptest::prop_assert_eq!(FuzzyDate::from_day(start), date);
            }
        }
    }

    #[test]
    fn midpoint_and_contains() {
        let m = FuzzyDate::parse("2014-09").expect("month");
        assert_eq!(m.midpoint(), day("2014-09-15"));
        assert!(m.contains(day("2014-09-30")));
        assert!(!m.contains(day("2014-10-01")));
    }
}
