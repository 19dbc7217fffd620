//! The window's evidence work: requests from the inspector, files dropped or pasted,
//! finished background work, the check on open, the viewer and comparison windows, and
//! the images the map draws at the date.

use std::path::PathBuf;

use crate::app::PistasApp;
use crate::app::evidence::Request;
use crate::app::evidence::jobs::Finished;
use crate::app::evidence::pictures::{Size, Slot};
use crate::app::evidence::viewer::ViewerAsk;
use crate::app::evidence::viewer::{Compare, Viewer};
use crate::app::i18n::T;
use crate::app::panels::problems::ProblemsOf;
use crate::edit::Holder;
use crate::io::evidence::AddOptions;
use crate::io::evidence::media::Kind;
use crate::model::{Evidence, Source};

impl PistasApp {
    /// The strip's id and the event files go to: the event under the pointer while they
    /// were dragged, else the strip's latest event.
    fn evidence_target(&self) -> Option<(usize, usize)> {
        let strip = self.selection.strip()?;
        let feature = self.doc.document().features().get(strip)?;
        if let Some((s, e)) = self.evidence.drop_target
            && s == strip
            && e < feature.events().len()
        {
            return Some((s, e));
        }
        let latest = feature
            .events()
            .iter()
            .enumerate()
            .max_by_key(|(_, e)| e.date().end())?
            .0;
        Some((strip, latest))
    }

    /// Files dropped on the window that are evidence, for the selected strip.
    pub(crate) fn evidence_dropped(&mut self, ctx: &egui::Context, files: Vec<PathBuf>) {
        match self.evidence_target() {
            Some((strip, event)) => self.attach(ctx, strip, Holder::Event(event), files),
            None => self
                .overlays
                .message(self.lang.t(T::SelectStripForEvidence)),
        }
        self.evidence.drop_target = None;
    }

