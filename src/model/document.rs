//! A document: an ordered collection of features with unique ids.

use std::collections::HashSet;

use super::feature::{Feature, FeatureId};
use super::members::{Extra, extra_eq};

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
    /// A document from features in order. Features without an id (as read, see
    /// [`Feature::id_assigned`]) get a fresh one, as do features whose id an earlier
    /// feature already uses. Returns what was assigned, so that it can be reported.
    pub fn with_unique_ids(features: Vec<Feature>, foreign: Extra) -> (Self, Vec<IdChange>) {
        let mut doc = Document { features, foreign };
        // First find who needs a new id, borrowing the ids; then assign.
        let mut needs_new = Vec::new();
        let mut used: HashSet<&str, foldhash::fast::RandomState> =
            HashSet::with_capacity_and_hasher(doc.features.len(), Default::default());
        for (index, feature) in doc.features.iter().enumerate() {
            if feature.id_assigned() || !used.insert(feature.id().as_str()) {
                needs_new.push(index);
            }
        }
        if needs_new.is_empty() {
            return (doc, Vec::new());
        }
        let mut used: HashSet<String, foldhash::fast::RandomState> =
            used.into_iter().map(str::to_owned).collect();
        let mut changes = Vec::new();
        let mut counter = 0usize;
        for index in needs_new {
            let feature = &mut doc.features[index];
            let is_missing = feature.id_assigned();
            let base = if is_missing {
                "pistas".to_owned()
            } else {
                feature.id().as_str().to_owned()
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
            let old = feature.id().clone();
            if is_missing {
                feature.assign_id(new.clone());
            } else {
                feature.set_id(new.clone());
            }
            changes.push(IdChange {
                index,
                old: (!is_missing).then_some(old),
                new,
            });
        }
        (doc, changes)
    }

    /// Property names that could serve as ids for the features Pistas gave one: text or
    /// whole-number values, present and different for every such feature and used by no
    /// other feature's id. In file order of the first feature that has them.
    pub fn id_columns(&self) -> Vec<String> {
        let assigned: Vec<&Feature> = self.features.iter().filter(|f| f.id_assigned()).collect();
        let Some(first) = assigned.first() else {
            return Vec::new();
        };
        first
            .properties()
            .iter()
            .map(|(k, _)| k.clone())
            .filter(|key| self.ids_from(key).is_some())
            .collect()
    }

    /// The ids property `key` would give the features Pistas gave one, by index; `None`
    /// when some lack it, or the values repeat or clash with another feature's id.
    fn ids_from(&self, key: &str) -> Option<Vec<(usize, FeatureId)>> {
        let mut taken: HashSet<&str> = self
            .features
            .iter()
            .filter(|f| !f.id_assigned())
            .map(|f| f.id().as_str())
            .collect();
        let mut ids = Vec::new();
        for (index, feature) in self.features.iter().enumerate() {
            if !feature.id_assigned() {
                continue;
            }
            let raw = feature.property(key)?;
            let text = raw.get();
            let id = if let Some(s) = super::members::decode_str(raw) {
                if s.trim().is_empty() {
                    return None;
                }
                FeatureId::String(s.into_owned())
            } else {
                FeatureId::number(text)?
            };
            ids.push((index, id));
        }
        for (_, id) in &ids {
            if !taken.insert(id.as_str()) {
                return None;
            }
        }
        Some(ids)
    }

    /// Makes property `key` the id of every feature Pistas gave one (see
    /// [`Document::id_columns`]). Returns how many features changed, or `None` (and changes
    /// nothing) when the property cannot serve as id.
    pub fn take_ids_from(&mut self, key: &str) -> Option<usize> {
        let ids = self.ids_from(key)?;
        let count = ids.len();
        for (index, id) in ids {
            self.features[index].set_id(id);
        }
        Some(count)
    }

    /// The strips: features with an event history.
    pub fn strips(&self) -> impl Iterator<Item = &Feature> {
        self.features.iter().filter(|f| f.is_strip())
    }

    /// The position of the feature with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.features.iter().position(|f| f.id().as_str() == id)
    }

    /// An id no feature uses yet, for a new feature.
    pub fn fresh_id(&self, prefix: &str) -> FeatureId {
        let used: HashSet<&str> = self.features.iter().map(|f| f.id().as_str()).collect();
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
        let unnamed = Feature::from_parts(crate::model::FeatureParts::default());
        let features = vec![strip("a"), strip("pistas-1"), strip("a"), unnamed];
        let (doc, changes) = Document::with_unique_ids(features, Vec::new());
        let ids: Vec<&str> = doc.features.iter().map(|f| f.id().as_str()).collect();
        assert_eq!(ids, ["a", "pistas-1", "a-1", "pistas-2"]);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].old, Some(FeatureId::String("a".into())));
        assert_eq!(changes[1].old, None);
        assert!(doc.features[3].id_assigned() && !doc.features[2].id_assigned());
        assert!(!doc.features[0].id_assigned());
        assert_eq!(
            doc.fresh_id("vraem"),
            FeatureId::String("vraem-0001".into())
        );
    }
}
