//! The dossier as PDF, written by krilla (no browser): the same content as the HTML, laid
//! out on A4 pages, text selectable in an embedded font, source links live, the maps and
//! lifelines drawn from the same SVG, and the footer on every page.

use std::sync::Arc;

use base64::Engine;

use super::overview;
use super::page::{Made, Picture, footer_text};
use super::strip::{EventLine, StripStory};
use super::svg;
use super::words::{Lang, W, event_status};
use crate::model::Status;

mod layout;

use layout::{GREY, INK, Layout, MARGIN, Op, TEXT_W, render, width, wrap};

/// One strip's pages: name and status, facts, map, lifeline, history, rebuilds, evidence.
fn strip_pages(l: &mut Layout, s: &StripStory, pictures: &[Picture], made: &Made) {
    let lang = made.lang;
    l.text(MARGIN, 16.0, &s.name, INK, TEXT_W);
    let status = format!(
        "{} {}",
        lang.fill(W::StatusOn, &[&made.at.to_string()]),
        lang.status(s.status)
    );
    l.text(MARGIN, 10.5, &status, s.status.rgb(), TEXT_W);
    for f in fact_lines(s, lang) {
        l.text(MARGIN, 9.5, &f, INK, TEXT_W);
    }
    l.y += 4.0;
    if let Some(shape) = &s.shape {
        let image = pictures
            .iter()
            .find(|p| p.on_map)
            .and_then(|p| Some((p.uri.as_deref().ok()?, p.item.footprint()?)));
        l.svg(&svg::inset(shape, s.status, image, "2 km"), 400.0);
    }
    l.text(MARGIN, 11.0, lang.w(W::Lifeline), INK, TEXT_W);
    l.svg(&svg::lifeline(&s.steps, made.at), TEXT_W);
    l.text(MARGIN, 11.0, lang.w(W::History), INK, TEXT_W);
    for e in &s.events {
        event_row(l, e, lang);
    }
    for (days, destroyed) in &s.rebuilds {
        l.text(
            MARGIN,
            9.5,
            &lang.fill(W::RebuiltAfter, &[days, destroyed]),
            INK,
            TEXT_W,
        );
    }
    if !pictures.is_empty() {
        l.y += 4.0;
        // The heading stays with the first row of pictures.
        l.room(180.0);
        l.text(MARGIN, 11.0, lang.w(W::Evidence), INK, TEXT_W);
        let per_row = 3;
        for row in pictures.chunks(per_row) {
            l.room(PICTURE.1 + 40.0);
            let top = l.y;
            let mut bottom = top + PICTURE.1;
            for (k, p) in row.iter().enumerate() {
                let x = MARGIN + k as f32 * (PICTURE.0 + PICTURE_GAP);
                bottom = bottom.max(picture(l, p, x, top));
            }
            l.y = bottom + 6.0;
        }
    }
}

/// A strip's facts, one a line: id, coordinates, department, nearest town and aerodrome.
fn fact_lines(s: &StripStory, lang: Lang) -> Vec<String> {
    let mut facts = vec![format!("{}: {}", lang.w(W::Id), s.id)];
    if let (Some((lon, lat)), Some(dms)) = (s.lon_lat, &s.dms) {
        facts.push(format!(
            "{}: {lat:.6}, {lon:.6} · {dms}",
            lang.w(W::Coordinates)
        ));
    }
    if let Some(d) = &s.department {
        facts.push(format!("{}: {d}", lang.w(W::Department)));
    }
    for (key, place) in [
        (W::NearestTown, &s.town),
        (W::NearestAerodrome, &s.aerodrome),
    ] {
        if let Some((name, km)) = place {
            facts.push(format!(
                "{}: {name} ({})",
                lang.w(key),
                lang.fill(W::KmAway, &[&format!("{km:.1}")])
            ));
        }
    }
    facts
}

/// Where the history's columns start: date, event, confidence, operation, sources.
const HISTORY_COLUMNS: [f32; 5] = [
    MARGIN,
    MARGIN + 62.0,
    MARGIN + 128.0,
    MARGIN + 196.0,
    MARGIN + 300.0,
];

/// How wide the history's columns are.
const HISTORY_WIDTHS: [f32; 5] = [60.0, 64.0, 66.0, 100.0, TEXT_W - 300.0];

