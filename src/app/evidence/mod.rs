//! Evidence in the window: thumbnails under each event, files attached by dropping,
//! picking or pasting (copied and hashed off the UI thread), sources archived, the
//! background check of every item on open, the viewer and the comparison of two events,
//! and the images drawn on the map at the timeline's date.

pub(crate) mod jobs;
pub mod pictures;
pub(crate) mod viewer;
mod words;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use egui::{Color32, RichText, Ui};

use super::i18n::{Lang, T};
use super::theme;
use crate::edit::Holder;
use crate::io::evidence::media::Kind;
use crate::io::evidence::{self, Problem, human_bytes};
use crate::model::{Event, Evidence, Source};

pub use jobs::{Finished, Jobs};
pub use pictures::fit;
use pictures::{Pictures, Size, Slot};
pub use viewer::{Compare, Viewer, comparable};
pub use words::problem_text;

/// The extensions offered when picking evidence, and recognised when dropped.
pub const EXTENSIONS: [&str; 12] = [
    "png", "jpg", "jpeg", "tif", "tiff", "webp", "gif", "pdf", "html", "htm", "warc", "txt",
];

/// True for a file that is evidence rather than data to import.
pub fn is_evidence_file(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| EXTENSIONS.contains(&e.as_str()) && e != "txt")
}

/// What the person asked for in the evidence parts of the inspector.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Pick files to attach to an event of a strip.
    Pick {
        strip: usize,
        event: usize,
    },
    View {
        strip: usize,
        holder: Holder,
        item: usize,
    },
    Compare {
        strip: usize,
    },
    Archive {
        strip: usize,
        event: usize,
        source: usize,
    },
    Remove {
        strip: usize,
        holder: Holder,
        item: usize,
    },
}

/// Everything the window keeps about evidence.
pub struct EvidenceView {
    pub pictures: Pictures,
    /// The working document's evidence folder; `None` until the document has a file.
    pub(crate) folder: Option<PathBuf>,
    /// What the background check found, by hash, for the folder it checked.
    pub checked: HashMap<String, Problem>,
    pub jobs: Jobs,
    pub viewer: Option<Viewer>,
    pub compare: Option<Compare>,
    /// Georeferenced images drawn on the map (the layers panel's toggle).
    pub on_map: bool,
    pub requests: Vec<Request>,
    /// The event files dropped now go to: set while the pointer is over an event.
    pub drop_target: Option<(usize, usize)>,
    /// The document (generation) and file the folder and check are for.
    pub(crate) document: Option<(u64, Option<PathBuf>)>,
    /// The file the working document was opened from when it is not its own (a
    /// GeoPackage, a spreadsheet): its folder serves until the document is saved.
    pub opened_from: Option<(u64, PathBuf)>,
    /// The hashes of the images the map drew last.
    pub drawn: Vec<String>,
    /// Pasted images written for the attach that runs, removed once it is done.
    pub(crate) pasted: Vec<PathBuf>,
    /// The placed images of the document, for the version they were found in.
    pub(crate) imagery: Option<(
        super::state::document::Version,
        crate::analysis::ImageryIndex,
    )>,
}

impl Default for EvidenceView {
    fn default() -> Self {
        EvidenceView {
            pictures: Pictures::new(),
            folder: None,
            checked: HashMap::new(),
            jobs: Jobs::default(),
            viewer: None,
            compare: None,
            on_map: true,
            requests: Vec::new(),
            drop_target: None,
            document: None,
            opened_from: None,
            drawn: Vec::new(),
            pasted: Vec::new(),
            imagery: None,
        }
    }
}

impl EvidenceView {
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// The document now lives at `doc` (or nowhere yet): its folder, and nothing checked.
    pub fn set_document(&mut self, doc: Option<&Path>) {
        let folder = doc.map(evidence::folder_of);
        if folder != self.folder {
            self.folder = folder;
            self.checked.clear();
            self.viewer = None;
            self.compare = None;
        }
    }

