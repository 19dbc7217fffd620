//! Everything the window derives from the document, the filters and the date, behind one
//! key ([`ViewKey`]) and one refresh: the map's projected features, the facts filters read,
//! every feature's status, what is shown, the strips as places, statistics and the
//! id-column offer. Nothing here can be read for another document or an older state: each
//! part records the key it was computed for, and [`Derived::refresh`] is the only way in.

use chrono::NaiveDate;

use crate::analysis::{DayCounts, FactBook, Filter, Nearest, Stats};
use crate::app::map::strips::StripCache;
use crate::app::state::document::{OpenDocument, Version};
use crate::model::{Document, EventType, Status};

/// The filters in force, with a generation that changes whenever they do.
#[derive(Default)]
pub struct Filters {
    filter: Filter,
    generation: u64,
}

impl Filters {
    pub fn get(&self) -> &Filter {
        &self.filter
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn set(&mut self, filter: Filter) {
        if filter != self.filter {
            self.filter = filter;
            self.generation += 1;
        }
    }

    /// Changes the filters in place; the generation moves if they changed.
    pub fn edit(&mut self, change: impl FnOnce(&mut Filter)) {
        let mut filter = self.filter.clone();
        change(&mut filter);
        self.set(filter);
    }
}

/// What is derived for: the document's version, the filters, the date and the time window
/// (days before the date; `None` when every date is shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewKey {
    pub version: Version,
    pub filter: u64,
    pub date: NaiveDate,
    pub window: Option<i64>,
}

/// The strips as places, for "nearest other strip".
pub struct StripPlaces {
    pub nearest: Nearest,
    /// Place index of each feature (strips with a position).
    pub own: Vec<Option<usize>>,
    pub names: Vec<String>,
}

/// Features that have no id of their own, and the columns that could give them one.
pub struct IdColumns {
    pub assigned: usize,
    pub columns: Vec<String>,
}

pub struct Derived {
    key: Option<ViewKey>,
    /// The version `cache` and `facts` were built for.
    built_for: Option<Version>,
    pub cache: StripCache,
    pub facts: FactBook,
    /// Each feature's status at the date and whether a fuzzy date decides it.
    pub statuses: Vec<(Status, bool)>,
    /// The features that pass the filters (the timeline counts their events).
    pub passes: Vec<bool>,
    /// What is shown everywhere (map, table, statistics, counts, filtered exports): the
    /// features that pass the filters and, with a time window, have an event in it.
    pub shown: Vec<bool>,
    places: Option<(Version, StripPlaces)>,
    /// Facts the reader worked out for a document just opened, for the rebuild that
    /// follows (see [`Derived::prepare_facts`]).
    prepared: Option<Vec<crate::analysis::Facts>>,
    /// Every property key of the document, first seen first (the table's column chooser).
    property_keys: Option<(Version, Vec<String>)>,
    stats: Option<(ViewKey, Stats)>,
    id_columns: Option<(Version, Option<IdColumns>)>,
    /// Moves whenever the events' days or which features pass the filters may have
    /// changed: the timeline's histogram is keyed on it (a rename leaves it as it was).
    events_key: u64,
    /// The last `passes`, to tell whether they changed (a reused buffer).
    passes_before: Vec<bool>,
    /// The passing features' events per day (the timeline), kept by difference.
    pub histogram: DayCounts,
    /// How many of `shown` are true.
    shown_total: usize,
}

/// How [`Derived::refresh`] brought the cache and the facts to the document's version.
enum Built {
    /// They were built for it already.
    Same,
    /// Updated for an edit in place: the edited features, with their events' days before it.
    Edited(Vec<(usize, Vec<(NaiveDate, EventType)>)>),
    /// Built anew.
    Anew,
}

impl Derived {
    pub fn new(date: NaiveDate) -> Self {
        Derived {
            key: None,
            built_for: None,
            cache: StripCache::build(&Document::default(), 0, date),
            facts: FactBook::default(),
            statuses: Vec::new(),
            passes: Vec::new(),
            shown: Vec::new(),
            places: None,
            property_keys: None,
            prepared: None,
            stats: None,
            id_columns: None,
            events_key: 0,
            passes_before: Vec::new(),
            histogram: DayCounts::default(),
            shown_total: 0,
        }
    }

    /// The key of what the timeline's histogram counts: the passing features' events.
    pub fn events_key(&self) -> u64 {
        self.events_key
    }

    /// The key everything was last computed for.
    pub fn key(&self) -> Option<ViewKey> {
        self.key
    }

