//! What the pointer shows over the map: a cluster's count by status, or a strip's name,
//! status and last event.

use egui::Response;

use super::strips::Cluster;
use super::view::MapFrame;
use crate::app::i18n::{Lang, T};
use crate::app::theme;
use crate::model::Status;

/// A cluster's count, by status.
pub(super) fn cluster_tip(response: &Response, lang: Lang, c: &Cluster) {
    response.clone().on_hover_ui_at_pointer(|ui| {
        ui.strong(lang.fill(T::ClusterCount, &[&lang.number(c.count as usize)]));
        for (slot, n) in c.by_status.iter().enumerate().filter(|(_, n)| **n > 0) {
            let (colour, name) = match Status::ALL.get(slot) {
                Some(s) => (theme::status_colour(*s), lang.status(*s)),
                None => (theme::NON_STRIP, lang.t(T::OtherFeature)),
            };
            ui.colored_label(colour, format!("{} {name}", lang.number(*n as usize)));
        }
        ui.weak(lang.t(T::ClusterClick));
    });
}

/// The hovered strip `h`: its name, its status at the date and its last event.
pub(super) fn strip_tip(response: &Response, frame: &MapFrame<'_>, h: usize) {
    let Some(item) = frame.cache.item(h) else {
        return;
    };
    let lang = frame.lang;
    response.clone().on_hover_ui_at_pointer(|ui| {
        ui.strong(&item.label);
        let (status, fuzzy) = frame.cache.status(h);
        ui.label(format!("{}: {}", lang.t(T::Status), lang.status(status)));
        if fuzzy {
            ui.label(lang.t(T::FuzzyStatus));
        }
        if let Some(feature) = frame.document.features().get(h) {
            let events = feature.events();
            let history = crate::model::History::of(events);
            if let Some(&last) = history.order().last() {
                let e = &events[last];
                ui.label(lang.fill(T::LastEvent, &[lang.event(e.kind()), &e.date().to_string()]));
            }
        }
    });
}
