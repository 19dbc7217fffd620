//! The last stage of reading: the ids Pistas gave are reported, and every problem is
//! located (line and column) and sorted by place.

use super::parsed::Parsed;
use crate::io::diagnostic::{Diagnostic, Locator, MORE_NO_ID, NO_ID, Severity};
use crate::io::interpret::{Interpreter, Problem};
use crate::model::{Document, IdChange};

pub(super) fn finish_fatal(
    top: Interpreter<'_>,
    text: &str,
    file: &str,
    message: String,
) -> Parsed {
    let mut problems = top.report.problems;
    problems.push(Problem {
        severity: Severity::Error,
        offset: None,
        feature: None,
        event: None,
        message,
    });
    let mut parsed = finish(text, file, Document::default(), problems, Vec::new(), false);
    parsed.fatal = true;
    parsed
}

/// Warns of the ids Pistas gave: the first ten missing ones and every repeated one.
pub(super) fn id_changes(
    changes: &[IdChange],
    problems: &mut Vec<Problem>,
    ids: &mut Vec<(usize, String)>,
) {
    let mut missing_count = 0;
    let mut warn = |feature: Option<usize>, message: String| {
        problems.push(Problem {
            severity: Severity::Warning,
            offset: None,
            feature,
            event: None,
            message,
        });
    };
    for change in changes {
        let index = change.index();
        match &change.old() {
            None => {
                missing_count += 1;
                if missing_count <= 10 {
                    ids.push((index, change.new_id().as_str().to_owned()));
                    warn(Some(index), format!("{NO_ID} \"{}\"", change.new_id()));
                }
            }
            Some(old) => {
                ids.push((index, change.new_id().as_str().to_owned()));
                warn(
                    Some(index),
                    format!(
                        "the id \"{old}\" is already used by an earlier feature; Pistas gave this one \
                         the id \"{}\" so that both are kept",
                        change.new_id()
                    ),
                );
            }
        }
    }
    if missing_count > 10 {
        warn(
            None,
            format!(
                "{} {MORE_NO_ID} starting with \"pistas-\"",
                missing_count - 10
            ),
        );
    }
}

/// Locates every problem (in one pass over the text, whatever their number) and sorts
/// them by place.
pub(super) fn finish(
    text: &str,
    file: &str,
    document: Document,
    mut problems: Vec<Problem>,
    ids: Vec<(usize, String)>,
    bare: bool,
) -> Parsed {
    // The id named for a feature: the last one recorded (given ids replace read ones),
    // shortened when it is very long, since every diagnostic of the feature repeats it.
    let id_of: std::collections::HashMap<usize, String> = ids
        .into_iter()
        .map(|(i, id)| match id.char_indices().nth(120) {
            Some((at, _)) => (i, format!("{}…", &id[..at])),
            None => (i, id),
        })
        .collect();
    // A problem of the whole file with no better place is shown at its start.
    for p in &mut problems {
        p.offset = p.offset.or((p.feature.is_none() || bare).then_some(0));
    }
    problems.sort_by_key(|p| p.offset.unwrap_or(usize::MAX));
    let mut locator = Locator::new(text);
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| {
            let at = p.offset.map(|o| locator.line_col(o));
            let feature = p.feature.filter(|_| !bare);
            Diagnostic {
                severity: p.severity,
                file: file.to_owned(),
                line: at.map(|a| a.0),
                column: at.map(|a| a.1),
                feature_index: feature,
                feature_id: feature.and_then(|i| id_of.get(&i).cloned()),
                event_index: p.event,
                message: p.message,
            }
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(usize::MAX), d.feature_index));
    Parsed {
        document,
        diagnostics,
        fatal: false,
        facts: None,
    }
}
