//! Merging another layer into the working document: which features are the same strip,
//! and one command that joins their histories without losing either side.
//!
//! Matching trusts only what the files say: features with the same id (an id the file
//! gave, never one Pistas assigned while reading) match; when they are farther apart than
//! the distance limit the match is proposed as a conflict and kept apart unless someone
//! decides otherwise. The others match the nearest unmatched feature within a distance
//! (500 m by default) whose name is alike (or when either side has no name, as imagery
//! detections often do). Each feature matches at most once; features Pistas could not read
//! never match and are added as they are.
//!
//! Merging two features keeps the working feature and adds to it: events the working side
//! lacks, sources of events both sides have (the same type on the same date), properties only
//! the incoming side has. Properties both sides have with different values, and different
//! geometries, are conflicts: the caller picks a side for each (the working side by default).

use std::collections::HashMap;

use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde_json::value::RawValue;

use crate::analysis::{distance_m, name_similarity, representative_point};
use crate::model::{Document, Event, Feature, Field as ModelField, Source};

/// How features are matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchOptions {
    /// Features without a shared id match only within this distance.
    ///
    /// # Units
    /// Metres, geodesic, between representative points (a runway's or area's centroid).
    pub within_m: f64,
    /// The least name similarity (0–1, Jaro–Winkler of the names' distinctive part) for
    /// two named features to match by distance.
    pub min_similarity: f64,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            within_m: 500.0,
            min_similarity: 0.75,
        }
    }
}

/// Why two features were proposed as the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchReason {
    /// They have the same id.
    SameId,
    /// They have the same id but are farther apart than the distance limit: a conflict
    /// for a person to decide; kept apart by default.
    SameIdFar,
    /// They are within the distance and their names are alike (or one has none).
    Near,
}

impl MatchReason {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchReason::SameId => "id",
            MatchReason::SameIdFar => "id, too far apart",
            MatchReason::Near => "near",
        }
    }
}

/// What differs between two matched features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    Geometry,
    Property(String),
}

impl Field {
    pub fn label(&self) -> &str {
        match self {
            Field::Geometry => "geometry",
            Field::Property(key) => key,
        }
    }
}

/// A field both sides have, with different values; the values as short text for review.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub field: Field,
    pub working: String,
    pub incoming: String,
}

/// Which side's value a merged feature keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    #[default]
    Working,
    Incoming,
}

/// A proposed match of an incoming feature with a working one.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub incoming: usize,
    pub working: usize,
    pub reason: MatchReason,
    /// Geodesic metres between the two, when both have a geometry.
    pub distance_m: Option<f64>,
    /// Name similarity, when both have a name.
    pub similarity: Option<f64>,
    pub conflicts: Vec<Conflict>,
    pub events_working: usize,
    pub events_incoming: usize,
    /// Incoming events the working side already has (same type and date).
    pub duplicate_events: usize,
}

/// All proposals, and the incoming features that match nothing (they are added).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub proposals: Vec<Proposal>,
    pub unmatched: Vec<usize>,
    /// Incoming features that match nothing but are already in the working document,
    /// equal in every respect (a feature without id or location, one Pistas could not
    /// read): nothing to add.
    pub identical: Vec<usize>,
}

impl Plan {
    /// What a merge does unless someone decides otherwise, proposal by proposal (see
    /// [`Proposal::default_decision`]).
    pub fn default_decisions(&self) -> Vec<Decision> {
        self.proposals
            .iter()
            .map(Proposal::default_decision)
            .collect()
    }
}

impl Proposal {
    /// What a merge does with this proposal unless someone decides otherwise: join the two
    /// (every conflict on the working side), or keep both when only their ids agree.
    pub fn default_decision(&self) -> Decision {
        match self.reason {
            MatchReason::SameIdFar => Decision::KeepBoth,
            _ => Decision::Merge(vec![Side::Working; self.conflicts.len()]),
        }
    }
}

/// What to do with one proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Join the two; one side per conflict, in the proposal's order (missing ones: working).
    Merge(Vec<Side>),
    /// They are different strips: add the incoming one too.
    KeepBoth,
    /// Leave the incoming one out.
    Skip,
}

