//! The strips layer: every feature projected once per document change into Mercator, an
//! R-tree of their boxes for culling and hit tests, statuses at the chosen date, and drawing
//! that aggregates overlapping points on a screen grid when too many are in view.

use chrono::NaiveDate;
use egui::{Align2, FontId, Painter, Pos2, Rect, Shape, Stroke, vec2};
use rstar::{AABB, RTree, RTreeObject};

use super::basemap::LabelSpace;
use super::transform::{Merc, Transform, mercator};
use crate::analysis::representative_point;
use crate::app::theme;
use crate::model::{Document, Feature, History, Status};

/// Above this many features in view, points are aggregated on a screen grid.
pub const AGGREGATE_ABOVE: usize = 2_000;
/// Size of an aggregation cell, in points.
const CELL_PX: f32 = 12.0;
/// Labels are drawn when at most this many features are in view.
const LABEL_AT_MOST: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Point,
    Line,
    Ring,
}

/// One drawable piece of a feature's geometry, in Mercator.
#[derive(Debug, Clone)]
struct Part {
    kind: PartKind,
    points: Vec<Merc>,
}

/// A feature ready to draw.
#[derive(Debug, Clone)]
pub struct Item {
    pub anchor: Merc,
    parts: Vec<Part>,
    /// Triangles filling the polygons, in Mercator.
    fill: Vec<[Merc; 3]>,
    pub strip: bool,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    index: usize,
    envelope: AABB<Merc>,
}

fn entry_of(index: usize, item: &Item) -> Entry {
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
    pub items: Vec<Option<Item>>,
    /// Features that pass the filters (and the time window); the others are not drawn.
    pub visible: Vec<bool>,
    /// Draw a halo around visible strips (the "events in a window" mode).
    pub halo: bool,
    /// Each feature's status at `date` and whether a fuzzy date decides it, kept apart from
    /// the items so a new date is one copy of a flat array.
    pub statuses: Vec<(Status, bool)>,
    tree: RTree<Entry>,
    /// Mercator box of every feature.
    pub bounds: Option<(Merc, Merc)>,
}

