//! A spatial index of a document's features (an R*-tree of their bounding boxes).

use geo::BoundingRect;
use rstar::{
    AABB, PointDistance, RStarInsertionStrategy, RTree, RTreeParams, primitives::GeomWithData,
    primitives::Rectangle,
};

use crate::model::Document;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Wider nodes than rstar's default (6): fewer levels to partition when bulk loading.
struct Params;

impl RTreeParams for Params {
    const MIN_SIZE: usize = 6;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 5;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

type Tree = RTree<Entry, Params>;

/// Finds features by location: what lies in a box, what is nearest a point.
///
/// Large documents are indexed as a few R*-trees, one per core, each over a band of
/// longitudes, built at the same time; a query asks each tree.
pub struct SpatialIndex {
    trees: Vec<Tree>,
}

/// Below this many features one tree is built: threads would cost more than they save.
const PARALLEL_FROM: usize = 50_000;

impl SpatialIndex {
    /// Indexes every feature with a geometry, by its position in `doc.features`.
    pub fn build(doc: &Document) -> Self {
        let mut entries: Vec<Entry> = doc
            .features()
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let rect = f.geometry()?.shape().bounding_rect()?;
                let (min, max) = (rect.min(), rect.max());
                Some(GeomWithData::new(
                    Rectangle::from_corners([min.x, min.y], [max.x, max.y]),
                    i,
                ))
            })
            .collect();
        let threads = crate::cores();
        if entries.len() < PARALLEL_FROM || threads == 1 {
            return SpatialIndex {
                trees: vec![RTree::bulk_load_with_params(entries)],
            };
        }
        // Bands of equal count, split at the median longitudes of the boxes' centres.
        let bands = threads.min(8);
        let per_band = entries.len().div_ceil(bands);
        let mut groups = Vec::with_capacity(bands);
        while entries.len() > per_band {
            let centre = |e: &Entry| e.geom().lower()[0] + e.geom().upper()[0];
            entries.select_nth_unstable_by(per_band, |a, b| centre(a).total_cmp(&centre(b)));
            let rest = entries.split_off(per_band);
            groups.push(entries);
            entries = rest;
        }
        groups.push(entries);
        let trees = {
            use rayon::prelude::*;
            groups
                .into_par_iter()
                .map(RTree::bulk_load_with_params)
                .collect()
        };
        SpatialIndex { trees }
    }

    pub fn len(&self) -> usize {
        self.trees.iter().map(Tree::size).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Features whose bounding box meets the box from `min` to `max` (lon, lat).
    pub fn in_box(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        let envelope = AABB::from_corners(min, max);
        self.trees.iter().flat_map(move |tree| {
            tree.locate_in_envelope_intersecting(&envelope)
                .map(|e| e.data)
        })
    }

    /// The feature whose bounding box is nearest to `point` (lon, lat), in degrees.
    pub fn nearest(&self, point: [f64; 2]) -> Option<usize> {
        self.trees
            .iter()
            .filter_map(|tree| tree.nearest_neighbor(&point))
            .min_by(|a, b| a.distance_2(&point).total_cmp(&b.distance_2(&point)))
            .map(|e| e.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::synthetic;

    #[test]
    fn several_trees_answer_as_one() {
        let doc = synthetic::generate(60_000, 5);
        let index = SpatialIndex::build(&doc);
        assert_eq!(index.len(), 60_000);
        let one = RTree::bulk_load(index.trees.iter().flat_map(|t| t.iter().cloned()).collect());
        let (min, max) = ([-74.5, -13.0], [-74.0, -12.5]);
        let mut found: Vec<usize> = index.in_box(min, max).collect();
        let mut expected: Vec<usize> = one
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        expected.sort_unstable();
        assert!(!found.is_empty());
        assert_eq!(found, expected);
        for p in [[-74.2, -12.1], [-73.5, -11.9], [-75.0, -13.5]] {
            let nearest = index.nearest(p).expect("nearest");
            let best = one.nearest_neighbor(&p).expect("nearest");
            assert_eq!(
                doc.features()[nearest].id(),
                doc.features()[best.data].id(),
                "at {p:?}"
            );
        }
    }

    #[test]
    fn finds_features_by_box_and_nearest() {
        let doc = synthetic::generate(300, 3);
        let index = SpatialIndex::build(&doc);
        assert_eq!(index.len(), 300);
        let all: Vec<usize> = index.in_box([-76.0, -14.0], [-73.0, -11.0]).collect();
        assert_eq!(all.len(), 300);
        let target = &doc.features()[42];
        let p = crate::analysis::representative_point(target.geometry().expect("g").shape())
            .expect("point");
        assert_eq!(index.nearest([p.x(), p.y()]), Some(42));
    }
}
