//! A spatial index of a document's features (an R*-tree of their bounding boxes).

use geo::BoundingRect;
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};

use crate::model::Document;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Finds features by location: what lies in a box, what is nearest a point.
pub struct SpatialIndex {
    tree: RTree<Entry>,
}

impl SpatialIndex {
    /// Indexes every feature with a geometry, by its position in `doc.features`.
    pub fn build(doc: &Document) -> Self {
        let entries = doc
            .features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let rect = f.geometry.as_ref()?.shape().bounding_rect()?;
                let (min, max) = (rect.min(), rect.max());
                Some(GeomWithData::new(
                    Rectangle::from_corners([min.x, min.y], [max.x, max.y]),
                    i,
                ))
            })
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    pub fn len(&self) -> usize {
        self.tree.size()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Features whose bounding box meets the box from `min` to `max` (lon, lat).
    pub fn in_box(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|e| e.data)
    }

    /// The feature whose bounding box is nearest to `point` (lon, lat), in degrees.
    pub fn nearest(&self, point: [f64; 2]) -> Option<usize> {
        self.tree.nearest_neighbor(&point).map(|e| e.data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::synthetic;

    #[test]
    fn finds_features_by_box_and_nearest() {
        let doc = synthetic::generate(300, 3);
        let index = SpatialIndex::build(&doc);
        assert_eq!(index.len(), 300);
        let all: Vec<usize> = index.in_box([-76.0, -14.0], [-73.0, -11.0]).collect();
        assert_eq!(all.len(), 300);
        let target = &doc.features[42];
        let p = crate::analysis::representative_point(target.geometry.as_ref().expect("g").shape())
            .expect("point");
        assert_eq!(index.nearest([p.x(), p.y()]), Some(42));
    }
}
