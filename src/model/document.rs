//! A document: an ordered collection of features with unique ids.

use std::collections::HashSet;

use super::event::{Extra, extra_eq};
use super::feature::{Feature, FeatureId};

/// An ordered collection of strips and context features, as one GeoJSON FeatureCollection.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub features: Vec<Feature>,
    /// Members of the FeatureCollection other than `type` and `features` (`bbox`, `name`,
    /// `crs`, foreign members), kept as written.
    pub foreign: Extra,
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.features == other.features && extra_eq(&self.foreign, &other.foreign)
    }
}

/// An id that Pistas gave a feature while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdChange {
    /// Index of the feature in the document.
    pub index: usize,
    /// The id it had: `None` when it had none.
    pub old: Option<FeatureId>,
    pub new: FeatureId,
}

impl Document {
    /// A document from features in order. The features listed in `missing` had no id:
    /// they get a fresh one, as do features whose id an earlier feature already uses.
    /// Returns what was assigned, so that it can be reported.
    pub fn with_unique_ids(
        features: Vec<Feature>,
        foreign: Extra,
        missing: &[usize],
    ) -> (Self, Vec<IdChange>) {
        let mut doc = Document { features, foreign };
        let missing: HashSet<usize> = missing.iter().copied().collect();
        // First find who needs a new id, borrowing the ids; then assign.
        let mut needs_new = Vec::new();
        let mut used: HashSet<&str> = HashSet::with_capacity(doc.features.len());
        for (index, feature) in doc.features.iter().enumerate() {
            if missing.contains(&index) || !used.insert(feature.id.as_str()) {
                needs_new.push(index);
            }
        }
        if needs_new.is_empty() {
            return (doc, Vec::new());
        }
        let mut used: HashSet<String> = used.into_iter().map(str::to_owned).collect();
        let mut changes = Vec::new();
        let mut counter = 0usize;
        for index in needs_new {
            let feature = &mut doc.features[index];
            let is_missing = missing.contains(&index);
            let base = if is_missing {
                "pistas".to_owned()
            } else {
                feature.id.as_str().to_owned()
            };
            let new = loop {
                counter += 1;
                let candidate = format!("{base}-{counter}");
                if !used.contains(&candidate) {
                    break candidate;
                }
            };
            used.insert(new.clone());
            let new = FeatureId::String(new);
            let old = std::mem::replace(&mut feature.id, new.clone());
            changes.push(IdChange {
                index,
                old: (!is_missing).then_some(old),
                new,
            });
        }
        (doc, changes)
    }

    /// The strips: features with an event history.
    pub fn strips(&self) -> impl Iterator<Item = &Feature> {
        self.features.iter().filter(|f| f.is_strip())
    }

    /// The position of the feature with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.features.iter().position(|f| f.id.as_str() == id)
    }

    /// An id no feature uses yet, for a new feature.
    pub fn fresh_id(&self, prefix: &str) -> FeatureId {
        let used: HashSet<&str> = self.features.iter().map(|f| f.id.as_str()).collect();
        (1..)
            .map(|n| format!("{prefix}-{n:04}"))
            .find(|candidate| !used.contains(candidate.as_str()))
            .map(FeatureId::String)
            .unwrap_or_else(|| FeatureId::String(prefix.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::point;

    fn strip(id: &str) -> Feature {
        Feature::new_strip(
            FeatureId::String(id.into()),
            id,
            point!(x: -74.0, y: -12.0).into(),
        )
    }

    #[test]
    fn missing_and_duplicate_ids_are_replaced_and_reported() {
        let features = vec![strip("a"), strip("pistas-1"), strip("a"), strip("")];
        let (doc, changes) = Document::with_unique_ids(features, Vec::new(), &[3]);
        let ids: Vec<&str> = doc.features.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["a", "pistas-1", "a-1", "pistas-2"]);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].old, Some(FeatureId::String("a".into())));
        assert_eq!(changes[1].old, None);
        assert_eq!(
            doc.fresh_id("vraem"),
            FeatureId::String("vraem-0001".into())
        );
    }
}
