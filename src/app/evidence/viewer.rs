//! The evidence viewer (an image, a PDF's first page, a page's or archive's words, and
//! where an image lies on the map) and the comparison of two events of a strip, side by
//! side or with a swipe divider.

use std::path::PathBuf;

use egui::{Color32, RichText, Ui};

use super::pictures::{Pictures, Size, Slot, fit};
use super::words::problem_text;
use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::edit::Holder;
use crate::io::evidence::Problem;
use crate::io::evidence::human_bytes;
use crate::io::evidence::media::{self, Kind};
use crate::model::{Evidence, Feature};

/// One item shown whole.
pub struct Viewer {
    pub strip_id: String,
    pub holder: Holder,
    pub index: usize,
    pub item: Evidence,
    pub file: Result<PathBuf, Problem>,
    pub problem: Option<Problem>,
    kind: Kind,
    text: Option<Result<String, String>>,
    /// West, south, east, north as typed, while placing the image on the map.
    place: Option<[String; 4]>,
    place_error: Option<String>,
}

/// What the viewer asks for.
pub enum ViewerAsk {
    /// Replace the item with this one (placed on the map, or taken off it).
    Set(Evidence),
}

impl Viewer {
    pub fn new(
        strip_id: String,
        holder: Holder,
        index: usize,
        item: Evidence,
        file: Result<PathBuf, Problem>,
        problem: Option<Problem>,
    ) -> Self {
        let kind = Kind::of(
            item.media_type().as_deref(),
            &item.path().unwrap_or_default(),
        );
        Viewer {
            strip_id,
            holder,
            index,
            item,
            file,
            problem,
            kind,
            text: None,
            place: None,
            place_error: None,
        }
    }

