//! The web map in one file: the strips with their status steps and histories, the basemap
//! lines around them, Leaflet and the page's own script, all inline. Opened from `file://`
//! with the network off, it makes no request.

// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write;

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::text::escape;
use super::words::{Lang, W, event_status, status_colour};
use crate::model::{Document, History, Source, Status, StatusTimeline};

const LEAFLET_JS: &str = include_str!("../../assets/web/leaflet/leaflet.js");
const LEAFLET_CSS: &str = include_str!("../../assets/web/leaflet/leaflet.css");
const MAP_JS: &str = include_str!("../../assets/web/pistas-map.js");

/// The statuses in the order the page numbers them (0: no history yet).
const ORDER: [Status; 4] = [
    Status::Unknown,
    Status::Active,
    Status::Rebuilt,
    Status::Destroyed,
];

fn status_index(status: Status) -> usize {
    ORDER.iter().position(|s| *s == status).unwrap_or(0)
}

fn day_number(day: NaiveDate) -> i64 {
    (day - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days()
}

/// Six decimals: about 10 cm.
fn coord(v: f64) -> Value {
    json!((v * 1e6).round() / 1e6)
}

fn geometry(shape: &geo::Geometry<f64>) -> Value {
    match shape {
        geo::Geometry::Point(p) => json!([coord(p.x()), coord(p.y())]),
        geo::Geometry::LineString(ls) => Value::Array(
            ls.0.iter()
                .map(|c| json!([coord(c.x), coord(c.y)]))
                .collect(),
        ),
        other => match crate::analysis::representative_point(other) {
            Some(p) => json!([coord(p.x()), coord(p.y())]),
            None => Value::Null,
        },
    }
}

/// The page's data for the strips of `doc`, and their box.
fn strips(doc: &Document, lang: Lang) -> (Vec<Value>, [f64; 4], Option<(NaiveDate, NaiveDate)>) {
    let mut out = Vec::new();
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    for feature in doc.strips() {
        let feature = feature.decoded();
        let Some(g) = feature.geometry() else {
            continue;
        };
        if let Some(r) = geo::BoundingRect::bounding_rect(g.shape()) {
            w = w.min(r.min().x);
            s = s.min(r.min().y);
            e = e.max(r.max().x);
            n = n.max(r.max().y);
        }
        let events = feature.events();
        let history = History::of(events);
        let timeline = StatusTimeline::of(events, history.order());
        let mut steps = Vec::new();
        for (day, status, _) in timeline.steps() {
            steps.push(json!(day_number(*day)));
            steps.push(json!(status_index(*status)));
        }
        let rows: Vec<Value> = history
            .order()
            .iter()
            .map(|&i| {
                let ev = &events[i];
                let d = ev.date();
                span = Some(match span {
                    None => (d.start(), d.end()),
                    Some((a, b)) => (a.min(d.start()), b.max(d.end())),
                });
                let colour = status_index(event_status(ev.kind()));
                let sources: Vec<Value> = ev
                    .sources()
                    .iter()
                    .map(|src| match src {
                        Source::Reference(r) => json!([src.label(), r.url().value()]),
                        Source::Text(t) => json!([t, Value::Null]),
                    })
                    .collect();
                json!([
                    d.to_string(),
                    lang.event(ev.kind()),
                    colour,
                    ev.confidence().get().map_or("", |c| lang.confidence(*c)),
                    sources
                ])
            })
            .collect();
        out.push(json!([
            feature.label(),
            feature.id().as_str(),
            geometry(g.shape()),
            steps,
            rows
        ]));
    }
    if out.is_empty() {
        (w, s, e, n) = (-75.0, -13.5, -73.0, -11.5);
    }
    (out, [w, s, e, n], span)
}

/// The basemap lines near `bounds`: the world's countries and rivers, and Peru's detail
/// where the data is in Peru.
fn basemap(bounds: [f64; 4]) -> Vec<Value> {
    let [w, s, e, n] = bounds;
    let (dx, dy) = (((e - w) * 0.75).max(1.0), ((n - s) * 0.75).max(1.0));
    let area = [w - dx, s - dy, e + dx, n + dy];
    // A line whose box meets the area (a country around the data has no vertex near it).
    let meets = |line: &[(f64, f64)]| {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in line {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        x0 <= area[2] && x1 >= area[0] && y0 <= area[3] && y1 >= area[1]
    };
    let mut layers = Vec::new();
    for (class, bytes) in [
        ("country", crate::geodata::WORLD_COUNTRIES),
        ("wriver", crate::geodata::WORLD_RIVERS),
        ("department", crate::geodata::DEPARTMENTS),
        ("outline", crate::geodata::PERU_OUTLINE),
        ("river", crate::geodata::VRAEM_RIVERS),
    ] {
        let mut lines = Vec::new();
        for f in crate::io::read_bytes(bytes, class).document.features() {
            let Some(g) = f.geometry() else { continue };
            let polygons: Vec<geo::Polygon<f64>> = match g.shape() {
                geo::Geometry::Polygon(p) if class == "country" => vec![p.clone()],
                geo::Geometry::MultiPolygon(mp) if class == "country" => mp.0.clone(),
                _ => Vec::new(),
            };
            let mut push = |ls: &geo::LineString<f64>| {
                let pts: Vec<(f64, f64)> = ls.0.iter().map(|c| (c.x, c.y)).collect();
                // Cut at the antimeridian, so that no line runs the long way round.
                for pts in crate::geodata::split_at_antimeridian(&pts) {
                    if meets(&pts) {
                        let round = |v: f64| (v * 1e4).round() / 1e4;
                        lines.push(Value::Array(
                            pts.iter()
                                .map(|&(x, y)| json!([round(x), round(y)]))
                                .collect(),
                        ));
                    }
                }
            };
            if !polygons.is_empty() {
                // Countries are filled: their outer rings only.
                for p in &polygons {
                    push(p.exterior());
                }
                continue;
            }
            match g.shape() {
                geo::Geometry::Polygon(p) => push(p.exterior()),
                geo::Geometry::MultiPolygon(mp) => mp.0.iter().for_each(|p| push(p.exterior())),
                geo::Geometry::LineString(ls) => push(ls),
                geo::Geometry::MultiLineString(mls) => mls.0.iter().for_each(&mut push),
                _ => {}
            }
        }
        if !lines.is_empty() {
            layers.push(json!({"class": class, "lines": lines}));
        }
    }
    layers
}

/// The web map of `doc` at `at` (the slider's first date), in `lang`.
pub fn webmap_html(
    doc: &Document,
    at: NaiveDate,
    lang: Lang,
    title: &str,
    left_out: &[String],
) -> String {
    let (strips, bounds, span) = strips(doc, lang);
    let (min, max) = span.unwrap_or((at, at));
    let (min, max) = (min.min(at), max.max(at));
    let colours: Vec<String> = ORDER.iter().map(|s| status_colour(*s)).collect();
    let statuses: Vec<&str> = ORDER.iter().map(|s| lang.status(*s)).collect();
    let data = json!({
        "at": day_number(at),
        "min": day_number(min),
        "max": day_number(max),
        "bounds": bounds,
        "colours": colours,
        "statuses": statuses,
        "attribution": crate::geodata::ATTRIBUTION,
        "words": {
            "statusOn": lang.w(W::StatusOn),
            "play": lang.w(W::Play),
            "pause": lang.w(W::Pause),
            "legend": lang.w(W::Legend),
        },
        "basemap": basemap(bounds),
        "strips": strips,
    });
    // Inside <script>, "</" must not appear: JSON allows "<\/" for it.
    let json = data.to_string().replace("</", "<\\/");
    let mut out = String::with_capacity(json.len() + LEAFLET_JS.len() + 8192);
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"><title>{title}</title><style>{LEAFLET_CSS}</style><style>
html, body {{ margin: 0; height: 100%; font: 14px/1.4 Arial, sans-serif; }}
#bar {{ display: flex; gap: .6em; align-items: center; padding: .4em .8em; background: #f8f8f8; border-bottom: 1px solid #ccc; flex-wrap: wrap; }}
#bar h1 {{ font-size: 15px; margin: 0 1em 0 0; }} #date {{ flex: 1; min-width: 160px; }}
#map {{ position: absolute; top: 3.2em; bottom: 0; left: 0; right: 0; }}
.pistas-legend {{ background: #fff; padding: .4em .6em; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); line-height: 1.6; }}
.dot {{ display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .4em; vertical-align: -1px; }}
.badge {{ color: #fff; padding: 0 .4em; border-radius: 3px; }}
.pistas-popup table {{ border-collapse: collapse; margin-top: .3em; }} .pistas-popup td {{ border-top: 1px solid #eee; padding: 2px 4px; vertical-align: top; font-size: 12px; }}
.note {{ font-size: 12px; color: #555; }}
</style></head><body><div id="bar"><h1>{title}</h1><button id="play" type="button">{play}</button><input id="date" type="range" step="1" aria-label="date"><b id="date-label"></b><span class="note">{click}{left}</span></div><div id="map"></div><script id="pistas-data" type="application/json">{json}</script><script>{LEAFLET_JS}</script><script>{MAP_JS}</script></body></html>
"#,
        lang = lang.code(),
        title = escape(title),
        play = lang.w(W::Play),
        click = escape(lang.w(W::ClickStrip)),
        left = if left_out.is_empty() {
            String::new()
        } else {
            format!(
                " · {} {}",
                escape(lang.w(W::LeftOut)),
                escape(&left_out.join("; "))
            )
        },
    );
    out
}