    /// The file of an item, when it is in the folder; why not otherwise.
    pub fn file(&self, item: &Evidence) -> Result<PathBuf, Problem> {
        let folder = self.folder.as_deref().ok_or(Problem::Missing)?;
        evidence::file_of(folder, item)
    }

    /// What the check found wrong with an item, if anything.
    pub fn problem(&self, item: &Evidence) -> Option<&Problem> {
        self.checked.get(&item.sha256())
    }
}

/// One line of what an item is: caption, kind, size, credit, hash.
pub fn item_tooltip(item: &Evidence) -> String {
    let mut lines = Vec::new();
    if let Some(c) = item.caption() {
        lines.push(c);
    }
    let mut facts = Vec::new();
    if let Some(m) = item.media_type() {
        facts.push(m);
    }
    if let Some(b) = item.bytes() {
        facts.push(human_bytes(b));
    }
    if let Some(d) = item.captured() {
        facts.push(format!("captured {d}"));
    }
    if !facts.is_empty() {
        lines.push(facts.join(" · "));
    }
    if let Some(c) = item.credit() {
        lines.push(format!("© {c}"));
    }
    if item.private() {
        lines.push("private: left out of publication".to_owned());
    }
    lines.push(format!("SHA-256 {}", item.sha256()));
    lines.join("\n")
}

/// The side of a thumbnail in the inspector, in points.
const THUMB: f32 = 72.0;

impl EvidenceView {
    /// The "Attach…" button of event `event_index` of strip `strip`, in its header row.
    pub fn attach_button(&mut self, ui: &mut Ui, lang: Lang, strip: usize, event_index: usize) {
        if self.folder.is_none() {
            return;
        }
        let attach = ui
            .small_button(lang.t(T::AttachEvidence))
            .on_hover_text(lang.t(T::AttachEvidenceHelp));
        if attach.clicked() {
            self.requests.push(Request::Pick {
                strip,
                event: event_index,
            });
        }
    }

