//! The map's state and what one frame of it is given and gives back: the basemap chosen,
//! the tool, the view (pan, zoom, what is drawn), and the layers and strips to draw.

use std::path::PathBuf;

use egui::{Color32, Rect};
use walkers::{MapMemory, Position, Tiles, lon_lat};

use super::strips::{Drawn, StripCache};
use super::transform::{Merc, Transform, lon_lat_of, zoom_to_fit};
use crate::app::i18n::Lang;
use crate::model::Feature;

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
    Imagery(super::tiles::Imagery),
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
pub(super) struct Drag {
    pub(super) index: usize,
    pub(super) vertex: Option<usize>,
    pub(super) start: Merc,
    pub(super) original: geo::Geometry<f64>,
    pub(super) preview: geo::Geometry<f64>,
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
    /// The legend is unfolded.
    pub legend_open: bool,
    /// How the online tiles are arriving.
    pub tile_status: super::tiles::TileStatus,
    /// Where online tiles are cached on disk.
    pub tile_cache: Option<PathBuf>,
    /// What the strips layer drew in the last frame (clusters, for tests and the status bar).
    pub last_drawn: Drawn,
    /// The map's area when the view was last checked (see `keep_in_view`).
    pub(super) last_rect: Option<Rect>,
    pub cursor: Option<(f64, f64)>,
    /// Fit to the data on the next frame (when the map's size is known).
    pub fit_pending: bool,
    pub transform: Option<Transform>,
    pub(super) drag: Option<Drag>,
}

impl MapView {
    pub fn new() -> Self {
        let mut memory = MapMemory::default();
        memory.center_at(lon_lat(VRAEM_CENTRE.0, VRAEM_CENTRE.1));
        // Ignored: 8 is within walkers' zoom range, the only reason it refuses.
        let _ = memory.set_zoom(8.0);
        MapView {
            memory,
            tiles: None,
            choice: BasemapChoice::Offline,
            legend_open: true,
            last_drawn: Drawn::default(),
            last_rect: None,
            tile_status: super::tiles::TileStatus::default(),
            tile_cache: super::tiles::default_cache(),
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
        // Ignored: the zoom is clamped to walkers' range, the only reason it refuses.
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
    pub context: super::basemap::ContextAlpha,
    /// Names and colours of the visible imported layers, for the legend.
    pub legend_layers: Vec<(String, Color32)>,
    /// The area filter's outline (lon, lat corners), drawn dashed.
    pub area_outline: Option<Vec<(f64, f64)>>,
    /// Evidence images at the date, each in its footprint (west, south, east, north),
    /// drawn over the basemap and under the layers.
    pub imagery: Vec<(egui::TextureId, [f64; 4])>,
    /// Strip names on the map (a setting).
    pub show_labels: bool,
    /// The context layers drawn over online tiles too (a setting).
    pub context_over_tiles: bool,
}

/// What a click on the map hit, across layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    Working(usize),
    Layer(u64, usize),
}
