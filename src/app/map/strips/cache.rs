//! Every feature projected once per document change into Mercator, with an R-tree of their
//! boxes for culling and hit tests, and statuses at the chosen date.

use chrono::NaiveDate;
use egui::Pos2;
use rstar::{AABB, RTree, RTreeObject};

use crate::analysis::representative_point;
use crate::app::map::transform::{Merc, Transform, mercator};
use crate::app::theme;
use crate::model::{Document, Feature, Status};

/// Above this many features in view, points are aggregated on a screen grid.
pub const AGGREGATE_ABOVE: usize = 2_000;
/// Size of an aggregation cell of an imported layer, in points.
pub(super) const CELL_PX: f32 = 12.0;
/// Size of a cluster's cell in the working layer's overview, in points.
pub(super) const CLUSTER_PX: f32 = 44.0;
/// Labels are drawn when at most this many features are in view.
pub(super) const LABEL_AT_MOST: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartKind {
    Point,
    Line,
    Ring,
}

/// One drawable piece of a feature's geometry, in Mercator.
#[derive(Debug, Clone)]
pub(super) struct Part {
    pub(super) kind: PartKind,
    pub(super) points: Vec<Merc>,
}

/// A feature ready to draw.
#[derive(Debug, Clone)]
pub struct Item {
    pub anchor: Merc,
    pub(super) parts: Vec<Part>,
    /// Triangles filling the polygons, in Mercator.
    pub(super) fill: Vec<[Merc; 3]>,
    pub strip: bool,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Entry {
    pub(super) index: usize,
    pub(super) envelope: AABB<Merc>,
}

pub(super) fn entry_of(index: usize, item: &Item) -> Entry {
    let mut min = item.anchor;
    let mut max = item.anchor;
    for p in item.parts.iter().flat_map(|p| &p.points) {
        min = [min[0].min(p[0]), min[1].min(p[1])];
        max = [max[0].max(p[0]), max[1].max(p[1])];
    }
    Entry {
        index,
        envelope: AABB::from_corners(min, max),
    }
}

impl RTreeObject for Entry {
    type Envelope = AABB<Merc>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

impl rstar::PointDistance for Entry {
    fn distance_2(&self, point: &Merc) -> f64 {
        self.envelope.distance_2(point)
    }
}

/// The projected features of one document state at one date.
pub struct StripCache {
    pub state: u64,
    pub date: NaiveDate,
    /// Set only through [`StripCache::set_item`], which keeps `anchors` and `strips` in step.
    pub(super) items: Vec<Option<Item>>,
    /// Each item's anchor (NaN without an item) and whether it is a strip: the fields an
    /// overview reads of every feature, in flat arrays, so counting a million of them on
    /// the cluster grid reads 17 bytes each instead of whole items.
    pub(super) anchors: Vec<Merc>,
    pub(super) strips: Vec<bool>,
    /// Features that pass the filters (and the time window); the others are not drawn.
    pub visible: Vec<bool>,
    /// Draw a halo around visible strips (the "events in a window" mode).
    pub halo: bool,
    /// Each feature's status at `date` and whether a fuzzy date decides it, kept apart from
    /// the items so a new date is one copy of a flat array.
    pub statuses: Vec<(Status, bool)>,
    pub(super) tree: RTree<Entry>,
    /// Mercator box of every feature.
    pub bounds: Option<(Merc, Merc)>,
}

pub(super) fn parts_of(shape: &geo::Geometry<f64>, out: &mut Vec<Part>) {
    let m = |c: &geo::Coord<f64>| mercator(c.x, c.y);
    let line = |kind, ls: &geo::LineString<f64>| Part {
        kind,
        points: ls.0.iter().map(m).collect(),
    };
    match shape {
        geo::Geometry::Point(p) => out.push(Part {
            kind: PartKind::Point,
            points: vec![m(&p.0)],
        }),
        geo::Geometry::MultiPoint(mp) => out.extend(mp.0.iter().map(|p| Part {
            kind: PartKind::Point,
            points: vec![m(&p.0)],
        })),
        geo::Geometry::LineString(ls) => out.push(line(PartKind::Line, ls)),
        geo::Geometry::MultiLineString(mls) => {
            out.extend(mls.0.iter().map(|ls| line(PartKind::Line, ls)))
        }
        geo::Geometry::Polygon(p) => {
            out.push(line(PartKind::Ring, p.exterior()));
            out.extend(p.interiors().iter().map(|r| line(PartKind::Ring, r)));
        }
        geo::Geometry::MultiPolygon(mp) => {
            for p in &mp.0 {
                out.push(line(PartKind::Ring, p.exterior()));
                out.extend(p.interiors().iter().map(|r| line(PartKind::Ring, r)));
            }
        }
        geo::Geometry::GeometryCollection(gc) => gc.0.iter().for_each(|g| parts_of(g, out)),
        geo::Geometry::Line(l) => out.push(Part {
            kind: PartKind::Line,
            points: vec![m(&l.start), m(&l.end)],
        }),
        geo::Geometry::Rect(r) => out.push(line(PartKind::Ring, r.to_polygon().exterior())),
        geo::Geometry::Triangle(t) => out.push(line(PartKind::Ring, t.to_polygon().exterior())),
    }
}

/// Triangles (ear clipping) covering the polygons of a shape, so areas of any outline,
/// concave or with holes, are filled correctly.
pub(super) fn fill_of(shape: &geo::Geometry<f64>, out: &mut Vec<[Merc; 3]>) {
    use geo::TriangulateEarcut;
    let mut polygon = |p: &geo::Polygon<f64>| {
        for tri in p.earcut_triangles() {
            let [a, b, c] = tri.to_array();
            out.push([mercator(a.x, a.y), mercator(b.x, b.y), mercator(c.x, c.y)]);
        }
    };
    match shape {
        geo::Geometry::Polygon(p) => polygon(p),
        geo::Geometry::MultiPolygon(mp) => mp.0.iter().for_each(polygon),
        geo::Geometry::Rect(r) => polygon(&r.to_polygon()),
        geo::Geometry::Triangle(t) => polygon(&t.to_polygon()),
        geo::Geometry::GeometryCollection(gc) => gc.0.iter().for_each(|g| fill_of(g, out)),
        _ => {}
    }
}

/// Projects one feature; `None` when it has no geometry to draw.
pub fn item_of(feature: &Feature) -> Option<Item> {
    let shape = feature.geometry()?.shape();
    // A point with no place (NaN from an empty point or a failed projection) is not drawn.
    let anchor = representative_point(shape).filter(|p| p.x().is_finite() && p.y().is_finite())?;
    let mut parts = Vec::new();
    parts_of(shape, &mut parts);
    let mut fill = Vec::new();
    fill_of(shape, &mut fill);
    Some(Item {
        anchor: mercator(anchor.x(), anchor.y()),
        parts,
        fill,
        strip: feature.is_strip(),
        label: feature.label().to_owned(),
    })
}

impl StripCache {
    /// The features projected; every status is unknown until the caller sets them
    /// ([`StripCache::set_view_state`]) from the facts, which work them out once.
    pub fn build(doc: &Document, state: u64, date: NaiveDate) -> Self {
        use rayon::prelude::*;
        let items: Vec<Option<Item>> = doc.features().par_iter().map(item_of).collect();
        Self::from_items(items, state, date)
    }