    /// The thumbnails of event `event_index` of strip `strip`. While files are dragged
    /// over the window, the event under the pointer (its header `row` and thumbnails) is
    /// marked as where they will go.
    pub fn event_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        (strip, event_index): (usize, usize),
        event: &Event,
        row: egui::Rect,
        read_only: bool,
    ) {
        let mut area = row;
        if !event.evidence().is_empty() {
            let response = ui
                .horizontal_wrapped(|ui| {
                    ui.add_space(8.0);
                    for (k, item) in event.evidence().iter().enumerate() {
                        let holder = Holder::Event(event_index);
                        self.thumbnail_ui(ui, lang, strip, holder, k, item, read_only);
                    }
                })
                .response;
            area = area.union(response.rect);
        }
        let dragging = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
        if dragging && !read_only && ui.rect_contains_pointer(area.expand(4.0)) {
            self.drop_target = Some((strip, event_index));
        }
        if dragging && self.drop_target == Some((strip, event_index)) {
            ui.painter().rect_stroke(
                area.expand(2.0),
                4.0,
                egui::Stroke::new(2.0, theme::SELECTED),
                egui::StrokeKind::Outside,
            );
        }
    }

    /// A source's archive button and its items.
    #[allow(clippy::too_many_arguments)]
    pub fn source_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        strip: usize,
        event: usize,
        source_index: usize,
        source: &Source,
        read_only: bool,
    ) {
        let Source::Reference(reference) = source else {
            return;
        };
        let has_url = reference.url().get().is_some();
        if reference.evidence().is_empty() && (read_only || !has_url || self.folder.is_none()) {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.add_space(16.0);
            for (k, item) in reference.evidence().iter().enumerate() {
                let holder = Holder::Source(event, source_index);
                let text = match item.captured() {
                    Some(d) => lang.fill(T::ArchivedOn, &[&d.to_string()]),
                    None => lang.t(T::Archived).to_owned(),
                };
                let problem = self.problem(item).cloned();
                let chip = match &problem {
                    Some(_) => RichText::new(format!("! {text}")).color(theme::ERROR_TEXT),
                    None => RichText::new(text).color(theme::OK_TEXT),
                };
                let mut hover = item_tooltip(item);
                if let Some(p) = &problem {
                    hover = format!("{}\n{hover}", problem_text(lang, p));
                }
                if ui.small_button(chip).on_hover_text(hover).clicked() {
                    self.requests.push(Request::View {
                        strip,
                        holder,
                        item: k,
                    });
                }
            }
            let busy = self.jobs.busy();
            if !read_only && has_url && self.folder.is_some() {
                let archive = ui
                    .add_enabled(!busy, egui::Button::new(lang.t(T::Archive)).small())
                    .on_hover_text(lang.t(T::ArchiveHelp));
                if archive.clicked() {
                    self.requests.push(Request::Archive {
                        strip,
                        event,
                        source: source_index,
                    });
                }
            }
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn thumbnail_ui(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        strip: usize,
        holder: Holder,
        k: usize,
        item: &Evidence,
        read_only: bool,
    ) {
        let size = egui::vec2(THUMB, THUMB);
        let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click());
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, theme::PANEL_FILL);
        let path = item.path().unwrap_or_default();
        let kind = Kind::of(item.media_type().as_deref(), &path);
        let problem = self.problem(item).cloned();
        let file = self.file(item);
        let mut label = None;
        match (&file, kind) {
            (Ok(file), Kind::Image | Kind::Pdf) => {
                let ctx = ui.ctx().clone();
                match self
                    .pictures
                    .get(&ctx, &item.sha256(), Size::Thumb, file, kind)
                {
                    Slot::Ready(texture) => {
                        let fitted = fit(texture.size_vec2(), rect.shrink(2.0));
                        painter.image(
                            texture.id(),
                            fitted,
                            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                            Color32::WHITE,
                        );
                    }
                    Slot::Pending => label = Some("…".to_owned()),
                    Slot::Failed(_) => label = Some(kind_label(kind).to_owned()),
                }
            }
            (Ok(_), _) => label = Some(kind_label(kind).to_owned()),
            (Err(p), _) => label = Some(problem_text(lang, p)),
        }
        if let Some(text) = label {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                text,
                egui::FontId::proportional(11.0),
                theme::MUTED_TEXT,
            );
        }
        let stroke = match (&problem, &file) {
            (Some(_), _) | (_, Err(_)) => egui::Stroke::new(2.0, theme::ERROR_TEXT),
            _ if response.hovered() => egui::Stroke::new(1.5, theme::SELECTED),
            _ => egui::Stroke::new(1.0, theme::MUTED_TEXT.gamma_multiply(0.5)),
        };
        painter.rect_stroke(rect, 3.0, stroke, egui::StrokeKind::Inside);
        if item.footprint().is_some() {
            // A pin: the image is placed on the map.
            let at = rect.right_bottom() - egui::vec2(8.0, 8.0);
            painter.circle(
                at,
                5.0,
                theme::SELECTED,
                egui::Stroke::new(1.0, Color32::BLACK),
            );
            painter.circle_filled(at, 1.5, Color32::BLACK);
        }
        let mut hover = item_tooltip(item);
        if let Some(p) = &problem {
            hover = format!("{}\n{hover}", problem_text(lang, p));
        }
        let response = response.on_hover_text(hover);
        if response.clicked() {
            self.requests.push(Request::View {
                strip,
                holder,
                item: k,
            });
        }
        if !read_only {
            response.context_menu(|ui| {
                if ui.button(lang.t(T::RemoveEvidence)).clicked() {
                    self.requests.push(Request::Remove {
                        strip,
                        holder,
                        item: k,
                    });
                    ui.close();
                }
            });
        }
    }
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Image => "image",
        Kind::Pdf => "PDF",
        Kind::Text => "page",
        Kind::Warc => "WARC",
        Kind::Other => "file",
    }
}
