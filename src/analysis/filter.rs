//! Which strips to show: text search, status at a date, events of a type within dates,
//! times destroyed or rebuilt, confidence, operation, and an area. Facts about each feature
//! are gathered once per document change so that a new date or a new filter costs one pass
//! of cheap comparisons (well under a frame at 100k strips).

use chrono::NaiveDate;

use super::measure::representative_point;
use crate::model::{
    Confidence, Document, EventType, Feature, History, Source, Status, StatusTimeline,
};

/// The criteria; the default lets everything through.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Words looked for in name, id, notes and sources (case-insensitive).
    pub text: String,
    /// Statuses at the date; empty for any.
    pub statuses: Vec<Status>,
    /// Only strips with an event of this type (any type when `None` but a date is set)...
    pub event_type: Option<EventType>,
    /// ...whose date range meets `from..=to`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub min_destroyed: usize,
    pub min_rebuilt: usize,
    /// Only strips with an event of this confidence.
    pub confidence: Option<Confidence>,
    /// Only strips with an event whose operation contains this text.
    pub operation: String,
    /// Only features whose position is inside this lon/lat box: west, south, east, north.
    pub area: Option<[f64; 4]>,
    /// Only features whose position is inside this polygon.
    pub polygon: Option<Ring>,
}

/// A polygon drawn to filter by: its (longitude, latitude) corners in order, not closed,
/// and the shape geo tests positions against, made once with the corners rather than for
/// every feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    corners: Vec<(f64, f64)>,
    shape: geo::Polygon<f64>,
}

impl Ring {
    pub fn new(corners: Vec<(f64, f64)>) -> Ring {
        // geo closes the ring. Degrees are plane coordinates here, as the map draws them.
        let shape = geo::Polygon::new(geo::LineString::from(corners.clone()), Vec::new());
        Ring { corners, shape }
    }

    pub fn corners(&self) -> &[(f64, f64)] {
        &self.corners
    }

    /// Whether (x, y) is inside (geo's `Contains`: a point on the edge is not).
    pub fn contains(&self, x: f64, y: f64) -> bool {
        use geo::Contains;
        self.shape.contains(&geo::Point::new(x, y))
    }
}

impl Filter {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    fn wants_events(&self) -> bool {
        self.event_type.is_some() || self.from.is_some() || self.to.is_some()
    }
}

/// What a filter needs to know about one feature.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub strip: bool,
    /// Lower-case name, id, notes and sources.
    search: String,
    pub timeline: StatusTimeline,
    pub times_destroyed: usize,
    pub times_rebuilt: usize,
    /// Type, earliest and latest day, confidence and operation (lower case) of each event.
    events: Vec<(EventType, NaiveDate, NaiveDate, Option<Confidence>, String)>,
    pub lon_lat: Option<(f64, f64)>,
    pub last_event: Option<NaiveDate>,
    /// Geodesic length of a LineString runway.
    pub runway_length_m: Option<f64>,
}

impl Facts {
    pub fn of(feature: &Feature) -> Self {
        let feature: &Feature = &feature.decoded();
        let events = feature.events();
        let history = History::of(events);
        // The searchable text, lower case, built in one buffer: a million strips open
        // with one allocation each here.
        let mut search = String::new();
        lower_into(&mut search, feature.label());
        let mut add = |text: &str| {
            search.push('\n');
            lower_into(&mut search, text);
        };
        add(feature.id().as_str());
        if let Some(notes) = feature.notes() {
            add(notes);
        }
        for e in events {
            for s in e.sources() {
                add(s.label());
                if let Source::Reference(r) = s
                    && let Some(url) = r.url().get()
                {
                    add(url);
                }
            }
        }
        search.shrink_to_fit();
        Facts {
            strip: feature.is_strip(),
            search,
            timeline: StatusTimeline::of(events, history.order()),
            times_destroyed: history.times_destroyed(),
            times_rebuilt: history.times_rebuilt(),
            events: events
                .iter()
                .map(|e| {
                    let op = e.operation().as_deref().unwrap_or("").to_lowercase();
                    (
                        e.kind(),
                        e.date().start(),
                        e.date().end(),
                        e.confidence().value(),
                        op,
                    )
                })
                .collect(),
            last_event: history.last_event(),
            runway_length_m: match feature.geometry().map(|g| g.shape()) {
                Some(geo::Geometry::LineString(ls)) => Some(super::measure::runway_length_m(ls)),
                _ => None,
            },
            lon_lat: feature
                .geometry()
                .and_then(|g| representative_point(g.shape()))
                .map(|p| (p.x(), p.y())),
        }
    }

