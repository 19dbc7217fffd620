//! File ▸ Export dossier… and File ▸ Publish as web map…: the stories of the command line,
//! made in the background from the working document (the selected strip, else the strips
//! the filters show), in the window's language, at the timeline's date.

use std::path::PathBuf;
use std::sync::mpsc;

/// A story being written: where, and its outcome when done.
#[derive(Default)]
pub struct StoryJob {
    pub(crate) running: Option<mpsc::Receiver<Result<PathBuf, String>>>,
}

impl StoryJob {
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }
}