    /// Shows the viewer as a window; `false` once closed. `view` is the map's view (west,
    /// south, east, north), offered as a footprint.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        pictures: &mut Pictures,
        view: Option<[f64; 4]>,
        read_only: bool,
        asks: &mut Vec<ViewerAsk>,
    ) -> bool {
        let mut open = true;
        let title = self
            .item
            .caption()
            .unwrap_or_else(|| self.item.path().unwrap_or_else(|| self.item.sha256()));
        egui::Window::new(RichText::new(title).strong())
            .id(egui::Id::unique("evidence-viewer"))
            .open(&mut open)
            .default_size([720.0, 540.0])
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                self.facts_ui(ui, lang);
                if !read_only && self.kind == Kind::Image {
                    self.place_ui(ui, lang, view, asks);
                }
                ui.separator();
                self.content_ui(ui, lang, pictures);
            });
        open
    }

    fn facts_ui(&self, ui: &mut Ui, lang: Lang) {
        ui.horizontal_wrapped(|ui| {
            if let Some(m) = self.item.media_type() {
                ui.label(m);
            }
            if let Some(b) = self.item.bytes() {
                ui.label(human_bytes(b));
            }
            if let Some(d) = self.item.captured() {
                ui.label(lang.fill(T::CapturedOn, &[&d.to_string()]));
            }
            if let Some(c) = self.item.credit() {
                ui.label(format!("© {c}"));
            }
            if self.item.private() {
                ui.label(RichText::new(lang.t(T::PrivateEvidence)).italics());
            }
        });
        ui.label(
            RichText::new(format!("SHA-256 {}", self.item.sha256()))
                .monospace()
                .small(),
        );
        if let Some(p) = &self.problem {
            ui.colored_label(theme::ERROR_TEXT, problem_text(lang, p));
        }
        if let Ok(file) = &self.file {
            ui.horizontal(|ui| {
                ui.label(RichText::new(file.display().to_string()).small().weak());
                if ui.small_button(lang.t(T::OpenOutside)).clicked() {
                    open_outside(file);
                }
            });
        }
    }

    fn place_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        view: Option<[f64; 4]>,
        asks: &mut Vec<ViewerAsk>,
    ) {
        ui.horizontal_wrapped(|ui| match self.item.footprint() {
            Some([w, s, e, n]) => {
                ui.label(lang.fill(T::PlacedAt, &[&format!("{w:.5}, {s:.5}, {e:.5}, {n:.5}")]));
                if ui.small_button(lang.t(T::Unplace)).clicked() {
                    asks.push(ViewerAsk::Set(self.item.without_member("footprint")));
                }
            }
            None if self.place.is_none() => {
                ui.label(RichText::new(lang.t(T::NotPlaced)).weak());
                if ui.small_button(lang.t(T::PlaceOnMap)).clicked() {
                    let [w, s, e, n] = view.unwrap_or([0.0; 4]);
                    self.place = Some([w, s, e, n].map(|v| format!("{v:.5}")));
                }
            }
            None => {}
        });
        let Some(place) = &mut self.place else {
            return;
        };
        let mut done = false;
        ui.horizontal_wrapped(|ui| {
            for (text, name) in place.iter_mut().zip([T::West, T::South, T::East, T::North]) {
                let label = ui.label(lang.t(name));
                ui.add(egui::TextEdit::singleline(text).desired_width(80.0))
                    .labelled_by(label.id);
            }
            if let Some(v) = view
                && ui.small_button(lang.t(T::UseMapView)).clicked()
            {
                *place = v.map(|x| format!("{x:.5}"));
            }
            if ui.button(lang.t(T::Place)).clicked() {
                let numbers: Result<Vec<f64>, _> =
                    place.iter().map(|t| t.trim().parse::<f64>()).collect();
                let placed = numbers
                    .map_err(|_| lang.t(T::FootprintNumbers).to_owned())
                    .and_then(|v| {
                        self.item
                            .with_member(
                                "footprint",
                                &format!("[{},{},{},{}]", v[0], v[1], v[2], v[3]),
                            )
                            .map_err(|e| e.message().to_owned())
                    });
                match placed {
                    Ok(item) => {
                        asks.push(ViewerAsk::Set(item));
                        done = true;
                    }
                    Err(e) => self.place_error = Some(e),
                }
            }
            if ui.button(lang.t(T::Cancel)).clicked() {
                done = true;
            }
        });
        if let Some(e) = &self.place_error {
            ui.colored_label(theme::ERROR_TEXT, e);
        }
        if done {
            self.place = None;
            self.place_error = None;
        }
    }

    fn content_ui(&mut self, ui: &mut Ui, lang: Lang, pictures: &mut Pictures) {
        let file = match &self.file {
            Ok(f) => f.clone(),
            Err(p) => {
                ui.colored_label(theme::ERROR_TEXT, problem_text(lang, p));
                return;
            }
        };
        match self.kind {
            Kind::Image | Kind::Pdf => {
                let rect = ui.available_rect_before_wrap();
                let rect =
                    egui::Rect::from_min_size(rect.min, rect.size().max(egui::vec2(64.0, 64.0)));
                ui.allocate_rect(rect, egui::Sense::hover());
                let ctx = ui.ctx().clone();
                picture_in(ui, &ctx, pictures, &self.item, &file, self.kind, rect, rect);
            }
            Kind::Text | Kind::Warc => {
                let kind = self.kind;
                let text = self.text.get_or_insert_with(|| match kind {
                    Kind::Warc => media::warc_text(&file),
                    _ => media::text_of(&file),
                });
                match text {
                    Ok(t) => {
                        egui::ScrollArea::vertical()
                            .auto_shrink([false, false])
                            .show(ui, |ui| ui.label(t.as_str()));
                    }
                    Err(e) => {
                        ui.colored_label(theme::ERROR_TEXT, e.as_str());
                    }
                }
            }
            Kind::Other => {
                ui.label(lang.t(T::NoPreview));
            }
        }
    }
}

/// Draws an item's picture fitted in `rect`, clipped to `clip`; while it decodes, says so.
#[allow(clippy::too_many_arguments)]
fn picture_in(
    ui: &Ui,
    ctx: &egui::Context,
    pictures: &mut Pictures,
    item: &Evidence,
    file: &std::path::Path,
    kind: Kind,
    rect: egui::Rect,
    clip: egui::Rect,
) {
    let painter = ui.painter().with_clip_rect(clip);
    match pictures.get(ctx, &item.sha256(), Size::Full, file, kind) {
        Slot::Ready(texture) => {
            let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
            painter.image(
                texture.id(),
                fit(texture.size_vec2(), rect),
                uv,
                Color32::WHITE,
            );
        }
        Slot::Pending => {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "…",
                egui::FontId::proportional(24.0),
                theme::MUTED_TEXT,
            );
        }
        Slot::Failed(e) => {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                e,
                egui::FontId::proportional(13.0),
                theme::ERROR_TEXT,
            );
        }
    }
}