    /// The searchable text, for tests.
    #[cfg(test)]
    pub(crate) fn search_text(&self) -> &str {
        &self.search
    }

    /// Whether an event's date range meets `from..=to`.
    pub fn has_event_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.events
            .iter()
            .any(|(_, start, end, _, _)| *start <= to && *end >= from)
    }

    /// Events as (type, earliest day), for histograms.
    pub fn event_days(&self) -> impl Iterator<Item = (EventType, NaiveDate)> + '_ {
        self.events.iter().map(|(kind, start, ..)| (*kind, *start))
    }

    /// Whether the feature passes `filter`, given its status at the date.
    pub fn passes(&self, filter: &Filter, status: Status, words: &[String]) -> bool {
        if !words.iter().all(|w| self.search.contains(w.as_str())) {
            return false;
        }
        if !(filter.statuses.is_empty() || self.strip && filter.statuses.contains(&status)) {
            return false;
        }
        if self.times_destroyed < filter.min_destroyed || self.times_rebuilt < filter.min_rebuilt {
            return false;
        }
        if filter.wants_events() {
            let from = filter.from.unwrap_or(NaiveDate::MIN);
            let to = filter.to.unwrap_or(NaiveDate::MAX);
            let hit = self.events.iter().any(|(kind, start, end, _, _)| {
                filter.event_type.is_none_or(|t| t == *kind) && *start <= to && *end >= from
            });
            if !hit {
                return false;
            }
        }
        if let Some(c) = filter.confidence
            && !self.events.iter().any(|e| e.3 == Some(c))
        {
            return false;
        }
        if !filter.operation.is_empty() {
            let op = filter.operation.to_lowercase();
            if !self.events.iter().any(|e| e.4.contains(&op)) {
                return false;
            }
        }
        if let Some([w, s, e, n]) = filter.area {
            match self.lon_lat {
                Some((x, y)) if x >= w && x <= e && y >= s && y <= n => {}
                _ => return false,
            }
        }
        if let Some(ring) = &filter.polygon {
            match self.lon_lat {
                Some((x, y)) if ring.contains(x, y) => {}
                _ => return false,
            }
        }
        true
    }
}

/// Facts about every feature of a document.
#[derive(Debug, Clone, Default)]
pub struct FactBook {
    pub facts: Vec<Facts>,
    /// Every feature's status steps in one flat array (feature `i` owns
    /// `steps[offsets[i]..offsets[i + 1]]`), so statuses at a new date are read from
    /// contiguous memory: a few milliseconds less at 100k strips than following each
    /// feature's own allocation.
    steps: Vec<(NaiveDate, Status, bool)>,
    offsets: Vec<u32>,
    /// Every feature's events as (earliest day, type), flat in the same way, for the
    /// timeline's histogram.
    event_days: Vec<(NaiveDate, EventType)>,
    event_offsets: Vec<u32>,
    /// Every status step of every feature as (day, feature), by day: the features whose
    /// status can differ between two dates are found without looking at the others.
    step_days: Vec<(NaiveDate, u32)>,
    /// Features edited since `step_days` was sorted (their steps there may be stale):
    /// always looked at whole.
    moved: Vec<u32>,
    /// How many features are strips (the status bar's count, kept rather than recounted
    /// over a million features every frame).
    strips: usize,
}

/// Edited features looked at whole before `step_days` is sorted again.
const MOVED_AT_MOST: usize = 4096;

