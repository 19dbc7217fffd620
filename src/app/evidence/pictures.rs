//! Evidence pictures for the window: decoded off the UI thread by a few workers, newest
//! request first (what is on screen now), kept as textures by hash and size, the least
//! recently shown dropped past a budget of each size.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, mpsc};

use crate::io::evidence::media::{self, Kind, Picture};

/// The sizes pictures are decoded at (the longest side, in pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Size {
    /// Under each event in the inspector.
    Thumb,
    /// On the map, small on screen.
    MapSmall,
    /// On the map, large on screen.
    Map,
    /// In the viewer and the comparison.
    Full,
}

impl Size {
    pub fn pixels(self) -> u32 {
        match self {
            Size::Thumb => 160,
            Size::MapSmall => 256,
            Size::Map => 1024,
            Size::Full => 2048,
        }
    }

    /// How many of this size are kept.
    fn budget(self) -> usize {
        match self {
            Size::Thumb => 600,
            // Twice 300 images in view: playing the timeline back and forth between two
            // dates keeps both sets.
            Size::MapSmall => 600,
            Size::Map => 24,
            Size::Full => 6,
        }
    }
}

/// A picture's state.
pub enum Slot {
    Pending,
    Ready(egui::TextureHandle),
    Failed(String),
}

struct Request {
    key: (String, Size),
    file: PathBuf,
    kind: Kind,
}

/// Requests waiting, and whether the cache is gone (the workers then end).
type Queue = Arc<(Mutex<(Vec<Request>, bool)>, Condvar)>;

/// A decoded picture (or why not) for its key.
type Decoded = ((String, Size), Result<Picture, String>);

/// The cache and its workers.
pub struct Pictures {
    slots: HashMap<(String, Size), (Slot, u64)>,
    queue: Queue,
    done: mpsc::Receiver<Decoded>,
    send: mpsc::Sender<Decoded>,
    /// The workers start with the first request.
    started: bool,
    frame: u64,
}

impl Drop for Pictures {
    fn drop(&mut self) {
        let (lock, wake) = &*self.queue;
        if let Ok(mut queue) = lock.lock() {
            queue.1 = true;
        }
        wake.notify_all();
    }
}

impl Default for Pictures {
    fn default() -> Self {
        Self::new()
    }
}

impl Pictures {
    pub fn new() -> Self {
        let (send, done) = mpsc::channel();
        Pictures {
            slots: HashMap::new(),
            queue: Arc::new((Mutex::new((Vec::new(), false)), Condvar::new())),
            done,
            send,
            started: false,
            frame: 0,
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        self.started = true;
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 3);
        for n in 0..workers {
            let queue = Arc::clone(&self.queue);
            let send = self.send.clone();
            let ctx = ctx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("pistas-pictures-{n}"))
                .spawn(move || work(&queue, &send, &ctx));
            if spawned.is_err() {
                break;
            }
        }
    }

    /// Takes in decoded pictures and drops the least recently shown past each budget;
    /// called once a frame.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.frame += 1;
        while let Ok((key, result)) = self.done.try_recv() {
            let slot = match result {
                Ok(p) => {
                    let image = egui::ColorImage::from_rgba_unmultiplied(
                        [p.width as usize, p.height as usize],
                        &p.rgba,
                    );
                    let name = format!("evidence-{}-{:?}", key.0, key.1);
                    Slot::Ready(ctx.load_texture(name, image, egui::TextureOptions::LINEAR))
                }
                Err(e) => Slot::Failed(e),
            };
            if let Some(entry) = self.slots.get_mut(&key) {
                entry.0 = slot;
            }
        }
        for size in [Size::Thumb, Size::MapSmall, Size::Map, Size::Full] {
            let mut of_size: Vec<(u64, (String, Size))> = self
                .slots
                .iter()
                .filter(|(k, _)| k.1 == size)
                .map(|(k, (_, used))| (*used, k.clone()))
                .collect();
            if of_size.len() <= size.budget() {
                continue;
            }
            of_size.sort();
            let over = of_size.len() - size.budget();
            for (used, key) in of_size.into_iter().take(over) {
                // What was shown this frame stays.
                if used < self.frame {
                    self.slots.remove(&key);
                }
            }
        }
    }

    /// The picture of the file with this hash at this size: asked for when it is not yet.
    pub fn get(
        &mut self,
        ctx: &egui::Context,
        sha256: &str,
        size: Size,
        file: &std::path::Path,
        kind: Kind,
    ) -> &Slot {
        let key = (sha256.to_owned(), size);
        let frame = self.frame;
        if !self.slots.contains_key(&key) {
            if !self.started {
                self.start(ctx);
            }
            let (lock, wake) = &*self.queue;
            if let Ok(mut queue) = lock.lock() {
                queue.0.push(Request {
                    key: key.clone(),
                    file: file.to_path_buf(),
                    kind,
                });
                wake.notify_one();
            }
        }
        let entry = self.slots.entry(key).or_insert((Slot::Pending, frame));
        entry.1 = frame;
        &entry.0
    }

    /// How many are still being decoded.
    pub fn pending(&self) -> usize {
        self.slots
            .values()
            .filter(|(s, _)| matches!(s, Slot::Pending))
            .count()
    }
}

fn work(queue: &Queue, send: &mpsc::Sender<Decoded>, ctx: &egui::Context) {
    loop {
        let request = {
            let (lock, wake) = &**queue;
            let Ok(mut guard) = lock.lock() else {
                return;
            };
            loop {
                if guard.1 {
                    return;
                }
                // Newest first: what is on screen now.
                if let Some(r) = guard.0.pop() {
                    break r;
                }
                guard = match wake.wait(guard) {
                    Ok(g) => g,
                    Err(_) => return,
                };
            }
        };
        let pixels = request.key.1.pixels();
        let result = match request.kind {
            Kind::Image => media::decode_image(&request.file, pixels),
            Kind::Pdf => media::pdf_first_page(&request.file, pixels),
            _ => Err("no picture".to_owned()),
        };
        if send.send((request.key, result)).is_err() {
            return;
        }
        ctx.request_repaint();
    }
}

/// The largest rectangle of `size`'s proportions centred in `within`.
pub fn fit(size: egui::Vec2, within: egui::Rect) -> egui::Rect {
    if size.x <= 0.0 || size.y <= 0.0 {
        return within;
    }
    let scale = (within.width() / size.x).min(within.height() / size.y);
    egui::Rect::from_center_size(within.center(), size * scale)
}
