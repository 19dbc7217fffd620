//! Counting features on a screen grid: the clusters of an overview (and an imported
//! layer's discs), counted on every core, straight from the cache's flat arrays when every
//! feature is in view.

use egui::Pos2;

use super::cache::*;
use crate::app::map::transform::{Merc, Transform};
use crate::model::Status;

/// Features in view gathered on a screen grid of `cell_px`.
#[derive(Clone, Copy)]
pub(super) struct Cell {
    pub(super) count: u32,
    pub(super) by_status: [u32; 5],
    sum: [f32; 2],
    pub(super) min: Merc,
    pub(super) max: Merc,
}

impl Cell {
    /// Counts `other`'s strips in too.
    fn add(&mut self, other: &Cell) {
        self.count += other.count;
        for (a, b) in self.by_status.iter_mut().zip(other.by_status) {
            *a += b;
        }
        self.sum = [self.sum[0] + other.sum[0], self.sum[1] + other.sum[1]];
        self.min = [self.min[0].min(other.min[0]), self.min[1].min(other.min[1])];
        self.max = [self.max[0].max(other.max[0]), self.max[1].max(other.max[1])];
    }

    pub(super) fn centre(&self) -> Pos2 {
        Pos2::new(
            self.sum[0] / self.count as f32,
            self.sum[1] / self.count as f32,
        )
    }
}

/// Features counted on one thread when clustering; more are shared out among the cores.
const CELLS_PER_THREAD: usize = 100_000;

/// The features to count on a cluster grid.
#[derive(Clone, Copy)]
pub(super) enum Features<'a> {
    /// Every shown feature of the cache.
    All,
    /// These (shown) features.
    These(&'a [usize]),
}

/// The occupied cells of a screen grid of `cell_px` with the features counted in, and how
/// many shown features were looked at (those off screen included).
pub(super) fn cells_of(
    t: &Transform,
    cache: &StripCache,
    features: Features,
    cell_px: f32,
) -> (Vec<Cell>, usize) {
    cells_in_shares(t, cache, features, cell_px, CELLS_PER_THREAD)
}

/// [`cells_of`], with at most `per_share` features counted by one task.
fn cells_in_shares(
    t: &Transform,
    cache: &StripCache,
    features: Features,
    cell_px: f32,
    per_share: usize,
) -> (Vec<Cell>, usize) {
    use rayon::prelude::*;
    let rect = t.rect;
    let cols = (rect.width() / cell_px).ceil() as usize + 1;
    let rows = (rect.height() / cell_px).ceil() as usize + 1;
    let grid = Grid {
        t,
        cache,
        cell_px,
        cols,
        rows,
    };
    let n = match features {
        Features::All => cache.len(),
        Features::These(list) => list.len(),
    };
    // A million strips in view: each core counts a share into a grid of its own, and the
    // grids are added up (a few hundred cells).
    let shares = n.div_ceil(per_share.max(1)).max(1);
    let share = n.div_ceil(shares).max(1);
    let count = |k: usize| {
        let range = k * share..((k + 1) * share).min(n);
        match features {
            Features::All => grid.count_all(range),
            Features::These(list) => grid.count(&list[range]),
        }
    };
    let (mut cells, shown) = if shares == 1 {
        count(0)
    } else {
        (0..shares)
            .into_par_iter()
            .map(count)
            .reduce_with(|(mut cells, a), (other, b)| {
                for (cell, other) in cells.iter_mut().zip(&other) {
                    cell.add(other);
                }
                (cells, a + b)
            })
            .unwrap_or_default()
    };
    cells.retain(|c| c.count > 0);
    (cells, shown)
}

/// A screen grid to count features on.
struct Grid<'a> {
    t: &'a Transform,
    cache: &'a StripCache,
    cell_px: f32,
    cols: usize,
    rows: usize,
}

