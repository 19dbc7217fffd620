//! What walkers draws over its tiles: the embedded basemap, imported layers and the
//! working strips, each a plugin that paints egui shapes.

use std::cell::RefCell;

use egui::{Color32, Pos2, Rect, Response, Stroke, Ui};
use walkers::{MapMemory, Plugin, Projector};

use super::lines::LabelSpace;
use super::strips::{Drawn, StripCache};
use super::transform::{Transform, mercator};
use super::view::{LayerDraw, Tool};
use crate::app::theme;
use crate::model::Feature;

/// The embedded basemap: the whole of it on the offline map; over tiles, its context
/// lines and places when the person wants them there, else only the aerodromes.
pub(super) struct BasemapPlugin<'a> {
    pub(super) labels: &'a RefCell<LabelSpace>,
    pub(super) vector: bool,
    pub(super) over_tiles: bool,
    pub(super) alpha: super::basemap::ContextAlpha,
    pub(super) pass: super::lines::Pass,
}

impl Plugin for BasemapPlugin<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, _r: &Response, projector: &Projector, memory: &MapMemory) {
        let t = Transform::from_projector(projector);
        let painter = ui.painter().with_clip_rect(projector.clip_rect());
        if self.vector && self.pass == super::lines::Pass::Shapes {
            painter.rect_filled(projector.clip_rect(), 0.0, theme::LAND);
        }
        super::basemap::draw(
            &painter,
            &t,
            memory.zoom(),
            &mut self.labels.borrow_mut(),
            self.vector || self.over_tiles,
            self.alpha,
            self.pass,
        );
    }
}

/// Evidence images at the timeline's date, each stretched over its footprint.
pub(super) struct ImageryPlugin<'a> {
    pub(super) images: &'a [(egui::TextureId, [f64; 4])],
}

impl Plugin for ImageryPlugin<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, _r: &Response, projector: &Projector, _m: &MapMemory) {
        if self.images.is_empty() {
            return;
        }
        let t = Transform::from_projector(projector);
        let painter = ui.painter().with_clip_rect(projector.clip_rect());
        let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
        for (texture, [w, s, e, n]) in self.images {
            let top_left = t.to_screen(super::transform::mercator(*w, *n));
            let bottom_right = t.to_screen(super::transform::mercator(*e, *s));
            let rect = egui::Rect::from_two_pos(top_left, bottom_right);
            if rect.intersects(projector.clip_rect()) {
                painter.image(*texture, rect, uv, Color32::WHITE); // white: no tint
            }
        }
    }
}

/// An imported layer as a plugin.
#[derive(Clone, Copy)]
pub(super) struct ImportedPlugin<'a> {
    pub(super) layer: LayerDraw<'a>,
}

impl Plugin for ImportedPlugin<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, _r: &Response, projector: &Projector, _m: &MapMemory) {
        if self.layer.opacity <= 0.0 {
            return;
        }
        let t = Transform::from_projector(projector);
        let mut painter = ui.painter().with_clip_rect(projector.clip_rect());
        painter.multiply_opacity(self.layer.opacity);
        super::strips::draw_layer(
            &painter,
            &t,
            self.layer.cache,
            self.layer.colour,
            self.layer.selected,
        );
    }
}

pub(super) struct StripsPlugin<'a> {
    pub(super) cache: &'a StripCache,
    pub(super) area_outline: Option<&'a [(f64, f64)]>,
    pub(super) opacity: f32,
    pub(super) emphasis: Vec<(usize, Color32)>,
    pub(super) labels: &'a RefCell<LabelSpace>,
    pub(super) show_labels: bool,
    pub(super) drawn: &'a RefCell<Drawn>,
    pub(super) preview: Option<&'a Feature>,
    pub(super) tool: &'a Tool,
}

impl Plugin for StripsPlugin<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, _r: &Response, projector: &Projector, memory: &MapMemory) {
        let t = Transform::from_projector(projector);
        let mut painter = ui.painter().with_clip_rect(projector.clip_rect());
        painter.multiply_opacity(self.opacity);
        let drawn = super::strips::draw(
            &painter,
            &t,
            memory.zoom(),
            self.cache,
            &self.emphasis,
            &mut self.labels.borrow_mut(),
            self.show_labels,
        );
        *self.drawn.borrow_mut() = drawn;
        if let Some(feature) = self.preview
            && let Some(item) = super::strips::item_of(feature)
        {
            let one = StripCache::from_item(item);
            super::strips::draw(
                &painter,
                &t,
                memory.zoom(),
                &one,
                &[(0, theme::DRAFT)],
                &mut LabelSpace::default(),
                false,
            );
        }
        if let Some(ring) = self.area_outline {
            let mut pts: Vec<Pos2> = ring
                .iter()
                .map(|&(x, y)| t.to_screen(mercator(x, y)))
                .collect();
            if let Some(&first) = pts.first() {
                pts.push(first);
            }
            painter.add(egui::Shape::dashed_line(
                &pts,
                Stroke::new(2.0, theme::MEASURE),
                8.0,
                5.0,
            ));
        }
        if let Tool::Measure(points) | Tool::Polygon(points) = self.tool {
            let pts: Vec<Pos2> = points
                .iter()
                .map(|p| t.to_screen(mercator(p.x(), p.y())))
                .collect();
            let mut path = pts.clone();
            if let Some(hover) = ui.ctx().pointer_hover_pos().filter(|p| t.rect.contains(*p)) {
                path.push(hover);
            }
            if path.len() >= 3 {
                painter.add(egui::Shape::dashed_line(
                    &[path[path.len() - 1], path[0]],
                    Stroke::new(1.5, theme::MEASURE),
                    6.0,
                    4.0,
                ));
            }
            painter.add(egui::Shape::line(path, Stroke::new(2.5, theme::MEASURE)));
            for p in pts {
                painter.circle(p, 4.0, theme::MARKER_FILL, Stroke::new(2.0, theme::MEASURE));
            }
        }
        if let Tool::Area(Some(first)) = self.tool
            && let Some(hover) = ui.ctx().pointer_hover_pos().filter(|p| t.rect.contains(*p))
        {
            let a = t.to_screen(mercator(first.x(), first.y()));
            painter.rect_stroke(
                Rect::from_two_pos(a, hover),
                0.0,
                Stroke::new(2.0, theme::MEASURE),
                egui::StrokeKind::Middle,
            );
        }
        if let Tool::AddRunway(Some(first)) = self.tool {
            let a = t.to_screen(mercator(first.x(), first.y()));
            painter.circle(a, 4.0, theme::DRAFT, Stroke::new(1.5, theme::MARKER_FILL));
            if let Some(hover) = ui.ctx().pointer_hover_pos().filter(|p| t.rect.contains(*p)) {
                painter.line_segment(
                    [a, hover],
                    Stroke::new(theme::RUNWAY_WIDTH_PX, theme::DRAFT),
                );
            }
        }
    }
}