    /// Brings everything up to date with the document, the filters and the date. The one
    /// place the key is checked and set: the steps below only follow it.
    pub fn refresh(
        &mut self,
        open: &OpenDocument,
        filters: &Filters,
        date: NaiveDate,
        window: Option<i64>,
    ) {
        let built = self.build_for(open, date);
        let key = ViewKey {
            version: open.version(),
            filter: filters.generation(),
            date,
            window,
        };
        if self.key == Some(key) {
            return;
        }
        let features = open.document().features().len();
        let followed = match (&built, self.key) {
            (Built::Edited(edited), Some(old)) => {
                self.restate_edited(edited, old, key, filters, features)
            }
            (Built::Same, Some(old)) => self.step_date(old, key, filters, features),
            _ => false,
        };
        if !followed {
            self.restate_all(filters, date, window, !matches!(built, Built::Same));
        }
        self.key = Some(key);
    }

    /// Brings the map's cache and the facts to the document's version: by the features an
    /// edit replaced in place, or built anew.
    fn build_for(&mut self, open: &OpenDocument, date: NaiveDate) -> Built {
        let doc = open.document();
        let version = open.version();
        if self.built_for == Some(version) {
            return Built::Same;
        }
        let built = match self.built_for.and_then(|v| open.touched_since(v)) {
            // An edit in place: update only what changed (a full rebuild at 100k strips
            // takes a quarter of a second).
            Some(indices) if self.facts.facts.len() == doc.features().len() => {
                let indices = indices.to_vec();
                let before = indices
                    .iter()
                    .map(|&i| (i, self.facts.event_days_of(i).to_vec()))
                    .collect();
                self.cache.update(doc, &indices, version.state());
                self.facts.update(doc, &indices);
                self.update_places(doc, &indices, version);
                Built::Edited(before)
            }
            _ => {
                self.cache = StripCache::build(doc, version.state(), date);
                self.facts = match self.prepared.take() {
                    Some(facts) if facts.len() == doc.features().len() => {
                        FactBook::from_facts(facts)
                    }
                    _ => FactBook::build(doc),
                };
                Built::Anew
            }
        };
        self.built_for = Some(version);
        built
    }

    /// Under the same filters, date and window, an edit in place changes the status and
    /// visibility of the edited features only; false when that does not hold.
    fn restate_edited(
        &mut self,
        edited: &[(usize, Vec<(NaiveDate, EventType)>)],
        old: ViewKey,
        key: ViewKey,
        filters: &Filters,
        features: usize,
    ) -> bool {
        let ViewKey { date, window, .. } = key;
        if (old.version.generation(), old.filter, old.date, old.window)
            != (key.version.generation(), key.filter, date, window)
            || self.statuses.len() != features
        {
            return false;
        }
        let from = window.map(|days| date - chrono::Days::new(days.max(0) as u64));
        for (i, days_before) in edited {
            let i = *i;
            let status = self.facts.status_of(i, date);
            let passes = self.facts.passes_one(i, filters.get(), status.0);
            let shown =
                passes && from.is_none_or(|from| self.facts.facts[i].has_event_between(from, date));
            self.restate(i, status, passes, shown, Some(days_before));
        }
        true
    }

    /// A new date alone, without a time window: only the features with a status step
    /// between the two dates can change (a week at a million strips: a few thousand).
    /// False when more than that changed, or more than an eighth of the features.
    fn step_date(
        &mut self,
        old: ViewKey,
        key: ViewKey,
        filters: &Filters,
        features: usize,
    ) -> bool {
        if (old.version, old.filter, old.window, key.window)
            != (key.version, key.filter, None, None)
            || self.statuses.len() != features
        {
            return false;
        }
        let changed = self.facts.changed_between(old.date, key.date);
        if changed.len() > features / 8 {
            return false;
        }
        let statuses: Vec<_> = changed
            .iter()
            .map(|&i| (i, self.facts.status_of(i, key.date)))
            .collect();
        let passing: Vec<bool> = self
            .facts
            .passes_some(filters.get(), statuses.iter().map(|(i, s)| (*i, s.0)))
            .collect();
        for (&(i, status), passes) in statuses.iter().zip(passing) {
            self.restate(i, status, passes, passes, None);
        }
        self.cache.date = key.date;
        true
    }