impl Grid<'_> {
    fn empty(&self) -> Vec<Cell> {
        let empty = Cell {
            count: 0,
            by_status: [0; 5],
            sum: [0.0; 2],
            min: [f64::MAX; 2],
            max: [f64::MIN; 2],
        };
        vec![empty; self.cols * self.rows]
    }

    /// The grid with the `shown` features counted in (those on screen), and how many
    /// there were.
    fn count(&self, shown: &[usize]) -> (Vec<Cell>, usize) {
        let cache = self.cache;
        let mut cells = self.empty();
        for &i in shown {
            let strip = cache.strips.get(i).copied().unwrap_or(false);
            self.add(&mut cells, cache.anchors[i], strip, cache.status(i).0);
        }
        (cells, shown.len())
    }

    /// The grid with the shown features among `range` counted in, and how many there were:
    /// the flat arrays are walked side by side, with no lookup per feature.
    fn count_all(&self, range: std::ops::Range<usize>) -> (Vec<Cell>, usize) {
        let cache = self.cache;
        let mut cells = self.empty();
        let mut shown = 0;
        let (Some(anchors), Some(strips)) = (
            cache.anchors.get(range.clone()),
            cache.strips.get(range.clone()),
        ) else {
            return (cells, 0);
        };
        // As `StripCache::shown` and `StripCache::status` read them: a feature past the end
        // of `visible` is shown, and past the end of `statuses` its status is unknown.
        let tail = |from: usize, len: usize| from.min(len)..len;
        let visible = cache.visible[tail(range.start, cache.visible.len())]
            .iter()
            .copied()
            .chain(std::iter::repeat(true));
        let statuses = cache.statuses[tail(range.start, cache.statuses.len())]
            .iter()
            .map(|s| s.0)
            .chain(std::iter::repeat(Status::Unknown));
        for (((&m, &strip), status), visible) in
            anchors.iter().zip(strips).zip(statuses).zip(visible)
        {
            if visible && m[0].is_finite() {
                shown += 1;
                self.add(&mut cells, m, strip, status);
            }
        }
        (cells, shown)
    }

    /// Counts one feature at Mercator `m` into its cell, if it is on screen.
    #[inline]
    fn add(&self, cells: &mut [Cell], m: Merc, strip: bool, status: Status) {
        let rect = self.t.rect;
        let p = self.t.to_screen(m);
        if !rect.contains(p) {
            return;
        }
        let (cx, cy) = (
            ((p.x - rect.left()) / self.cell_px) as usize,
            ((p.y - rect.top()) / self.cell_px) as usize,
        );
        let Some(cell) = cells.get_mut(cy.min(self.rows - 1) * self.cols + cx.min(self.cols - 1))
        else {
            return;
        };
        cell.count += 1;
        cell.by_status[if strip { status_slot(status) } else { 4 }] += 1;
        cell.sum[0] += p.x;
        cell.sum[1] += p.y;
        cell.min = [cell.min[0].min(m[0]), cell.min[1].min(m[1])];
        cell.max = [cell.max[0].max(m[0]), cell.max[1].max(m[1])];
    }
}

/// A cluster's count, counts by status and box, for tests.
#[cfg(test)]
pub(super) type CellForTests = (u32, [u32; 5], Merc, Merc);

/// Each cluster's count, counts by status and box, counted in tasks of `per_share`, with
/// how many shown features were looked at; for tests.
#[cfg(test)]
pub(super) fn cells_in_shares_for_tests(
    t: &Transform,
    cache: &StripCache,
    features: Features,
    per_share: usize,
) -> (Vec<CellForTests>, usize) {
    let (cells, shown) = cells_in_shares(t, cache, features, CLUSTER_PX, per_share);
    let cells = cells
        .iter()
        .map(|c| (c.count, c.by_status, c.min, c.max))
        .collect();
    (cells, shown)
}

/// Each cluster's count and counts by status, for tests.
#[cfg(test)]
pub(super) fn cells_of_for_tests(
    t: &Transform,
    cache: &StripCache,
    visible: &[usize],
) -> Vec<(u32, [u32; 5])> {
    cells_of(t, cache, Features::These(visible), CLUSTER_PX)
        .0
        .iter()
        .map(|c| (c.count, c.by_status))
        .collect()
}

/// The clusters' places and counts, for tests.
#[cfg(test)]
pub(super) fn centres_for_tests(
    t: &Transform,
    cache: &StripCache,
    visible: &[usize],
) -> Vec<(Pos2, u32)> {
    cells_of(t, cache, Features::These(visible), CLUSTER_PX)
        .0
        .iter()
        .map(|c| (c.centre(), c.count))
        .collect()
}

/// The place of a status in [`Status::ALL`] (the legend's order).
pub(super) fn status_slot(status: Status) -> usize {
    match status {
        Status::Active => 0,
        Status::Rebuilt => 1,
        Status::Destroyed => 2,
        Status::Unknown => 3,
    }
}
