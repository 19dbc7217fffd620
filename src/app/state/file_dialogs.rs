//! File dialogs behind a trait: the desktop's through rfd (with what the in-window picker
//! needs when the desktop shows none), and scripted answers for tests.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::io::Format;

/// A dialog the window asked for, as the in-window picker needs to ask it again.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Files to open: what they are (for the filter), their extensions, one or several.
    Open {
        what: String,
        extensions: Vec<String>,
        many: bool,
    },
    /// Where to save, suggesting `name`.
    Save {
        name: String,
        what: String,
        extension: String,
    },
}

/// What the window asks of file dialogs. The real one is rfd; tests script the answers.
pub trait FileDialogs {
    /// A GeoJSON file to open.
    fn open_geojson(&mut self) -> Option<PathBuf>;
    /// Where to save or export, suggesting `name`.
    fn save_as(&mut self, name: &str, format: Format) -> Option<PathBuf>;
    /// A `.pmtiles` file to use as basemap.
    fn open_pmtiles(&mut self) -> Option<PathBuf>;
    /// GeoJSON files to import as layers (several at once).
    fn open_layers(&mut self) -> Vec<PathBuf>;
    /// Where to save a file that is not an export format: `what` names the kind of file
    /// (for the filter), `ext` its extension.
    fn save_file(&mut self, name: &str, what: &str, ext: &str) -> Option<PathBuf>;
    /// Files to attach as evidence (images, PDFs, saved pages, web archives).
    fn open_evidence(&mut self) -> Vec<PathBuf>;
    /// The dialog asked for last, when the desktop could not show it (no XDG desktop
    /// portal, no zenity): the window then asks with its own picker. Taken once.
    fn unavailable(&mut self) -> Option<Request> {
        None
    }
    /// What the next dialog answers without showing itself, when it asks `request` again:
    /// the in-window picker's choice, handed to the command that asked. Another dialog
    /// asked first drops it (a file picked for evidence is never a Save As's answer).
    fn answer_next(&mut self, _request: Request, _paths: Vec<PathBuf>) {}
}

/// The in-window picker's answer, for the request it answers.
type Preset = (Request, Vec<PathBuf>);

/// A dialog that closes this fast was never shown: nobody cancels in a fifth of a second.
const UNSHOWN: std::time::Duration = std::time::Duration::from_millis(200);

/// Native dialogs through rfd, with what the in-window picker needs when the desktop has
/// none to show.
#[derive(Default)]
pub struct NativeDialogs {
    preset: Option<Preset>,
    unavailable: Option<Request>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl NativeDialogs {
    /// Shows a dialog through `show` unless an answer is waiting; a dialog that returns
    /// nothing at once was not shown, and `request` is kept for the in-window picker.
    fn ask(&mut self, request: Request, show: impl FnOnce() -> Vec<PathBuf>) -> Vec<PathBuf> {
        if let Some((asked, answer)) = self.preset.take()
            && asked == request
        {
            return answer;
        }
        let start = std::time::Instant::now();
        let answer = show();
        if answer.is_empty() && start.elapsed() < UNSHOWN {
            self.unavailable = Some(request);
        }
        answer
    }

    fn open(&mut self, what: &str, extensions: &[&str], many: bool) -> Vec<PathBuf> {
        let request = Request::Open {
            what: what.to_owned(),
            extensions: strings(extensions),
            many,
        };
        self.ask(request, || {
            let dialog = rfd::FileDialog::new()
                .add_filter(what, extensions)
                .add_filter("*", &["*"]);
            if many {
                dialog.pick_files().unwrap_or_default()
            } else {
                dialog.pick_file().into_iter().collect()
            }
        })
    }

    fn save(&mut self, name: &str, what: &str, extension: &str) -> Option<PathBuf> {
        let request = Request::Save {
            name: name.to_owned(),
            what: what.to_owned(),
            extension: extension.to_owned(),
        };
        self.ask(request, || {
            rfd::FileDialog::new()
                .set_file_name(name)
                .add_filter(what, &[extension])
                .save_file()
                .into_iter()
                .collect()
        })
        .into_iter()
        .next()
    }
}

impl FileDialogs for NativeDialogs {
    fn open_geojson(&mut self) -> Option<PathBuf> {
        self.open(
            "GeoJSON, CSV, KML/KMZ, GeoPackage, FlatGeobuf or Pistas project",
            &crate::io::import::EXTENSIONS,
            false,
        )
        .into_iter()
        .next()
    }

    fn open_layers(&mut self) -> Vec<PathBuf> {
        self.open(
            "GeoJSON, CSV, KML/KMZ, GeoPackage, FlatGeobuf",
            &crate::io::import::EXTENSIONS[..9],
            true,
        )
    }

    fn save_file(&mut self, name: &str, what: &str, ext: &str) -> Option<PathBuf> {
        self.save(name, what, ext)
    }

