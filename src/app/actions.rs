//! One enum of everything a person can ask the window to do. Menus, shortcuts and buttons
//! all read their text and keys from here, so a shortcut is never defined twice.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::i18n::{Lang, T};
use super::map::BasemapChoice;
use crate::io::Format;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    New,
    Open,
    OpenPath(PathBuf),
    Save,
    SaveAs,
    Export(Format),
    ExportFiltered(Format),
    /// The Export… dialog.
    ExportDialog,
    ExportMapPng,
    /// File ▸ Export dossier… (the selected strip, else the strips shown).
    ExportDossier,
    /// File ▸ Publish as web map….
    PublishWebMap,
    ImportLayer,
    SaveProject,
    /// File ▸ Connect to database….
    ConnectDatabase,
    /// Send and receive changes of the linked database now.
    SyncDatabase,
    Quit,
    Undo,
    Redo,
    AddPoint,
    AddRunway,
    Delete,
    Escape,
    FitToData,
    ToggleLabels,
    Basemap(BasemapChoice),
    OpenPmtiles,
    /// The custom tile server dialog.
    CustomTiles,
    Language(Lang),
    /// Show or hide the layers and filters panel.
    ToggleSidebar,
    /// Show or hide the inspector (it shows only with a selection).
    ToggleInspector,
    /// Help ▸ Keyboard shortcuts.
    Shortcuts,
    About,
}

impl Action {
    /// The menu text.
    pub fn text(&self, lang: Lang) -> String {
        let key = match self {
            Action::New => T::New,
            Action::Open => T::Open,
            Action::OpenPath(p) => return p.display().to_string(),
            Action::Save => T::Save,
            Action::SaveAs => T::SaveAs,
            Action::Export(f) | Action::ExportFiltered(f) => return lang.format(*f).to_owned(),
            Action::ExportDialog => T::ExportButton,
            Action::ExportMapPng => T::ExportMapPng,
            Action::ExportDossier => T::ExportDossier,
            Action::PublishWebMap => T::PublishWebMap,
            Action::ImportLayer => T::ImportLayer,
            Action::SaveProject => T::SaveProject,
            Action::ConnectDatabase => T::ConnectMenu,
            Action::SyncDatabase => T::SyncMenu,
            Action::Quit => T::Quit,
            Action::Undo => T::Undo,
            Action::Redo => T::Redo,
            Action::AddPoint => T::AddPoint,
            Action::AddRunway => T::AddRunway,
            Action::Delete => T::DeleteStrip,
            Action::Escape => T::Cancel,
            Action::FitToData => T::FitToData,
            Action::ToggleLabels => T::Labels,
            Action::Basemap(BasemapChoice::Offline) => T::BasemapOffline,
            Action::Basemap(BasemapChoice::OpenStreetMap) => T::BasemapOsm,
            Action::Basemap(BasemapChoice::PmTiles(_)) | Action::OpenPmtiles => T::OpenPmtiles,
            Action::Basemap(BasemapChoice::Imagery(provider)) => return provider.name().to_owned(),
            Action::Basemap(BasemapChoice::Custom { .. }) | Action::CustomTiles => T::CustomTiles,
            Action::Language(Lang::En) => return "English".to_owned(),
            Action::Language(Lang::Es) => return "Español".to_owned(),
            Action::ToggleSidebar => T::PanelLayers,
            Action::ToggleInspector => T::PanelInspector,
            Action::Shortcuts => T::Shortcuts,
            Action::About => T::About,
        };
        lang.t(key).to_owned()
    }