/// Proposes matches between the working document and an incoming one.
pub fn propose(working: &Document, incoming: &Document, options: &MatchOptions) -> Plan {
    let mut working_taken = vec![false; working.features().len()];
    let mut matched: Vec<Option<(usize, MatchReason)>> = vec![None; incoming.features().len()];

    // Only ids the files gave are evidence; features Pistas could not read match nothing.
    let evidence = |f: &Feature| !f.id_assigned() && f.unread().is_none();
    let by_id: HashMap<&str, usize> = working
        .features()
        .iter()
        .enumerate()
        .filter(|(_, f)| evidence(f))
        .map(|(i, f)| (f.id().as_str(), i))
        .collect();
    let points = |doc: &Document| -> Vec<Option<geo::Point<f64>>> {
        doc.features()
            .iter()
            .map(|f| f.geometry().and_then(|g| representative_point(g.shape())))
            .collect()
    };
    let (working_points, incoming_points) = (points(working), points(incoming));
    for (i, feature) in incoming.features().iter().enumerate() {
        if !evidence(feature) {
            continue;
        }
        if let Some(&w) = by_id.get(feature.id().as_str())
            && !working_taken[w]
        {
            working_taken[w] = true;
            let far = matches!(
                (working_points[w], incoming_points[i]),
                (Some(p), Some(q)) if distance_m(p, q) > options.within_m
            );
            let reason = if far {
                MatchReason::SameIdFar
            } else {
                MatchReason::SameId
            };
            matched[i] = Some((w, reason));
        }
    }

    // By distance: every close enough pair with alike names, nearest first, one to one.
    let scale = mean_cos_lat(&working_points);
    let tree = RTree::bulk_load(
        working_points
            .iter()
            .enumerate()
            .filter(|(i, _)| !working_taken[*i] && working.features()[*i].unread().is_none())
            .filter_map(|(i, p)| p.map(|p| GeomWithData::new([p.x() * scale, p.y()], i)))
            .collect(),
    );
    // Degrees of latitude are at least 110.5 km; search a little wider and measure exactly.
    let radius_deg = options.within_m / 110_000.0 * 1.05;
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, point) in incoming_points.iter().enumerate() {
        let Some(point) = point else { continue };
        if matched[i].is_some() || incoming.features()[i].unread().is_some() {
            continue;
        }
        let query = [point.x() * scale, point.y()];
        // Longitudes are scaled for the mean latitude: wider where degrees are shorter.
        let cos_lat = point.y().to_radians().cos().max(0.01);
        let radius = radius_deg * (scale / cos_lat).max(1.0);
        for candidate in tree.locate_within_distance(query, radius * radius) {
            let w = candidate.data;
            let Some(wp) = working_points[w] else {
                continue;
            };
            let d = distance_m(*point, wp);
            if d > options.within_m {
                continue;
            }
            let names = (working.features()[w].name(), incoming.features()[i].name());
            if let (Some(a), Some(b)) = names
                && name_similarity(a, b) < options.min_similarity
            {
                continue;
            }
            pairs.push((d, i, w));
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, w) in pairs {
        if matched[i].is_none() && !working_taken[w] {
            working_taken[w] = true;
            matched[i] = Some((w, MatchReason::Near));
        }
    }

    // Features equal to one of the working document's, looked up by a cheap key first.
    let key = |f: &Feature| (f.label().to_owned(), f.events().len(), f.unread().is_some());
    let mut by_key: HashMap<(String, usize, bool), Vec<usize>> = HashMap::new();
    for (w, f) in working.features().iter().enumerate() {
        by_key.entry(key(f)).or_default().push(w);
    }
    let present = |f: &Feature| {
        by_key
            .get(&key(f))
            .is_some_and(|ws| ws.iter().any(|&w| working.features()[w] == *f))
    };
    let mut plan = Plan::default();
    for (i, m) in matched.into_iter().enumerate() {
        match m {
            Some((w, reason)) => {
                let (a, b) = (&working.features()[w], &incoming.features()[i]);
                let distance_m = match (working_points[w], incoming_points[i]) {
                    (Some(p), Some(q)) => Some(distance_m(p, q)),
                    _ => None,
                };
                let similarity = match (a.name(), b.name()) {
                    (Some(x), Some(y)) => Some(name_similarity(x, y)),
                    _ => None,
                };
                plan.proposals.push(Proposal {
                    incoming: i,
                    working: w,
                    reason,
                    distance_m,
                    similarity,
                    conflicts: conflicts(a, b),
                    events_working: a.events().len(),
                    events_incoming: b.events().len(),
                    duplicate_events: b
                        .events()
                        .iter()
                        .filter(|e| a.events().iter().any(|x| same_event(x, e)))
                        .count(),
                });
            }
            None if present(&incoming.features()[i]) => plan.identical.push(i),
            None => plan.unmatched.push(i),
        }
    }
    plan
}

