//! The sync report in the window: what the last sync did, shown on request.

use crate::app::PistasApp;
use crate::app::dialogs::sync_report_view::report_ui;
use crate::app::dialogs::team_view::ConflictReview;
use crate::app::state::overlays::Overlay;
use crate::app::state::team::LastSync;

impl PistasApp {
    /// The last sync's list; true to keep it open.
    pub(crate) fn sync_report_ui(&mut self, ctx: &egui::Context) -> bool {
        let lang = self.lang;
        let generation = self.doc.version().generation();
        // Borrowed, never copied: a first sync's report names every strip.
        let Some(LastSync {
            clock,
            report,
            backup,
        }) = self.team.link(generation).and_then(|l| l.last.as_ref())
        else {
            return false;
        };
        let (open, review) = report_ui(ctx, lang, clock, report, backup.as_ref());
        if review {
            self.overlays.close_conflicts();
            self.overlays
                .push(Overlay::SyncConflicts(Box::new(ConflictReview::new(
                    generation,
                    report.conflicts.clone(),
                ))));
        }
        open && !review
    }
}
