//! Drawing the strips layer: parts by status colour, halos, labels, and aggregation of
//! crowded views on a screen grid.

use super::clusters::{Cell, Features, cells_of};
use egui::{Align2, FontId, Painter, Pos2, Rect, Shape, Stroke, vec2};

use super::cache::*;
use crate::app::map::lines::LabelSpace;
use crate::app::map::transform::{Merc, Transform};
use crate::app::theme;
use crate::model::Status;

fn colour(item: &Item, status: Status) -> egui::Color32 {
    if item.strip {
        theme::status_colour(status)
    } else {
        theme::NON_STRIP
    }
}

/// What the strips layer drew, for the status bar and tests.
#[derive(Debug, Default, Clone)]
pub struct Drawn {
    pub in_view: usize,
    pub aggregated: bool,
    /// The clusters drawn when aggregated, for click-to-zoom.
    pub clusters: Vec<Cluster>,
}

/// A cluster of an aggregated view: where it is drawn, how big, and the Mercator box of its
/// features.
#[derive(Debug, Clone, Copy)]
pub struct Cluster {
    pub at: Pos2,
    pub radius: f32,
    pub count: u32,
    /// Its strips by status, in the order of [`Status::ALL`], then other features.
    pub by_status: [u32; 5],
    pub min: Merc,
    pub max: Merc,
}

impl Drawn {
    /// The cluster under a screen point.
    pub fn cluster_at(&self, p: Pos2) -> Option<&Cluster> {
        self.clusters
            .iter()
            .filter(|c| c.at.distance(p) <= c.radius + 2.0)
            .min_by(|a, b| a.at.distance(p).total_cmp(&b.at.distance(p)))
    }
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
    let view = t.visible(10.0);
    // With every feature in view (the overview of a large file), the clusters are counted
    // straight from the flat arrays, without listing a million indices first.
    if cache.covers(view) {
        let (cells, shown) = cells_of(t, cache, Features::All, CLUSTER_PX);
        if shown > AGGREGATE_ABOVE {
            let clusters = draw_clusters(painter, &cells);
            reserve_clusters(labels, &clusters);
            draw_emphasis(painter, t, cache, emphasis);
            return Drawn {
                in_view: shown,
                aggregated: true,
                clusters,
            };
        }
    }
    let visible = cache.in_view(view);
    let aggregated = visible.len() > AGGREGATE_ABOVE;
    let mut clusters = Vec::new();
    if aggregated {
        let (cells, _) = cells_of(t, cache, Features::These(&visible), CLUSTER_PX);
        clusters = draw_clusters(painter, &cells);
        reserve_clusters(labels, &clusters);
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
        // Markers take their room first: no name, the basemap's or a strip's, covers one.
        for &i in &visible {
            if let Some(item) = &cache.items[i] {
                labels.reserve(marker_box(t.to_screen(item.anchor)));
            }
        }
        if show_labels && visible.len() <= LABEL_AT_MOST && zoom >= 9.0 {
            for &i in &visible {
                if let Some(item) = &cache.items[i] {
                    let at = t.to_screen(item.anchor);
                    let galley = painter.layout_no_wrap(
                        item.label.clone(),
                        FontId::proportional(12.0),
                        theme::STRIP_LABEL,
                    );
                    // Right, left, above, below its own marker: the first place free of
                    // other names and markers, so a name never sits by another's marker.
                    let places = label_places(at, galley.size());
                    if let Some(rect) = places.into_iter().find(|r| labels.claim(r.expand(1.0))) {
                        painter.rect_filled(rect.expand(1.0), 2.0, theme::TOWN_HALO);
                        painter.galley(rect.min, galley, theme::STRIP_LABEL);
                    }
                }
            }
        }
    }
    draw_emphasis(painter, t, cache, emphasis);
    Drawn {
        in_view: visible.len(),
        aggregated,
        clusters,
    }
}

