//! The last sync's report, opened from the status bar: every strip sent and received
//! (added, changed or deleted, with its events), the conflicts a pick resolved and those
//! left, and the copy of the document as it was before the sync.

use crate::app::i18n::{Lang, T};
use crate::db::{ChangeKind, StripChange};

pub(crate) fn kind_text(lang: Lang, kind: ChangeKind) -> &'static str {
    lang.t(match kind {
        ChangeKind::Added => T::SyncAdded,
        ChangeKind::Changed => T::SyncChanged,
        ChangeKind::Deleted => T::SyncDeleted,
    })
}

/// The events a sync changed in a strip, only the counts that are not zero
/// (`events: 1 added, 2 deleted`).
pub(crate) fn events_text(lang: Lang, change: &StripChange) -> String {
    let e = change.events;
    let parts: Vec<String> = [
        (e.added, T::SyncEventsAdded),
        (e.changed, T::SyncEventsChanged),
        (e.deleted, T::SyncEventsDeleted),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, t)| lang.fill(*t, &[&n.to_string()]))
    .collect();
    if parts.is_empty() {
        return String::new();
    }
    lang.fill(T::SyncEvents, &[&parts.join(", ")])
}