    /// A cache holding one item, for drawing a preview.
    pub fn from_item(item: Item) -> Self {
        Self::from_items(vec![Some(item)], 0, NaiveDate::MIN)
    }

    pub(super) fn from_items(items: Vec<Option<Item>>, state: u64, date: NaiveDate) -> Self {
        let entries: Vec<Entry> = items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| Some(entry_of(index, item.as_ref()?)))
            .collect();
        let bounds = entries.iter().fold(None, |b: Option<(Merc, Merc)>, e| {
            let (min, max) = (e.envelope.lower(), e.envelope.upper());
            Some(match b {
                None => (min, max),
                Some((a, b)) => (
                    [a[0].min(min[0]), a[1].min(min[1])],
                    [b[0].max(max[0]), b[1].max(max[1])],
                ),
            })
        });
        let anchors = items
            .iter()
            .map(|item| item.as_ref().map_or([f64::NAN; 2], |item| item.anchor))
            .collect();
        let strips = items
            .iter()
            .map(|item| item.as_ref().is_some_and(|item| item.strip))
            .collect();
        StripCache {
            state,
            date,
            anchors,
            strips,
            visible: vec![true; items.len()],
            statuses: vec![(Status::Unknown, false); items.len()],
            halo: false,
            items,
            tree: RTree::bulk_load(entries),
            bounds,
        }
    }

