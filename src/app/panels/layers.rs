//! Layers: the working layer (the document being edited), imported read-only layers with
//! their own style, and the basemap's context layers. The panel lists them top of the
//! drawing order first, with visibility, colour, opacity, order, count, file and removal.

use std::path::PathBuf;

use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};

use crate::analysis::FactBook;
use crate::app::i18n::{Lang, T};
use crate::app::map::strips::StripCache;
use crate::app::state::document::Version;
use crate::app::theme;
use crate::io::Diagnostic;
use crate::model::Document;

use crate::app::theme::LAYER_PALETTE as PALETTE;

/// A layer read from a file: shown and selectable, never edited.
pub struct Imported {
    /// Stable for the session: names the layer in the order list and in egui ids.
    pub key: u64,
    /// The document's version, for the read-only inspector's buffers.
    pub version: Version,
    pub name: String,
    pub path: PathBuf,
    pub document: Document,
    pub cache: StripCache,
    /// What the filters read, built once: the layer never changes.
    pub facts: FactBook,
    pub colour: Color32,
    pub opacity: f32,
    pub visible: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Features Pistas could not read: kept as written, not drawn.
    pub unread: usize,
}

/// A place in the drawing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Working,
    Imported(u64),
}

/// The context layers of the embedded basemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextKind {
    Aerodromes,
    Towns,
    Rivers,
    Borders,
}

impl ContextKind {
    pub const ALL: [ContextKind; 4] = [
        ContextKind::Aerodromes,
        ContextKind::Towns,
        ContextKind::Rivers,
        ContextKind::Borders,
    ];

    /// The name used in project files.
    pub fn key(self) -> &'static str {
        match self {
            ContextKind::Aerodromes => "aerodromes",
            ContextKind::Towns => "towns",
            ContextKind::Rivers => "rivers",
            ContextKind::Borders => "borders",
        }
    }

    pub fn text(self, lang: Lang) -> &'static str {
        lang.t(match self {
            ContextKind::Aerodromes => T::LayerAerodromes,
            ContextKind::Towns => T::LayerTowns,
            ContextKind::Rivers => T::LayerRivers,
            ContextKind::Borders => T::LayerBorders,
        })
    }

    fn source(self) -> &'static str {
        match self {
            ContextKind::Aerodromes => "OurAirports",
            ContextKind::Towns => "GeoNames (CC BY 4.0)",
            ContextKind::Rivers => "GSHHG/WDBII (LGPL)",
            ContextKind::Borders => "Natural Earth",
        }
    }
}

/// A context layer's visibility and opacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    pub kind: ContextKind,
    pub visible: bool,
    pub opacity: f32,
}

impl Context {
    /// The opacity it is drawn with: 0 when hidden.
    pub fn alpha(&self) -> f32 {
        if self.visible { self.opacity } else { 0.0 }
    }
}

/// What the panel asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerAction {
    Import,
    Remove(u64),
    Merge(u64),
    ZoomTo(Slot),
    ShowDiagnostics(u64),
}

/// All layers and their order.
pub struct Layers {
    pub imported: Vec<Imported>,
    /// Drawing order, top first.
    pub order: Vec<Slot>,
    pub context: [Context; 4],
    pub working_visible: bool,
    pub working_opacity: f32,
    next_key: u64,
}

impl Default for Layers {
    fn default() -> Self {
        Layers {
            imported: Vec::new(),
            order: vec![Slot::Working],
            context: ContextKind::ALL.map(|kind| Context {
                kind,
                visible: true,
                opacity: 1.0,
            }),
            working_visible: true,
            working_opacity: 1.0,
            next_key: 1,
        }
    }
}

