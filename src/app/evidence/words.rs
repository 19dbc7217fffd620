//! The words for what the evidence check found wrong with an item.

use crate::app::i18n::{Lang, T};
use crate::io::evidence::Problem;

/// The words for a problem found with an item.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    match problem {
        Problem::Missing => lang.t(T::EvidenceMissing).to_owned(),
        Problem::Altered(found) => lang.fill(T::EvidenceAltered, &[&found[..12.min(found.len())]]),
        Problem::Outside => lang.t(T::EvidenceOutside).to_owned(),
        Problem::Unreadable(why) => format!("{}: {why}", lang.t(T::EvidenceUnreadable)),
        Problem::Unreferenced => String::new(),
    }
}
