//! The sync report in the window: what the last sync did, shown on request.

use crate::app::PistasApp;
use crate::app::dialogs::sync_report_view::{events_text, kind_text};
use crate::app::dialogs::team_view::{ConflictReview, part_label};
use crate::app::i18n::T;
use crate::app::state::overlays::Overlay;
use crate::app::state::team::LastSync;
use crate::db::{Keep, StripChange};

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
        let mut open = true;
        let mut review = false;
        egui::Window::new(lang.fill(T::SyncReportTitle, &[clock]))
            .id(egui::Id::unique("pistas-sync-report"))
            .open(&mut open)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .collapsible(false)
            .default_width(520.0)
            .max_height(ctx.content_rect().height() * 0.8)
            .show(ctx, |ui| {
                ui.label(report.summary());
                if report.sent.is_empty()
                    && report.received.is_empty()
                    && report.resolved.is_empty()
                {
                    ui.weak(lang.t(T::SyncNothing));
                }
                // Only the rows on screen are laid out (a first sync lists every strip).
                let changes: Vec<(T, &StripChange)> = report
                    .sent
                    .iter()
                    .map(|c| (T::SyncSentTo, c))
                    .chain(report.received.iter().map(|c| (T::SyncReceivedFrom, c)))
                    .collect();
                let rows = changes.len() + report.resolved.len();
                let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
                egui::ScrollArea::vertical()
                    .max_height(ctx.content_rect().height() * 0.5)
                    .show_rows(ui, row_height, rows, |ui, range| {
                        egui::Grid::new("sync-report-rows")
                            .num_columns(4)
                            .striped(true)
                            .show(ui, |ui| {
                                for row in range {
                                    match changes.get(row) {
                                        Some((way, change)) => {
                                            ui.label(lang.t(*way));
                                            ui.label(format!("{} ({})", change.label, change.id));
                                            ui.label(kind_text(lang, change.kind));
                                            ui.label(events_text(lang, change));
                                        }
                                        None => {
                                            let r = &report.resolved[row - changes.len()];
                                            ui.label(lang.t(T::SyncResolved));
                                            ui.label(format!("{} ({})", r.label, r.strip));
                                            ui.label(part_label(lang, &r.part));
                                            ui.label(lang.t(match r.kept {
                                                Keep::Mine => T::Mine,
                                                Keep::Theirs => T::Theirs,
                                            }));
                                        }
                                    }
                                    ui.end_row();
                                }
                            });
                    });
                if !report.conflicts.is_empty() {
                    let n: usize = report.conflicts.iter().map(|c| c.conflicts.len()).sum();
                    if ui
                        .button(lang.fill(T::ConflictsButton, &[&n.to_string()]))
                        .clicked()
                    {
                        review = true;
                    }
                }
                match &backup {
                    Some(Ok(path)) => {
                        ui.label(lang.t(T::SyncBackup));
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(path.display().to_string()).monospace(),
                            )
                            .selectable(true),
                        );
                    }
                    Some(Err(e)) => {
                        ui.colored_label(
                            crate::app::theme::WARNING_TEXT,
                            lang.fill(T::SyncBackupFailed, &[e]),
                        );
                    }
                    None => {}
                }
            });
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
