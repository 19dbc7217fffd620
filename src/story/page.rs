//! What every page of a dossier is made with: how the story was made ([`Made`]), the
//! evidence pictures of a strip ([`Picture`]), and the footer text.

use chrono::NaiveDate;

use super::words::{Lang, W};
use crate::model::Evidence;

/// What a story says about how it was made.
#[derive(Debug, Clone)]
pub struct Made {
    pub lang: Lang,
    /// The date statuses are shown at.
    pub at: NaiveDate,
    /// The day it was made.
    pub made: NaiveDate,
    /// The data file's name and SHA-256.
    pub file_name: String,
    pub sha256: String,
    /// What "for publication" left out, in words (empty otherwise).
    pub left_out: Vec<String>,
    /// The data says it is illustrative (the sample).
    pub illustrative: bool,
}

/// An evidence picture of a strip, ready for a page.
#[derive(Debug, Clone)]
pub struct Picture {
    pub item: Evidence,
    pub event_date: String,
    /// A data URI of the picture, or why there is none (missing, unreadable).
    pub uri: Result<String, String>,
    /// The image the strip's map inset shows at the date.
    pub on_map: bool,
}

/// The footer every page of a dossier carries: the data file and its SHA-256, when and
/// with what it was made, and the credits of the basemap data and of each image.
pub fn footer_text(pictures: &[Vec<Picture>], made: &Made) -> String {
    let lang = made.lang;
    let mut credits: Vec<String> = pictures
        .iter()
        .flatten()
        .filter_map(|p| p.item.credit())
        .collect();
    credits.sort();
    credits.dedup();
    let mut text = format!(
        "{} · {} · {}: {}",
        lang.fill(W::DataFile, &[&made.file_name, &made.sha256]),
        lang.fill(
            W::MadeOn,
            &[&made.made.to_string(), env!("CARGO_PKG_VERSION")]
        ),
        lang.w(W::Basemap),
        crate::geodata::CREDITS
    );
    if !credits.is_empty() {
        text.push_str(&format!(
            " · {}: {}",
            lang.w(W::ImageCredits),
            credits.join(", ")
        ));
    }
    text
}