impl Layers {
    /// Adds an imported layer on top; returns its key.
    pub fn add(
        &mut self,
        path: PathBuf,
        document: Document,
        diagnostics: Vec<Diagnostic>,
        unread: usize,
        date: NaiveDate,
    ) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let colour = PALETTE[(key as usize - 1) % PALETTE.len()];
        self.imported.push(Imported {
            key,
            version: Version::fresh(),
            name,
            path,
            cache: StripCache::build(&document, 0, date),
            facts: FactBook::build(&document),
            document,
            colour,
            opacity: 1.0,
            visible: true,
            diagnostics,
            unread,
        });
        self.order.insert(0, Slot::Imported(key));
        key
    }

    pub fn get(&self, key: u64) -> Option<&Imported> {
        self.imported.iter().find(|l| l.key == key)
    }

    pub fn get_mut(&mut self, key: u64) -> Option<&mut Imported> {
        self.imported.iter_mut().find(|l| l.key == key)
    }

    pub fn remove(&mut self, key: u64) {
        self.imported.retain(|l| l.key != key);
        self.order.retain(|s| *s != Slot::Imported(key));
    }

    /// Removes every imported layer (a new working document, a project being opened).
    pub fn clear(&mut self) {
        self.imported.clear();
        self.order = vec![Slot::Working];
    }

    /// Moves the layer at `from` in the order to position `to`.
    pub fn reorder(&mut self, from: usize, to: usize) {
        if from < self.order.len() && to < self.order.len() && from != to {
            let slot = self.order.remove(from);
            self.order.insert(to, slot);
        }
    }

    pub fn context_alpha(&self, kind: ContextKind) -> f32 {
        self.context
            .iter()
            .find(|c| c.kind == kind)
            .map_or(1.0, Context::alpha)
    }

    /// The layers panel. `working` is the working layer's name and feature count.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        working: (&str, usize),
        loading: &[(PathBuf, Option<f32>)],
    ) -> Vec<LayerAction> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            ui.heading(lang.t(T::Layers));
            if ui
                .button(lang.t(T::ImportLayer))
                .on_hover_text(lang.t(T::ImportLayerHelp))
                .clicked()
            {
                actions.push(LayerAction::Import);
            }
        });
        for (path, progress) in loading {
            loading_row(ui, lang, path, *progress);
        }
        let mut moved: Option<(usize, usize)> = None;
        for (row, slot) in self.order.clone().into_iter().enumerate() {
            if let Some(m) = self.layer_card(ui, lang, (row, slot), working, &mut actions) {
                moved = Some(m);
            }
        }
        if let Some((from, to)) = moved {
            self.reorder(from, to);
        }
        ui.add_space(4.0);
        self.context_ui(ui, lang);
        actions
    }

    /// One layer in its frame at `row` of the order: the handle to drag it by, buttons to
    /// move it up and down, its row, and its style. Returns a move asked for (by a button
    /// or by a layer dropped on it, marked while one is dragged over it).
    fn layer_card(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        (row, slot): (usize, Slot),
        working: (&str, usize),
        actions: &mut Vec<LayerAction>,
    ) -> Option<(usize, usize)> {
        let mut moved = None;
        let count = self.order.len();
        let frame = egui::Frame::group(ui.style()).inner_margin(egui::Margin::same(4));
        let response = frame
            .show(ui, |ui| {
                ui.set_min_width(ui.available_width());
                ui.horizontal(|ui| {
                    moved = move_buttons(ui, lang, row, count);
                    match slot {
                        Slot::Working => self.working_row(ui, lang, working, actions),
                        Slot::Imported(key) => self.imported_row(ui, lang, key, actions),
                    }
                });
                self.style_ui(ui, lang, slot, working.0);
            })
            .response;
        if let Some(from) = response.dnd_release_payload::<usize>() {
            moved = Some((*from, row));
        }
        if response.dnd_hover_payload::<usize>().is_some() {
            ui.painter().hline(
                response.rect.x_range(),
                response.rect.top(),
                egui::Stroke::new(2.0, theme::SELECTED),
            );
        }
        moved
    }

    /// Under a layer's row: its opacity; for an imported layer its colour first, and its
    /// file below.
    fn style_ui(&mut self, ui: &mut Ui, lang: Lang, slot: Slot, working_name: &str) {
        match slot {
            Slot::Working => {
                ui.horizontal(|ui| {
                    opacity_ui(ui, lang, working_name, &mut self.working_opacity);
                });
            }
            Slot::Imported(key) => {
                if let Some(layer) = self.get_mut(key) {
                    ui.horizontal(|ui| {
                        let label = ui.label(lang.t(T::Colour));
                        ui.color_edit_button_srgba(&mut layer.colour)
                            .labelled_by(label.id);
                        opacity_ui(ui, lang, &layer.name, &mut layer.opacity);
                    });
                    let path = layer.path.display().to_string();
                    ui.label(RichText::new(path).small().weak());
                }
            }
        }
    }

    /// The basemap's context layers: each shown or not, and its opacity.
    fn context_ui(&mut self, ui: &mut Ui, lang: Lang) {
        ui.label(RichText::new(lang.t(T::ContextLayers)).strong())
            .on_hover_text(lang.t(T::ContextLayersHelp));
        egui::Grid::new("context layers")
            .num_columns(2)
            .spacing([6.0, 2.0])
            .show(ui, |ui| {
                for context in &mut self.context {
                    let name = context.kind.text(lang);
                    ui.checkbox(&mut context.visible, name)
                        .on_hover_text(context.kind.source());
                    opacity_ui(ui, lang, name, &mut context.opacity);
                    ui.end_row();
                }
            });
    }

    fn working_row(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        working: (&str, usize),
        actions: &mut Vec<LayerAction>,
    ) {
        ui.checkbox(&mut self.working_visible, "")
            .on_hover_text(lang.t(T::Visible));
        ui.vertical(|ui| {
            ui.label(RichText::new(working.0).strong())
                .on_hover_text(lang.t(T::WorkingLayerHelp));
            // Wrapped: in a narrow panel "Zoom to" goes under the count, not off the edge.
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{} · {}",
                        lang.t(T::WorkingLayer),
                        lang.fill(T::FeatureCount, &[&lang.number(working.1)])
                    ))
                    .small(),
                );
                if ui.small_button(lang.t(T::Zoom)).clicked() {
                    actions.push(LayerAction::ZoomTo(Slot::Working));
                }
            });
        });
    }

    fn imported_row(&mut self, ui: &mut Ui, lang: Lang, key: u64, actions: &mut Vec<LayerAction>) {
        let Some(layer) = self.get_mut(key) else {
            return;
        };
        let visible_label = lang.fill(T::VisibleLayer, &[&layer.name]);
        ui.add(egui::Checkbox::without_text(&mut layer.visible))
            .on_hover_text(&visible_label)
            .widget_info(|| {
                egui::WidgetInfo::selected(
                    egui::Role::CheckBox,
                    true,
                    layer.visible,
                    &visible_label,
                )
            });
        let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 2.0, layer.colour);
        ui.vertical(|ui| {
            ui.label(RichText::new(&layer.name).strong());
            ui.horizontal_wrapped(|ui| {
                let mut info = format!(
                    "{} · {}",
                    lang.t(T::ReadOnly),
                    lang.fill(
                        T::FeatureCount,
                        &[&layer.document.features().len().to_string()]
                    )
                );
                if layer.unread > 0 {
                    info += &format!(" · {}", lang.fill(T::LeftOut, &[&layer.unread.to_string()]));
                }
                ui.label(RichText::new(info).small());
                if ui.small_button(lang.t(T::Zoom)).clicked() {
                    actions.push(LayerAction::ZoomTo(Slot::Imported(key)));
                }
                if ui
                    .small_button(lang.t(T::MergeIntoWorking))
                    .on_hover_text(lang.t(T::MergeHelp))
                    .clicked()
                {
                    actions.push(LayerAction::Merge(key));
                }
                if !layer.diagnostics.is_empty()
                    && ui
                        .small_button(
                            lang.fill(T::ProblemsCount, &[&layer.diagnostics.len().to_string()]),
                        )
                        .clicked()
                {
                    actions.push(LayerAction::ShowDiagnostics(key));
                }
                if ui
                    .small_button(lang.t(T::RemoveLayer))
                    .on_hover_text(lang.fill(T::RemoveLayerHelp, &[&layer.name]))
                    .clicked()
                {
                    actions.push(LayerAction::Remove(key));
                }
            });
        });
    }
}

