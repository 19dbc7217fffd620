//! The last sync's report, opened from the status bar: every strip sent and received
//! (added, changed or deleted, with its events), the conflicts a pick resolved and those
//! left, and the copy of the document as it was before the sync.

use crate::app::dialogs::team_view::part_label;
use crate::app::i18n::{Lang, T};
use crate::db::{ChangeKind, Keep, StripChange, SyncReport};

fn kind_text(lang: Lang, kind: ChangeKind) -> &'static str {
    lang.t(match kind {
        ChangeKind::Added => T::SyncAdded,
        ChangeKind::Changed => T::SyncChanged,
        ChangeKind::Deleted => T::SyncDeleted,
    })
}

/// The events a sync changed in a strip, only the counts that are not zero
/// (`events: 1 added, 2 deleted`).
fn events_text(lang: Lang, change: &StripChange) -> String {
    let e = change.events;
    let parts: Vec<String> = [
        (e.added, T::SyncEventsAdded),
        (e.changed, T::SyncEventsChanged),
        (e.deleted, T::SyncEventsDeleted),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, t)| lang.fill(*t, &[&n.to_string()]))
    .collect();
    if parts.is_empty() {
        return String::new();
    }
    lang.fill(T::SyncEvents, &[&parts.join(", ")])
}

/// The last sync's report as a window: what was sent, received and resolved, the conflicts
/// left, and the backup. Gives (still open, the person asked to review the conflicts).
pub(crate) fn report_ui(
    ctx: &egui::Context,
    lang: Lang,
    clock: &str,
    report: &SyncReport,
    backup: Option<&Result<std::path::PathBuf, String>>,
) -> (bool, bool) {
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
            if report.sent.is_empty() && report.received.is_empty() && report.resolved.is_empty() {
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
    (open, review)
}
