//! The dossier as one self-contained HTML file: styles inline, pictures as inline SVG or
//! data URIs, no request to anything outside it. It prints on A4 and Letter: each strip
//! starts a page, and the footer (data file's hash, date, version, credits) is on every
//! printed page.

// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write;

use super::overview;
use super::page::{Made, Picture, footer_text};
use super::strip::{SourceLine, StripStory};
use super::svg;
use super::text::escape;
use super::words::{Lang, W, event_status, status_colour};
use crate::model::Status;

/// Only http and https links are made live.
fn link(url: &str, label: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        format!(r#"<a href="{}">{}</a>"#, escape(url.trim()), escape(label))
    } else {
        escape(label)
    }
}

const STYLE: &str = r#"<style>
@page { margin: 14mm 12mm 20mm; }
body { font: 10.5pt/1.45 "DejaVu Sans", Arial, sans-serif; color: #222; max-width: 186mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 14pt; margin: 1.2em 0 .3em; } h3 { font-size: 11.5pt; margin: 1em 0 .3em; }
.status { display: inline-block; padding: 0 .5em; border-radius: 3px; color: #fff; font-weight: bold; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .5em 0; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .4em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; font-size: 9pt; }
th { background: #f3f3f3; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; color: #555; word-break: break-all; }
.thumbs figure { display: inline-block; width: 160px; margin: 0 8px 8px 0; vertical-align: top; font-size: 8pt; break-inside: avoid; }
.thumbs img { width: 160px; height: 120px; object-fit: contain; background: #eee; border: 1px solid #ccc; display: block; }
.missing { width: 158px; height: 118px; border: 1px dashed #c02020; color: #c02020; display: flex; align-items: center; justify-content: center; text-align: center; padding: 4px; box-sizing: border-box; }
section.strip { break-before: page; } section.strip:first-of-type.only { break-before: auto; }
svg { max-width: 100%; height: auto; display: block; }
.note { color: #555; font-style: italic; }
footer.page { font-size: 7.5pt; color: #555; border-top: 1px solid #ccc; margin-top: 2em; padding-top: .3em; }
@media print { footer.page { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; margin: 0; } a { color: inherit; } }
</style>"#;

fn status_badge(lang: Lang, status: Status) -> String {
    format!(
        r#"<span class="status" style="background:{}">{}</span>"#,
        status_colour(status),
        escape(lang.status(status))
    )
}

/// One strip's section.
fn strip_section(out: &mut String, s: &StripStory, pictures: &[Picture], made: &Made, only: bool) {
    let lang = made.lang;
    let _ = write!(
        out,
        r#"<section class="strip{}" id="strip-{}"><h2>{}</h2>"#,
        if only { " only" } else { "" },
        escape(&s.id),
        escape(&s.name)
    );
    let _ = write!(
        out,
        "<p>{} {}</p>",
        escape(&lang.fill(W::StatusOn, &[&made.at.to_string()])),
        status_badge(lang, s.status)
    );
    facts_list(out, s, lang);
    if let Some(shape) = &s.shape {
        let image = pictures
            .iter()
            .find(|p| p.on_map)
            .and_then(|p| Some((p.uri.as_deref().ok()?, p.item.footprint()?)));
        out.push_str(&svg::inset(shape, s.status, image, "2 km"));
    }
    let _ = write!(out, "<h3>{}</h3>", lang.w(W::Lifeline));
    out.push_str(&svg::lifeline(&s.steps, made.at));
    let _ = write!(out, "<h3>{}</h3>", lang.w(W::History));
    history_table(out, s, lang);
    for (days, destroyed) in &s.rebuilds {
        let _ = write!(
            out,
            "<p>{}</p>",
            escape(&lang.fill(W::RebuiltAfter, &[days, destroyed]))
        );
    }
    if !pictures.is_empty() {
        let _ = write!(
            out,
            r#"<h3>{}</h3><div class="thumbs">"#,
            lang.w(W::Evidence)
        );
        for p in pictures {
            thumb(out, p);
        }
        out.push_str("</div>");
    }
    out.push_str("</section>");
}

/// A strip's facts: id, coordinates, department, nearest town and aerodrome.
fn facts_list(out: &mut String, s: &StripStory, lang: Lang) {
    out.push_str(r#"<dl class="facts">"#);
    let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", lang.w(W::Id), escape(&s.id));
    if let (Some((lon, lat)), Some(dms)) = (s.lon_lat, &s.dms) {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{lat:.6}, {lon:.6} · {}</dd>",
            lang.w(W::Coordinates),
            escape(dms)
        );
    }
    if let Some(d) = &s.department {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            lang.w(W::Department),
            escape(d)
        );
    }
    for (key, place) in [
        (W::NearestTown, &s.town),
        (W::NearestAerodrome, &s.aerodrome),
    ] {
        if let Some((name, km)) = place {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{} ({})</dd>",
                lang.w(key),
                escape(name),
                escape(&lang.fill(W::KmAway, &[&format!("{km:.1}")]))
            );
        }
    }
    out.push_str("</dl>");
}

/// A strip's history as a table of its events (a note when it has none).
fn history_table(out: &mut String, s: &StripStory, lang: Lang) {
    if s.events.is_empty() {
        let _ = write!(out, r#"<p class="note">{}</p>"#, lang.w(W::NoEvents));
        return;
    }
    let _ = write!(
        out,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.w(W::Date),
        lang.w(W::Event),
        lang.w(W::Confidence),
        lang.w(W::Operation),
        lang.w(W::Sources)
    );
    for e in &s.events {
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td style="color:{}"><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            escape(&e.date),
            event_colour(e.event.kind()),
            escape(lang.event(e.event.kind())),
            e.event
                .confidence()
                .get()
                .map_or("", |c| lang.confidence(*c)),
            escape(e.event.operation().as_deref().unwrap_or("")),
            sources_cell(&e.sources, lang)
        );
    }
    out.push_str("</table>");
}

/// An event's sources, one a line: live links where they are web addresses, each with
/// its archived copies.
fn sources_cell(sources: &[SourceLine], lang: Lang) -> String {
    let mut cell = String::new();
    for (k, src) in sources.iter().enumerate() {
        if k > 0 {
            cell.push_str("<br>");
        }
        cell.push_str(&match &src.url {
            Some(url) => link(url, &src.label),
            None => escape(&src.label),
        });
        for (hash, captured) in &src.archived {
            let when = captured.clone().unwrap_or_default();
            let _ = write!(
                cell,
                r#"<br><span class="hash">{} · SHA-256 {}</span>"#,
                escape(&lang.fill(W::Archived, &[&when])),
                escape(hash)
            );
        }
    }
    cell
}

/// One picture of evidence: the image (or why it is missing), captioned with its date,
/// caption, credit and hash.
fn thumb(out: &mut String, p: &Picture) {
    let mut caption = format!("{} · ", escape(&p.event_date));
    if let Some(c) = p.item.caption() {
        caption.push_str(&escape(&c));
    }
    if let Some(c) = p.item.credit() {
        let _ = write!(caption, " © {}", escape(&c));
    }
    match &p.uri {
        Ok(uri) => {
            let _ = write!(
                out,
                r#"<figure><img src="{uri}" alt="{}"><figcaption>{caption}<br><span class="hash">{}</span></figcaption></figure>"#,
                escape(&p.item.caption().unwrap_or_default()),
                escape(&p.item.sha256())
            );
        }
        Err(why) => {
            let _ = write!(
                out,
                r#"<figure><div class="missing">{}</div><figcaption>{caption}<br><span class="hash">{}</span></figcaption></figure>"#,
                escape(why),
                escape(&p.item.sha256())
            );
        }
    }
}

fn event_colour(kind: crate::model::EventType) -> String {
    status_colour(event_status(kind))
}

/// The whole dossier: an overview when there are several strips, then one section each.
pub fn dossier(stories: &[StripStory], pictures: &[Vec<Picture>], made: &Made) -> String {
    let lang = made.lang;
    let mut out = String::with_capacity(64 * 1024);
    let title = if stories.len() == 1 {
        format!("{} — {}", lang.w(W::DossierTitle), stories[0].name)
    } else {
        lang.fill(W::DossierOf, &[&stories.len().to_string()])
    };
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title>{STYLE}</head><body><h1>{}</h1>"#,
        lang.code(),
        escape(&title),
        escape(&title)
    );
    if !made.left_out.is_empty() {
        let _ = write!(
            out,
            r#"<p class="note">{} {}</p>"#,
            lang.w(W::LeftOut),
            escape(&made.left_out.join("; "))
        );
    }
    if made.illustrative {
        let _ = write!(out, r#"<p class="note">{}</p>"#, lang.w(W::Illustrative));
    }
    if stories.len() > 1 {
        overview::section(&mut out, stories, made);
    }
    // Each strip's section (its map drawn from the geodata) on every core.
    use rayon::prelude::*;
    let only = stories.len() == 1;
    let sections: Vec<String> = stories
        .par_iter()
        .zip(pictures.par_iter())
        .map(|(s, p)| {
            let mut section = String::new();
            strip_section(&mut section, s, p, made, only);
            section
        })
        .collect();
    for section in sections {
        out.push_str(&section);
    }
    footer(&mut out, pictures, made);
    out.push_str("</body></html>\n");
    out
}

fn footer(out: &mut String, pictures: &[Vec<Picture>], made: &Made) {
    let _ = write!(
        out,
        r#"<footer class="page">{}</footer>"#,
        escape(&footer_text(pictures, made))
    );
}
