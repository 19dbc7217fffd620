//! A document: an ordered collection of features with unique ids.

use std::collections::HashSet;

use super::feature::{Feature, FeatureId};
use super::members::{Extra, extra_eq};

/// An ordered collection of strips and context features, as one GeoJSON FeatureCollection.
///
/// Every change goes through a method that keeps the written ids unique: a feature with a
/// taken id is refused ([`IdTaken`]), and no caller gets a `&mut Feature` it could give
/// another's id (changes to a feature go through [`Document::update`]). Ids Pistas gave
/// features without one are for this session only and never written: they are exempt.
#[derive(Debug, Clone, Default)]
pub struct Document {
    features: Vec<Feature>,
    /// Members of the FeatureCollection other than `type` and `features` (`bbox`, `name`,
    /// `crs`, foreign members), kept as written.
    foreign: Extra,
}

/// A change refused because the feature's id is another feature's. Ids are the same when
/// their text is (`"1"` and `1` are one id), as the reader and the editor take them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the id \"{0}\" is already another feature's")]
pub struct IdTaken(String);

impl IdTaken {
    /// The id that is taken.
    pub fn id(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.features == other.features && extra_eq(&self.foreign, &other.foreign)
    }
}

/// An id that Pistas gave a feature while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdChange {
    index: usize,
    old: Option<FeatureId>,
    new: FeatureId,
}

impl IdChange {
    /// Index of the feature in the document.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The id it had: `None` when it had none.
    pub fn old(&self) -> Option<&FeatureId> {
        self.old.as_ref()
    }

    /// The id it has now.
    pub fn new_id(&self) -> &FeatureId {
        &self.new
    }
}

impl Document {
    /// A document of these features, in order; refused when two of them have the same
    /// written id (see [`Document::with_unique_ids`] to rename instead).
    pub fn new(features: Vec<Feature>, foreign: Extra) -> Result<Self, IdTaken> {
        let doc = Document { features, foreign };
        match doc.repeated_id() {
            Some(id) => Err(IdTaken(id)),
            None => Ok(doc),
        }
    }

    /// A document of one feature.
    pub fn of_one(feature: Feature) -> Self {
        Document {
            features: vec![feature],
            foreign: Vec::new(),
        }
    }

    /// A copy of the features `keep` says yes to (given each index), in order, with the
    /// same collection members: ids stay unique, as in any part of a document.
    pub fn subset(&self, mut keep: impl FnMut(usize, &Feature) -> bool) -> Self {
        Document {
            features: self
                .features
                .iter()
                .enumerate()
                .filter(|(i, f)| keep(*i, f))
                .map(|(_, f)| f.clone())
                .collect(),
            foreign: self.foreign.clone(),
        }
    }

    /// The features, in order.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The FeatureCollection's members other than `type` and `features`, as written.
    pub fn foreign(&self) -> &Extra {
        &self.foreign
    }

    /// Replaces the FeatureCollection's other members; `type` and `features` are the
    /// document's own and are dropped.
    pub fn set_foreign(&mut self, mut foreign: Extra) {
        foreign.retain(|(k, _)| k != "type" && k != "features");
        self.foreign = foreign;
    }

    /// Makes every feature hold what it says itself (see [`Feature::make_own`]): the
    /// file's text is then let go. The model a document had before features kept spans of
    /// their file; what it says and writes is the same.
    pub fn make_own(&mut self) {
        for feature in &mut self.features {
            feature.make_own();
        }
    }

