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