    /// The keyboard shortcuts that trigger the action (the first is shown in menus).
    pub fn shortcuts(&self) -> Vec<KeyboardShortcut> {
        const CTRL: Modifiers = Modifiers::COMMAND;
        const CTRL_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
        match self {
            Action::New => vec![KeyboardShortcut::new(CTRL, Key::N)],
            Action::Open => vec![KeyboardShortcut::new(CTRL, Key::O)],
            Action::ImportLayer => vec![KeyboardShortcut::new(CTRL, Key::I)],
            Action::ExportDialog => vec![KeyboardShortcut::new(CTRL, Key::E)],
            Action::Save => vec![KeyboardShortcut::new(CTRL, Key::S)],
            Action::SaveAs => vec![KeyboardShortcut::new(CTRL_SHIFT, Key::S)],
            Action::Quit => vec![KeyboardShortcut::new(CTRL, Key::Q)],
            Action::Undo => vec![KeyboardShortcut::new(CTRL, Key::Z)],
            Action::Redo => vec![
                KeyboardShortcut::new(CTRL_SHIFT, Key::Z),
                KeyboardShortcut::new(CTRL, Key::Y),
            ],
            Action::Delete => vec![KeyboardShortcut::new(Modifiers::NONE, Key::Delete)],
            Action::Escape => vec![KeyboardShortcut::new(Modifiers::NONE, Key::Escape)],
            Action::FitToData => vec![KeyboardShortcut::new(CTRL, Key::Num0)],
            Action::ToggleSidebar => vec![KeyboardShortcut::new(CTRL_SHIFT, Key::L)],
            Action::ToggleInspector => vec![KeyboardShortcut::new(CTRL_SHIFT, Key::I)],
            Action::Shortcuts => vec![KeyboardShortcut::new(Modifiers::NONE, Key::F1)],
            Action::SyncDatabase => vec![KeyboardShortcut::new(Modifiers::NONE, Key::F5)],
            _ => vec![],
        }
    }

    /// Actions whose shortcuts work anywhere in the window; the others only when no text
    /// field has the keyboard (so Delete and Ctrl+Z edit the text being typed).
    pub fn global(&self) -> bool {
        matches!(
            self,
            Action::New
                | Action::Open
                | Action::ImportLayer
                | Action::ExportDialog
                | Action::Save
                | Action::SaveAs
                | Action::Quit
                | Action::FitToData
                | Action::ToggleSidebar
                | Action::ToggleInspector
                | Action::Shortcuts
                | Action::SyncDatabase
        )
    }

    /// Every action that has a shortcut.
    /// The actions with shortcuts as Help ▸ Keyboard shortcuts lists them: by menu (File,
    /// Edit, View, database), each menu in its own order (Save before Save As, Undo before
    /// Redo).
    pub fn in_help_order() -> [Action; 16] {
        [
            Action::New,
            Action::Open,
            Action::Save,
            Action::SaveAs,
            Action::ImportLayer,
            Action::ExportDialog,
            Action::Quit,
            Action::Undo,
            Action::Redo,
            Action::Delete,
            Action::Escape,
            Action::FitToData,
            Action::ToggleSidebar,
            Action::ToggleInspector,
            Action::Shortcuts,
            Action::SyncDatabase,
        ]
    }

    pub fn with_shortcuts() -> [Action; 16] {
        // The more specific shortcut first: egui matches Ctrl+Z when Ctrl+Shift+Z is pressed,
        // and Ctrl+I when Ctrl+Shift+I is.
        [
            Action::New,
            Action::Open,
            Action::ToggleInspector,
            Action::ToggleSidebar,
            Action::ImportLayer,
            Action::ExportDialog,
            Action::SaveAs,
            Action::Save,
            Action::Quit,
            Action::Redo,
            Action::Undo,
            Action::Delete,
            Action::Escape,
            Action::FitToData,
            Action::Shortcuts,
            Action::SyncDatabase,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_shortcut_once_in_menu_order() {
        let help = Action::in_help_order();
        for action in Action::with_shortcuts() {
            assert_eq!(
                help.iter().filter(|a| **a == action).count(),
                1,
                "{action:?}"
            );
        }
        let at = |a: Action| help.iter().position(|h| *h == a).unwrap_or(usize::MAX);
        assert!(at(Action::Save) < at(Action::SaveAs));
        assert!(at(Action::Undo) < at(Action::Redo));
        assert!(at(Action::Quit) < at(Action::Undo), "File before Edit");
    }
}