/// A layer still being read: its progress (or a spinner while unknown) and its file name.
fn loading_row(ui: &mut Ui, lang: Lang, path: &std::path::Path, progress: Option<f32>) {
    ui.horizontal(|ui| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match progress {
            Some(p) => {
                ui.add(
                    egui::ProgressBar::new(p)
                        .desired_width(80.0)
                        .show_percentage(),
                );
            }
            None => {
                ui.spinner();
            }
        }
        ui.label(lang.fill(T::LoadingLayer, &[&name]));
    });
}

/// The handle that drags the layer at `row` and the buttons that move it up or down one
/// place; the move clicked, as (from, to).
fn move_buttons(ui: &mut Ui, lang: Lang, row: usize, count: usize) -> Option<(usize, usize)> {
    let mut moved = None;
    let handle_id = egui::Id::unique(("layer-drag", row));
    ui.dnd_drag_source(handle_id, row, |ui| {
        ui.label(RichText::new("::").strong())
            .on_hover_text(lang.t(T::DragToReorder));
    });
    if ui
        .add_enabled(row > 0, egui::Button::new("^").small())
        .on_hover_text(lang.t(T::MoveUp))
        .clicked()
    {
        moved = Some((row, row - 1));
    }
    if ui
        .add_enabled(row + 1 < count, egui::Button::new("v").small())
        .on_hover_text(lang.t(T::MoveDown))
        .clicked()
    {
        moved = Some((row, row + 1));
    }
    moved
}