/// One row of the history: an event's cells wrapped in their columns, its sources live
/// links where they are web addresses, a rule under it.
fn event_row(l: &mut Layout, e: &EventLine, lang: Lang) {
    let (cols, widths) = (HISTORY_COLUMNS, HISTORY_WIDTHS);
    let cells = [
        vec![e.date.clone()],
        vec![lang.event(e.event.kind()).to_owned()],
        vec![
            e.event
                .confidence()
                .get()
                .map_or("", |c| lang.confidence(*c))
                .to_owned(),
        ],
        vec![e.event.operation().as_deref().unwrap_or("").to_owned()],
    ];
    let size = 8.5;
    let mut wrapped: Vec<Vec<String>> = cells
        .iter()
        .zip(widths)
        .map(|(c, w)| wrap(&c.join(" "), size, w))
        .collect();
    let sources = source_lines(e, lang, size, widths[4]);
    wrapped.push(sources.iter().map(|(t, _)| t.clone()).collect());
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let h = lines as f32 * size * 1.35 + 4.0;
    l.room(h);
    let top = l.y;
    l.push(Op::Rect {
        x: MARGIN,
        y: top + h - 0.5,
        w: TEXT_W,
        h: 0.5,
        rgb: [0xdd, 0xdd, 0xdd],
    });
    for (k, cell) in wrapped.iter().enumerate() {
        let colour = if k == 1 {
            event_rgb(e.event.kind())
        } else {
            INK
        };
        for (n, line) in cell.iter().enumerate() {
            let y = top + size + n as f32 * size * 1.35;
            l.push(Op::Text {
                x: cols[k],
                y,
                size,
                text: line.clone(),
                rgb: colour,
            });
            if k == 4
                && let Some(Some(url)) = sources.get(n).map(|(_, u)| u.clone())
                && (url.starts_with("http://") || url.starts_with("https://"))
            {
                let w = width(line, size);
                l.push(Op::Link {
                    rect: (cols[k], y - size, w, size * 1.3),
                    url,
                });
            }
        }
    }
    l.y = top + h;
}

/// An event's sources as lines of the sources column: each label wrapped (with its
/// address, to link it), and its archived copies.
fn source_lines(e: &EventLine, lang: Lang, size: f32, w: f32) -> Vec<(String, Option<String>)> {
    let mut sources: Vec<(String, Option<String>)> = Vec::new();
    for src in &e.sources {
        for line in wrap(&src.label, size, w) {
            sources.push((line, src.url.clone()));
        }
        for (hash, captured) in &src.archived {
            let when = captured.clone().unwrap_or_default();
            sources.push((lang.fill(W::Archived, &[&when]), None));
            sources.push((format!("SHA-256 {}…", &hash[..16.min(hash.len())]), None));
        }
    }
    sources
}

/// The size of a picture of evidence.
const PICTURE: (f32, f32) = (150.0, 112.0);

/// The space between pictures side by side.
const PICTURE_GAP: f32 = 10.0;

/// One picture of evidence at `x`, `top`: the image (or why it is missing), its caption
/// and its hash. Returns how far down it reaches.
fn picture(l: &mut Layout, p: &Picture, x: f32, top: f32) -> f32 {
    let (w, h) = PICTURE;
    match p.uri.as_deref().ok().and_then(jpeg_of) {
        Some(bytes) => l.push(Op::Jpeg {
            x,
            y: top,
            w,
            h,
            bytes: Arc::new(bytes),
        }),
        None => {
            l.push(Op::Rect {
                x,
                y: top,
                w,
                h,
                rgb: [0xf0, 0xd8, 0xd8],
            });
            let why = p.uri.as_ref().err().cloned().unwrap_or_default();
            for (n, line) in wrap(&why, 7.5, w - 8.0).iter().enumerate() {
                l.push(Op::Text {
                    x: x + 4.0,
                    y: top + 14.0 + n as f32 * 10.0,
                    size: 7.5,
                    text: line.clone(),
                    rgb: [0xc0, 0x20, 0x20],
                });
            }
        }
    }
    let mut caption = p.event_date.clone();
    if let Some(c) = p.item.caption() {
        caption.push_str(&format!(" · {c}"));
    }
    if let Some(c) = p.item.credit() {
        caption.push_str(&format!(" © {c}"));
    }
    let mut y = top + h + 9.0;
    for line in wrap(&caption, 7.5, w).into_iter().take(3) {
        l.push(Op::Text {
            x,
            y,
            size: 7.5,
            text: line,
            rgb: INK,
        });
        y += 9.5;
    }
    l.push(Op::Text {
        x,
        y,
        size: 6.0,
        text: format!("SHA-256 {}…", &p.item.sha256()[..24]),
        rgb: GREY,
    });
    y + 6.0
}

