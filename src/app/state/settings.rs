//! What the window remembers between sessions, kept in eframe's storage.

use std::path::PathBuf;

use crate::app::i18n::Lang;
use crate::app::map::BasemapChoice;

/// The storage key; bump `VERSION` when the meaning of a field changes.
pub const KEY: &str = "pistas-settings";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub version: u32,
    /// `None`: follow the system language.
    pub lang: Option<Lang>,
    pub recent: Vec<PathBuf>,
    pub last_file: Option<PathBuf>,
    /// Longitude, latitude and zoom of the map.
    pub view: Option<(f64, f64, f64)>,
    pub basemap: BasemapChoice,
    pub labels: bool,
    /// The layers and filters panel is shown.
    pub sidebar: bool,
    /// The inspector is shown when something is selected.
    pub inspector: bool,
    /// The map's legend is unfolded.
    pub legend_open: bool,
    /// The embedded context layers are drawn over online tiles too.
    pub context_over_tiles: bool,
    /// The table's property columns per file (the last 50 files).
    pub table_columns: Vec<(PathBuf, Vec<String>)>,
    /// The Export… dialog's last choices.
    pub export: crate::app::dialogs::export_view::ExportChoices,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: VERSION,
            lang: None,
            recent: Vec::new(),
            last_file: None,
            view: None,
            basemap: BasemapChoice::Offline,
            labels: true,
            sidebar: true,
            inspector: true,
            legend_open: true,
            context_over_tiles: true,
            table_columns: Vec::new(),
            export: Default::default(),
        }
    }
}

impl Settings {
    /// Settings from storage; defaults when missing or from another version.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        storage
            .and_then(|s| eframe::get_value::<Settings>(s, KEY))
            .filter(|s| s.version == VERSION)
            .unwrap_or_default()
    }
}