/// A layer's opacity: a short slider (the panel stays narrow in a small window), named
/// on hover.
fn opacity_ui(ui: &mut Ui, lang: Lang, name: &str, opacity: &mut f32) {
    ui.spacing_mut().slider_width = 48.0;
    let mut percent = (*opacity * 100.0).round();
    // The figure on hover: a value box beside each slider widened the panel past a small
    // window's share.
    let response = ui
        .add(
            egui::Slider::new(&mut percent, 0.0..=100.0)
                .suffix(" %")
                .max_decimals(0)
                .show_value(false),
        )
        .on_hover_text(format!("{}: {name} ({percent:.0} %)", lang.t(T::Opacity)));
    // Named for screen readers, as the hover says it.
    let label = format!("{}: {name}", lang.t(T::Opacity));
    response.widget_info(|| egui::WidgetInfo::slider(true, f64::from(percent), &label));
    if response.changed() {
        *opacity = percent / 100.0;
    }
}

/// `#rrggbb` for a colour (project files).
pub fn hex(colour: Color32) -> String {
    format!("#{:02x}{:02x}{:02x}", colour.r(), colour.g(), colour.b())
}

pub use crate::app::theme::parse_hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_colours() {
        let mut layers = Layers::default();
        let date = NaiveDate::from_ymd_opt(2014, 10, 1).unwrap();
        let a = layers.add("a.geojson".into(), Document::default(), vec![], 0, date);
        let b = layers.add("b.geojson".into(), Document::default(), vec![], 0, date);
        assert_eq!(
            layers.order,
            [Slot::Imported(b), Slot::Imported(a), Slot::Working]
        );
        layers.reorder(2, 0);
        assert_eq!(
            layers.order,
            [Slot::Working, Slot::Imported(b), Slot::Imported(a)]
        );
        layers.remove(b);
        assert_eq!(layers.order, [Slot::Working, Slot::Imported(a)]);
        assert_ne!(PALETTE[0], PALETTE[1]);
        assert_eq!(parse_hex(&hex(PALETTE[2])), Some(PALETTE[2]));
        assert_eq!(parse_hex("#12345"), None);
    }
}
