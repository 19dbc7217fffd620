//! A selection's overview in a dossier: the map of its strips, the status counts at the
//! date, destructions and rebuilds per month, the days to rebuild (median, quartiles,
//! histogram), and the table of strips.

use std::collections::BTreeMap;
// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write;

use super::page::Made;
use super::strip::StripStory;
use super::svg;
use super::text::escape;
use super::words::{W, status_colour};
use crate::analysis::{median, quantile};
use crate::model::{EventType, Status};

pub fn section(out: &mut String, stories: &[StripStory], made: &Made) {
    let lang = made.lang;
    let _ = write!(out, "<section><h2>{}</h2>", lang.w(W::Overview));
    let dots: Vec<((f64, f64), Status)> = stories
        .iter()
        .filter_map(|s| Some((s.lon_lat?, s.status)))
        .collect();
    out.push_str(&svg::overview(&dots));
    // Status counts at the date.
    let _ = write!(
        out,
        "<h3>{}</h3><p>",
        escape(&lang.fill(W::StatusOn, &[&made.at.to_string()]))
    );
    for status in [
        Status::Active,
        Status::Rebuilt,
        Status::Destroyed,
        Status::Unknown,
    ] {
        let n = stories.iter().filter(|s| s.status == status).count();
        let _ = write!(
            out,
            r#"<span class="status" style="background:{}">{} {n}</span> "#,
            status_colour(status),
            escape(lang.status(status))
        );
    }
    out.push_str("</p>");
    for (title, picture, below) in charts(stories, made) {
        let _ = write!(out, "<h3>{}</h3>", lang.w(title));
        out.push_str(&picture);
        if title == W::PerMonth {
            let _ = write!(
                out,
                r#"<p><span class="status" style="background:{}">{}</span> <span class="status" style="background:{}">{}</span></p>"#,
                status_colour(Status::Destroyed),
                lang.w(W::Destroyed),
                status_colour(Status::Rebuilt),
                lang.w(W::Rebuilt)
            );
        } else if !below.is_empty() {
            let _ = write!(out, "<p>{}</p>", escape(&below));
        }
    }
    if stories.iter().all(|s| s.rebuild_days.is_empty()) {
        let _ = write!(
            out,
            r#"<h3>{}</h3><p class="note">{}</p>"#,
            lang.w(W::DaysToRebuild),
            lang.w(W::NoRebuilds)
        );
    }
    // The table of strips.
    let _ = write!(
        out,
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.w(W::Strips),
        lang.w(W::Name),
        lang.w(W::Id),
        lang.w(W::Department),
        escape(&lang.fill(W::StatusOn, &[&made.at.to_string()])),
        lang.w(W::Destroyed),
        lang.w(W::Rebuilt)
    );
    for s in stories {
        let _ = write!(
            out,
            r##"<tr><td><a href="#strip-{}">{}</a></td><td>{}</td><td>{}</td><td style="color:{}">{}</td><td>{}</td><td>{}</td></tr>"##,
            escape(&s.id),
            escape(&s.name),
            escape(&s.id),
            escape(s.department.as_deref().unwrap_or("")),
            status_colour(s.status),
            escape(lang.status(s.status)),
            s.times_destroyed,
            s.times_rebuilt
        );
    }
    out.push_str("</table></section>");
}

/// The selection's charts, each with its title and a line of words under it:
/// destructions and rebuilds per month, and the days to rebuild.
pub fn charts(stories: &[StripStory], made: &Made) -> Vec<(W, String, String)> {
    let lang = made.lang;
    let mut out = Vec::new();
    let mut months: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for s in stories {
        for e in &s.events {
            let month = e.event.date().start().format("%Y-%m").to_string();
            match e.event.kind() {
                EventType::Destroyed => months.entry(month).or_default().0 += 1,
                EventType::Rebuilt => months.entry(month).or_default().1 += 1,
                _ => {}
            }
        }
    }
    // Every month from the first to the last, so that a quiet month shows as a gap.
    if let (Some(first), Some(last)) =
        (months.keys().next().cloned(), months.keys().last().cloned())
    {
        let parse =
            |m: &str| chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok();
        if let (Some(mut day), Some(end)) = (parse(&first), parse(&last)) {
            while day < end {
                day = day
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(end);
                months.entry(day.format("%Y-%m").to_string()).or_default();
            }
        }
    }
    let destroyed = status_colour(Status::Destroyed);
    let rebuilt = status_colour(Status::Rebuilt);
    if !months.is_empty() {
        let rows: Vec<(String, Vec<(usize, &str)>)> = months
            .iter()
            .map(|(m, &(d, r))| {
                (
                    m.clone(),
                    vec![(d, destroyed.as_str()), (r, rebuilt.as_str())],
                )
            })
            .collect();
        // Its legend is drawn in the colours by whoever lays it out.
        out.push((W::PerMonth, svg::bars(&rows, 120.0), String::new()));
    }
    let mut days: Vec<i64> = stories
        .iter()
        .flat_map(|s| s.rebuild_days.iter().copied())
        .collect();
    days.sort_unstable();
    if let (Some(m), Some(q1), Some(q3)) =
        (median(&days), quantile(&days, 0.25), quantile(&days, 0.75))
    {
        let below = lang.fill(
            W::MedianQuartiles,
            &[
                &format!("{m:.0}"),
                &format!("{q1:.0}"),
                &format!("{q3:.0}"),
                &days.len().to_string(),
            ],
        );
        let buckets = [
            (0, 7),
            (8, 14),
            (15, 30),
            (31, 60),
            (61, 90),
            (91, 180),
            (181, i64::MAX),
        ];
        let rows: Vec<(String, Vec<(usize, &str)>)> = buckets
            .iter()
            .map(|&(a, b)| {
                let n = days.iter().filter(|&&d| d >= a && d <= b).count();
                let label = if b == i64::MAX {
                    format!("> {}", a - 1)
                } else {
                    format!("{a}–{b}")
                };
                (label, vec![(n, rebuilt.as_str())])
            })
            .collect();
        out.push((W::DaysToRebuild, svg::bars(&rows, 90.0), below));
    }
    out
}
