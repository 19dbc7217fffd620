//! Evidence on events and sources: attached, placed on the map, taken off. Each is one
//! undo step and one journal line, like every other edit.

use super::command::EditKind;
use super::editor::Editor;
use super::error::EditError;
use crate::model::{Event, Evidence, Source};

/// Where on a strip's event an item goes: the event's own list, or a source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Event(usize),
    /// Event, then source index within it.
    Source(usize, usize),
}

impl Holder {
    pub fn event(self) -> usize {
        match self {
            Holder::Event(e) | Holder::Source(e, _) => e,
        }
    }
}

fn list_of(event: &mut Event, holder: Holder) -> Result<&mut Vec<Evidence>, EditError> {
    match holder {
        Holder::Event(_) => Ok(event.evidence_mut()),
        Holder::Source(_, s) => match event.sources_mut().get_mut(s) {
            Some(Source::Reference(r)) => Ok(r.evidence_mut()),
            _ => Err(EditError::Evidence(format!(
                "source #{} of this event is not a reference that can hold evidence",
                s + 1
            ))),
        },
    }
}

impl Editor {
    fn evidence_edit(
        &mut self,
        index: usize,
        holder: Holder,
        edit: impl FnOnce(&mut Vec<Evidence>) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        self.replace_with(EditKind::Evidence, index, |f| {
            let count = f.events().len();
            let events = f.events_mut().ok_or(EditError::Unreadable(index))?;
            let event = events
                .get_mut(holder.event())
                .ok_or(EditError::NoEvent(index, holder.event()))?;
            debug_assert!(holder.event() < count);
            edit(list_of(event, holder)?)
        })
    }

    /// Attaches `items` to an event or source of strip `index`; an item whose file (by
    /// hash) is there already is not added twice. Returns how many were added.
    pub fn add_evidence(
        &mut self,
        index: usize,
        holder: Holder,
        items: Vec<Evidence>,
    ) -> Result<usize, EditError> {
        let mut added = 0;
        self.evidence_edit(index, holder, |list| {
            for item in items {
                if !list.iter().any(|e| e.sha256() == item.sha256()) {
                    list.push(item);
                    added += 1;
                }
            }
            if added == 0 {
                return Err(EditError::Evidence(
                    "that evidence is attached there already".to_owned(),
                ));
            }
            Ok(())
        })?;
        Ok(added)
    }

    /// Replaces item `item` (placed on the map, captioned) with `value`, which must name
    /// the same file.
    pub fn set_evidence(
        &mut self,
        index: usize,
        holder: Holder,
        item: usize,
        value: Evidence,
    ) -> Result<(), EditError> {
        self.evidence_edit(index, holder, |list| {
            let slot = list.get_mut(item).ok_or_else(|| {
                EditError::Evidence(format!("there is no evidence #{}", item + 1))
            })?;
            if slot.sha256() != value.sha256() {
                return Err(EditError::Evidence(
                    "an item's hash cannot change: attach the other file instead".to_owned(),
                ));
            }
            *slot = value;
            Ok(())
        })
    }

    /// Takes item `item` off (its file stays in the evidence folder).
    pub fn remove_evidence(
        &mut self,
        index: usize,
        holder: Holder,
        item: usize,
    ) -> Result<(), EditError> {
        self.evidence_edit(index, holder, |list| {
            if item >= list.len() {
                return Err(EditError::Evidence(format!(
                    "there is no evidence #{}",
                    item + 1
                )));
            }
            list.remove(item);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_bytes;

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn item(hash: &str) -> Evidence {
        let raw = |t: &str| serde_json::value::RawValue::from_string(t.to_owned()).unwrap();
        Evidence::from_members(vec![("sha256".to_owned(), raw(&format!("\"{hash}\"")))]).unwrap()
    }

    fn editor() -> Editor {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[{"type":"sighted","date":"2014","sources":[{"title":"t","url":"http://x"},"plain"]}]}}]}"#;
        Editor::new(read_bytes(text.as_bytes(), "t").document)
    }

    #[test]
    fn evidence_is_added_once_set_and_removed_each_an_undo_step() {
        let mut ed = editor();
        assert_eq!(
            ed.add_evidence(0, Holder::Event(0), vec![item(HASH), item(HASH)]),
            Ok(1)
        );
        assert!(
            ed.add_evidence(0, Holder::Event(0), vec![item(HASH)])
                .is_err()
        );
        let placed = item(HASH)
            .with_member("footprint", "[-74.1,-12.1,-74.0,-12.0]")
            .unwrap();
        ed.set_evidence(0, Holder::Event(0), 0, placed).unwrap();
        assert!(
            ed.document().features()[0].events()[0].evidence()[0]
                .footprint()
                .is_some()
        );
        let other = HASH.replace('9', "8");
        assert!(
            ed.set_evidence(0, Holder::Event(0), 0, item(&other))
                .is_err()
        );
        assert_eq!(
            ed.add_evidence(0, Holder::Source(0, 0), vec![item(&other)]),
            Ok(1)
        );
        assert!(
            ed.add_evidence(0, Holder::Source(0, 1), vec![item(&other)])
                .is_err()
        );
        assert!(
            ed.add_evidence(0, Holder::Event(3), vec![item(&other)])
                .is_err()
        );
        ed.remove_evidence(0, Holder::Event(0), 0).unwrap();
        assert!(
            ed.document().features()[0].events()[0]
                .evidence()
                .is_empty()
        );
        assert_eq!(ed.undo_kind(), Some(EditKind::Evidence));
        for _ in 0..4 {
            ed.undo();
        }
        assert!(!ed.can_undo());
        assert!(
            ed.document().features()[0].events()[0]
                .evidence()
                .is_empty()
        );
    }
}
