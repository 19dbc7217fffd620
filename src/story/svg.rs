//! Pictures of a story as SVG, drawn offline from the embedded geodata: a map inset around a
//! strip (with its evidence image at the date under it), an overview map of a selection, a
//! strip's lifeline, and bar charts. Vector, so they print sharp and stay small.

// Ignored: every `let _ = write!` in this file writes to a String, which cannot fail.
use std::fmt::Write;
use std::sync::OnceLock;

use chrono::NaiveDate;

use super::text::escape;
use super::words::status_colour;
use crate::geodata;
use crate::model::Status;

/// Web Mercator metres of a longitude and latitude.
fn merc(lon: f64, lat: f64) -> (f64, f64) {
    const R: f64 = 6_378_137.0;
    let lat = lat.clamp(-85.0, 85.0);
    (
        R * lon.to_radians(),
        R * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln(),
    )
}

/// Lines in longitude and latitude.
type Lines = Vec<Vec<(f64, f64)>>;

/// The embedded geodata as lon/lat lines, parsed once.
struct Layers {
    /// (class, lines): outline, departments, rivers, world countries, world rivers.
    lines: Vec<(&'static str, Lines)>,
    towns: Vec<geodata::Place>,
}

fn lines_of(bytes: &[u8], name: &str) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for f in crate::io::read_bytes(bytes, name).document.features() {
        let Some(g) = f.geometry() else { continue };
        push_lines(g.shape(), &mut out);
    }
    out
}

/// The lines of a shape, cut where they cross the antimeridian.
fn push_lines(shape: &geo::Geometry<f64>, out: &mut Vec<Vec<(f64, f64)>>) {
    let ring = |ls: &geo::LineString<f64>| {
        let points: Vec<(f64, f64)> = ls.0.iter().map(|c| (c.x, c.y)).collect();
        geodata::split_at_antimeridian(&points)
    };
    match shape {
        geo::Geometry::Polygon(p) => {
            out.extend(ring(p.exterior()));
            out.extend(p.interiors().iter().flat_map(ring));
        }
        geo::Geometry::MultiPolygon(mp) => {
            for p in &mp.0 {
                push_lines(&p.clone().into(), out);
            }
        }
        geo::Geometry::LineString(ls) => out.extend(ring(ls)),
        geo::Geometry::MultiLineString(mls) => out.extend(mls.0.iter().flat_map(ring)),
        _ => {}
    }
}

fn layers() -> &'static Layers {
    static LAYERS: OnceLock<Layers> = OnceLock::new();
    LAYERS.get_or_init(|| Layers {
        lines: vec![
            ("country", lines_of(geodata::WORLD_COUNTRIES, "countries")),
            ("wriver", lines_of(geodata::WORLD_RIVERS, "world rivers")),
            ("department", lines_of(geodata::DEPARTMENTS, "departments")),
            ("outline", lines_of(geodata::PERU_OUTLINE, "peru")),
            ("river", lines_of(geodata::VRAEM_RIVERS, "rivers")),
        ],
        towns: geodata::places().towns.clone(),
    })
}

/// A view: a Mercator box drawn into `width` × `height` pixels.
pub struct View {
    min: (f64, f64),
    max: (f64, f64),
    pub width: f64,
    pub height: f64,
}

impl View {
    /// The view around lon/lat points, with a margin, at least `min_span_m` across, keeping
    /// the picture's proportions.
    pub fn around(points: &[(f64, f64)], min_span_m: f64, width: f64, height: f64) -> View {
        let ms: Vec<(f64, f64)> = points.iter().map(|&(x, y)| merc(x, y)).collect();
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in &ms {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if ms.is_empty() {
            (x0, y0, x1, y1) = (0.0, 0.0, 0.0, 0.0);
        }
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let mut half_w = ((x1 - x0) * 0.6).max(min_span_m / 2.0);
        let mut half_h = ((y1 - y0) * 0.6).max(min_span_m / 2.0);
        // Keep the pixels square.
        if half_w / half_h < width / height {
            half_w = half_h * width / height;
        } else {
            half_h = half_w * height / width;
        }
        View {
            min: (cx - half_w, cy - half_h),
            max: (cx + half_w, cy + half_h),
            width,
            height,
        }
    }

    fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = merc(lon, lat);
        (
            (x - self.min.0) / (self.max.0 - self.min.0) * self.width,
            (self.max.1 - y) / (self.max.1 - self.min.1) * self.height,
        )
    }

