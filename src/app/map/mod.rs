//! The map: walkers with the offline basemap and the strips drawn as plugins, optional online
//! or PMTiles tiles underneath, a legend, a scale bar and the attribution of what is drawn.

pub mod basemap;
pub(crate) mod goto;
mod hover;
mod input;
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

pub use view::{
    BasemapChoice, DrawSlot, LayerDraw, MapFrame, MapOutput, MapView, Tool, VRAEM_CENTRE,
};

use std::cell::RefCell;

use egui::{Rect, Ui};
use walkers::{Tiles, lon_lat};

use self::lines::LabelSpace;
use self::strips::Drawn;
use self::transform::{Merc, Transform};
use crate::app::i18n::{Lang, T};
use crate::app::theme;

/// Shows the map filling `ui`; returns what the pointer did.
pub fn map_ui(ui: &mut Ui, view: &mut MapView, frame: MapFrame<'_>) -> MapOutput {
    let mut out = MapOutput::default();
    // Pressing on the selected strip drags it instead of panning the map.
    let press = ui.input(|i| (i.pointer.press_origin(), i.pointer.primary_down()));
    let grab = view.drag.is_some() || input::presses_selected(view, &frame, press);
    let labels = RefCell::new(LabelSpace::default());
    let drawn = RefCell::new(Drawn::default());
    let preview_feature = input::drag_preview(view, &frame);
    let vector = view.choice == BasemapChoice::Offline;
    let choice = view.choice.clone();
    if !vector {
        basemap_under_tiles(ui, view, frame.context);
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
        });
    let strips = StripsPlugin {
        cache: frame.cache,
        area_outline: frame.area_outline.as_deref(),
        opacity: frame.working_opacity,
        emphasis: emphasis(&frame),
        labels: &labels,
        show_labels: frame.show_labels,
        drawn: &drawn,
        preview: preview_feature.as_ref(),
        tool: frame.tool,
    };
    let map = with_plugins(map, &frame, &labels, strips, vector);
    let legend_open = &mut view.legend_open;
    let inner = map.show(ui, |ui, response, projector, _memory| {
        let t = Transform::from_projector(projector);
        let attribution = attribution(&choice, frame.lang);
        let legend = legend::Legend {
            lang: frame.lang,
            attribution: &attribution,
            cache: frame.cache,
            layers: &frame.legend_layers,
            open: legend_open,
        };
        overlays_ui(ui, &t, projector, legend);
        if !vector {
            tiles_arriving(ui, &t, frame.lang, &tile_status);
        }
        (t, response.clone())
    });
    let (t, response) = inner.inner;
    let first_frame = view.transform.is_none();
    view.transform = Some(t);
    out.drawn = drawn.take();
    view.last_drawn = out.drawn.clone();
    fit_when_pending(ui, view, frame.cache.bounds, t.rect, first_frame);

    out.hovered = input::hover_ui(view, &frame, &response, &t, &out.drawn);
    // Dragging the selected strip, or one end of its runway.
    if grab && view.drag.is_none() && response.drag_started() {
        view.drag = input::start_drag(&frame, &t, press.0);
    }
    if view.drag.is_some() {
        out.moved = input::follow_drag(ui, &mut view.drag, &response, &t);
    } else if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        out.clicked = input::click(view, &frame, &t, p, &out.drawn);
    }
    if let Some(h) = out.hovered
        && view.drag.is_none()
    {
        hover::strip_tip(&response, &frame, h);
    }
    out
}

/// The hovered strip (unless it is the selected one) and the selected strip, each with the
/// colour it is drawn over the others in.
fn emphasis(frame: &MapFrame<'_>) -> Vec<(usize, egui::Color32)> {
    let mut emphasis = Vec::new();
    if let Some(h) = frame.hovered.filter(|h| Some(*h) != frame.selected) {
        emphasis.push((h, theme::HOVERED));
    }
    if let Some(s) = frame.selected {
        emphasis.push((s, theme::SELECTED));
    }
    emphasis
}

/// Under online tiles the embedded basemap is drawn first (where the map was last
/// frame), so a tile that fails leaves it visible rather than a black hole.
fn basemap_under_tiles(ui: &Ui, view: &MapView, context: basemap::ContextAlpha) {
    let Some(t) = view.transform else { return };
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
            context,
            pass,
        );
    }
}

/// The plugins in drawing order: the basemap's shapes, the imagery, the data layers (the
/// working strips in their slot, else on top), then the basemap's names, where the strips'
/// markers and names left room.
fn with_plugins<'a, 'b, 'c>(
    map: walkers::Map<'a, 'b, 'c>,
    frame: &'c MapFrame<'_>,
    labels: &'c RefCell<LabelSpace>,
    strips: StripsPlugin<'c>,
    vector: bool,
) -> walkers::Map<'a, 'b, 'c> {
    let basemap = |pass| BasemapPlugin {
        labels,
        vector,
        over_tiles: frame.context_over_tiles,
        alpha: frame.context,
        pass,
    };
    let mut map =
        map.with_plugin(basemap(lines::Pass::Shapes))
            .with_plugin(plugins::ImageryPlugin {
                images: &frame.imagery,
            });
    let mut strips = Some(strips);
    for slot in &frame.layers {
        match slot {
            DrawSlot::Working => {
                if let Some(plugin) = strips.take() {
                    map = map.with_plugin(plugin);
                }
            }
            DrawSlot::Imported(layer) => map = map.with_plugin(ImportedPlugin { layer: *layer }),
        }
    }
    if let Some(plugin) = strips.take() {
        map = map.with_plugin(plugin);
    }
    map.with_plugin(basemap(lines::Pass::Names))
}

/// The attribution of what is drawn: the tiles' source, then the embedded basemap's.
fn attribution(choice: &BasemapChoice, lang: Lang) -> String {
    match choice {
        BasemapChoice::Offline => basemap::ATTRIBUTION.to_owned(),
        BasemapChoice::OpenStreetMap => {
            format!("{} · {}", lang.t(T::TilesAttribution), basemap::ATTRIBUTION)
        }
        BasemapChoice::PmTiles(path) => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!(
                "{} · {}",
                lang.fill(T::PmtilesAttribution, &[&name]),
                basemap::ATTRIBUTION
            )
        }
        BasemapChoice::Imagery(provider) => {
            format!("{} · {}", provider.attribution(), basemap::ATTRIBUTION)
        }
        BasemapChoice::Custom { attribution, .. } => {
            format!("{attribution} · {}", basemap::ATTRIBUTION)
        }
    }
}

/// Online tiles that stopped arriving get a notice; while they are awaited the map wakes
/// to tell whether they fail.
fn tiles_arriving(ui: &Ui, t: &Transform, lang: Lang, status: &tiles::TileStatus) {
    if status.failing() {
        tile_notice(ui, t, lang);
    } else if status.waiting() {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(500));
    }
}

/// Fits the view to the data when asked, once the map's size is known; the first frame's
/// map may not have its final size yet, so it fits again on the next.
fn fit_when_pending(
    ui: &Ui,
    view: &mut MapView,
    bounds: Option<(Merc, Merc)>,
    rect: Rect,
    first_frame: bool,
) {
    if view.fit_pending
        && let Some(bounds) = bounds
    {
        view.fit(rect, bounds);
        view.fit_pending = first_frame;
        ui.ctx().request_repaint();
    } else if first_frame {
        ui.ctx().request_repaint();
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