/// Opens a file with the system's own viewer.
fn open_outside(file: &std::path::Path) {
    #[cfg(target_os = "macos")]
    let program = "open";
    #[cfg(target_os = "windows")]
    let program = "explorer";
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let program = "xdg-open";
    if let Err(e) = std::process::Command::new(program).arg(file).spawn() {
        log::warn!("{program} could not open {}: {e}", file.display());
    }
}

/// Two events of a strip compared by their first pictures.
pub struct Compare {
    pub strip_id: String,
    pub left: usize,
    pub right: usize,
    pub swipe: bool,
    /// Where the swipe divider stands, 0 (left edge) to 1.
    pub divider: f32,
}

/// The events of a strip with a picture to compare, and the first such item of each.
pub fn comparable(feature: &Feature) -> Vec<(usize, Evidence)> {
    feature
        .events()
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            e.evidence()
                .iter()
                .find(|item| {
                    matches!(
                        Kind::of(
                            item.media_type().as_deref(),
                            &item.path().unwrap_or_default()
                        ),
                        Kind::Image | Kind::Pdf
                    )
                })
                .map(|item| (i, item.clone()))
        })
        .collect()
}

impl Compare {
    /// The last two events of the strip with pictures, by date (for instance the last
    /// sighting and the destruction); `None` when fewer than two have one.
    pub fn of(strip_id: String, feature: &Feature) -> Option<Compare> {
        let mut events = comparable(feature);
        events.sort_by_key(|(i, _)| feature.events()[*i].date().start());
        let n = events.len();
        if n < 2 {
            return None;
        }
        Some(Compare {
            strip_id,
            left: events[n - 2].0,
            right: events[n - 1].0,
            swipe: false,
            divider: 0.5,
        })
    }

    /// Shows the comparison; `false` once closed.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        pictures: &mut Pictures,
        feature: &Feature,
        folder: Option<&std::path::Path>,
    ) -> bool {
        let mut open = true;
        let events = comparable(feature);
        egui::Window::new(lang.fill(T::CompareTitle, &[feature.label()]))
            .id(egui::Id::unique("evidence-compare"))
            .open(&mut open)
            .default_size([900.0, 520.0])
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                self.choice_ui(ui, lang, feature, &events);
                let item = |i: usize| {
                    events
                        .iter()
                        .find(|(e, _)| *e == i)
                        .map(|(_, it)| it.clone())
                };
                let (Some(left), Some(right), Some(folder)) =
                    (item(self.left), item(self.right), folder)
                else {
                    ui.label(lang.t(T::NothingToCompare));
                    return;
                };
                let rect = ui.available_rect_before_wrap();
                let rect =
                    egui::Rect::from_min_size(rect.min, rect.size().max(egui::vec2(120.0, 80.0)));
                let response = ui.allocate_rect(rect, egui::Sense::click_and_drag());
                let pair = Pair {
                    ctx,
                    lang,
                    folder,
                    left,
                    right,
                };
                if self.swipe {
                    self.swipe_ui(ui, pictures, &pair, &response, rect);
                } else {
                    pair.side_by_side(ui, pictures, rect);
                }
                captions(
                    ui.painter(),
                    rect,
                    [
                        event_name(feature, lang, self.left),
                        event_name(feature, lang, self.right),
                    ],
                );
            });
        open
    }

    /// The events on each side, and side by side or swiped.
    fn choice_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        feature: &Feature,
        events: &[(usize, Evidence)],
    ) {
        let name = |i: usize| event_name(feature, lang, i);
        ui.horizontal_wrapped(|ui| {
            for (side, salt) in [(&mut self.left, "left"), (&mut self.right, "right")] {
                egui::ComboBox::from_id_salt(("compare", salt))
                    .selected_text(name(*side))
                    .show_ui(ui, |ui| {
                        for (i, _) in events {
                            ui.selectable_value(side, *i, name(*i));
                        }
                    });
            }
            ui.separator();
            ui.selectable_value(&mut self.swipe, false, lang.t(T::SideBySide));
            ui.selectable_value(&mut self.swipe, true, lang.t(T::Swipe));
        });
    }

    /// The left picture left of the divider and the right one right of it; the pointer
    /// pressed on the pictures moves the divider.
    fn swipe_ui(
        &mut self,
        ui: &Ui,
        pictures: &mut Pictures,
        pair: &Pair<'_>,
        response: &egui::Response,
        rect: egui::Rect,
    ) {
        if let Some(p) = response.interact_pointer_pos() {
            self.divider = ((p.x - rect.left()) / rect.width()).clamp(0.0, 1.0);
        }
        let x = rect.left() + rect.width() * self.divider;
        let (l, r) = (
            egui::Rect::from_min_max(rect.min, egui::pos2(x, rect.bottom())),
            egui::Rect::from_min_max(egui::pos2(x, rect.top()), rect.max),
        );
        pair.draw(ui, pictures, &pair.left, rect, l);
        pair.draw(ui, pictures, &pair.right, rect, r);
        let painter = ui.painter();
        painter.line_segment(
            [egui::pos2(x, rect.top()), egui::pos2(x, rect.bottom())],
            egui::Stroke::new(3.0, theme::SELECTED),
        );
        painter.circle_filled(egui::pos2(x, rect.center().y), 8.0, theme::SELECTED);
        ui.ctx().set_cursor_icon(if response.hovered() {
            egui::CursorIcon::ResizeHorizontal
        } else {
            egui::CursorIcon::Default
        });
    }
}

