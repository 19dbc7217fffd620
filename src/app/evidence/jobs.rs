//! Evidence work off the UI thread: copying and hashing attached files, archiving a
//! source's page, and checking every item of a document on open. One attach or archive at
//! a time (the buttons wait while one runs); a newer check replaces an older one.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use crate::edit::Holder;
use crate::io::evidence::{self, AddOptions, Finding, Stored};
use crate::model::Document;

/// A finished piece of evidence work.
pub enum Finished {
    /// Files stored (or a page archived) for an event or source of a strip.
    Added {
        generation: u64,
        strip_id: String,
        holder: Holder,
        result: Result<Vec<Stored>, String>,
    },
    /// Every item of the document checked against the folder.
    Checked {
        generation: u64,
        folder: PathBuf,
        findings: Vec<Finding>,
        /// What was brought into the folder first, in words.
        brought: Option<String>,
    },
}

struct Adding {
    generation: u64,
    strip_id: String,
    holder: Holder,
    total: usize,
    done: Arc<AtomicUsize>,
    result: mpsc::Receiver<Result<Vec<Stored>, String>>,
}

struct Checking {
    generation: u64,
    folder: PathBuf,
    result: mpsc::Receiver<(Vec<Finding>, Option<String>)>,
}

/// What to bring into the folder before checking it.
#[derive(Debug, Default)]
pub struct Bring {
    /// The folder of the same document at its former place (saved elsewhere).
    pub carry: Option<PathBuf>,
    /// A GeoPackage that carries the files.
    pub restore: Option<PathBuf>,
}

#[derive(Default)]
pub struct Jobs {
    adding: Option<Adding>,
    checking: Option<Checking>,
}

impl Jobs {
    /// An attach or archive runs.
    pub fn busy(&self) -> bool {
        self.adding.is_some()
    }

    /// How far the attach or archive is: files done of all.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.adding
            .as_ref()
            .map(|a| (a.done.load(Ordering::Relaxed), a.total))
    }

    pub fn checking(&self) -> bool {
        self.checking.is_some()
    }

    /// Runs `work` on a thread of its own for an event or source of a strip (`total` files,
    /// `work` counting those done); refused while another attach or archive runs.
    fn start(
        &mut self,
        ctx: &egui::Context,
        (generation, strip_id, holder): (u64, String, Holder),
        total: usize,
        work: impl FnOnce(&AtomicUsize) -> Result<Vec<Stored>, String> + Send + 'static,
    ) -> bool {
        if self.adding.is_some() {
            return false;
        }
        let done = Arc::new(AtomicUsize::new(0));
        let (send, result) = mpsc::channel();
        let (count, ctx) = (Arc::clone(&done), ctx.clone());
        let spawned = std::thread::Builder::new()
            .name("pistas-evidence".into())
            .spawn(move || {
                // Ignored: the receiver is gone only when the window has closed; nobody waits.
                let _ = send.send(work(&count));
                ctx.request_repaint();
            });
        if spawned.is_err() {
            return false;
        }
        self.adding = Some(Adding {
            generation,
            strip_id,
            holder,
            total,
            done,
            result,
        });
        true
    }

    /// Copies and hashes `files` into `folder` in the background; refused while another
    /// attach runs.
    #[allow(clippy::too_many_arguments)]
    pub fn attach(
        &mut self,
        ctx: &egui::Context,
        generation: u64,
        strip_id: String,
        holder: Holder,
        folder: &Path,
        files: Vec<PathBuf>,
        options: AddOptions,
    ) -> bool {
        let folder = folder.to_path_buf();
        let repaint = ctx.clone();
        let total = files.len();
        self.start(ctx, (generation, strip_id, holder), total, move |done| {
            let mut stored = Vec::new();
            for file in files {
                stored.push(evidence::store(&folder, &file, &options)?);
                done.fetch_add(1, Ordering::Relaxed);
                repaint.request_repaint();
            }
            Ok(stored)
        })
    }

    /// Fetches `url` once and keeps its web archive in `folder`, for a source.
    pub fn archive(
        &mut self,
        ctx: &egui::Context,
        generation: u64,
        strip_id: String,
        holder: Holder,
        folder: &Path,
        url: String,
    ) -> bool {
        let folder = folder.to_path_buf();
        self.start(ctx, (generation, strip_id, holder), 1, move |_| {
            evidence::archive::archive(&folder, &url, false).map(|s| vec![s])
        })
    }

    /// Brings files into `folder` as `bring` says, then checks every item of `doc`
    /// against it, in the background.
    pub fn check(
        &mut self,
        ctx: &egui::Context,
        generation: u64,
        doc: Arc<Document>,
        folder: &Path,
        bring: Bring,
    ) {
        let (send, result) = mpsc::channel();
        let (dir, ctx) = (folder.to_path_buf(), ctx.clone());
        let spawned = std::thread::Builder::new()
            .name("pistas-verify".into())
            .spawn(move || {
                let brought = if let Some(from) = &bring.carry {
                    Some(evidence::embed::carry(&doc, from, &dir))
                } else {
                    bring
                        .restore
                        .as_ref()
                        .map(|gpkg| evidence::embed::restore(gpkg, &doc, &dir))
                };
                let said = brought.map(|b| match b {
                    Ok(c) if c.not_carried.is_empty() => format!(
                        "evidence: {} file(s) brought into {}",
                        c.files,
                        dir.display()
                    ),
                    Ok(c) => format!(
                        "evidence: {} file(s) brought into {}; not brought: {}",
                        c.files,
                        dir.display(),
                        c.not_carried.join("; ")
                    ),
                    Err(e) => format!("evidence not brought into {}: {e}", dir.display()),
                });
                // Ignored: the receiver is gone only when the window has closed; nobody waits.
                let _ = send.send((evidence::verify(&doc, &dir), said));
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.checking = Some(Checking {
                generation,
                folder: folder.to_path_buf(),
                result,
            });
        }
    }

    /// What finished since the last call.
    pub fn poll(&mut self) -> Vec<Finished> {
        let mut out = Vec::new();
        if let Some(a) = &self.adding {
            match a.result.try_recv() {
                Ok(result) => {
                    if let Some(a) = self.adding.take() {
                        out.push(Finished::Added {
                            generation: a.generation,
                            strip_id: a.strip_id,
                            holder: a.holder,
                            result,
                        });
                    }
                }
                Err(mpsc::TryRecvError::Disconnected) => {
                    if let Some(a) = self.adding.take() {
                        out.push(Finished::Added {
                            generation: a.generation,
                            strip_id: a.strip_id,
                            holder: a.holder,
                            result: Err("the copy stopped unexpectedly".to_owned()),
                        });
                    }
                }
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
        if let Some(c) = &self.checking {
            match c.result.try_recv() {
                Ok((findings, brought)) => {
                    if let Some(c) = self.checking.take() {
                        out.push(Finished::Checked {
                            generation: c.generation,
                            folder: c.folder,
                            findings,
                            brought,
                        });
                    }
                }
                Err(mpsc::TryRecvError::Disconnected) => self.checking = None,
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
        out
    }
}