    fn save_as(&mut self, name: &str, format: Format) -> Option<PathBuf> {
        self.save(name, format.name(), extension(format))
    }

    fn open_pmtiles(&mut self) -> Option<PathBuf> {
        self.open("PMTiles", &["pmtiles"], false).into_iter().next()
    }

    fn open_evidence(&mut self) -> Vec<PathBuf> {
        self.open(
            "Images, PDF, saved pages, web archives",
            &crate::app::evidence::EXTENSIONS,
            true,
        )
    }

    fn unavailable(&mut self) -> Option<Request> {
        self.unavailable.take()
    }

    fn answer_next(&mut self, request: Request, paths: Vec<PathBuf>) {
        self.preset = Some((request, paths));
    }
}

/// The usual file extension of an export format.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::GeoJson | Format::EventsGeoJson => "geojson",
        Format::StripsCsv | Format::EventsCsv => "csv",
        Format::Kml => "kml",
        Format::GeoPackage => "gpkg",
        Format::FlatGeobuf | Format::EventsFlatGeobuf => "fgb",
    }
}

/// Dialog answers queued by a test; an empty queue is a cancelled dialog. Made
/// [`ScriptedDialogs::without_native`], it plays a desktop with no file dialog: every
/// dialog is unavailable, and only the in-window picker's answers come back.
#[derive(Clone, Default)]
pub struct ScriptedDialogs {
    answers: Arc<Mutex<VecDeque<PathBuf>>>,
    without_native: bool,
    preset: Arc<Mutex<Option<Preset>>>,
    unavailable: Arc<Mutex<Option<Request>>>,
}

impl ScriptedDialogs {
    /// Dialogs of a desktop that has none to show.
    pub fn without_native() -> Self {
        ScriptedDialogs {
            without_native: true,
            ..ScriptedDialogs::default()
        }
    }

    /// The answer for `request`: the picker's preset, else the queue, else (without
    /// native dialogs) nothing, and the request is kept as unavailable.
    fn answer(&self, request: Request, many: bool) -> Vec<PathBuf> {
        if let Some((asked, answer)) = self.preset.lock().ok().and_then(|mut p| p.take())
            && asked == request
        {
            return answer;
        }
        if self.without_native {
            if let Ok(mut u) = self.unavailable.lock() {
                *u = Some(request);
            }
            return Vec::new();
        }
        if many {
            std::iter::from_fn(|| self.next()).collect()
        } else {
            self.next().into_iter().collect()
        }
    }

    /// Queues the path the next dialog returns.
    pub fn push(&self, path: impl Into<PathBuf>) {
        if let Ok(mut q) = self.answers.lock() {
            q.push_back(path.into());
        }
    }

    fn next(&self) -> Option<PathBuf> {
        self.answers.lock().ok()?.pop_front()
    }
}

impl FileDialogs for ScriptedDialogs {
    fn open_geojson(&mut self) -> Option<PathBuf> {
        let request = Request::Open {
            what: "GeoJSON".into(),
            extensions: strings(&crate::io::import::EXTENSIONS),
            many: false,
        };
        self.answer(request, false).into_iter().next()
    }
    fn save_as(&mut self, name: &str, format: Format) -> Option<PathBuf> {
        let request = Request::Save {
            name: name.to_owned(),
            what: format.name().to_owned(),
            extension: extension(format).to_owned(),
        };
        self.answer(request, false).into_iter().next()
    }
    fn open_pmtiles(&mut self) -> Option<PathBuf> {
        let request = Request::Open {
            what: "PMTiles".into(),
            extensions: strings(&["pmtiles"]),
            many: false,
        };
        self.answer(request, false).into_iter().next()
    }
    /// Every queued answer: a test queues the files it "selects" together.
    fn open_layers(&mut self) -> Vec<PathBuf> {
        let request = Request::Open {
            what: "layers".into(),
            extensions: strings(&crate::io::import::EXTENSIONS[..9]),
            many: true,
        };
        self.answer(request, true)
    }
    fn save_file(&mut self, name: &str, what: &str, ext: &str) -> Option<PathBuf> {
        let request = Request::Save {
            name: name.to_owned(),
            what: what.to_owned(),
            extension: ext.to_owned(),
        };
        self.answer(request, false).into_iter().next()
    }
    fn open_evidence(&mut self) -> Vec<PathBuf> {
        let request = Request::Open {
            what: "evidence".into(),
            extensions: strings(&crate::app::evidence::EXTENSIONS),
            many: true,
        };
        self.answer(request, true)
    }
    fn unavailable(&mut self) -> Option<Request> {
        self.unavailable.lock().ok()?.take()
    }
    fn answer_next(&mut self, request: Request, paths: Vec<PathBuf>) {
        if let Ok(mut p) = self.preset.lock() {
            *p = Some((request, paths));
        }
    }
}
