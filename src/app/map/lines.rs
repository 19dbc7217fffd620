//! What the basemap and the world layers draw with: lines in Mercator, the rings of a
//! shape, the space labels have taken, and the two passes (shapes, then names).

use egui::Rect;

use super::transform::{Merc, mercator};

/// A line with its Mercator bounding box, for culling.
pub struct Line {
    pub points: Vec<Merc>,
    min: Merc,
    max: Merc,
}

impl Line {
    pub(super) fn new(points: Vec<Merc>) -> Self {
        let mut min = [f64::MAX; 2];
        let mut max = [f64::MIN; 2];
        for p in &points {
            min = [min[0].min(p[0]), min[1].min(p[1])];
            max = [max[0].max(p[0]), max[1].max(p[1])];
        }
        Line { points, min, max }
    }

    pub(super) fn visible(&self, view: &(Merc, Merc)) -> bool {
        self.max[0] >= view.0[0]
            && self.min[0] <= view.1[0]
            && self.max[1] >= view.0[1]
            && self.min[1] <= view.1[1]
    }
}

/// The rings and lines of a shape as Mercator polylines.
/// Lines are cut where they cross the antimeridian, so none runs the long way round.
pub(super) fn rings(shape: &geo::Geometry<f64>, out: &mut Vec<Line>) {
    let mut ring = |ls: &geo::LineString<f64>| {
        let points: Vec<(f64, f64)> = ls.0.iter().map(|c| (c.x, c.y)).collect();
        for piece in crate::geodata::split_at_antimeridian(&points) {
            out.push(Line::new(
                piece.iter().map(|&(x, y)| mercator(x, y)).collect(),
            ));
        }
    };
    match shape {
        geo::Geometry::Polygon(p) => {
            ring(p.exterior());
            p.interiors().iter().for_each(&mut ring);
        }
        geo::Geometry::MultiPolygon(mp) => {
            for p in &mp.0 {
                ring(p.exterior());
                p.interiors().iter().for_each(&mut ring);
            }
        }
        geo::Geometry::LineString(ls) => ring(ls),
        geo::Geometry::MultiLineString(mls) => mls.0.iter().for_each(&mut ring),
        _ => {}
    }
}

/// Screen rectangles already taken by labels and strip markers, so a label never covers
/// another label or a marker. Kept in buckets of a coarse screen grid, so thousands of
/// markers and labels cost little.
#[derive(Default)]
pub struct LabelSpace {
    taken: Vec<Rect>,
    buckets: std::collections::HashMap<(i32, i32), Vec<u32>>,
}

/// The side of a bucket, in points.
const BUCKET: f32 = 64.0;

impl LabelSpace {
    fn cells(rect: Rect) -> impl Iterator<Item = (i32, i32)> {
        let (x0, x1) = (
            (rect.left() / BUCKET).floor() as i32,
            (rect.right() / BUCKET).floor() as i32,
        );
        let (y0, y1) = (
            (rect.top() / BUCKET).floor() as i32,
            (rect.bottom() / BUCKET).floor() as i32,
        );
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    /// Whether `rect` meets nothing taken.
    pub fn is_free(&self, rect: Rect) -> bool {
        Self::cells(rect).all(|c| {
            self.buckets.get(&c).is_none_or(|list| {
                list.iter()
                    .all(|&k| !self.taken[k as usize].intersects(rect))
            })
        })
    }

    /// Takes `rect` whether or not it is free (a strip marker, which labels avoid).
    pub fn reserve(&mut self, rect: Rect) {
        if !rect.is_finite() || rect.width() > 4096.0 || rect.height() > 4096.0 {
            return;
        }
        let k = self.taken.len() as u32;
        self.taken.push(rect);
        for c in Self::cells(rect) {
            self.buckets.entry(c).or_default().push(k);
        }
    }

    /// Reserves `rect` when it is free; returns whether it was.
    pub fn claim(&mut self, rect: Rect) -> bool {
        if !self.is_free(rect) {
            return false;
        }
        self.reserve(rect);
        true
    }
}

/// What a pass of [`draw`] paints: lines, areas and symbols under the strips, or the
/// names over them (after the strips' markers have taken their room, so no name hides a
/// marker and no marker hides a name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Shapes,
    Names,
}