    /// Every feature's status, filter result and visibility anew, and the map's view of
    /// them (`facts_changed`: the histogram is counted anew).
    fn restate_all(
        &mut self,
        filters: &Filters,
        date: NaiveDate,
        window: Option<i64>,
        facts_changed: bool,
    ) {
        self.facts.statuses_into(date, &mut self.statuses);
        std::mem::swap(&mut self.passes, &mut self.passes_before);
        self.facts
            .apply_into(filters.get(), &self.statuses, &mut self.passes);
        self.count_events(facts_changed);
        self.shown.clone_from(&self.passes);
        within_window(&self.facts, date, window, &mut self.shown);
        self.shown_total = self.shown.iter().filter(|s| **s).count();
        // The map draws exactly what is shown. Buffers are reused: this runs on every
        // date change.
        self.cache.visible.clone_from(&self.shown);
        self.cache
            .set_view_state(date, &self.statuses, window.is_some());
    }

    /// Brings the histogram up to the passes: by the features whose result flipped since
    /// `passes_before`, or counted anew after the facts changed (or when most flipped).
    fn count_events(&mut self, facts_changed: bool) {
        let (now, before) = (&self.passes, &self.passes_before);
        let flipped: Vec<usize> = if facts_changed || now.len() != before.len() {
            Vec::new()
        } else {
            (0..now.len()).filter(|&i| now[i] != before[i]).collect()
        };
        if facts_changed || now.len() != before.len() || flipped.len() > now.len() / 8 {
            self.histogram = DayCounts::count(&self.facts, now);
            self.events_key += 1;
            return;
        }
        for &i in &flipped {
            self.histogram.add(self.facts.event_days_of(i), now[i]);
        }
        if !flipped.is_empty() {
            self.events_key += 1;
        }
    }

    /// How many features are shown.
    pub fn shown_count(&self) -> usize {
        self.shown_total
    }

    /// Feature `i`'s status, filter result and visibility now, keeping the shown count and
    /// the timeline's counts (`days_before`: its events' days as last counted, when an
    /// edit changed them).
    fn restate(
        &mut self,
        i: usize,
        status: (Status, bool),
        passes: bool,
        shown: bool,
        days_before: Option<&[(NaiveDate, EventType)]>,
    ) {
        self.statuses[i] = status;
        let days = self.facts.event_days_of(i);
        let days_before = days_before.unwrap_or(days);
        if self.passes[i] != passes || (passes && days_before != days) {
            if self.passes[i] {
                self.histogram.add(days_before, false);
            }
            if passes {
                self.histogram.add(days, true);
            }
            self.events_key += 1;
        }
        self.passes[i] = passes;
        if self.shown[i] != shown {
            self.shown[i] = shown;
            if shown {
                self.shown_total += 1;
            } else {
                self.shown_total -= 1;
            }
        }
        self.cache.set_one(i, status, shown);
    }

    /// Follows an edit in place in the strips as places, when they were computed for the
    /// version before it (moved, renamed, become or ceased to be a place).
    fn update_places(&mut self, doc: &Document, indices: &[usize], version: Version) {
        let Some((v, places)) = &mut self.places else {
            return;
        };
        if Some(*v) != self.built_for {
            return;
        }
        for &i in indices {
            let (Some(f), Some(own)) = (self.facts.facts.get(i), places.own.get_mut(i)) else {
                continue;
            };
            let place = f.lon_lat.filter(|_| f.strip);
            let label = doc.features()[i].label().to_owned();
            match (*own, place) {
                (Some(k), Some(_)) => {
                    places.nearest.set(k, place);
                    places.names[k] = label;
                }
                (Some(k), None) => {
                    places.nearest.set(k, None);
                    *own = None;
                }
                (None, Some(p)) => {
                    *own = Some(places.nearest.push(p));
                    places.names.push(label);
                }
                (None, None) => {}
            }
        }
        *v = version;
    }

    /// The strips as places (computed once per version).
    pub fn places(&mut self, doc: &Document) -> &StripPlaces {
        let version = self.built_for.unwrap_or_else(Version::fresh);
        if self.places.as_ref().is_none_or(|(v, _)| *v != version) {
            let mut own = vec![None; self.facts.facts.len()];
            let mut points = Vec::new();
            let mut names = Vec::new();
            for (i, f) in self.facts.facts.iter().enumerate() {
                if let (true, Some(p)) = (f.strip, f.lon_lat) {
                    own[i] = Some(points.len());
                    points.push(p);
                    names.push(doc.features()[i].label().to_owned());
                }
            }
            let places = StripPlaces {
                nearest: Nearest::new(points),
                own,
                names,
            };
            self.places = Some((version, places));
        }
        &self.places.as_ref().expect("just computed").1
    }

    /// Hands over the facts the reader worked out for the document about to be installed:
    /// the next full rebuild takes them instead of reading every feature again.
    pub fn prepare_facts(&mut self, facts: Option<Vec<crate::analysis::Facts>>) {
        self.prepared = facts;
    }