    /// Updates the features at `indices` after they were replaced in place.
    pub fn update(&mut self, doc: &Document, indices: &[usize], state: u64) {
        for &index in indices {
            let Some(feature) = doc.features().get(index) else {
                continue;
            };
            if let Some(Some(old)) = self.items.get(index) {
                self.tree.remove(&entry_of(index, old));
            }
            let item = item_of(feature);
            if let Some(item) = &item {
                let entry = entry_of(index, item);
                let (min, max) = (entry.envelope.lower(), entry.envelope.upper());
                self.bounds = Some(match self.bounds {
                    None => (min, max),
                    Some((a, b)) => (
                        [a[0].min(min[0]), a[1].min(min[1])],
                        [b[0].max(max[0]), b[1].max(max[1])],
                    ),
                });
                self.tree.insert(entry);
            }
            self.set_item(index, item);
        }
        self.state = state;
    }

    /// Replaces the item at `index`, and its anchor and strip flag with it.
    pub(super) fn set_item(&mut self, index: usize, item: Option<Item>) {
        let (Some(slot), Some(anchor), Some(strip)) = (
            self.items.get_mut(index),
            self.anchors.get_mut(index),
            self.strips.get_mut(index),
        ) else {
            return;
        };
        *anchor = item.as_ref().map_or([f64::NAN; 2], |item| item.anchor);
        *strip = item.as_ref().is_some_and(|item| item.strip);
        *slot = item;
    }

    /// The drawable item of feature `index`, if it has a place on the map.
    pub fn item(&self, index: usize) -> Option<&Item> {
        self.items.get(index)?.as_ref()
    }

    /// How many features the cache holds (drawable or not).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sets statuses (at `date`) and the halo; `visible` (which features are shown) is
    /// filled by the caller in place.
    pub fn set_view_state(&mut self, date: NaiveDate, statuses: &[(Status, bool)], halo: bool) {
        self.statuses.clear();
        self.statuses.extend_from_slice(statuses);
        self.statuses
            .resize(self.items.len(), (Status::Unknown, false));
        self.visible.resize(self.items.len(), true);
        self.date = date;
        self.halo = halo;
    }

    /// One feature's status and whether it is shown, after an edit of it alone.
    pub fn set_one(&mut self, i: usize, status: (Status, bool), shown: bool) {
        if let (Some(s), Some(v)) = (self.statuses.get_mut(i), self.visible.get_mut(i)) {
            *s = status;
            *v = shown;
        }
    }

    /// The status of feature `i` and whether it rests on a fuzzy date.
    pub fn status(&self, i: usize) -> (Status, bool) {
        self.statuses
            .get(i)
            .copied()
            .unwrap_or((Status::Unknown, false))
    }

    pub(super) fn shown(&self, index: usize) -> bool {
        self.visible.get(index).copied().unwrap_or(true) && self.anchors[index][0].is_finite()
    }

    /// Whether the Mercator box holds every feature of the cache.
    pub(super) fn covers(&self, view: (Merc, Merc)) -> bool {
        self.bounds.is_some_and(|(a, b)| {
            view.0[0] <= a[0] && view.0[1] <= a[1] && view.1[0] >= b[0] && view.1[1] >= b[1]
        })
    }

    /// Indices of the shown features whose boxes meet the Mercator box.
    pub fn in_view(&self, view: (Merc, Merc)) -> Vec<usize> {
        if self.covers(view) {
            return (0..self.items.len()).filter(|&i| self.shown(i)).collect();
        }
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&AABB::from_corners(view.0, view.1))
            .map(|e| e.index)
            .filter(|&i| self.shown(i))
            .collect();
        found.sort_unstable();
        found
    }

