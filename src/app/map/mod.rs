//! The map: walkers with the offline basemap and the strips drawn as plugins, optional online
//! or PMTiles tiles underneath, a legend, a scale bar and the attribution of what is drawn.

pub mod basemap;
mod hover;
pub(crate) mod panel;
pub mod strips;
pub mod transform;
pub mod world;

mod legend;
use legend::overlays_ui;
mod plugins;
use plugins::{BasemapPlugin, ImportedPlugin, StripsPlugin};
pub mod tiles;

use std::cell::RefCell;
use std::path::PathBuf;

use egui::{Align2, Color32, FontId, Pos2, Rect, Response, Stroke, Ui, vec2};
use geo::MapCoords;
use walkers::{MapMemory, Plugin, Position, Projector, Tiles, lon_lat};

use self::basemap::LabelSpace;
use self::strips::{Drawn, StripCache};
use self::transform::{Merc, Transform, lon_lat_of, mercator, zoom_to_fit};
use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::model::{Feature, Status};

/// Which tiles lie under the vector layers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
pub enum BasemapChoice {
    /// The embedded vector basemap: no network.
    #[default]
    Offline,
    /// OpenStreetMap raster tiles over the network, cached on disk.
    OpenStreetMap,
    /// A local `.pmtiles` file in the Protomaps schema.
    PmTiles(PathBuf),
    /// Satellite or aerial imagery from a well-known provider.
    Imagery(tiles::Imagery),
    /// A team's own XYZ/WMTS tile server.
    Custom { url: String, attribution: String },
}

/// The centre of the VRAEM, where the map opens when there is nothing to fit.
pub const VRAEM_CENTRE: (f64, f64) = (-74.0, -12.4);

/// What the person is doing with the pointer on the map.
#[derive(Debug, Clone, PartialEq)]
pub enum Tool {
    Select,
    AddPoint,
    /// Adding a runway: the first end once clicked.
    AddRunway(Option<Position>),
    /// Measuring: the points clicked so far.
    Measure(Vec<Position>),
    /// Drawing the filter rectangle: the first corner once clicked.
    Area(Option<Position>),
    /// Drawing the filter polygon: the corners clicked so far.
    Polygon(Vec<Position>),
}

/// A strip being dragged: the whole shape, or one end of a runway.
#[derive(Debug, Clone)]
struct Drag {
    index: usize,
    vertex: Option<usize>,
    start: Merc,
    original: geo::Geometry<f64>,
    preview: geo::Geometry<f64>,
}

/// What happened on the map this frame, for the app to act on.
#[derive(Debug, Default)]
pub struct MapOutput {
    /// A click (not a drag) at a position, with the feature under it.
    pub clicked: Option<(Position, Option<usize>)>,
    pub hovered: Option<usize>,
    /// A drag of a strip ended: its new shape.
    pub moved: Option<(usize, geo::Geometry<f64>)>,
    pub drawn: Drawn,
}

/// The map's state between frames.
pub struct MapView {
    pub memory: MapMemory,
    pub tiles: Option<Box<dyn Tiles>>,
    pub choice: BasemapChoice,
    pub show_labels: bool,
    /// The legend is unfolded.
    pub legend_open: bool,
    /// How the online tiles are arriving.
    pub tile_status: tiles::TileStatus,
    /// Where online tiles are cached on disk.
    pub tile_cache: Option<PathBuf>,
    /// Draw the embedded borders, rivers and places over online tiles too.
    pub context_over_tiles: bool,
    /// What the strips layer drew in the last frame (clusters, for tests and the status bar).
    pub last_drawn: Drawn,
    /// The map's area when the view was last checked (see `keep_in_view`).
    last_rect: Option<Rect>,
    pub cursor: Option<(f64, f64)>,
    /// Fit to the data on the next frame (when the map's size is known).
    pub fit_pending: bool,
    pub transform: Option<Transform>,
    drag: Option<Drag>,
}

impl MapView {
    pub fn new() -> Self {
        let mut memory = MapMemory::default();
        memory.center_at(lon_lat(VRAEM_CENTRE.0, VRAEM_CENTRE.1));
        let _ = memory.set_zoom(8.0);
        MapView {
            memory,
            tiles: None,
            choice: BasemapChoice::Offline,
            show_labels: true,
            legend_open: true,
            last_drawn: Drawn::default(),
            last_rect: None,
            tile_status: tiles::TileStatus::default(),
            tile_cache: tiles::default_cache(),
            context_over_tiles: true,
            cursor: None,
            fit_pending: true,
            transform: None,
            drag: None,
        }
    }

