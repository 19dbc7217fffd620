//! What the pointer does on the map: pressing on the selected strip grabs it, dragging
//! moves it (or one end of its runway), a click picks a strip or zooms into a cluster, and
//! hovering shows a cluster's tip.

use egui::{Pos2, Response, Ui};
use geo::MapCoords;
use walkers::Position;

use super::hover;
use super::strips::{Cluster, Drawn};
use super::transform::{Merc, Transform, lon_lat_of, mercator};
use super::view::{Drag, MapFrame, MapView, Tool};
use crate::app::theme;
use crate::model::Feature;

/// Whether the press (where it began, and whether the primary button is still down) holds
/// the selected strip with the select tool: the strip is then dragged, not the map panned.
pub(super) fn presses_selected(
    view: &MapView,
    frame: &MapFrame<'_>,
    press: (Option<Pos2>, bool),
) -> bool {
    let (Some(origin), true) = press else {
        return false;
    };
    let (Some(t), Some(sel)) = (view.transform, frame.selected) else {
        return false;
    };
    matches!(frame.tool, Tool::Select)
        && t.rect.contains(origin)
        && frame.working_opacity > 0.0
        && frame.cache.pick(&t, origin, theme::HIT_TOLERANCE_PX) == Some(sel)
}

/// The selected feature as the drag in progress has moved it, drawn in its place.
pub(super) fn drag_preview(view: &MapView, frame: &MapFrame<'_>) -> Option<Feature> {
    let d = view.drag.as_ref()?;
    let mut f = frame.selected_feature?.clone();
    f.geometry_mut()?.set_shape(d.preview.clone());
    Some(f)
}

/// Notes where the pointer is and shows a hovered cluster's tip; returns the strip under
/// the pointer (none while dragging).
pub(super) fn hover_ui(
    view: &mut MapView,
    frame: &MapFrame<'_>,
    response: &Response,
    t: &Transform,
    drawn: &Drawn,
) -> Option<usize> {
    let hover = response.hover_pos();
    view.cursor = hover.map(|p| {
        let pos = t.position(p);
        (pos.x(), pos.y())
    });
    // Over a cluster, the cluster is what the pointer shows, not one of its strips.
    let cluster = hover
        .filter(|_| drawn.aggregated && frame.working_opacity > 0.0)
        .and_then(|p| drawn.cluster_at(p).copied());
    // Aggregated, no strip is drawn on its own: none is hovered.
    let hovered = if view.drag.is_none() {
        hover
            .filter(|_| frame.working_opacity > 0.0 && !drawn.aggregated)
            .and_then(|p| frame.cache.pick(t, p, theme::HIT_TOLERANCE_PX))
    } else {
        None
    };
    if let Some(c) = cluster {
        hover::cluster_tip(response, frame.lang, &c);
    }
    hovered
}

/// The drag of the selected strip pressed at `origin`: one end of its runway when pressed
/// within 9 points of it, else the whole shape.
pub(super) fn start_drag(
    frame: &MapFrame<'_>,
    t: &Transform,
    origin: Option<Pos2>,
) -> Option<Drag> {
    let (Some(origin), Some(sel), Some(feature)) = (origin, frame.selected, frame.selected_feature)
    else {
        return None;
    };
    let shape = feature.geometry().map(|g| g.shape().clone())?;
    let vertex = match &shape {
        geo::Geometry::LineString(ls) if ls.0.len() >= 2 => {
            [0, ls.0.len() - 1].into_iter().find(|&v| {
                let c = ls.0[v];
                t.to_screen(mercator(c.x, c.y)).distance(origin) <= 9.0
            })
        }
        _ => None,
    };
    Some(Drag {
        index: sel,
        vertex,
        start: t.to_merc(origin),
        original: shape.clone(),
        preview: shape,
    })
}

/// Moves the drag's preview with the pointer. When the button is let go the drag ends,
/// returning the strip and its new shape if it moved.
pub(super) fn follow_drag(
    ui: &Ui,
    dragging: &mut Option<Drag>,
    response: &Response,
    t: &Transform,
) -> Option<(usize, geo::Geometry<f64>)> {
    let drag = dragging.as_mut()?;
    if let Some(p) = response.interact_pointer_pos().or(response.hover_pos()) {
        let m = t.to_merc(p);
        drag.preview = moved(
            &drag.original,
            drag.vertex,
            [m[0] - drag.start[0], m[1] - drag.start[1]],
        );
    }
    let mut out = None;
    if !ui.input(|i| i.pointer.primary_down()) {
        let drag = dragging.take();
        if let Some(d) = drag
            && d.preview != d.original
        {
            out = Some((d.index, d.preview));
        }
    }
    ui.ctx().request_repaint();
    out
}

/// A click at `p`: on a cluster of the overview (selecting, with the working layer shown)
/// it zooms into the cluster; elsewhere it is returned with the strip under it.
pub(super) fn click(
    view: &mut MapView,
    frame: &MapFrame<'_>,
    t: &Transform,
    p: Pos2,
    drawn: &Drawn,
) -> Option<(Position, Option<usize>)> {
    if *frame.tool == Tool::Select
        && frame.working_opacity > 0.0
        && let Some(cluster) = drawn.cluster_at(p).copied()
    {
        zoom_into(view, t, &cluster);
        return None;
    }
    let picked = if frame.working_opacity > 0.0 {
        frame.cache.pick(t, p, theme::HIT_TOLERANCE_PX)
    } else {
        None
    };
    Some((t.position(p), picked))
}

/// Fits the view to a cluster with a margin, or zooms in two steps on its centre when
/// that would not zoom in.
fn zoom_into(view: &mut MapView, t: &Transform, cluster: &Cluster) {
    let (w, h) = (
        cluster.max[0] - cluster.min[0],
        cluster.max[1] - cluster.min[1],
    );
    let pad = [w.max(h) * 0.15 + 1.0; 2];
    let bounds = (
        [cluster.min[0] - pad[0], cluster.min[1] - pad[1]],
        [cluster.max[0] + pad[0], cluster.max[1] + pad[1]],
    );
    let zoom = view.memory.zoom();
    view.fit(t.rect, bounds);
    if view.memory.zoom() <= zoom {
        let (lon, lat) = lon_lat_of([
            (cluster.min[0] + cluster.max[0]) / 2.0,
            (cluster.min[1] + cluster.max[1]) / 2.0,
        ]);
        view.set_view(lon, lat, zoom + 2.0);
    }
}

/// Moves the whole shape by a Mercator offset, or only vertex `vertex`.
fn moved(shape: &geo::Geometry<f64>, vertex: Option<usize>, delta: Merc) -> geo::Geometry<f64> {
    let shift = |c: geo::Coord<f64>| {
        let m = mercator(c.x, c.y);
        let (x, y) = lon_lat_of([m[0] + delta[0], m[1] + delta[1]]);
        geo::Coord {
            x: round9(x),
            y: round9(y),
        }
    };
    match (shape, vertex) {
        (geo::Geometry::LineString(ls), Some(v)) => {
            let mut ls = ls.clone();
            if let Some(c) = ls.0.get_mut(v) {
                *c = shift(*c);
            }
            ls.into()
        }
        _ => shape.map_coords(shift),
    }
}

/// Coordinates written by the app keep nine decimals (a tenth of a millimetre).
fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}