    /// The feature nearest to the screen point `pos` within `tolerance_px`, by its drawn shape.
    pub fn pick(&self, t: &Transform, pos: Pos2, tolerance_px: f32) -> Option<usize> {
        // A runway far out is drawn (and hit) at its minimum length about its middle.
        let reach =
            f64::from(tolerance_px + theme::STRIP_RADIUS_PX.max(theme::MIN_RUNWAY_PX / 2.0))
                * t.merc_per_px();
        let m = t.to_merc(pos);
        let query = AABB::from_corners([m[0] - reach, m[1] - reach], [m[0] + reach, m[1] + reach]);
        let mut best: Option<(f32, usize)> = None;
        for entry in self.tree.locate_in_envelope_intersecting(&query) {
            let Some(item) = self.items[entry.index]
                .as_ref()
                .filter(|_| self.shown(entry.index))
            else {
                continue;
            };
            let d = screen_distance(t, item, pos);
            if d <= tolerance_px && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, entry.index));
            }
        }
        best.map(|(_, i)| i)
    }
}

/// Distance in points from `pos` to the drawn shape (0 inside a polygon or marker).
/// A line part on screen, stretched about its middle to at least
/// [`theme::MIN_RUNWAY_PX`] so a runway seen from far away stays visible and clickable.
pub(super) fn line_on_screen(t: &Transform, points: &[Merc]) -> Vec<Pos2> {
    let mut pts: Vec<Pos2> = points.iter().map(|&m| t.to_screen(m)).collect();
    let (Some(&first), Some(&last)) = (pts.first(), pts.last()) else {
        return pts;
    };
    let length: f32 = pts.windows(2).map(|w| w[0].distance(w[1])).sum();
    if pts.len() >= 2 && length < theme::MIN_RUNWAY_PX {
        let mid = first + (last - first) / 2.0;
        let dir = (last - first).normalized();
        let dir = if dir.is_finite() && dir.length() > 0.0 {
            dir
        } else {
            egui::vec2(1.0, 0.0)
        };
        let half = dir * (theme::MIN_RUNWAY_PX / 2.0);
        pts = vec![mid - half, mid + half];
    }
    pts
}

pub(super) fn screen_distance(t: &Transform, item: &Item, pos: Pos2) -> f32 {
    let mut best = f32::MAX;
    for part in &item.parts {
        let pts: Vec<Pos2> = match part.kind {
            PartKind::Line => line_on_screen(t, &part.points),
            _ => part.points.iter().map(|&m| t.to_screen(m)).collect(),
        };
        let d = match part.kind {
            PartKind::Point => (pts[0].distance(pos) - theme::STRIP_RADIUS_PX).max(0.0),
            PartKind::Line => segments_distance(&pts, pos) - theme::RUNWAY_WIDTH_PX / 2.0,
            PartKind::Ring => {
                if inside(&pts, pos) {
                    0.0
                } else {
                    segments_distance(&pts, pos)
                }
            }
        };
        best = best.min(d.max(0.0));
    }
    best
}

pub(super) fn segments_distance(pts: &[Pos2], p: Pos2) -> f32 {
    if pts.len() == 1 {
        return pts[0].distance(p);
    }
    pts.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let ab = b - a;
            let len2 = ab.length_sq();
            let t = if len2 > 0.0 {
                ((p - a).dot(ab) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (a + ab * t).distance(p)
        })
        .fold(f32::MAX, f32::min)
}

/// Whether a screen point is inside a drawn ring (geo's `Contains`, in screen points).
pub(super) fn inside(ring: &[Pos2], p: Pos2) -> bool {
    use geo::Contains;
    let ring: geo::LineString<f64> = ring
        .iter()
        .map(|q| (f64::from(q.x), f64::from(q.y)))
        .collect();
    geo::Polygon::new(ring, Vec::new()).contains(&geo::Point::new(f64::from(p.x), f64::from(p.y)))
}