    fn near(&self, p: (f64, f64)) -> bool {
        let m = 0.5;
        p.0 >= -self.width * m
            && p.0 <= self.width * (1.0 + m)
            && p.1 >= -self.height * m
            && p.1 <= self.height * (1.0 + m)
    }

    /// A path of the parts of `line` near the view.
    fn path(&self, line: &[(f64, f64)], out: &mut String) {
        let pts: Vec<(f64, f64)> = line.iter().map(|&(x, y)| self.px(x, y)).collect();
        let mut drawing = false;
        for (i, &p) in pts.iter().enumerate() {
            let keep = self.near(p)
                || pts.get(i.wrapping_sub(1)).is_some_and(|&q| self.near(q))
                || pts.get(i + 1).is_some_and(|&q| self.near(q));
            if keep {
                let _ = write!(
                    out,
                    "{}{:.1} {:.1}",
                    if drawing { " L" } else { "M" },
                    p.0,
                    p.1
                );
                drawing = true;
            } else {
                drawing = false;
            }
        }
    }

    /// The basemap: countries, departments, Peru's outline, rivers, towns.
    fn basemap(&self, out: &mut String) {
        let _ = write!(
            out,
            r##"<rect width="{w}" height="{h}" fill="#f2efe6"/>"##,
            w = self.width,
            h = self.height
        );
        for (class, lines) in &layers().lines {
            let mut d = String::new();
            for line in lines {
                self.path(line, &mut d);
                d.push(' ');
            }
            if !d.trim().is_empty() {
                let _ = write!(out, r#"<path class="{class}" d="{d}"/>"#);
            }
        }
        for town in &layers().towns {
            let p = self.px(town.lon_lat.0, town.lon_lat.1);
            if p.0 >= 0.0 && p.0 <= self.width && p.1 >= 0.0 && p.1 <= self.height {
                let _ = write!(
                    out,
                    r##"<circle cx="{:.1}" cy="{:.1}" r="2" fill="#333"/><text class="town" x="{:.1}" y="{:.1}">{}</text>"##,
                    p.0,
                    p.1,
                    p.0 + 4.0,
                    p.1 - 3.0,
                    escape(&town.name)
                );
            }
        }
    }

    fn shape(&self, shape: &geo::Geometry<f64>, colour: &str, out: &mut String) {
        match shape {
            geo::Geometry::Point(p) => {
                let (x, y) = self.px(p.x(), p.y());
                let _ = write!(
                    out,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="5.5" fill="{colour}" stroke="#fff" stroke-width="1.5"/>"##
                );
            }
            other => {
                let mut lines = Vec::new();
                push_lines(other, &mut lines);
                let mut d = String::new();
                for l in &lines {
                    self.path(l, &mut d);
                }
                let _ = write!(
                    out,
                    r##"<path d="{d}" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round"/><path d="{d}" fill="none" stroke="{colour}" stroke-width="4" stroke-linecap="round"/>"##
                );
            }
        }
    }
}

const STYLE: &str = "<style>.country{fill:none;stroke:#6b5b4b;stroke-width:1}.wriver{fill:none;stroke:#5d9cd6;stroke-width:1}.department{fill:none;stroke:#a89888;stroke-width:.8;stroke-dasharray:4 3}.outline{fill:none;stroke:#6b5b4b;stroke-width:1.4}.river{fill:none;stroke:#5d9cd6;stroke-width:1.2}.town{font:10px sans-serif;fill:#333}</style>";

/// A map around one strip: the basemap, its evidence image at the date (a data URI, over
/// its footprint) under it, and the strip in its status colour.
pub fn inset(
    shape: &geo::Geometry<f64>,
    status: Status,
    image: Option<(&str, [f64; 4])>,
    scale_label: &str,
) -> String {
    let mut points = Vec::new();
    let mut lines = Vec::new();
    push_lines(shape, &mut lines);
    points.extend(lines.into_iter().flatten());
    if let geo::Geometry::Point(p) = shape {
        points.push((p.x(), p.y()));
    }
    let view = View::around(&points, 5_000.0, 480.0, 300.0);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 300" width="480" height="300" role="img">{STYLE}"#
    );
    view.basemap(&mut out);
    if let Some((uri, [w, s, e, n])) = image {
        let (x0, y0) = view.px(w, n);
        let (x1, y1) = view.px(e, s);
        let _ = write!(
            out,
            r#"<image href="{uri}" x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" preserveAspectRatio="none"/>"#,
            x1 - x0,
            y1 - y0
        );
    }
    view.shape(shape, &status_colour(status), &mut out);
    // A 2 km scale bar (Mercator metres grow by 1 / cos(latitude)).
    let lat = points.first().map_or(0.0, |p| p.1);
    let bar = 2000.0 / lat.to_radians().cos() * view.width / (view.max.0 - view.min.0);
    let _ = write!(
        out,
        r##"<rect x="6" y="276" width="{:.1}" height="20" fill="#fff" opacity=".85"/><line x1="10" y1="290" x2="{:.1}" y2="290" stroke="#222" stroke-width="2"/><text x="12" y="286" font-size="9" font-family="sans-serif">{}</text></svg>"##,
        bar + 10.0,
        10.0 + bar,
        escape(scale_label)
    );
    out
}

