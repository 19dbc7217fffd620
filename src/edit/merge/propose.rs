//! Matching the incoming layer's features with the working layer's: by the ids the files
//! gave, then by distance and alike names, one to one.

use std::collections::HashMap;

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::join::{conflicts, same_event};
use super::plan::{MatchOptions, MatchReason, Plan, Proposal};
use crate::analysis::{distance_m, name_similarity, representative_point};
use crate::model::{Document, Feature};

/// Proposes matches between the working document and an incoming one.
pub fn propose(working: &Document, incoming: &Document, options: &MatchOptions) -> Plan {
    let points = |doc: &Document| -> Vec<Option<geo::Point<f64>>> {
        doc.features()
            .iter()
            .map(|f| f.geometry().and_then(|g| representative_point(g.shape())))
            .collect()
    };
    let mut matcher = Matcher {
        working,
        incoming,
        options,
        working_points: points(working),
        incoming_points: points(incoming),
        working_taken: vec![false; working.features().len()],
        matched: vec![None; incoming.features().len()],
    };
    matcher.by_id();
    matcher.by_distance();
    matcher.plan()
}

/// The matching as it goes: which working features are taken, and the match of each
/// incoming one.
struct Matcher<'a> {
    working: &'a Document,
    incoming: &'a Document,
    options: &'a MatchOptions,
    /// Each feature's representative point, if it has a geometry.
    working_points: Vec<Option<geo::Point<f64>>>,
    incoming_points: Vec<Option<geo::Point<f64>>>,
    working_taken: Vec<bool>,
    matched: Vec<Option<(usize, MatchReason)>>,
}

/// Whether a feature's id is evidence: only ids the files gave are, and features Pistas
/// could not read match nothing.
fn id_is_evidence(f: &Feature) -> bool {
    !f.id_assigned() && f.unread().is_none()
}

impl Matcher<'_> {
    /// Matches features by the ids the files gave (noting those far apart).
    fn by_id(&mut self) {
        let by_id: HashMap<&str, usize> = self
            .working
            .features()
            .iter()
            .enumerate()
            .filter(|(_, f)| id_is_evidence(f))
            .map(|(i, f)| (f.id().as_str(), i))
            .collect();
        for (i, feature) in self.incoming.features().iter().enumerate() {
            if !id_is_evidence(feature) {
                continue;
            }
            if let Some(&w) = by_id.get(feature.id().as_str())
                && !self.working_taken[w]
            {
                self.working_taken[w] = true;
                let far = matches!(
                    (self.working_points[w], self.incoming_points[i]),
                    (Some(p), Some(q)) if distance_m(p, q) > self.options.within_m
                );
                let reason = if far {
                    MatchReason::SameIdFar
                } else {
                    MatchReason::SameId
                };
                self.matched[i] = Some((w, reason));
            }
        }
    }

    /// Matches the features left by distance: every close enough pair with alike names,
    /// nearest first, one to one.
    fn by_distance(&mut self) {
        let mut pairs = self.near_pairs();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, w) in pairs {
            if self.matched[i].is_none() && !self.working_taken[w] {
                self.working_taken[w] = true;
                self.matched[i] = Some((w, MatchReason::Near));
            }
        }
    }

    /// Every pair of features left (distance in metres, incoming, working) close enough,
    /// with alike names when both have one.
    fn near_pairs(&self) -> Vec<(f64, usize, usize)> {
        let (working, incoming, options) = (self.working, self.incoming, self.options);
        let scale = mean_cos_lat(&self.working_points);
        let tree = RTree::bulk_load(
            self.working_points
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    !self.working_taken[*i] && working.features()[*i].unread().is_none()
                })
                .filter_map(|(i, p)| p.map(|p| GeomWithData::new([p.x() * scale, p.y()], i)))
                .collect(),
        );
        // Degrees of latitude are at least 110.5 km; search a little wider and measure exactly.
        let radius_deg = options.within_m / 110_000.0 * 1.05;
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for (i, point) in self.incoming_points.iter().enumerate() {
            let Some(point) = point else { continue };
            if self.matched[i].is_some() || incoming.features()[i].unread().is_some() {
                continue;
            }
            let query = [point.x() * scale, point.y()];
            // Longitudes are scaled for the mean latitude: wider where degrees are shorter.
            let cos_lat = point.y().to_radians().cos().max(0.01);
            let radius = radius_deg * (scale / cos_lat).max(1.0);
            for candidate in tree.locate_within_distance(query, radius * radius) {
                let w = candidate.data;
                let Some(wp) = self.working_points[w] else {
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
        pairs
    }

    /// The plan: a proposal per match; of the incoming features left, those equal to a
    /// working one (looked up by a cheap key first) and the unmatched.
    fn plan(self) -> Plan {
        let working = self.working;
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
        for (i, m) in self.matched.iter().enumerate() {
            match *m {
                Some((w, reason)) => plan.proposals.push(self.proposal(i, w, reason)),
                None if present(&self.incoming.features()[i]) => plan.identical.push(i),
                None => plan.unmatched.push(i),
            }
        }
        plan
    }

    /// The proposal to join incoming feature `i` with working feature `w`.
    fn proposal(&self, i: usize, w: usize, reason: MatchReason) -> Proposal {
        let (a, b) = (&self.working.features()[w], &self.incoming.features()[i]);
        let distance_m = match (self.working_points[w], self.incoming_points[i]) {
            (Some(p), Some(q)) => Some(distance_m(p, q)),
            _ => None,
        };
        let similarity = match (a.name(), b.name()) {
            (Some(x), Some(y)) => Some(name_similarity(x, y)),
            _ => None,
        };
        Proposal {
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
        }
    }
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