    /// Computes the document's property keys once per version (for the table).
    pub fn ensure_property_keys(&mut self, doc: &Document) {
        let Some(version) = self.built_for else {
            return;
        };
        if self
            .property_keys
            .as_ref()
            .is_some_and(|(v, _)| *v == version)
        {
            return;
        }
        let mut keys = doc.property_keys();
        keys.retain(|k| k != "name" && k != "notes");
        self.property_keys = Some((version, keys));
    }

    /// The strips as places, when computed for the current version.
    pub fn places_ready(&self) -> Option<&StripPlaces> {
        let version = self.built_for?;
        self.places
            .as_ref()
            .filter(|(v, _)| *v == version)
            .map(|(_, p)| p)
    }

    /// The properties' keys of the document the parts were built for (the table's columns).
    pub fn property_keys(&self) -> &[String] {
        self.property_keys
            .as_ref()
            .filter(|(v, _)| Some(*v) == self.built_for)
            .map_or(&[][..], |(_, k)| k.as_slice())
    }

    /// The statistics of the shown strips at the date (computed when the key changes).
    pub fn stats(&mut self, doc: &Document) -> &Stats {
        let Some(key) = self.key else {
            return &EMPTY_STATS;
        };
        if self.stats.as_ref().is_none_or(|(k, _)| *k != key) {
            let features = doc
                .features()
                .iter()
                .zip(&self.shown)
                .filter(|(_, s)| **s)
                .map(|(f, _)| f);
            self.stats = Some((key, Stats::of_features(features, key.date, 10)));
        }
        &self.stats.as_ref().expect("just computed").1
    }

    /// Features without ids of their own and the columns that could be theirs (computed
    /// once per version).
    pub fn id_columns(&mut self, doc: &Document) -> Option<&IdColumns> {
        let version = self.built_for?;
        if self.id_columns.as_ref().is_none_or(|(v, _)| *v != version) {
            let found = doc
                .features()
                .iter()
                .find(|f| f.id_assigned())
                .and_then(|first| {
                    let columns: Vec<String> = first
                        .properties()
                        .iter()
                        .map(|(k, _)| k.clone())
                        .filter(|k| k != "name" && k != "notes")
                        .collect();
                    (!columns.is_empty()).then(|| IdColumns {
                        assigned: doc.features().iter().filter(|f| f.id_assigned()).count(),
                        columns,
                    })
                });
            self.id_columns = Some((version, found));
        }
        self.id_columns.as_ref().and_then(|(_, c)| c.as_ref())
    }
}

static EMPTY_STATS: std::sync::LazyLock<Stats> =
    std::sync::LazyLock::new(|| Stats::of_features(std::iter::empty(), NaiveDate::MIN, 10));

/// Which features are shown: they pass `filter` and, with a `window` of days, have an
/// event in the window ending at `date`. The one rule for the working layer and imported
/// layers alike.
pub fn shown_into(
    facts: &FactBook,
    filter: &Filter,
    statuses: &[(Status, bool)],
    date: NaiveDate,
    window: Option<i64>,
    out: &mut Vec<bool>,
) {
    facts.apply_into(filter, statuses, out);
    within_window(facts, date, window, out);
}

/// Keeps in `shown` only features with an event in the `window` days ending at `date`.
fn within_window(facts: &FactBook, date: NaiveDate, window: Option<i64>, shown: &mut [bool]) {
    if let Some(days) = window {
        let from = date - chrono::Days::new(days.max(0) as u64);
        for (s, f) in shown.iter_mut().zip(&facts.facts) {
            *s = *s && f.has_event_between(from, date);
        }
    }
}

/// South America's registered aerodromes and towns, for nearest-place measures.
pub struct ContextPlaces {
    pub aerodromes: &'static Nearest,
    /// "ident name", as the CSV export says it.
    pub aerodrome_names: Vec<String>,
    pub towns: &'static Nearest,
    pub town_names: Vec<String>,
}

pub fn context_places() -> &'static ContextPlaces {
    static PLACES: std::sync::OnceLock<ContextPlaces> = std::sync::OnceLock::new();
    PLACES.get_or_init(|| {
        let c = crate::geodata::south_america::context();
        ContextPlaces {
            aerodromes: c.aerodrome_index(),
            aerodrome_names: c.aerodromes.iter().map(|a| a.ident_and_name()).collect(),
            towns: c.town_index(),
            town_names: c.towns.iter().map(|t| t.name.clone()).collect(),
        }
    })
}