    /// Every property name the features have (`name` and `notes` too), first seen first.
    /// Unedited features answer with the names their file's features had when it was
    /// read, without reading each again: a name only deleted features had may be listed
    /// until the file is read again.
    pub fn property_keys(&self) -> Vec<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut keys = Vec::new();
        let mut sources: Vec<&std::sync::Arc<super::feature::SharedText>> = Vec::new();
        let mut add = |name: &str| {
            if !seen.contains(name) {
                seen.insert(name.to_owned());
                keys.push(name.to_owned());
            }
        };
        for feature in &self.features {
            match feature.kept_source() {
                Some(source) => {
                    if !sources.iter().any(|s| std::sync::Arc::ptr_eq(s, source)) {
                        sources.push(source);
                        source.keys().iter().for_each(|k| add(k));
                    }
                }
                None => feature.properties().iter().for_each(|(k, _)| add(k)),
            }
        }
        keys
    }

    /// The features, consumed, in order.
    pub fn into_features(self) -> Vec<Feature> {
        self.features
    }

    /// The first written id two features share, if any.
    pub fn repeated_id(&self) -> Option<String> {
        let mut seen: HashSet<&str, foldhash::fast::RandomState> =
            HashSet::with_capacity_and_hasher(self.features.len(), Default::default());
        self.features
            .iter()
            .filter(|f| !f.id_assigned())
            .map(|f| f.id().as_str())
            .find(|id| !seen.insert(id))
            .map(str::to_owned)
    }

    /// Refuses `feature` when a feature other than the one at `except` has its id.
    fn check_free(&self, feature: &Feature, except: Option<usize>) -> Result<(), IdTaken> {
        if feature.id_assigned() {
            return Ok(());
        }
        let id = feature.id();
        let taken =
            self.features.iter().enumerate().any(|(i, f)| {
                Some(i) != except && !f.id_assigned() && f.id().as_str() == id.as_str()
            });
        if taken {
            Err(IdTaken(id.as_str().to_owned()))
        } else {
            Ok(())
        }
    }

    /// Adds a feature at the end; refused when its id is taken. Returns its index.
    pub fn push(&mut self, feature: Feature) -> Result<usize, IdTaken> {
        self.check_free(&feature, None)?;
        self.features.push(feature);
        Ok(self.features.len() - 1)
    }

    /// Inserts a feature at `index` (at most the number of features); refused when its
    /// id is taken.
    pub fn insert(&mut self, index: usize, feature: Feature) -> Result<(), IdTaken> {
        self.check_free(&feature, None)?;
        self.features
            .insert(index.min(self.features.len()), feature);
        Ok(())
    }

    /// Puts `feature` in place of the one at `index` and returns that one; refused when
    /// another feature has its id. `None` when there is no feature at `index`.
    pub fn replace(&mut self, index: usize, feature: Feature) -> Option<Result<Feature, IdTaken>> {
        if index >= self.features.len() {
            return None;
        }
        Some(
            self.check_free(&feature, Some(index))
                .map(|()| std::mem::replace(&mut self.features[index], feature)),
        )
    }

    /// Removes and returns the feature at `index`.
    pub fn remove(&mut self, index: usize) -> Feature {
        self.features.remove(index)
    }

    /// Keeps the first `len` features.
    pub fn truncate(&mut self, len: usize) {
        self.features.truncate(len);
    }

    /// Keeps the features `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Feature) -> bool) {
        self.features.retain(keep);
    }

    /// Makes `id` the written id of the feature at `index`; refused when another feature
    /// has it.
    pub fn set_id(&mut self, index: usize, id: FeatureId) -> Result<(), IdTaken> {
        let taken = self
            .features
            .iter()
            .enumerate()
            .any(|(i, f)| i != index && !f.id_assigned() && f.id().as_str() == id.as_str());
        if taken {
            return Err(IdTaken(id.as_str().to_owned()));
        }
        if let Some(f) = self.features.get_mut(index) {
            f.set_id(id);
        }
        Ok(())
    }

    /// Changes the feature at `index` through `change`. Its id cannot change here (see
    /// [`Document::set_id`]): a `change` that gives it another id is undone for the id
    /// alone, and `Err` says so. `None` when there is no feature at `index`.
    pub fn update<R>(
        &mut self,
        index: usize,
        change: impl FnOnce(&mut Feature) -> R,
    ) -> Option<Result<R, IdTaken>> {
        let feature = self.features.get_mut(index)?;
        let (id, origin) = (feature.id().clone(), feature.id_origin().clone());
        let out = change(feature);
        if *feature.id() == id && *feature.id_origin() == origin {
            return Some(Ok(out));
        }
        let wanted = feature.id().as_str().to_owned();
        feature.put_id(id, origin);
        Some(Err(IdTaken(wanted)))
    }

    /// Changes every feature through `change`, as [`Document::update`] does one.
    pub fn update_all(&mut self, mut change: impl FnMut(&mut Feature)) -> Result<(), IdTaken> {
        let mut refused = None;
        for index in 0..self.features.len() {
            if let Some(Err(e)) = self.update(index, &mut change) {
                refused.get_or_insert(e);
            }
        }
        refused.map_or(Ok(()), Err)
    }

    /// Makes the ids Pistas gave this session the features' own, written from now on (a
    /// strip in a database needs a lasting id). Returns how many changed; refused, with
    /// nothing changed, when one of them is also another feature's written id.
    pub fn keep_assigned_ids(&mut self) -> Result<usize, IdTaken> {
        let mut written: HashSet<&str> = HashSet::new();
        for f in self.features.iter().filter(|f| !f.id_assigned()) {
            written.insert(f.id().as_str());
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for f in self.features.iter().filter(|f| f.id_assigned()) {
            let id = f.id().as_str();
            if written.contains(id) || !seen.insert(id) {
                return Err(IdTaken(id.to_owned()));
            }
        }
        let mut count = 0;
        for f in self.features.iter_mut().filter(|f| f.id_assigned()) {
            f.set_id(f.id().clone());
            count += 1;
        }
        Ok(count)
    }

    /// The list itself, for batches that keep ids unique themselves: the editor's
    /// all-or-nothing commands (it checks the ids once the batch is applied and puts
    /// everything back when two repeat, see `edit::Editor::apply`) and a sync's settling
    /// (it replaces strips by id and appends only ids the list lacks).
    pub(crate) fn list_for_batch(&mut self) -> &mut Vec<Feature> {
        &mut self.features
    }

    /// A document from features in order. Features without an id (as read, see
    /// [`Feature::id_assigned`]) get a fresh one, as do features whose id an earlier
    /// feature already uses. Returns what was assigned, so that it can be reported.
    pub fn with_unique_ids(features: Vec<Feature>, foreign: Extra) -> (Self, Vec<IdChange>) {
        let mut doc = Document { features, foreign };
        // Who needs a new id: first by a hash of each id (8 bytes a feature, where a set of
        // the ids themselves costs 16 and more), then exactly, among the ids whose hash
        // repeats only.
        let state = foldhash::fast::FixedState::default();
        let hash = |id: &str| std::hash::BuildHasher::hash_one(&state, id);
        let mut seen: HashSet<u64, foldhash::fast::RandomState> =
            HashSet::with_capacity_and_hasher(doc.features.len(), Default::default());
        let mut repeated: HashSet<u64, foldhash::fast::RandomState> = HashSet::default();
        let mut assigned = false;
        for feature in &doc.features {
            if feature.id_assigned() {
                assigned = true;
            } else {
                let h = hash(feature.id().as_str());
                if !seen.insert(h) {
                    repeated.insert(h);
                }
            }
        }
        drop(seen);
        if repeated.is_empty() && !assigned {
            return (doc, Vec::new());
        }
        let mut needs_new = Vec::new();
        let mut first: HashSet<&str> = HashSet::new();
        for (index, feature) in doc.features.iter().enumerate() {
            let id = feature.id().as_str();
            if feature.id_assigned() || (repeated.contains(&hash(id)) && !first.insert(id)) {
                needs_new.push(index);
            }
        }
        if needs_new.is_empty() {
            return (doc, Vec::new());
        }
        let mut used: HashSet<String, foldhash::fast::RandomState> = doc
            .features
            .iter()
            .filter(|f| !f.id_assigned())
            .map(|f| f.id().as_str().to_owned())
            .collect();
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
mod tests;