    /// The view as (lon, lat, zoom), for saving between sessions.
    pub fn view(&self) -> (f64, f64, f64) {
        let centre = self
            .memory
            .detached()
            .unwrap_or(lon_lat(VRAEM_CENTRE.0, VRAEM_CENTRE.1));
        (centre.x(), centre.y(), self.memory.zoom())
    }

    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.memory.center_at(lon_lat(lon, lat));
        let _ = self.memory.set_zoom(zoom.clamp(2.0, 18.0));
        self.fit_pending = false;
    }

    /// Brings `anchor` back inside the map (24 px in from its edges) when the map's area
    /// changed since the last frame (a panel opened or closed beside it), moving the view
    /// by no more than that. A view the person moved is never moved for them otherwise.
    pub fn keep_in_view(&mut self, anchor: Merc) {
        let Some(t) = self.transform else { return };
        let changed = self.last_rect.is_some_and(|r| {
            (r.width() - t.rect.width()).abs() > 1.0 || (r.height() - t.rect.height()).abs() > 1.0
        });
        self.last_rect = Some(t.rect);
        if !changed {
            return;
        }
        let inner = t.rect.shrink(24.0);
        let p = t.to_screen(anchor);
        let target = egui::pos2(
            p.x.clamp(inner.left(), inner.right()),
            p.y.clamp(inner.top(), inner.bottom()),
        );
        if target == p {
            return;
        }
        let centre = t.to_merc(t.rect.center() + (p - target));
        let (lon, lat) = lon_lat_of(centre);
        let zoom = self.memory.zoom();
        self.set_view(lon, lat, zoom);
    }

    /// Notes the map's area when nothing is selected, so that a later change is seen.
    pub fn note_rect(&mut self) {
        self.last_rect = self.transform.map(|t| t.rect);
    }

    /// Centres on a position, zooming in to at least `zoom`.
    pub fn go_to(&mut self, lon: f64, lat: f64, zoom: f64) {
        let z = self.memory.zoom().max(zoom);
        self.set_view(lon, lat, z);
    }

    /// Fits the Mercator box in a map of `rect`.
    pub fn fit(&mut self, rect: Rect, bounds: (Merc, Merc)) {
        let (min, max) = bounds;
        let centre = lon_lat_of([(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0]);
        let zoom = zoom_to_fit(rect, min, max).min(14.0);
        self.set_view(centre.0, centre.1, zoom);
    }

    pub fn dragging(&self) -> Option<usize> {
        self.drag.as_ref().map(|d| d.index)
    }

    /// Forgets a drag in progress (the document changed under it).
    pub fn cancel_drag(&mut self) {
        self.drag = None;
    }
}

impl Default for MapView {
    fn default() -> Self {
        Self::new()
    }
}

/// An imported layer, drawn in its colour at its opacity.
#[derive(Clone, Copy)]
pub struct LayerDraw<'a> {
    pub cache: &'a StripCache,
    pub colour: Color32,
    pub opacity: f32,
    pub selected: Option<usize>,
}

pub enum DrawSlot<'a> {
    Working,
    Imported(LayerDraw<'a>),
}

/// Everything the map needs from the app for one frame.
pub struct MapFrame<'a> {
    pub cache: &'a StripCache,
    pub selected: Option<usize>,
    pub hovered: Option<usize>,
    pub tool: &'a Tool,
    pub lang: Lang,
    /// The selected feature, for starting a drag.
    pub selected_feature: Option<&'a Feature>,
    pub document: &'a crate::model::Document,
    /// The data layers in drawing order, bottom first.
    pub layers: Vec<DrawSlot<'a>>,
    /// The working layer's opacity; 0 hides it and its features cannot be picked.
    pub working_opacity: f32,
    pub context: basemap::ContextAlpha,
    /// Names and colours of the visible imported layers, for the legend.
    pub legend_layers: Vec<(String, Color32)>,
    /// The area filter's outline (lon, lat corners), drawn dashed.
    pub area_outline: Option<Vec<(f64, f64)>>,
    /// Evidence images at the date, each in its footprint (west, south, east, north),
    /// drawn over the basemap and under the layers.
    pub imagery: Vec<(egui::TextureId, [f64; 4])>,
}

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
        for pass in [basemap::Pass::Shapes, basemap::Pass::Names] {
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
            over_tiles: view.context_over_tiles,
            alpha: frame.context,
            pass: basemap::Pass::Shapes,
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
        show_labels: view.show_labels,
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
        over_tiles: view.context_over_tiles,
        alpha: frame.context,
        pass: basemap::Pass::Names,
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
