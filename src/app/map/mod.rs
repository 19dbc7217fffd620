//! The map: walkers with the offline basemap and the strips drawn as plugins, optional online
//! or PMTiles tiles underneath, a legend, a scale bar and the attribution of what is drawn.

pub mod basemap;
pub(crate) mod goto;
mod hover;
pub mod lines;
pub mod strips;
pub mod transform;
pub mod world;

mod legend;
use legend::overlays_ui;
mod plugins;
use plugins::{BasemapPlugin, ImportedPlugin, StripsPlugin};
pub mod tiles;
pub(crate) mod view;

use view::Drag;
pub use view::{
    BasemapChoice, DrawSlot, LayerDraw, MapFrame, MapOutput, MapView, Tool, VRAEM_CENTRE,
};

use std::cell::RefCell;

use egui::{Rect, Ui};
use geo::MapCoords;
use walkers::{Tiles, lon_lat};

use self::lines::LabelSpace;
use self::strips::Drawn;
use self::transform::{Merc, Transform, lon_lat_of, mercator};
use crate::app::i18n::{Lang, T};
use crate::app::theme;

/// Shows the map filling `ui`; returns what the pointer did.
pub fn map_ui(ui: &mut Ui, view: &mut MapView, frame: MapFrame<'_>) -> MapOutput {
    let mut out = MapOutput::default();
    // Pressing on the selected strip drags it instead of panning the map.
    let press = ui.input(|i| {
        (
            i.pointer.press_origin(),
            i.pointer.primary_down(),
            i.pointer.primary_pressed(),
        )
    });
    let mut grab = view.drag.is_some();
    if !grab
        && matches!(frame.tool, Tool::Select)
        && let (Some(origin), true, _) = press
        && let (Some(t), Some(sel)) = (view.transform, frame.selected)
        && t.rect.contains(origin)
        && frame.working_opacity > 0.0
        && frame.cache.pick(&t, origin, theme::HIT_TOLERANCE_PX) == Some(sel)
    {
        grab = true;
    }
    let labels = RefCell::new(LabelSpace::default());
    let drawn = RefCell::new(Drawn::default());
    let mut emphasis = Vec::new();
    if let Some(h) = frame.hovered.filter(|h| Some(*h) != frame.selected) {
        emphasis.push((h, theme::HOVERED));
    }
    if let Some(s) = frame.selected {
        emphasis.push((s, theme::SELECTED));
    }
    let preview_feature = view.drag.as_ref().and_then(|d| {
        let mut f = frame.selected_feature?.clone();
        f.geometry_mut()?.set_shape(d.preview.clone());
        Some(f)
    });
    let vector = view.choice == BasemapChoice::Offline;
    let choice = view.choice.clone();
    // Under online tiles the embedded basemap is drawn first (where the map was last
    // frame), so a tile that fails leaves it visible rather than a black hole.
    if !vector && let Some(t) = view.transform {
        let painter = ui.painter().with_clip_rect(t.rect);
        painter.rect_filled(t.rect, 0.0, theme::LAND);
        let mut space = LabelSpace::default();
        for pass in [lines::Pass::Shapes, lines::Pass::Names] {
            basemap::draw(
                &painter,
                &t,
                view.memory.zoom(),
                &mut space,
                true,
                frame.context,
                pass,
            );
        }
    }
    let tiles: Option<&mut dyn Tiles> = match &mut view.tiles {
        Some(t) if !vector => Some(t.as_mut()),
        _ => None,
    };
    let tile_status = view.tile_status.clone();
    let my_position = lon_lat(VRAEM_CENTRE.0, VRAEM_CENTRE.1);
    let map = walkers::Map::new(tiles, &mut view.memory, my_position)
        .zoom_with_ctrl(false)
        .panning(!grab)
        .drag_pan_buttons(if grab {
            egui::DragPanButtons::empty()
        } else {
            egui::DragPanButtons::PRIMARY
        })
        .with_plugin(BasemapPlugin {
            labels: &labels,
            vector,
            over_tiles: frame.context_over_tiles,
            alpha: frame.context,
            pass: lines::Pass::Shapes,
        })
        .with_plugin(plugins::ImageryPlugin {
            images: &frame.imagery,
        });
    let mut strips_plugin = Some(StripsPlugin {
        cache: frame.cache,
        area_outline: frame.area_outline.as_deref(),
        opacity: frame.working_opacity,
        emphasis,
        labels: &labels,
        show_labels: frame.show_labels,
        drawn: &drawn,
        preview: preview_feature.as_ref(),
        tool: frame.tool,
    });
    let mut map = map;
    for slot in &frame.layers {
        match slot {
            DrawSlot::Working => {
                if let Some(plugin) = strips_plugin.take() {
                    map = map.with_plugin(plugin);
                }
            }
            DrawSlot::Imported(layer) => map = map.with_plugin(ImportedPlugin { layer: *layer }),
        }
    }
    if let Some(plugin) = strips_plugin.take() {
        map = map.with_plugin(plugin);
    }
    // The basemap's names last, where the strips' markers and names left room.
    map = map.with_plugin(BasemapPlugin {
        labels: &labels,
        vector,
        over_tiles: frame.context_over_tiles,
        alpha: frame.context,
        pass: lines::Pass::Names,
    });
    let inner = map.show(ui, |ui, response, projector, _memory| {
        let t = Transform::from_projector(projector);
        let attribution = match &choice {
            BasemapChoice::Offline => basemap::ATTRIBUTION.to_owned(),
            BasemapChoice::OpenStreetMap => {
                format!(
                    "{} · {}",
                    frame.lang.t(T::TilesAttribution),
                    basemap::ATTRIBUTION
                )
            }
            BasemapChoice::PmTiles(path) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                format!(
                    "{} · {}",
                    frame.lang.fill(T::PmtilesAttribution, &[&name]),
                    basemap::ATTRIBUTION
                )
            }
            BasemapChoice::Imagery(provider) => {
                format!("{} · {}", provider.attribution(), basemap::ATTRIBUTION)
            }
            BasemapChoice::Custom { attribution, .. } => {
                format!("{attribution} · {}", basemap::ATTRIBUTION)
            }
        };
        let legend = legend::Legend {
            lang: frame.lang,
            attribution: &attribution,
            cache: frame.cache,
            layers: &frame.legend_layers,
            open: &mut view.legend_open,
        };
        overlays_ui(ui, &t, projector, legend);
        if !vector && tile_status.failing() {
            tile_notice(ui, &t, frame.lang);
        } else if !vector && tile_status.waiting() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(500));
        }
        (t, response.clone())
    });
    let (t, response) = inner.inner;
    let first_frame = view.transform.is_none();
    view.transform = Some(t);
    out.drawn = drawn.take();
    view.last_drawn = out.drawn.clone();

    if view.fit_pending
        && let Some(bounds) = frame.cache.bounds
    {
        view.fit(t.rect, bounds);
        // The first frame's map may not have its final size yet: fit again on the next.
        view.fit_pending = first_frame;
        ui.ctx().request_repaint();
    } else if first_frame {
        ui.ctx().request_repaint();
    }

    let hover = response.hover_pos();
    view.cursor = hover.map(|p| {
        let pos = t.position(p);
        (pos.x(), pos.y())
    });
    // Over a cluster, the cluster is what the pointer shows, not one of its strips.
    let cluster = hover
        .filter(|_| out.drawn.aggregated && frame.working_opacity > 0.0)
        .and_then(|p| out.drawn.cluster_at(p).copied());
    // Aggregated, no strip is drawn on its own: none is hovered.
    if view.drag.is_none() {
        out.hovered = hover
            .filter(|_| frame.working_opacity > 0.0 && !out.drawn.aggregated)
            .and_then(|p| frame.cache.pick(&t, p, theme::HIT_TOLERANCE_PX));
    }
    if let Some(c) = cluster {
        hover::cluster_tip(&response, frame.lang, &c);
    }

    // Dragging the selected strip, or one end of its runway.
    if grab
        && view.drag.is_none()
        && response.drag_started()
        && let (Some(origin), Some(sel), Some(feature)) =
            (press.0, frame.selected, frame.selected_feature)
        && let Some(shape) = feature.geometry().map(|g| g.shape().clone())
    {
        let vertex = match &shape {
            geo::Geometry::LineString(ls) if ls.0.len() >= 2 => {
                [0, ls.0.len() - 1].into_iter().find(|&v| {
                    let c = ls.0[v];
                    t.to_screen(mercator(c.x, c.y)).distance(origin) <= 9.0
                })
            }
            _ => None,
        };
        view.drag = Some(Drag {
            index: sel,
            vertex,
            start: t.to_merc(origin),
            original: shape.clone(),
            preview: shape,
        });
    }
    if let Some(drag) = &mut view.drag {
        if let Some(p) = response.interact_pointer_pos().or(hover) {
            let m = t.to_merc(p);
            drag.preview = moved(
                &drag.original,
                drag.vertex,
                [m[0] - drag.start[0], m[1] - drag.start[1]],
            );
        }
        if !ui.input(|i| i.pointer.primary_down()) {
            let drag = view.drag.take();
            if let Some(d) = drag
                && d.preview != d.original
            {
                out.moved = Some((d.index, d.preview));
            }
        }
        ui.ctx().request_repaint();
    } else if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
        && *frame.tool == Tool::Select
        && frame.working_opacity > 0.0
        && let Some(cluster) = out.drawn.cluster_at(p).copied()
    {
        // A click on a cluster of the overview zooms into it.
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
    } else if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        let picked = if frame.working_opacity > 0.0 {
            frame.cache.pick(&t, p, theme::HIT_TOLERANCE_PX)
        } else {
            None
        };
        out.clicked = Some((t.position(p), picked));
    }
    if let Some(h) = out.hovered
        && view.drag.is_none()
    {
        hover::strip_tip(&response, &frame, h);
    }
    out
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

/// A banner over the top of the map when online tiles stop arriving: it blocks nothing.
fn tile_notice(ui: &Ui, t: &Transform, lang: Lang) {
    let painter = ui.painter().with_clip_rect(t.rect);
    let galley = painter.layout(
        lang.t(T::TilesUnavailable).to_owned(),
        egui::FontId::proportional(13.0),
        theme::TILE_ERROR_TEXT,
        (t.rect.width() - 40.0).max(100.0),
    );
    let at = egui::pos2(
        t.rect.center().x - galley.size().x / 2.0,
        t.rect.top() + 36.0,
    );
    let rect = Rect::from_min_size(at, galley.size()).expand(6.0);
    painter.rect_filled(rect, 4.0, theme::TILE_ERROR_FILL);
    painter.galley(at, galley, theme::TILE_ERROR_TEXT);
}

/// Coordinates written by the app keep nine decimals (a tenth of a millimetre).
fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}