/// An overview map of many strips, each a dot in its status colour.
pub fn overview(strips: &[((f64, f64), Status)]) -> String {
    let points: Vec<(f64, f64)> = strips.iter().map(|(p, _)| *p).collect();
    let view = View::around(&points, 40_000.0, 640.0, 420.0);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 420" width="640" height="420" role="img">{STYLE}"#
    );
    view.basemap(&mut out);
    for &((lon, lat), status) in strips {
        let (x, y) = view.px(lon, lat);
        let _ = write!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{}" stroke="#fff" stroke-width="1"/>"##,
            status_colour(status)
        );
    }
    out.push_str("</svg>");
    out
}

/// A strip's lifeline: its status over time as coloured spans from its first step to
/// `at`, the date marked, the first and last years written.
pub fn lifeline(steps: &[(NaiveDate, Status)], at: NaiveDate) -> String {
    let (w, h) = (640.0, 46.0);
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">"#
    );
    let Some(&(first, _)) = steps.first() else {
        out.push_str("</svg>");
        return out;
    };
    let last = steps.last().map_or(at, |s| s.0).max(at);
    let span = (last - first).num_days().max(1) as f64;
    let x = |d: NaiveDate| (d - first).num_days() as f64 / span * (w - 20.0) + 10.0;
    for (i, &(day, status)) in steps.iter().enumerate() {
        let end = steps.get(i + 1).map_or(last, |s| s.0);
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="8" width="{:.1}" height="18" fill="{}"/>"#,
            x(day),
            (x(end) - x(day)).max(1.0),
            status_colour(status)
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{a:.1}" x2="{a:.1}" y1="4" y2="30" stroke="#e0b000" stroke-width="2"/><text x="10" y="42" font-size="10" font-family="sans-serif">{}</text><text x="{:.1}" y="42" font-size="10" font-family="sans-serif" text-anchor="end">{}</text></svg>"##,
        first,
        w - 10.0,
        last,
        a = x(at)
    );
    out
}

/// Bars: (label, [(value, colour)]) stacked, one bar per label.
pub fn bars(rows: &[(String, Vec<(usize, &str)>)], height: f64) -> String {
    let n = rows.len().max(1) as f64;
    let width = 640.0;
    let max = rows
        .iter()
        .map(|(_, v)| v.iter().map(|(c, _)| c).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bar = (width - 40.0) / n;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {}" width="{width}" height="{}" role="img">"#,
        height + 30.0,
        height + 30.0
    );
    for (i, (label, values)) in rows.iter().enumerate() {
        let x = 30.0 + i as f64 * bar;
        let mut y = height;
        for &(value, colour) in values {
            let hgt = value as f64 / max * (height - 10.0);
            y -= hgt;
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{hgt:.1}" fill="{colour}"><title>{} {value}</title></rect>"#,
                (bar - 1.0).max(0.5),
                escape(label)
            );
        }
        let every = (rows.len() / 12).max(1);
        if i % every == 0 {
            let _ = write!(
                out,
                r#"<text x="{x:.1}" y="{:.1}" font-size="9" font-family="sans-serif">{}</text>"#,
                height + 14.0,
                escape(label)
            );
        }
    }
    let _ = write!(
        out,
        r#"<text x="0" y="10" font-size="9" font-family="sans-serif">{max}</text></svg>"#
    );
    out
}