fn parts_of(shape: &geo::Geometry<f64>, out: &mut Vec<Part>) {
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
fn fill_of(shape: &geo::Geometry<f64>, out: &mut Vec<[Merc; 3]>) {
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

/// Status of a feature at `date`, with whether a fuzzy date decides it.
pub fn status_of(feature: &Feature, date: NaiveDate) -> (Status, bool) {
    let events = feature.events();
    if events.is_empty() {
        return (Status::Unknown, false);
    }
    History::of(events).status_at(events, date)
}

/// Projects one feature; `None` when it has no geometry to draw.
pub fn item_of(feature: &Feature) -> Option<Item> {
    let shape = feature.geometry.as_ref()?.shape();
    let anchor = representative_point(shape)?;
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
    pub fn build(doc: &Document, state: u64, date: NaiveDate) -> Self {
        let items: Vec<Option<Item>> = doc.features.iter().map(item_of).collect();
        let mut cache = Self::from_items(items, state, date);
        cache.statuses = doc.features.iter().map(|f| status_of(f, date)).collect();
        cache
    }

    /// A cache holding one item, for drawing a preview.
    pub fn from_item(item: Item) -> Self {
        Self::from_items(vec![Some(item)], 0, NaiveDate::MIN)
    }

    fn from_items(items: Vec<Option<Item>>, state: u64, date: NaiveDate) -> Self {
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
        StripCache {
            state,
            date,
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
            let Some(feature) = doc.features.get(index) else {
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
            if let Some(slot) = self.items.get_mut(index) {
                *slot = item;
            }
        }
        self.state = state;
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

    /// The status of feature `i` and whether it rests on a fuzzy date.
    pub fn status(&self, i: usize) -> (Status, bool) {
        self.statuses
            .get(i)
            .copied()
            .unwrap_or((Status::Unknown, false))
    }

    fn shown(&self, index: usize) -> bool {
        self.visible.get(index).copied().unwrap_or(true) && self.items[index].is_some()
    }

    /// Indices of the shown features whose boxes meet the Mercator box.
    pub fn in_view(&self, view: (Merc, Merc)) -> Vec<usize> {
        let whole = self.bounds.is_some_and(|(a, b)| {
            view.0[0] <= a[0] && view.0[1] <= a[1] && view.1[0] >= b[0] && view.1[1] >= b[1]
        });
        if whole {
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
        let reach = f64::from(tolerance_px + theme::STRIP_RADIUS_PX) * t.merc_per_px();
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
fn screen_distance(t: &Transform, item: &Item, pos: Pos2) -> f32 {
    let mut best = f32::MAX;
    for part in &item.parts {
        let pts: Vec<Pos2> = part.points.iter().map(|&m| t.to_screen(m)).collect();
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

fn segments_distance(pts: &[Pos2], p: Pos2) -> f32 {
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

/// Whether a screen point is inside a drawn ring (the filter's test, in screen points).
fn inside(ring: &[Pos2], p: Pos2) -> bool {
    let ring: Vec<(f64, f64)> = ring
        .iter()
        .map(|q| (f64::from(q.x), f64::from(q.y)))
        .collect();
    crate::analysis::inside_ring(&ring, f64::from(p.x), f64::from(p.y))
}

fn colour(item: &Item, status: Status) -> egui::Color32 {
    if item.strip {
        theme::status_colour(status)
    } else {
        theme::NON_STRIP
    }
}

fn status_slot(status: Status) -> usize {
    Status::ALL.iter().position(|s| *s == status).unwrap_or(3)
}

/// What the strips layer drew, for the status bar and tests.
#[derive(Debug, Default, Clone, Copy)]
pub struct Drawn {
    pub in_view: usize,
    pub aggregated: bool,
}

/// Draws the features in view; `emphasis` are (index, colour) pairs drawn on top.
pub fn draw(
    painter: &Painter,
    t: &Transform,
    zoom: f64,
    cache: &StripCache,
    emphasis: &[(usize, egui::Color32)],
    labels: &mut LabelSpace,
    show_labels: bool,
) -> Drawn {
    let visible = cache.in_view(t.visible(10.0));
    let aggregated = visible.len() > AGGREGATE_ABOVE;
    if aggregated {
        draw_aggregated(painter, t, cache, &visible);
    } else {
        if cache.halo {
            for &i in &visible {
                if let Some(item) = &cache.items[i] {
                    painter.circle_filled(
                        t.to_screen(item.anchor),
                        theme::STRIP_RADIUS_PX + 7.0,
                        theme::WINDOW_HALO,
                    );
                }
            }
        }
        // Polygons first, then runways, then points, so small things stay on top.
        for kind in [PartKind::Ring, PartKind::Line, PartKind::Point] {
            for &i in &visible {
                if let Some(item) = &cache.items[i] {
                    let (status, fuzzy) = cache.status(i);
                    draw_parts(painter, t, item, kind, colour(item, status), fuzzy, false);
                }
            }
        }
        if show_labels && visible.len() <= LABEL_AT_MOST && zoom >= 9.0 {
            for &i in &visible {
                if let Some(item) = &cache.items[i] {
                    let at = t.to_screen(item.anchor) + vec2(8.0, 0.0);
                    let galley = painter.layout_no_wrap(
                        item.label.clone(),
                        FontId::proportional(12.0),
                        egui::Color32::BLACK,
                    );
                    let rect =
                        Rect::from_min_size(at - vec2(0.0, galley.size().y / 2.0), galley.size());
                    if labels.claim(rect.expand(1.0)) {
                        painter.rect_filled(rect.expand(1.0), 2.0, theme::TOWN_HALO);
                        painter.galley(rect.min, galley, egui::Color32::BLACK);
                    }
                }
            }
        }
    }
    for &(i, highlight) in emphasis {
        if let Some(Some(item)) = cache.items.get(i) {
            for kind in [PartKind::Ring, PartKind::Line, PartKind::Point] {
                let (status, fuzzy) = cache.status(i);
                draw_parts(painter, t, item, kind, colour(item, status), fuzzy, true);
                draw_parts_outline(painter, t, item, kind, highlight);
            }
        }
    }
    Drawn {
        in_view: visible.len(),
        aggregated,
    }
}

fn draw_parts(
    painter: &Painter,
    t: &Transform,
    item: &Item,
    kind: PartKind,
    fill: egui::Color32,
    fuzzy: bool,
    big: bool,
) {
    let grow = if big { 1.5 } else { 0.0 };
    for part in item.parts.iter().filter(|p| p.kind == kind) {
        match kind {
            PartKind::Point => {
                let at = t.to_screen(part.points[0]);
                painter.circle(
                    at,
                    theme::STRIP_RADIUS_PX + grow,
                    fill,
                    Stroke::new(1.5, theme::STRIP_OUTLINE),
                );
                if fuzzy {
                    painter.circle_stroke(
                        at,
                        theme::STRIP_RADIUS_PX + 3.0 + grow,
                        Stroke::new(1.0, fill),
                    );
                }
            }
            PartKind::Line => {
                let pts: Vec<Pos2> = part.points.iter().map(|&m| t.to_screen(m)).collect();
                painter.add(Shape::line(
                    pts.clone(),
                    Stroke::new(theme::RUNWAY_WIDTH_PX + 2.0 + grow, theme::STRIP_OUTLINE),
                ));
                painter.add(Shape::line(
                    pts,
                    Stroke::new(theme::RUNWAY_WIDTH_PX + grow, fill),
                ));
            }
            PartKind::Ring => {
                let pts: Vec<Pos2> = part.points.iter().map(|&m| t.to_screen(m)).collect();
                painter.add(Shape::closed_line(pts, Stroke::new(2.0 + grow, fill)));
            }
        }
    }
}

fn draw_parts_outline(
    painter: &Painter,
    t: &Transform,
    item: &Item,
    kind: PartKind,
    highlight: egui::Color32,
) {
    for part in item.parts.iter().filter(|p| p.kind == kind) {
        match kind {
            PartKind::Point => {
                painter.circle_stroke(
                    t.to_screen(part.points[0]),
                    theme::STRIP_RADIUS_PX + 4.5,
                    Stroke::new(2.5, highlight),
                );
            }
            PartKind::Line | PartKind::Ring => {
                for &m in part.points.iter().take(1).chain(part.points.last()) {
                    painter.circle(
                        t.to_screen(m),
                        4.0,
                        egui::Color32::WHITE,
                        Stroke::new(2.0, highlight),
                    );
                }
            }
        }
    }
}

/// Draws an imported layer in one colour: translucent filled polygons with outlines, lines,
/// and points as markers; `selected` is outlined. Returns how many features are in view.
pub fn draw_layer(
    painter: &Painter,
    t: &Transform,
    cache: &StripCache,
    colour: egui::Color32,
    selected: Option<usize>,
) -> usize {
    let visible = cache.in_view(t.visible(10.0));
    if visible.len() > AGGREGATE_ABOVE {
        draw_aggregated_in(painter, t, cache, &visible, Some(colour));
        return visible.len();
    }
    let fill = colour.gamma_multiply(0.25);
    for &i in &visible {
        let Some(item) = &cache.items[i] else {
            continue;
        };
        if !item.fill.is_empty() {
            let mut mesh = egui::Mesh::default();
            for tri in &item.fill {
                let base = mesh.vertices.len() as u32;
                for m in tri {
                    mesh.colored_vertex(t.to_screen(*m), fill);
                }
                mesh.add_triangle(base, base + 1, base + 2);
            }
            painter.add(Shape::mesh(mesh));
        }
    }
    for kind in [PartKind::Ring, PartKind::Line, PartKind::Point] {
        for &i in &visible {
            let Some(item) = &cache.items[i] else {
                continue;
            };
            for part in item.parts.iter().filter(|p| p.kind == kind) {
                let pts: Vec<Pos2> = part.points.iter().map(|&m| t.to_screen(m)).collect();
                match kind {
                    PartKind::Point => {
                        let r = theme::STRIP_RADIUS_PX - 0.5;
                        let at = pts[0];
                        // A diamond, so imported points never look like working strips.
                        let diamond = vec![
                            at + vec2(0.0, -r - 1.0),
                            at + vec2(r + 1.0, 0.0),
                            at + vec2(0.0, r + 1.0),
                            at + vec2(-r - 1.0, 0.0),
                        ];
                        painter.add(Shape::convex_polygon(
                            diamond,
                            colour,
                            Stroke::new(1.5, theme::STRIP_OUTLINE),
                        ));
                    }
                    PartKind::Line => {
                        painter.add(Shape::line(pts, Stroke::new(2.5, colour)));
                    }
                    PartKind::Ring => {
                        painter.add(Shape::closed_line(pts, Stroke::new(1.5, colour)));
                    }
                }
            }
        }
    }
    if let Some(Some(item)) = selected.and_then(|s| cache.items.get(s)) {
        for kind in [PartKind::Ring, PartKind::Line, PartKind::Point] {
            draw_parts_outline(painter, t, item, kind, theme::SELECTED);
        }
    }
    visible.len()
}

/// Many features in view: one disc per occupied screen cell, sized by count and coloured by
/// the most common status in it.
fn draw_aggregated(painter: &Painter, t: &Transform, cache: &StripCache, visible: &[usize]) {
    draw_aggregated_in(painter, t, cache, visible, None);
}

/// Aggregated discs, in `colour` when given, else by the most common status.
fn draw_aggregated_in(
    painter: &Painter,
    t: &Transform,
    cache: &StripCache,
    visible: &[usize],
    colour: Option<egui::Color32>,
) {
    let rect = t.rect;
    let cols = (rect.width() / CELL_PX).ceil() as usize + 1;
    let rows = (rect.height() / CELL_PX).ceil() as usize + 1;
    #[derive(Clone, Copy, Default)]
    struct Cell {
        count: u32,
        by_status: [u32; 5],
        sum: [f32; 2],
    }
    let mut cells = vec![Cell::default(); cols * rows];
    for &i in visible {
        let Some(item) = &cache.items[i] else {
            continue;
        };
        let p = t.to_screen(item.anchor);
        if !rect.contains(p) {
            continue;
        }
        let (cx, cy) = (
            ((p.x - rect.left()) / CELL_PX) as usize,
            ((p.y - rect.top()) / CELL_PX) as usize,
        );
        let cell = &mut cells[cy.min(rows - 1) * cols + cx.min(cols - 1)];
        cell.count += 1;
        let slot = if item.strip {
            status_slot(cache.status(i).0)
        } else {
            4
        };
        cell.by_status[slot] += 1;
        cell.sum[0] += p.x;
        cell.sum[1] += p.y;
    }
    let many = cells.iter().filter(|c| c.count > 0).count() > 600;
    for cell in cells.iter().filter(|c| c.count > 0) {
        let at = Pos2::new(
            cell.sum[0] / cell.count as f32,
            cell.sum[1] / cell.count as f32,
        );
        let (slot, _) = cell
            .by_status
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)
            .unwrap_or((0, &0));
        let fill = match (colour, slot) {
            (Some(c), _) => c,
            (None, 4) => theme::NON_STRIP,
            (None, s) => theme::status_colour(Status::ALL[s]),
        };
        let radius = 3.0 + (cell.count as f32).log2().min(6.0);
        painter.circle(at, radius, fill, Stroke::new(1.0, theme::STRIP_OUTLINE));
        if !many && cell.count >= 10 {
            painter.text(
                at,
                Align2::CENTER_CENTER,
                cell.count.to_string(),
                FontId::proportional(9.0),
                egui::Color32::WHITE,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::synthetic::generate;

    #[test]
    fn picks_the_strip_under_the_cursor() {
        let doc = generate(500, 7);
        let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let cache = StripCache::build(&doc, 0, date);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0));
        let target = cache.items[42].as_ref().unwrap().anchor;
        let t = Transform::centred(rect, target, 16.0);
        assert_eq!(cache.pick(&t, rect.center(), 6.0), Some(42));
        assert_eq!(cache.pick(&t, rect.center() + vec2(200.0, 0.0), 6.0), None);
    }

    #[test]
    fn updating_in_place_matches_a_rebuild() {
        let mut doc = generate(300, 9);
        let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let mut cache = StripCache::build(&doc, 0, date);
        let shape: geo::Geometry<f64> = geo::Point::new(-73.1, -13.7).into();
        doc.features[10].geometry.as_mut().unwrap().set_shape(shape);
        cache.update(&doc, &[10], 1);
        let fresh = StripCache::build(&doc, 1, date);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0));
        let t = Transform::centred(rect, mercator(-73.1, -13.7), 15.0);
        assert_eq!(cache.pick(&t, rect.center(), 6.0), Some(10));
        assert_eq!(fresh.pick(&t, rect.center(), 6.0), Some(10));
        let whole = (mercator(-76.0, -10.0), mercator(-72.0, -15.0));
        assert_eq!(cache.in_view(whole), fresh.in_view(whole));
    }

    #[test]
    fn concave_polygons_with_holes_are_filled_exactly() {
        use geo::{Area, MapCoords};
        // An L-shaped clearing with a square hole in its long arm.
        let outer = geo::LineString::from(vec![
            (-74.0, -12.0),
            (-73.9, -12.0),
            (-73.9, -12.02),
            (-73.98, -12.02),
            (-73.98, -12.1),
            (-74.0, -12.1),
            (-74.0, -12.0),
        ]);
        let hole = geo::LineString::from(vec![
            (-73.995, -12.05),
            (-73.985, -12.05),
            (-73.985, -12.06),
            (-73.995, -12.06),
            (-73.995, -12.05),
        ]);
        let polygon = geo::Polygon::new(outer, vec![hole]);
        let mut fill = Vec::new();
        fill_of(&polygon.clone().into(), &mut fill);
        let triangles: f64 = fill
            .iter()
            .map(|[a, b, c]| {
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        let projected = polygon.map_coords(|c| {
            let m = mercator(c.x, c.y);
            geo::Coord { x: m[0], y: m[1] }
        });
        let area = projected.unsigned_area();
        assert!(
            (triangles - area).abs() < area * 1e-9,
            "{triangles} vs {area}"
        );
    }

    #[test]
    fn culls_to_the_view() {
        let doc = generate(2000, 3);
        let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let cache = StripCache::build(&doc, 0, date);
        let rect = Rect::from_min_size(Pos2::ZERO, vec2(1000.0, 800.0));
        let anchor = cache.items[0].as_ref().unwrap().anchor;
        let near = Transform::centred(rect, anchor, 14.0);
        let far = Transform::centred(rect, anchor, 4.0);
        let n_near = cache.in_view(near.visible(0.0)).len();
        let n_far = cache.in_view(far.visible(0.0)).len();
        assert!(n_near < 50 && n_far == 2000, "{n_near} {n_far}");
    }
}
