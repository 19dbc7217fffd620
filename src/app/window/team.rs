//! The team in the window: connecting to the shared database, syncing in the background,
//! and the conflicts a sync left for the person to settle.

use crate::app::dialogs::team_view::{ConflictReview, ReviewAnswer};
use crate::app::i18n::T;
use crate::app::state::overlays::Overlay;
use crate::app::{PistasApp, theme};
use crate::db::{Picks, Progress, Target};

impl PistasApp {
    /// The Connect dialog; true to keep it open.
    pub(crate) fn connect_ui(
        &mut self,
        ctx: &egui::Context,
        (url, password, error, fresh): (&mut String, &mut String, &mut Option<String>, &mut bool),
        depth: usize,
    ) -> bool {
        let lang = self.lang;
        let mut keep = true;
        egui::Modal::new(egui::Id::unique(("pistas-modal", depth))).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(lang.t(T::ConnectTitle));
            ui.label(egui::RichText::new(lang.t(T::ConnectHelp)).small());
            egui::Grid::new("connect").num_columns(2).show(ui, |ui| {
                let l = ui.label(lang.t(T::ConnectUrl));
                let field = ui
                    .add(
                        egui::TextEdit::singleline(url)
                            .hint_text("host=db.example dbname=vraem user=ana sslmode=require")
                            .desired_width(380.0),
                    )
                    .labelled_by(l.id);
                // Typing goes to the connection string as soon as the dialog opens.
                // (A new modal takes a few frames to show: ask until it has the focus.)
                if *fresh {
                    if field.has_focus() {
                        *fresh = false;
                    } else {
                        field.request_focus();
                    }
                }
                ui.end_row();
                let l = ui.label(lang.t(T::ConnectPassword));
                ui.add(
                    egui::TextEdit::singleline(password)
                        .password(true)
                        .hint_text(lang.t(T::ConnectPasswordHint))
                        .desired_width(380.0),
                )
                .labelled_by(l.id);
                ui.end_row();
            });
            if let Some(e) = error.as_ref() {
                ui.colored_label(theme::ERROR_TEXT, e.as_str());
            }
            ui.label(egui::RichText::new(lang.t(T::ConnectMerges)).small());
            ui.horizontal(|ui| {
                if ui.button(lang.t(T::ConnectButton)).clicked() {
                    let parsed = if url.trim().is_empty() {
                        Err(lang.t(T::ConnectEmpty).to_owned())
                    } else {
                        Target::parse(url).map_err(|e| e.to_string())
                    };
                    match parsed {
                        Ok(mut target) => {
                            if password.is_empty() {
                                target.password_from_environment();
                            } else {
                                target.set_password(password);
                            }
                            keep = false;
                            let generation = self.doc.version().generation();
                            let path = self.doc.path.clone();
                            match self.team.connect(target, generation, path.as_deref()) {
                                Ok(()) => self.start_sync(Picks::default()),
                                Err(e) => self.overlays.message(e),
                            }
                        }
                        Err(e) => *error = Some(e),
                    }
                }
                if ui.button(lang.t(T::Cancel)).clicked() {
                    keep = false;
                }
            });
        });
        keep
    }

    /// Starts a sync of the working layer, if it is linked.
    pub(crate) fn start_sync(&mut self, picks: Picks) {
        self.start_sync_as(picks, false);
    }

    /// `automatic`: started by the timer (a failure then only shows in the status bar).
    fn start_sync_as(&mut self, picks: Picks, automatic: bool) {
        let generation = self.doc.version().generation();
        if self.team.link(generation).is_some()
            && let Some(command) = crate::db::apply::keep_given_ids(self.doc.document())
        {
            self.edit(|e| e.apply(command));
        }
        if !self.team.sync(
            self.doc.document(),
            generation,
            picks,
            automatic,
            self.path().map(std::path::Path::to_path_buf),
        ) && self.team.link(generation).is_none()
        {
            self.overlays.message(self.lang.t(T::NotConnected));
        }
    }

    /// Brings a finished sync into the document, and starts one when it is due.
    pub(crate) fn poll_team(&mut self, ctx: &egui::Context) {
        let generation = self.doc.version().generation();
        for failure in self.team.take_store_failures() {
            self.overlays
                .message(format!("{}: {failure}", self.lang.t(T::SyncStateNotStored)));
        }
        if let Some(done) = self.team.poll(generation) {
            match done.result {
                Ok(finished) => {
                    let synced = finished.synced;
                    let applied =
                        crate::db::apply::apply(&done.before, self.doc.document(), &synced);
                    let members = self.doc.document().foreign().clone();
                    if let Some(Err(e)) = &finished.backup {
                        self.overlays
                            .message(self.lang.fill(T::SyncBackupFailed, &[e]));
                    }
                    self.team
                        .synced(generation, &synced, finished.backup, &members);
                    if !applied.command.changes.is_empty() {
                        let command = applied.command;
                        self.edit(|e| e.apply(command));
                    }
                    let report = synced.report;
                    let mut text = self.lang.fill(
                        T::SyncedNotice,
                        &[
                            &report.sent.len().to_string(),
                            &report.received.len().to_string(),
                        ],
                    );
                    if !report.received.is_empty() {
                        let names: Vec<&str> = report
                            .received
                            .iter()
                            .take(3)
                            .map(|c| c.label.as_str())
                            .collect();
                        text.push_str(&format!(": {}", names.join(", ")));
                        if report.received.len() > 3 {
                            text.push_str(&format!(" (+{})", report.received.len() - 3));
                        }
                    }
                    self.notice = Some(text);
                    let conflicts = report.conflicts.clone();
                    self.overlays.close_conflicts();
                    if !conflicts.is_empty() {
                        self.overlays
                            .push(Overlay::SyncConflicts(Box::new(ConflictReview::new(
                                generation, conflicts,
                            ))));
                    }
                }
                // Offline, the timer's syncs fail quietly: the work stays here, and the
                // status bar says why it was not sent.
                Err(e) if done.automatic => {
                    self.notice = Some(format!("{}: {e}", self.lang.t(T::SyncOffline)));
                }
                Err(e) => {
                    // A first sync that fails links nothing.
                    self.team.forget_unsynced(generation);
                    self.overlays
                        .message(format!("{}: {e}", self.lang.t(T::SyncFailed)));
                }
            }
        }
        if self.team.auto_due(generation) && self.overlays.is_empty() {
            self.start_sync_as(Picks::default(), true);
        }
        if self.team.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        } else if self.team.link(generation).is_some()
            && let Some(wait) = self.team.until_auto()
        {
            ctx.request_repaint_after(wait);
        }
    }

    /// The conflicts review; true to keep it open.
    pub(crate) fn conflicts_ui(
        &mut self,
        ctx: &egui::Context,
        review: &mut ConflictReview,
        depth: usize,
    ) -> bool {
        let lang = self.lang;
        if review.generation != self.doc.version().generation() {
            return false;
        }
        match review.ui(ctx, lang, depth) {
            ReviewAnswer::Open => true,
            ReviewAnswer::Later => false,
            ReviewAnswer::Resolve(chosen) => {
                self.start_sync(chosen);
                false
            }
        }
    }

    /// The database part of the status bar.
    pub(crate) fn team_status_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let generation = self.doc.version().generation();
        let Some(link) = self.team.link(generation) else {
            return;
        };
        ui.separator();
        // The database's short name; the whole connection (without a password) on hover,
        // so the last sync's button still fits a 1024-pixel window.
        ui.label(lang.fill(T::LinkedTo, &[&link.target.short_name()]))
            .on_hover_text(link.target.describe());
        let conflicts: usize = link.conflicts.iter().map(|s| s.conflicts.len()).sum();
        let strips = link.conflicts.clone();
        if let Some(progress) = self.team.progress() {
            let text = match progress {
                Progress::Reading => lang.t(T::SyncReading).to_owned(),
                Progress::Merging { strips } => lang.fill(T::SyncMerging, &[&strips.to_string()]),
                Progress::Writing { total, .. } => lang.fill(T::SyncWriting, &[&total.to_string()]),
                Progress::Done => lang.t(T::SyncReading).to_owned(),
            };
            ui.spinner();
            ui.label(text);
        } else if conflicts > 0 {
            if ui
                .button(
                    egui::RichText::new(lang.fill(T::ConflictsButton, &[&conflicts.to_string()]))
                        .color(theme::WARNING_TEXT),
                )
                .clicked()
            {
                self.overlays.close_conflicts();
                self.overlays
                    .push(Overlay::SyncConflicts(Box::new(ConflictReview::new(
                        generation, strips,
                    ))));
            }
        } else {
            if let Some(last) = &link.last
                && ui
                    .small_button(lang.fill(T::LastSyncButton, &[&last.clock]))
                    .on_hover_text(last.report.summary())
                    .clicked()
            {
                self.overlays.show_sync_report();
            }
            if ui.small_button(lang.t(T::SyncNow)).clicked() {
                self.start_sync(Picks::default());
            }
        }
    }
}