    /// An image pasted from the clipboard, for the selected strip's event.
    pub(crate) fn evidence_pasted(&mut self, ctx: &egui::Context, image: &egui::ColorImage) {
        let Some(folder) = self.evidence.folder().map(PathBuf::from) else {
            self.overlays.message(self.lang.t(T::SaveFirstForEvidence));
            return;
        };
        let Some((strip, event)) = self.evidence_target() else {
            self.overlays
                .message(self.lang.t(T::SelectStripForEvidence));
            return;
        };
        let [w, h] = image.size;
        let rgba: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(|c| c.to_srgba_unmultiplied())
            .collect();
        let Some(picture) = image::RgbaImage::from_raw(w as u32, h as u32, rgba) else {
            return;
        };
        // Written beside the folder, then stored (hashed and copied) like a dropped file.
        let written = std::fs::create_dir_all(&folder)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                let temp = tempfile::Builder::new()
                    .prefix(".pasted-")
                    .suffix(".png")
                    .tempfile_in(&folder)
                    .map_err(|e| e.to_string())?;
                picture
                    .save_with_format(temp.path(), image::ImageFormat::Png)
                    .map_err(|e| e.to_string())?;
                temp.into_temp_path().keep().map_err(|e| e.to_string())
            });
        match written {
            Ok(path) => {
                let strip_id = self.doc.document().features()[strip]
                    .id()
                    .as_str()
                    .to_owned();
                let options = AddOptions {
                    caption: Some("pasted image".to_owned()),
                    ..AddOptions::default()
                };
                let generation = self.doc.version().generation();
                if !self.evidence.jobs.attach(
                    ctx,
                    generation,
                    strip_id,
                    Holder::Event(event),
                    &folder,
                    vec![path.clone()],
                    options,
                ) {
                    remove_pasted(&path);
                } else {
                    self.evidence.pasted.push(path);
                }
            }
            Err(e) => self.overlays.message(e),
        }
    }

    fn attach(&mut self, ctx: &egui::Context, strip: usize, holder: Holder, files: Vec<PathBuf>) {
        let Some(folder) = self.evidence.folder().map(PathBuf::from) else {
            self.overlays.message(self.lang.t(T::SaveFirstForEvidence));
            return;
        };
        let Some(feature) = self.doc.document().features().get(strip) else {
            return;
        };
        let strip_id = feature.id().as_str().to_owned();
        let generation = self.doc.version().generation();
        let started = self.evidence.jobs.attach(
            ctx,
            generation,
            strip_id,
            holder,
            &folder,
            files,
            AddOptions::default(),
        );
        if !started {
            self.overlays
                .message(self.lang.fill(T::Attaching, &["…", "…"]));
        }
    }

    /// Takes in what the evidence jobs finished.
    pub(crate) fn poll_evidence(&mut self, ctx: &egui::Context) {
        self.evidence.pictures.poll(ctx);
        let now = (self.doc.version().generation(), self.doc.path.clone());
        if self.evidence.document != Some(now.clone()) {
            let before = self.evidence.document.replace(now);
            self.evidence_document_changed(ctx, before);
        }
        for finished in self.evidence.jobs.poll() {
            match finished {
                Finished::Added {
                    generation,
                    strip_id,
                    holder,
                    result,
                } => {
                    for path in self.evidence.pasted.drain(..) {
                        remove_pasted(&path);
                    }
                    let stored = match result {
                        Ok(s) => s,
                        Err(e) => {
                            self.overlays.message(e);
                            continue;
                        }
                    };
                    // The document the files were meant for is gone: they stay in the
                    // folder, unreferenced, for verify to list.
                    if generation != self.doc.version().generation() {
                        continue;
                    }
                    let Some(strip) = self.doc.document().position(&strip_id) else {
                        continue;
                    };
                    let notes: Vec<String> = stored.iter().filter_map(|s| s.note.clone()).collect();
                    let items: Vec<Evidence> = stored.into_iter().map(|s| s.item).collect();
                    let count = items.len();
                    if self
                        .edit(|e| e.add_evidence(strip, holder, items))
                        .is_some()
                    {
                        self.notice =
                            Some(self.lang.fill(T::EvidenceAttached, &[&count.to_string()]));
                    }
                    if !notes.is_empty() {
                        self.overlays.message(notes.join("\n"));
                    }
                }
                Finished::Checked {
                    generation,
                    folder,
                    findings,
                    brought,
                } => {
                    if let Some(line) = brought {
                        self.notice = Some(line);
                    }
                    if generation != self.doc.version().generation()
                        || self.evidence.folder() != Some(folder.as_path())
                    {
                        continue;
                    }
                    self.evidence.checked = findings
                        .iter()
                        .filter_map(|f| Some((f.sha256.clone()?, f.problem.clone())))
                        .collect();
                    let file = self
                        .doc
                        .path
                        .as_ref()
                        .map_or_else(String::new, |p| p.display().to_string());
                    let list: Vec<_> = findings
                        .iter()
                        .map(|f| f.diagnostic(self.doc.document(), &file))
                        .collect();
                    if !list.is_empty() {
                        self.problems.extend(
                            ProblemsOf::Working(generation),
                            std::path::Path::new(&file),
                            list,
                        );
                        self.notice = Some(
                            self.lang
                                .fill(T::EvidenceChecked, &[&findings.len().to_string()]),
                        );
                    }
                }
            }
        }
        if self.evidence.jobs.busy() || self.evidence.jobs.checking() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The working document has a (new) file: its evidence folder, checked in the
    /// background when there is one. A document saved elsewhere takes its files along to
    /// its new folder; one opened from a GeoPackage that carries files has them restored
    /// beside the GeoPackage first (its folder until it is saved as GeoJSON).
    pub(crate) fn evidence_document_changed(
        &mut self,
        ctx: &egui::Context,
        before: Option<(u64, Option<PathBuf>)>,
    ) {
        let generation = self.doc.version().generation();
        let old_folder = self.evidence.folder().map(PathBuf::from);
        let source = match &self.evidence.opened_from {
            Some((g, path)) if *g == generation && self.doc.path.is_none() => Some(path.clone()),
            _ => None,
        };
        self.evidence
            .set_document(self.doc.path.as_deref().or(source.as_deref()));
        let Some(folder) = self.evidence.folder().map(PathBuf::from) else {
            return;
        };
        let saved_elsewhere = before.is_some_and(|(g, _)| g == generation)
            && old_folder
                .as_ref()
                .is_some_and(|f| *f != folder && f.is_dir());
        let carry = saved_elsewhere.then_some(old_folder).flatten();
        let restore = source.filter(|s| {
            crate::io::InputFormat::of_file(s) == crate::io::InputFormat::GeoPackage
                && crate::io::evidence::embed::carries(s)
        });
        // Whether there is anything to check is found out off the UI thread too (it reads
        // every feature's text).
        let from = crate::app::evidence::jobs::Bring { carry, restore };
        self.evidence
            .jobs
            .check(ctx, generation, self.doc.shared(), &folder, from);
    }

    /// What the inspector's evidence parts asked for.
    pub(crate) fn evidence_requests(&mut self, ctx: &egui::Context) {
        for request in std::mem::take(&mut self.evidence.requests) {
            match request {
                Request::Pick { strip, event } => {
                    let files = self.dialogs.open_evidence();
                    if !files.is_empty() {
                        self.attach(ctx, strip, Holder::Event(event), files);
                    } else {
                        let again = Request::Pick { strip, event };
                        self.check_dialogs(Some(crate::app::dialogs::picker::Replay::Evidence(
                            again,
                        )));
                    }
                }
                Request::View {
                    strip,
                    holder,
                    item,
                } => {
                    let Some(feature) = self.doc.document().features().get(strip) else {
                        continue;
                    };
                    let Some(found) = item_at(feature, holder, item) else {
                        continue;
                    };
                    let file = self.evidence.file(&found);
                    let problem = self.evidence.problem(&found).cloned();
                    self.evidence.viewer = Some(Viewer::new(
                        feature.id().as_str().to_owned(),
                        holder,
                        item,
                        found,
                        file,
                        problem,
                    ));
                }
                Request::Compare { strip } => {
                    if let Some(feature) = self.doc.document().features().get(strip) {
                        self.evidence.compare =
                            Compare::of(feature.id().as_str().to_owned(), feature);
                    }
                }
                Request::Archive {
                    strip,
                    event,
                    source,
                } => {
                    let Some(folder) = self.evidence.folder().map(PathBuf::from) else {
                        continue;
                    };
                    let Some(feature) = self.doc.document().features().get(strip) else {
                        continue;
                    };
                    let url = feature
                        .events()
                        .get(event)
                        .and_then(|e| e.sources().get(source))
                        .and_then(|s| match s {
                            Source::Reference(r) => r.url().value(),
                            Source::Text(_) => None,
                        });
                    if let Some(url) = url {
                        let strip_id = feature.id().as_str().to_owned();
                        let generation = self.doc.version().generation();
                        self.evidence.jobs.archive(
                            ctx,
                            generation,
                            strip_id,
                            Holder::Source(event, source),
                            &folder,
                            url,
                        );
                    }
                }
                Request::Remove {
                    strip,
                    holder,
                    item,
                } => {
                    self.edit(|e| e.remove_evidence(strip, holder, item));
                }
            }
        }
    }

    /// The viewer and comparison windows.
    pub(crate) fn evidence_windows_ui(&mut self, ctx: &egui::Context) {
        let view = self.map.transform.map(|t| {
            let (min, max) = t.visible(0.0);
            let (w, s) = crate::app::map::transform::lon_lat_of(min);
            let (e, n) = crate::app::map::transform::lon_lat_of(max);
            [w.min(e), s.min(n), w.max(e), s.max(n)]
        });
        let mut asks = Vec::new();
        if let Some(viewer) = &mut self.evidence.viewer {
            let open = viewer.ui(
                ctx,
                self.lang,
                &mut self.evidence.pictures,
                view,
                false,
                &mut asks,
            );
            if !open {
                self.evidence.viewer = None;
            }
        }
        for ask in asks {
            let ViewerAsk::Set(item) = ask;
            let Some(viewer) = &self.evidence.viewer else {
                continue;
            };
            let (strip_id, holder, index) = (viewer.strip_id.clone(), viewer.holder, viewer.index);
            let Some(strip) = self.doc.document().position(&strip_id) else {
                continue;
            };
            if self
                .edit(|e| e.set_evidence(strip, holder, index, item.clone()))
                .is_some()
                && let Some(v) = &mut self.evidence.viewer
            {
                v.item = item;
            }
        }
        if let Some(compare) = &mut self.evidence.compare {
            let feature = self
                .doc
                .document()
                .position(&compare.strip_id)
                .and_then(|i| self.doc.document().features().get(i));
            let open = match feature {
                Some(f) => compare.ui(
                    ctx,
                    self.lang,
                    &mut self.evidence.pictures,
                    f,
                    self.evidence.folder.as_deref(),
                ),
                None => false,
            };
            if !open {
                self.evidence.compare = None;
            }
        }
    }

    /// The images the map draws under the strips at the date: for each strip in view,
    /// its latest placed image on or before the date, once decoded.
    pub(crate) fn imagery_for_map(
        &mut self,
        ctx: &egui::Context,
    ) -> Vec<(egui::TextureId, [f64; 4])> {
        self.evidence.drawn.clear();
        if !self.evidence.on_map {
            return Vec::new();
        }
        let Some(folder) = self.evidence.folder().map(PathBuf::from) else {
            return Vec::new();
        };
        // Built once per document; an edit of some strips reads those strips again only.
        let version = self.doc.version();
        match self.evidence.imagery.take() {
            Some((v, index)) if v == version => self.evidence.imagery = Some((v, index)),
            Some((v, mut index)) if self.doc.touched_since(v).is_some() => {
                let touched = self.doc.touched_since(v).unwrap_or_default();
                index.update(self.doc.document(), touched);
                self.evidence.imagery = Some((version, index));
            }
            _ => {
                let index = crate::analysis::ImageryIndex::of(self.doc.document());
                self.evidence.imagery = Some((version, index));
            }
        }
        let Some(t) = self.map.transform else {
            return Vec::new();
        };
        let (min, max) = t.visible(0.0);
        let (w, s) = crate::app::map::transform::lon_lat_of(min);
        let (e, n) = crate::app::map::transform::lon_lat_of(max);
        let view = [w.min(e), s.min(n), w.max(e), s.max(n)];
        let Some((_, index)) = &self.evidence.imagery else {
            return Vec::new();
        };
        let placed: Vec<(Evidence, [f64; 4])> = index
            .at(self.date, view)
            .into_iter()
            .map(|p| (p.item.clone(), p.footprint))
            .collect();
        let mut out = Vec::new();
        let to_screen =
            |lon: f64, lat: f64| t.to_screen(crate::app::map::transform::mercator(lon, lat));
        for (item, footprint) in placed {
            let Ok(file) = crate::io::evidence::file_of(&folder, &item) else {
                continue;
            };
            let [w, s, e, n] = footprint;
            let on_screen = egui::Rect::from_two_pos(to_screen(w, n), to_screen(e, s));
            let hash = item.sha256();
            // A small copy for an image small on screen; a large one when it is large,
            // the small one standing in while the large one decodes.
            let small = self
                .evidence
                .pictures
                .get(ctx, &hash, Size::MapSmall, &file, Kind::Image);
            let mut texture = match small {
                Slot::Ready(t) => Some(t.id()),
                _ => None,
            };
            if on_screen.width().max(on_screen.height()) > 300.0
                && let Slot::Ready(t) =
                    self.evidence
                        .pictures
                        .get(ctx, &hash, Size::Map, &file, Kind::Image)
            {
                texture = Some(t.id());
            }
            if let Some(id) = texture {
                out.push((id, footprint));
                self.evidence.drawn.push(hash);
            }
        }
        out
    }
}

/// Item `item` of an event's or a source's evidence.
fn item_at(feature: &crate::model::Feature, holder: Holder, item: usize) -> Option<Evidence> {
    let event = feature.events().get(holder.event())?;
    match holder {
        Holder::Event(_) => event.evidence().get(item).cloned(),
        Holder::Source(_, s) => match event.sources().get(s)? {
            Source::Reference(r) => r.evidence().get(item).cloned(),
            Source::Text(_) => None,
        },
    }
}

/// Removes a pasted picture's temporary file once it is stored (or was not taken); one left
/// behind costs only space in the system's temporary folder.
fn remove_pasted(path: &std::path::Path) {
    if let Err(e) = std::fs::remove_file(path) {
        log::debug!("pasted picture {} left in place: {e}", path.display());
    }
}