fn mean_cos_lat(points: &[Option<geo::Point<f64>>]) -> f64 {
    let lats: Vec<f64> = points.iter().flatten().map(|p| p.y()).collect();
    if lats.is_empty() {
        return 1.0;
    }
    (lats.iter().sum::<f64>() / lats.len() as f64)
        .to_radians()
        .cos()
        .max(0.01)
}

/// Two events are the same when they have the same type and the same date as written,
/// and not different ids (events with different ids are different reports).
pub fn same_event(a: &Event, b: &Event) -> bool {
    a.kind() == b.kind()
        && a.date() == b.date()
        && match (&a.id(), &b.id()) {
            (ModelField::Absent, _) | (_, ModelField::Absent) => true,
            (x, y) => x == y,
        }
}

pub(crate) fn same_json(a: &RawValue, b: &RawValue) -> bool {
    if a.get() == b.get() {
        return true;
    }
    match (
        serde_json::from_str::<serde_json::Value>(a.get()),
        serde_json::from_str::<serde_json::Value>(b.get()),
    ) {
        (Ok(x), Ok(y)) => json_equal(&x, &y),
        _ => false,
    }
}

/// JSON equality where numbers compare by value: `800` and `800.0` are the same.
fn json_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn shape_text(feature: &Feature) -> String {
    match feature.geometry().map(|g| g.shape()) {
        None => "(none)".to_owned(),
        Some(geo::Geometry::Point(p)) => format!("Point {:.6}, {:.6}", p.y(), p.x()),
        Some(shape) => {
            let kind = crate::model::GeometryKind::of(shape).as_str();
            match representative_point(shape) {
                Some(c) => format!("{kind} around {:.6}, {:.6}", c.y(), c.x()),
                None => kind.to_owned(),
            }
        }
    }
}

/// The fields two features both have with different values.
pub fn conflicts(working: &Feature, incoming: &Feature) -> Vec<Conflict> {
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (working.geometry(), incoming.geometry())
        && a.shape() != b.shape()
    {
        out.push(Conflict {
            field: Field::Geometry,
            working: shape_text(working),
            incoming: shape_text(incoming),
        });
    }
    for (key, value) in incoming.properties() {
        if let Some(mine) = working.property(key)
            && !same_json(mine, value)
        {
            out.push(Conflict {
                field: Field::Property(key.clone()),
                working: mine.get().to_owned(),
                incoming: value.get().to_owned(),
            });
        }
    }
    out
}

/// How one merge went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeCounts {
    pub events_added: usize,
    pub duplicate_events: usize,
    pub sources_added: usize,
    pub properties_added: usize,
}

