//! What sits above the window, as one stack: questions, messages, the merge review and the
//! export dialog. Escape closes the top one (the recovery question excepted: it protects
//! work and needs an answer); replacing the document closes the ones that belong to it.

use crate::app::actions::Action;
use crate::app::dialogs::export_view::ExportDialog;
use crate::app::dialogs::merge_view::MergeReview;
use crate::app::map;
use crate::app::state::document::Version;
use crate::app::state::recovery::Recovered;

pub enum Overlay {
    /// Unsaved changes: Save / Discard / Cancel, then do the action.
    Unsaved(Action),
    ConfirmDelete {
        index: usize,
        version: Version,
    },
    Recover(Recovered),
    Message(String),
    About,
    Shortcuts,
    /// The custom tile server dialog, with what is typed so far.
    CustomTiles {
        url: String,
        attribution: String,
        /// Why the last template was refused.
        error: Option<String>,
    },
    Merge(Box<MergeReview>),
    Export(Box<ExportDialog>),
    /// File ▸ Connect to database…, with what is typed so far.
    Connect {
        url: String,
        password: String,
        error: Option<String>,
        /// Just opened: the connection string takes the keyboard.
        fresh: bool,
    },
    /// The conflicts a sync left.
    SyncConflicts(Box<crate::app::dialogs::team_view::ConflictReview>),
    /// What the last sync did (it reads the link's report).
    SyncReport,
    /// A spreadsheet's preview, or a GeoPackage's layers, before the file is read.
    Import(Box<crate::app::dialogs::import_view::ImportDialog>),
}

impl Overlay {
    /// True when the overlay is about the document that is open (it closes when another
    /// document replaces it).
    fn of_document(&self) -> bool {
        matches!(
            self,
            Overlay::ConfirmDelete { .. }
                | Overlay::Merge(_)
                | Overlay::Export(_)
                | Overlay::SyncConflicts(_)
                | Overlay::SyncReport
        )
    }
}

#[derive(Default)]
pub struct Overlays {
    stack: Vec<Overlay>,
}

impl Overlays {
    pub fn push(&mut self, overlay: Overlay) {
        self.stack.push(overlay);
    }

    pub fn message(&mut self, text: impl Into<String>) {
        self.push(Overlay::Message(text.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    /// Closes the top overlay; false when there was none to close.
    pub fn escape(&mut self) -> bool {
        match self.stack.last() {
            None => false,
            Some(Overlay::Recover(_)) => true,
            Some(_) => {
                self.stack.pop();
                true
            }
        }
    }

    /// Another document replaced the open one.
    pub fn document_replaced(&mut self) {
        self.stack.retain(|o| !o.of_document());
    }

    pub fn asking_unsaved(&self) -> bool {
        self.stack.iter().any(|o| matches!(o, Overlay::Unsaved(_)))
    }

    pub fn recovering(&self) -> bool {
        self.stack.iter().any(|o| matches!(o, Overlay::Recover(_)))
    }

    /// The open merge review.
    pub fn merge(&self) -> Option<&MergeReview> {
        self.stack.iter().find_map(|o| match o {
            Overlay::Merge(m) => Some(&**m),
            _ => None,
        })
    }

    /// Closes the merge reviews and export dialogs of an imported layer that was removed.
    pub fn layer_removed(&mut self, key: u64) {
        self.stack.retain(|o| match o {
            Overlay::Merge(m) => m.key != key,
            Overlay::Export(d) => d.layer != Some(key),
            _ => true,
        });
    }

    /// Closes the conflicts review (a newer sync brings its own).
    pub fn close_conflicts(&mut self) {
        self.stack
            .retain(|o| !matches!(o, Overlay::SyncConflicts(_)));
    }

    /// Opens the last sync's report (once).
    pub fn show_sync_report(&mut self) {
        self.stack.retain(|o| !matches!(o, Overlay::SyncReport));
        self.push(Overlay::SyncReport);
    }

    /// Opens a merge review, replacing an open one.
    pub fn show_merge(&mut self, review: MergeReview) {
        self.stack.retain(|o| !matches!(o, Overlay::Merge(_)));
        self.push(Overlay::Merge(Box::new(review)));
    }

    pub(crate) fn take(&mut self) -> Vec<Overlay> {
        std::mem::take(&mut self.stack)
    }

    /// Puts back what was shown, below what was opened while showing it.
    pub(crate) fn restore(&mut self, mut kept: Vec<Overlay>) {
        kept.append(&mut self.stack);
        self.stack = kept;
    }
}

pub(crate) fn basemap_credits() -> String {
    format!(
        "{}\n{}",
        map::basemap::ATTRIBUTION,
        "Natural Earth (public domain); GSHHG/WDBII rivers, LGPL-3.0-or-later; GeoNames towns, CC BY 4.0; OurAirports aerodromes, public domain."
    )
}