/// Features one task of a parallel pass over the facts takes at least.
const PER_TASK: usize = 16_384;

/// Appends `text` in lower case, as [`str::to_lowercase`] writes it (ASCII, nearly all of
/// it, without a new allocation). Pieces end at line breaks, which no case rule reaches
/// across, so lower-casing them one by one equals lower-casing the whole.
fn lower_into(out: &mut String, text: &str) {
    if text.is_ascii() {
        let from = out.len();
        out.push_str(text);
        out[from..].make_ascii_lowercase();
    } else {
        out.push_str(&text.to_lowercase());
    }
}

/// The words of a filter's text, each to be found in a strip's searchable text.
fn filter_words(filter: &Filter) -> Vec<String> {
    filter
        .text
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Replaces item `i`'s run in a flat array and shifts the offsets after it.
fn splice_flat<T: Copy>(flat: &mut Vec<T>, offsets: &mut [u32], i: usize, new: &[T]) {
    let (a, b) = (offsets[i] as usize, offsets[i + 1] as usize);
    let delta = new.len() as i64 - (b - a) as i64;
    flat.splice(a..b, new.iter().copied());
    if delta != 0 {
        for o in &mut offsets[i + 1..] {
            *o = (i64::from(*o) + delta) as u32;
        }
    }
}

impl FactBook {
    pub fn build(doc: &Document) -> Self {
        use rayon::prelude::*;
        Self::from_facts(doc.features().par_iter().map(Facts::of).collect())
    }

    /// The book of facts worked out already, one per feature in order (the reader's, see
    /// `io::read_owned_with_facts`).
    pub fn from_facts(facts: Vec<Facts>) -> Self {
        let mut book = FactBook {
            facts,
            steps: Vec::new(),
            offsets: vec![0],
            event_days: Vec::new(),
            event_offsets: vec![0],
            step_days: Vec::new(),
            moved: Vec::new(),
            strips: 0,
        };
        book.strips = book.facts.iter().filter(|f| f.strip).count();
        for f in &book.facts {
            book.steps.extend_from_slice(f.timeline.steps());
            book.offsets.push(book.steps.len() as u32);
            book.event_days.extend(f.event_days().map(|(k, d)| (d, k)));
            book.event_offsets.push(book.event_days.len() as u32);
        }
        book.sort_step_days();
        book
    }

    fn sort_step_days(&mut self) {
        use rayon::prelude::*;
        self.step_days.clear();
        for (i, w) in self.offsets.windows(2).enumerate() {
            let steps = &self.steps[w[0] as usize..w[1] as usize];
            self.step_days
                .extend(steps.iter().map(|(d, _, _)| (*d, i as u32)));
        }
        self.step_days.par_sort_unstable();
        self.moved.clear();
    }

    /// The features whose status may differ between dates `a` and `b` (a step between
    /// them), each once, in order.
    pub fn changed_between(&self, a: NaiveDate, b: NaiveDate) -> Vec<usize> {
        let (from, to) = (a.min(b), a.max(b));
        // Steps on days in (from, to].
        let start = self.step_days.partition_point(|(d, _)| *d <= from);
        let end = self.step_days.partition_point(|(d, _)| *d <= to);
        let mut out: Vec<usize> = self.step_days[start..end]
            .iter()
            .map(|(_, i)| *i as usize)
            .chain(self.moved.iter().map(|i| *i as usize))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Refreshes the facts of features replaced in place (only their runs of the flat
    /// arrays are rewritten: an edit at 100k strips stays cheap). Returns whether any of
    /// their events' days or types changed.
    pub fn update(&mut self, doc: &Document, indices: &[usize]) -> bool {
        let mut events_changed = false;
        for &i in indices {
            let (Some(slot), Some(feature)) = (self.facts.get_mut(i), doc.features().get(i)) else {
                continue;
            };
            let was_strip = slot.strip;
            *slot = Facts::of(feature);
            self.strips = self.strips + usize::from(slot.strip) - usize::from(was_strip);
            let steps = slot.timeline.steps().to_vec();
            let days: Vec<(NaiveDate, EventType)> =
                slot.event_days().map(|(k, d)| (d, k)).collect();
            events_changed |= self.event_days_of(i) != days.as_slice();
            splice_flat(&mut self.steps, &mut self.offsets, i, &steps);
            splice_flat(&mut self.event_days, &mut self.event_offsets, i, &days);
            if !self.moved.contains(&(i as u32)) {
                self.moved.push(i as u32);
            }
        }
        if self.moved.len() > MOVED_AT_MOST {
            self.sort_step_days();
        }
        events_changed
    }

    /// How many of the features are strips.
    pub fn strip_count(&self) -> usize {
        self.strips
    }

    /// Feature `i`'s events as (earliest day, type).
    pub fn event_days_of(&self, i: usize) -> &[(NaiveDate, EventType)] {
        match (self.event_offsets.get(i), self.event_offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.event_days[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Every feature's status at `day` and whether it rests on a fuzzy date.
    pub fn statuses_at(&self, day: NaiveDate) -> Vec<(Status, bool)> {
        let mut out = Vec::new();
        self.statuses_into(day, &mut out);
        out
    }

    /// [`Self::statuses_at`] into a reused buffer, on every core for a large document
    /// (a new date at a million strips).
    pub fn statuses_into(&self, day: NaiveDate, out: &mut Vec<(Status, bool)>) {
        use rayon::prelude::*;
        out.clear();
        out.resize(self.facts.len(), (Status::Unknown, false));
        out.par_iter_mut()
            .with_min_len(PER_TASK)
            .enumerate()
            .for_each(|(i, slot)| *slot = self.status_of(i, day));
    }

    /// Feature `i`'s status at `day` and whether it rests on a fuzzy date.
    pub fn status_of(&self, i: usize, day: NaiveDate) -> (Status, bool) {
        let (Some(&a), Some(&b)) = (self.offsets.get(i), self.offsets.get(i + 1)) else {
            return (Status::Unknown, false);
        };
        let steps = &self.steps[a as usize..b as usize];
        match steps.partition_point(|(d, _, _)| *d <= day) {
            0 => (Status::Unknown, false),
            n => (steps[n - 1].1, steps[n - 1].2),
        }
    }

    /// Whether feature `i` passes `filter` with `status` at the date.
    pub fn passes_one(&self, i: usize, filter: &Filter, status: Status) -> bool {
        self.passes_some(filter, [(i, status)])
            .next()
            .unwrap_or(true)
    }

    /// Whether each feature passes `filter` with its status at the date.
    pub fn passes_some<'a>(
        &'a self,
        filter: &'a Filter,
        features: impl IntoIterator<Item = (usize, Status)> + 'a,
    ) -> impl Iterator<Item = bool> + 'a {
        let words = if filter.is_empty() {
            Vec::new()
        } else {
            filter_words(filter)
        };
        features.into_iter().map(move |(i, status)| {
            filter.is_empty()
                || self
                    .facts
                    .get(i)
                    .is_some_and(|f| f.passes(filter, status, &words))
        })
    }

    /// Which features pass `filter`, given their statuses at the date.
    pub fn apply(&self, filter: &Filter, statuses: &[(Status, bool)]) -> Vec<bool> {
        let mut out = Vec::new();
        self.apply_into(filter, statuses, &mut out);
        out
    }

    /// [`Self::apply`] into a reused buffer.
    pub fn apply_into(&self, filter: &Filter, statuses: &[(Status, bool)], out: &mut Vec<bool>) {
        out.clear();
        if filter.is_empty() {
            out.resize(self.facts.len(), true);
            return;
        }
        use rayon::prelude::*;
        let words = filter_words(filter);
        self.facts
            .par_iter()
            .with_min_len(PER_TASK)
            .zip(statuses)
            .map(|(f, (status, _))| f.passes(filter, *status, &words))
            .collect_into_vec(out);
    }
}

#[cfg(test)]
mod tests;
