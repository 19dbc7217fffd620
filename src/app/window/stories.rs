//! Stories from the window: a dossier (HTML or PDF) or a one-file web map, written in the
//! background.

use crate::app::PistasApp;
use crate::app::i18n::T;
use crate::story::{self, Made};
use std::path::PathBuf;
use std::sync::mpsc;

impl PistasApp {
    /// What a story made now says of how it was made.
    fn made(&self) -> Made {
        let doc = self.doc.document();
        // The data file's hash: the file as saved when nothing is unsaved, else the
        // document as it would be saved now.
        let sha256 = match (&self.doc.path, self.doc.is_dirty()) {
            (Some(path), false) => crate::io::evidence::sha256_file(path)
                .map(|(h, _)| h)
                .unwrap_or_default(),
            _ => crate::io::evidence::sha256_bytes(
                crate::io::write_geojson(doc, &crate::io::WriteOptions::default()).as_bytes(),
            ),
        };
        Made {
            lang: self.lang.story(),
            at: self.date,
            made: chrono::Local::now().date_naive(),
            file_name: self.doc.title_name(),
            sha256,
            left_out: Vec::new(),
            illustrative: story::illustrative(doc),
        }
    }

    fn start_story(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        make: impl FnOnce(&std::path::Path) -> Result<Vec<u8>, String> + Send + 'static,
    ) {
        let (send, receive) = mpsc::channel();
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("pistas-story".into())
            .spawn(move || {
                let done = make(&path).and_then(|bytes| {
                    crate::io::save_atomic(&path, &bytes, true)
                        .map(|()| path)
                        .map_err(|e| e.to_string())
                });
                // Ignored: the receiver is gone only when the window has closed; nobody waits.
                let _ = send.send(done);
                repaint.request_repaint();
            });
        match spawned {
            Ok(_) => self.story.running = Some(receive),
            Err(e) => self.overlays.message(e.to_string()),
        }
    }

    /// File ▸ Export dossier…: the selected strip, else the strips shown.
    pub(crate) fn export_dossier(&mut self, ctx: &egui::Context) {
        let doc = self.doc.document();
        let picked: Vec<usize> = match self.selection.strip() {
            Some(i) if doc.features().get(i).is_some_and(|f| f.is_strip()) => vec![i],
            _ => (0..doc.features().len())
                .filter(|&i| self.derived.shown.get(i).copied().unwrap_or(false))
                .filter(|&i| doc.features()[i].is_strip())
                .collect(),
        };
        if picked.is_empty() {
            self.overlays.message(self.lang.t(T::NoStripsForStory));
            return;
        }
        let stem = self.doc.title_name();
        let stem = stem.split('.').next().unwrap_or("pistas").to_owned();
        let Some(path) = self.dialogs.save_file(
            &format!("{stem}-dossier.html"),
            "HTML (or a name ending in .pdf)",
            "html",
        ) else {
            return;
        };
        let made = self.made();
        let shared = self.doc.shared();
        let folder = self.evidence.folder().map(PathBuf::from);
        // A name ending in .pdf gets the PDF.
        self.start_story(ctx, path, move |path| {
            let pdf = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
            if pdf {
                story::dossier_pdf(&shared, &picked, &made, folder.as_deref())
            } else {
                Ok(story::dossier_html(&shared, &picked, &made, folder.as_deref()).into_bytes())
            }
        });
    }

    /// File ▸ Publish as web map…: every strip of the working document.
    pub(crate) fn publish_web_map(&mut self, ctx: &egui::Context) {
        let stem = self.doc.title_name();
        let stem = stem.split('.').next().unwrap_or("pistas").to_owned();
        let Some(path) = self
            .dialogs
            .save_file(&format!("{stem}-map.html"), "HTML", "html")
        else {
            return;
        };
        let made = self.made();
        let shared = self.doc.shared();
        let title = self.lang.t(T::WebMapTitle).to_owned();
        self.start_story(ctx, path, move |_| {
            Ok(story::webmap::webmap_html(&shared, made.at, made.lang, &title, &[]).into_bytes())
        });
    }

    /// Takes in a finished story.
    pub(crate) fn poll_story(&mut self, ctx: &egui::Context) {
        let Some(running) = &self.story.running else {
            return;
        };
        match running.try_recv() {
            Ok(Ok(path)) => {
                self.story.running = None;
                self.notice = Some(self.lang.fill(T::Exported, &[&path.display().to_string()]));
            }
            Ok(Err(e)) => {
                self.story.running = None;
                self.overlays.message(e);
            }
            Err(mpsc::TryRecvError::Disconnected) => self.story.running = None,
            Err(mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
    }
}