/// Draws the emphasised features (selection, hover) on top, larger and outlined.
fn draw_emphasis(
    painter: &Painter,
    t: &Transform,
    cache: &StripCache,
    emphasis: &[(usize, egui::Color32)],
) {
    for &(i, highlight) in emphasis {
        if let Some(item) = cache.item(i) {
            for kind in [PartKind::Ring, PartKind::Line, PartKind::Point] {
                let (status, fuzzy) = cache.status(i);
                draw_parts(painter, t, item, kind, colour(item, status), fuzzy, true);
                draw_parts_outline(painter, t, item, kind, highlight);
            }
        }
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
                let pts = line_on_screen(t, &part.points);
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
                        theme::MARKER_FILL,
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
                        let pts = line_on_screen(t, &part.points);
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

/// Many features in view: one cluster per occupied screen cell, sized by its count, with a
/// ring of its status mix (each status's share of the ring) around the count, so an
/// overview shows where destroyed, rebuilt and active strips concentrate.
/// The room a strip's marker takes from names.
pub(super) fn marker_box(at: Pos2) -> Rect {
    Rect::from_center_size(at, vec2(2.0, 2.0) * (theme::STRIP_RADIUS_PX + 2.0))
}

/// Where a strip's name of `size` may go, in order: right, left, above, below its marker,
/// clear of the marker's box with the 1 pt a claim adds around a name (touching boxes count
/// as meeting).
pub(super) fn label_places(at: Pos2, size: egui::Vec2) -> [Rect; 4] {
    let gap = theme::STRIP_RADIUS_PX + 4.0;
    [
        Rect::from_min_size(at + vec2(gap, -size.y / 2.0), size),
        Rect::from_min_size(at - vec2(gap + size.x, size.y / 2.0), size),
        Rect::from_min_size(at - vec2(size.x / 2.0, gap + size.y), size),
        Rect::from_min_size(at + vec2(-size.x / 2.0, gap), size),
    ]
}

/// Clusters take their room from the basemap's names, as markers do.
fn reserve_clusters(labels: &mut LabelSpace, clusters: &[Cluster]) {
    for c in clusters {
        labels.reserve(Rect::from_center_size(
            c.at,
            vec2(2.0, 2.0) * (c.radius + 1.0),
        ));
    }
}

/// A cluster's radius: its area grows with its share of the largest cluster in view, from
/// a disc that holds its count's text to half a grid cell.
pub(super) fn cluster_radius(count: u32, largest: u32) -> f32 {
    const LEAST: f32 = 9.0;
    let most = CLUSTER_PX / 2.0 - 1.0;
    let share = (count as f32 / largest.max(1) as f32).clamp(0.0, 1.0);
    LEAST + (most - LEAST) * share.sqrt()
}

fn draw_clusters(painter: &Painter, cells: &[Cell]) -> Vec<Cluster> {
    let mut clusters = Vec::with_capacity(cells.len());
    let largest = cells.iter().map(|c| c.count).max().unwrap_or(1);
    for cell in cells {
        // At its members' mean position, not the grid cell's middle.
        let at = cell.centre();
        let radius = cluster_radius(cell.count, largest);
        let ring = (radius * 0.38).clamp(3.0, 7.0);
        painter.circle_filled(at, radius + 1.0, theme::STRIP_OUTLINE);
        // The ring: one arc per status, in the order of the legend.
        let mut start = -std::f32::consts::FRAC_PI_2;
        let mid = radius - ring / 2.0;
        for (slot, n) in cell.by_status.iter().enumerate().filter(|(_, n)| **n > 0) {
            let sweep = std::f32::consts::TAU * *n as f32 / cell.count as f32;
            let colour = if slot == 4 {
                theme::NON_STRIP
            } else {
                theme::status_colour(Status::ALL[slot])
            };
            let steps = ((sweep / 0.2).ceil() as usize).max(2);
            let arc: Vec<Pos2> = (0..=steps)
                .map(|k| {
                    let a = start + sweep * k as f32 / steps as f32;
                    at + vec2(a.cos(), a.sin()) * mid
                })
                .collect();
            painter.add(Shape::line(arc, Stroke::new(ring, colour)));
            start += sweep;
        }
        painter.circle_filled(at, radius - ring, theme::MARKER_FILL);
        let size = if cell.count >= 1000 { 9.0 } else { 10.0 };
        painter.text(
            at,
            Align2::CENTER_CENTER,
            compact_count(cell.count),
            FontId::proportional(size),
            theme::CLUSTER_TEXT,
        );
        clusters.push(Cluster {
            at,
            radius,
            count: cell.count,
            by_status: cell.by_status,
            min: cell.min,
            max: cell.max,
        });
    }
    clusters
}

/// A count in at most four characters: 987, 12k, 1.2M.
fn compact_count(n: u32) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f32 / 1000.0),
        10_000..=999_999 => format!("{}k", n / 1000),
        _ => format!("{:.1}M", n as f32 / 1e6),
    }
}

/// An imported layer's many features: one disc per occupied cell, in the layer's colour,
/// sized by count.
fn draw_aggregated_in(
    painter: &Painter,
    t: &Transform,
    cache: &StripCache,
    visible: &[usize],
    colour: Option<egui::Color32>,
) {
    let (cells, _) = cells_of(t, cache, Features::These(visible), CELL_PX);
    let many = cells.len() > 600;
    let fill = colour.unwrap_or(theme::NON_STRIP);
    for cell in &cells {
        let at = cell.centre();
        let radius = 3.0 + (cell.count as f32).log2().min(6.0);
        painter.circle(at, radius, fill, Stroke::new(1.0, theme::STRIP_OUTLINE));
        if !many && cell.count >= 10 {
            painter.text(
                at,
                Align2::CENTER_CENTER,
                cell.count.to_string(),
                FontId::proportional(9.0),
                theme::MARKER_FILL,
            );
        }
    }
}