/// An event's date and kind, or nothing when the strip has no such event.
fn event_name(feature: &Feature, lang: Lang, i: usize) -> String {
    feature.events().get(i).map_or_else(String::new, |e| {
        format!("{} {}", e.date(), lang.event(e.kind()))
    })
}

/// The two items compared, and what drawing them needs.
struct Pair<'a> {
    ctx: &'a egui::Context,
    lang: Lang,
    folder: &'a std::path::Path,
    left: Evidence,
    right: Evidence,
}

impl Pair<'_> {
    /// Draws an item's picture fitted in `rect`, clipped to `clip`, or why its file is
    /// missing.
    fn draw(
        &self,
        ui: &Ui,
        pictures: &mut Pictures,
        item: &Evidence,
        rect: egui::Rect,
        clip: egui::Rect,
    ) {
        let kind = Kind::of(
            item.media_type().as_deref(),
            &item.path().unwrap_or_default(),
        );
        match crate::io::evidence::file_of(self.folder, item) {
            Ok(f) => picture_in(ui, self.ctx, pictures, item, &f, kind, rect, clip),
            Err(p) => {
                ui.painter().with_clip_rect(clip).text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    problem_text(self.lang, &p),
                    egui::FontId::proportional(13.0),
                    theme::ERROR_TEXT,
                );
            }
        }
    }

    /// The two pictures in halves of `rect`, 8 points apart.
    fn side_by_side(&self, ui: &Ui, pictures: &mut Pictures, rect: egui::Rect) {
        let half = rect.width() / 2.0;
        let l = egui::Rect::from_min_size(rect.min, egui::vec2(half - 4.0, rect.height()));
        let r = egui::Rect::from_min_size(
            rect.min + egui::vec2(half + 4.0, 0.0),
            egui::vec2(half - 4.0, rect.height()),
        );
        self.draw(ui, pictures, &self.left, l, l);
        self.draw(ui, pictures, &self.right, r, r);
    }
}

/// Each side's event named in its top corner, white on a dark backdrop.
fn captions(painter: &egui::Painter, rect: egui::Rect, [left, right]: [String; 2]) {
    for (text, at, align) in [
        (
            left,
            rect.left_top() + egui::vec2(6.0, 6.0),
            egui::Align2::LEFT_TOP,
        ),
        (
            right,
            rect.right_top() + egui::vec2(-6.0, 6.0),
            egui::Align2::RIGHT_TOP,
        ),
    ] {
        let galley = painter.layout_no_wrap(text, egui::FontId::proportional(14.0), Color32::WHITE);
        let frame = align.anchor_size(at, galley.size()).expand(4.0);
        painter.rect_filled(frame, 3.0, theme::CAPTION_BACKDROP);
        painter.galley(frame.min + egui::vec2(4.0, 4.0), galley, Color32::WHITE);
    }
}
