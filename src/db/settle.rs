//! What a sync settled, brought into this side's document and base.

use std::collections::HashMap;

use super::report::SyncReport;
use super::state::{Base, BaseStrip, SyncState};
use crate::model::{Document, Feature};

/// A strip as both sides hold it after a sync (`feature: None`: deleted on both).
#[derive(Debug, Clone)]
pub struct Settled {
    pub id: String,
    pub feature: Option<Feature>,
    /// Row keys of its read events, in order.
    pub keys: Vec<String>,
    pub version: i64,
}

/// The result of a sync: the strips it settled (only those: an incremental sync touches
/// nothing else), the base's new state, and the report. [`Synced::settle`] brings them into
/// this side's document and base.
#[derive(Debug, Clone)]
pub struct Synced {
    pub settled: Vec<Settled>,
    /// The database's collection members, when this side takes them (a first sync of a
    /// document that has none).
    pub foreign: Option<crate::model::Extra>,
    pub(super) state: SyncState,
    pub report: SyncReport,
}

impl Synced {
    /// The document: settled strips replace this side's, deleted ones go, new ones come
    /// after this side's own.
    pub fn settle_doc(&self, doc: &mut Document) {
        settle_features(doc.list_for_batch(), &self.settled);
        if let Some(foreign) = &self.foreign {
            doc.set_foreign(foreign.clone());
        }
    }

    /// The base: the settled strips as they now are on both sides, the new mark.
    pub fn settle_base(&self, base: &mut Base) {
        settle_features(base.doc.list_for_batch(), &self.settled);
        if let Some(foreign) = &self.foreign {
            base.doc.set_foreign(foreign.clone());
        }
        let strips = std::mem::take(&mut base.state.strips);
        base.state = SyncState {
            strips,
            ..self.state.clone()
        };
        for s in &self.settled {
            match &s.feature {
                Some(_) => {
                    base.state.strips.insert(
                        s.id.clone(),
                        BaseStrip {
                            version: s.version,
                            keys: s.keys.clone(),
                        },
                    );
                }
                None => {
                    base.state.strips.remove(&s.id);
                }
            }
        }
    }

    /// A sync that settled every strip that differs between `before` and `after` (tests).
    #[cfg(test)]
    pub(crate) fn for_test(before: &Document, after: &Document) -> Self {
        let mut settled = Vec::new();
        for f in after.features() {
            let old = before.features().iter().find(|b| b.id() == f.id());
            if old.is_none_or(|o| !super::same::same_feature(o, f)) {
                settled.push(Settled {
                    id: f.id().as_str().to_owned(),
                    feature: Some(f.clone()),
                    keys: f.events().iter().map(|_| super::same::new_key()).collect(),
                    version: 1,
                });
            }
        }
        for b in before.features() {
            if !after.features().iter().any(|f| f.id() == b.id()) {
                settled.push(Settled {
                    id: b.id().as_str().to_owned(),
                    feature: None,
                    keys: Vec::new(),
                    version: 0,
                });
            }
        }
        Synced {
            settled,
            foreign: None,
            state: SyncState::default(),
            report: SyncReport::default(),
        }
    }

    /// Both, from the document and base the sync started with.
    pub fn settle(&self, doc: &mut Document, base: &mut Base) {
        self.settle_doc(doc);
        self.settle_base(base);
    }
}

/// Replaces, removes and appends settled strips in a list of features.
fn settle_features(features: &mut Vec<Feature>, settled: &[Settled]) {
    let index: HashMap<String, usize> = features
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id().as_str().to_owned(), i))
        .collect();
    let mut gone = std::collections::HashSet::new();
    for s in settled {
        match (index.get(&s.id), &s.feature) {
            (Some(&i), Some(f)) => features[i] = f.clone(),
            (Some(&i), None) => {
                gone.insert(i);
            }
            (None, Some(f)) => features.push(f.clone()),
            (None, None) => {}
        }
    }
    if !gone.is_empty() {
        let mut i = 0;
        features.retain(|_| {
            i += 1;
            !gone.contains(&(i - 1))
        });
    }
}
