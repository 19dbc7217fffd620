//! A strip's or an event's values as the text of a cell, shared by every tabular export
//! and KML.

use chrono::NaiveDate;

use crate::model::{Event, Feature, Source, Status};

pub(super) fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub(super) fn rounded(value: Option<f64>) -> String {
    value.map(|v| format!("{}", v.round())).unwrap_or_default()
}

pub(super) fn sources_text(sources: &[Source]) -> String {
    sources
        .iter()
        .map(Source::label)
        .collect::<Vec<_>>()
        .join(" | ")
}

pub(super) fn source_urls(sources: &[Source]) -> String {
    sources
        .iter()
        .filter_map(|s| match s {
            Source::Reference(r) => r.url().as_deref().or(r.archived_url().as_deref()),
            Source::Text(_) => None,
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A property as a spreadsheet cell: text as it is, anything else as its JSON.
pub(super) fn property_cell(feature: &Feature, key: &str) -> String {
    feature
        .property(key)
        .map_or_else(String::new, |raw| match raw.get() {
            // Null and absent both read back absent.
            "null" => String::new(),
            _ => crate::model::decode_str(raw)
                .map_or_else(|| raw.get().to_owned(), |s| s.into_owned()),
        })
}

/// The status a strip is in right after each of its events, by event index.
pub(super) fn status_after_each(events: &[Event]) -> Vec<Status> {
    crate::model::statuses_after(events, &crate::model::chronological(events))
}