/// The working feature with what the incoming one adds; `picks` choose a side per conflict
/// (in the order of [`conflicts`]; missing picks keep the working side).
pub fn merge_features(
    working: &Feature,
    incoming: &Feature,
    picks: &[Side],
) -> (Feature, MergeCounts) {
    let mut merged = working.clone();
    let mut counts = MergeCounts::default();
    // A working feature Pistas could not read is kept as written until it is fixed:
    // nothing merges into it (an event or property added would not be written).
    if working.unread().is_some() {
        return (merged, counts);
    }
    for (n, conflict) in conflicts(working, incoming).iter().enumerate() {
        if picks.get(n).copied().unwrap_or_default() != Side::Incoming {
            continue;
        }
        match &conflict.field {
            Field::Geometry => merged.set_geometry(incoming.geometry().cloned()),
            Field::Property(key) => {
                if let Some(value) = incoming.property(key) {
                    merged.set_property(key, value.to_owned());
                }
            }
        }
    }
    for (key, value) in incoming.properties() {
        if merged.property(key).is_none() {
            // A name the working strip derives (its `status`, say) is the other file's own
            // value: kept under another name, never dropped.
            let key = if merged.accepts_property(key) {
                key.clone()
            } else {
                crate::model::free_name(merged.properties(), &format!("{key}_original"))
            };
            if merged.property(&key).is_none() && merged.set_property(&key, value.clone()) {
                counts.properties_added += 1;
            }
        }
    }
    if merged.geometry().is_none() {
        merged.set_geometry(incoming.geometry().cloned());
    }
    if incoming.has_events_member() || !incoming.events().is_empty() {
        // One to one, against the working side's own events: an equal event first, then
        // one of the same type and date.
        let own = merged.events().len();
        let mut used = vec![false; own];
        let Some(events) = merged.events_mut() else {
            return (merged, counts);
        };
        for event in incoming.events() {
            let found = (0..own)
                .find(|&k| !used[k] && events[k] == *event)
                .or_else(|| (0..own).find(|&k| !used[k] && same_event(&events[k], event)));
            match found {
                Some(k) => {
                    used[k] = true;
                    counts.duplicate_events += 1;
                    counts.sources_added += join_event(&mut events[k], event);
                }
                None => {
                    events.push(event.clone());
                    counts.events_added += 1;
                }
            }
        }
    }
    // Events Pistas could not read travel with their strip, once.
    for (_, unread) in incoming.unread_events() {
        if !merged
            .unread_events()
            .iter()
            .any(|(_, u)| u.raw().get() == unread.raw().get())
        {
            merged.push_unread_event(unread.clone());
        }
    }
    (merged, counts)
}

/// Adds to `mine` what `theirs` says that it does not: sources, and fields it lacks.
/// Returns how many sources were added.
fn join_event(mine: &mut Event, theirs: &Event) -> usize {
    let mut added = 0;
    for source in theirs.sources() {
        if !mine.sources().iter().any(|s| same_source(s, source)) {
            mine.sources_mut().push(source.clone());
            added += 1;
        }
    }
    // A field the working side has no value for takes the incoming value; one slot per
    // field, so what was kept for it is replaced, never written beside it.
    fn fill<T: Clone>(mine: &mut ModelField<T>, theirs: &ModelField<T>) {
        if mine.get().is_none() && (theirs.get().is_some() || mine.is_absent()) {
            *mine = theirs.clone();
        }
    }
    // Evidence the working side lacks (the same file is the same hash).
    for item in theirs.evidence() {
        if !mine.evidence().iter().any(|e| e.sha256() == item.sha256()) {
            mine.evidence_mut().push(item.clone());
        }
    }
    fill(mine.confidence_mut(), theirs.confidence());
    fill(mine.operation_mut(), theirs.operation());
    fill(mine.note_mut(), theirs.note());
    fill(mine.id_mut(), theirs.id());
    for (key, value) in theirs.extra().members() {
        if mine.extra().get(key).is_none() {
            mine.extra_mut()
                .push(&Event::FIELDS, key.clone(), value.clone());
        }
    }
    added
}

fn same_source(a: &Source, b: &Source) -> bool {
    if a == b {
        return true;
    }
    let url = |s: &Source| match s {
        Source::Reference(r) => r.url().value(),
        Source::Text(t) if t.starts_with("http://") || t.starts_with("https://") => Some(t.clone()),
        Source::Text(_) => None,
    };
    match (url(a), url(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.label().trim() == b.label().trim(),
    }
}

mod command;

pub use command::{ReportRow, RowAction, merge_command, report_csv};