fn event_rgb(kind: crate::model::EventType) -> [u8; 3] {
    event_status(kind).rgb()
}

fn jpeg_of(uri: &str) -> Option<Vec<u8>> {
    let data = uri.strip_prefix("data:image/jpeg;base64,")?;
    base64::engine::general_purpose::STANDARD.decode(data).ok()
}

fn overview_pages(l: &mut Layout, stories: &[StripStory], made: &Made) {
    let lang = made.lang;
    l.text(MARGIN, 13.0, lang.w(W::Overview), INK, TEXT_W);
    let dots: Vec<((f64, f64), Status)> = stories
        .iter()
        .filter_map(|s| Some((s.lon_lat?, s.status)))
        .collect();
    l.svg(&svg::overview(&dots), TEXT_W);
    let counts: Vec<String> = [
        Status::Active,
        Status::Rebuilt,
        Status::Destroyed,
        Status::Unknown,
    ]
    .iter()
    .map(|&st| {
        format!(
            "{} {}",
            lang.status(st),
            stories.iter().filter(|s| s.status == st).count()
        )
    })
    .collect();
    l.text(
        MARGIN,
        10.0,
        &format!(
            "{}: {}",
            lang.fill(W::StatusOn, &[&made.at.to_string()]),
            counts.join(" · ")
        ),
        INK,
        TEXT_W,
    );
    for (title, picture, below) in overview::charts(stories, made) {
        l.text(MARGIN, 11.0, lang.w(title), INK, TEXT_W);
        l.svg(&picture, TEXT_W);
        if title == W::PerMonth {
            l.text(
                MARGIN,
                9.0,
                lang.w(W::Destroyed),
                Status::Destroyed.rgb(),
                TEXT_W,
            );
            l.text(
                MARGIN,
                9.0,
                lang.w(W::Rebuilt),
                Status::Rebuilt.rgb(),
                TEXT_W,
            );
        } else {
            l.text(MARGIN, 9.0, &below, INK, TEXT_W);
        }
    }
    l.y += 4.0;
    l.text(MARGIN, 11.0, lang.w(W::Strips), INK, TEXT_W);
    for s in stories {
        let row = format!(
            "{} ({}) · {} · {} {} · {} {}",
            s.name,
            s.id,
            lang.status(s.status),
            lang.w(W::Destroyed),
            s.times_destroyed,
            lang.w(W::Rebuilt),
            s.times_rebuilt
        );
        l.text(MARGIN, 8.5, &row, INK, TEXT_W);
    }
}

/// The dossier as PDF bytes; `Err` when the PDF could not be written.
pub fn dossier_pdf(
    stories: &[StripStory],
    pictures: &[Vec<Picture>],
    made: &Made,
) -> Result<Vec<u8>, String> {
    let lang = made.lang;
    let mut l = Layout::new();
    let title = if stories.len() == 1 {
        format!("{} — {}", lang.w(W::DossierTitle), stories[0].name)
    } else {
        lang.fill(W::DossierOf, &[&stories.len().to_string()])
    };
    l.text(MARGIN, 18.0, &title, INK, TEXT_W);
    if made.illustrative {
        l.text(MARGIN, 9.0, lang.w(W::Illustrative), GREY, TEXT_W);
    }
    if !made.left_out.is_empty() {
        l.text(
            MARGIN,
            9.0,
            &format!("{} {}", lang.w(W::LeftOut), made.left_out.join("; ")),
            GREY,
            TEXT_W,
        );
    }
    if stories.len() > 1 {
        overview_pages(&mut l, stories, made);
    }
    for (i, s) in stories.iter().enumerate() {
        if i > 0 || stories.len() > 1 {
            l.page();
        }
        strip_pages(&mut l, s, &pictures[i], made);
    }
    render(l, &footer_text(pictures, made))
}
