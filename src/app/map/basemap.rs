//! The embedded offline basemap: Peru's outline, department borders and names, rivers with
//! the Apurímac, Ene and Mantaro labelled; South America's first-level boundaries and
//! names, towns and registered aerodromes. Parsed once from the embedded data
//! ([`crate::geodata`]) and kept in Mercator.

use std::sync::OnceLock;

use egui::{Align2, FontId, Painter, Rect, Shape, Stroke, pos2, vec2};

use super::lines::{LabelSpace, Line, Pass, rings};
use super::transform::{Merc, Transform, mercator};
use crate::app::theme;
use crate::io::read_bytes;
use crate::model::Document;

use crate::geodata::south_america;
use crate::geodata::{DEPARTMENTS, PERU_OUTLINE as OUTLINE, VRAEM_RIVERS as RIVERS};

/// Sources drawn by the offline basemap, for the attribution corner.
pub const ATTRIBUTION: &str = crate::geodata::ATTRIBUTION;

/// A named place.
pub struct Place {
    pub name: String,
    pub at: Merc,
    pub lon_lat: (f64, f64),
    /// Drawn and labelled before other places when space is short.
    pub priority: bool,
    pub detail: String,
    /// The least zoom it is drawn at.
    pub min_zoom: f64,
}

pub struct Basemap {
    pub outline: Vec<Line>,
    pub departments: Vec<Line>,
    pub department_labels: Vec<Place>,
    /// South America's first-level boundaries (Peru's are `departments`), and their names.
    pub admin1: Vec<Line>,
    pub admin1_labels: Vec<Place>,
    /// Rivers with their WDBII level (1 = major).
    pub rivers: Vec<(Line, i64)>,
    pub river_labels: Vec<Place>,
    /// Largest first.
    pub towns: Vec<Place>,
    pub aerodromes: Vec<Place>,
}

/// The least zoom a town of this population is drawn at: cities from the continent's
/// view, villages only close up.
fn town_zoom(population: u64) -> f64 {
    match population {
        1_000_000.. => 4.0,
        100_000.. => 5.0,
        20_000.. => 6.5,
        5_000.. => 7.5,
        _ => 8.5,
    }
}

/// The basemap, parsed on first use.
pub fn basemap() -> &'static Basemap {
    static BASEMAP: OnceLock<Basemap> = OnceLock::new();
    BASEMAP.get_or_init(Basemap::load)
}

fn doc(bytes: &[u8], name: &str) -> Document {
    read_bytes(bytes, name).document
}

impl Basemap {
    /// Reads every layer from the embedded data, in Mercator.
    fn load() -> Self {
        let (departments, department_labels) = load_departments();
        let rivers = load_rivers();
        let river_labels = river_labels(&rivers);
        let context = south_america::context();
        let (admin1, admin1_labels) = load_admin1();
        Basemap {
            outline: load_outline(),
            departments,
            department_labels,
            admin1,
            admin1_labels,
            rivers,
            river_labels,
            towns: context.towns.iter().map(town_place).collect(),
            aerodromes: context.aerodromes.iter().map(aerodrome_place).collect(),
        }
    }

    /// A town, department or aerodrome whose name matches `query` (case- and
    /// accent-insensitive), for the Go to box.
    pub fn find_place(&self, query: &str) -> Option<&Place> {
        let q = fold(query);
        let all = || {
            self.towns
                .iter()
                .chain(&self.aerodromes)
                .chain(&self.department_labels)
                .chain(&self.admin1_labels)
        };
        all()
            .find(|p| fold(&p.name) == q)
            .or_else(|| all().find(|p| fold(&p.name).starts_with(&q)))
    }
}

use crate::analysis::fold;

/// Peru's outline.
fn load_outline() -> Vec<Line> {
    let mut outline = Vec::new();
    for f in doc(OUTLINE, "peru outline").features() {
        if let Some(g) = f.geometry() {
            rings(g.shape(), &mut outline);
        }
    }
    outline
}

/// Peru's department borders, and each department's name in capitals.
fn load_departments() -> (Vec<Line>, Vec<Place>) {
    let mut departments = Vec::new();
    let mut department_labels = Vec::new();
    for f in doc(DEPARTMENTS, "departments").features() {
        if let Some(g) = f.geometry() {
            rings(g.shape(), &mut departments);
            // The interior point of a department, not its centroid, which may fall outside.
            if let Some(p) = geo::InteriorPoint::interior_point(g.shape()) {
                department_labels.push(Place {
                    name: f
                        .property_str("name_es")
                        .as_deref()
                        .unwrap_or(f.label())
                        .to_uppercase(),
                    at: mercator(p.x(), p.y()),
                    lon_lat: (p.x(), p.y()),
                    priority: true,
                    detail: String::new(),
                    min_zoom: 5.0,
                });
            }
        }
    }
    (departments, department_labels)
}

/// The rivers' lines, each with its WDBII level (9 when it has none).
fn load_rivers() -> Vec<(Line, i64)> {
    let mut rivers = Vec::new();
    for f in doc(RIVERS, "rivers").features() {
        let level = f
            .property("wdbii_level")
            .and_then(|v| v.get().parse::<i64>().ok())
            .unwrap_or(9);
        if let Some(g) = f.geometry() {
            let mut lines = Vec::new();
            rings(g.shape(), &mut lines);
            rivers.extend(lines.into_iter().map(|l| (l, level)));
        }
    }
    rivers
}

/// The river lines carry no names: label each named river at the vertex nearest to a
/// point well inside its course (the Apurímac above, the Ene below, the Mantaro before
/// their confluence).
fn river_labels(rivers: &[(Line, i64)]) -> Vec<Place> {
    [
        ("Río Apurímac", -73.75, -12.65),
        ("Río Ene", -74.0, -11.5),
        ("Río Mantaro", -74.2, -12.2),
    ]
    .into_iter()
    .filter_map(|(name, lon, lat)| {
        let target = mercator(lon, lat);
        let at = rivers
            .iter()
            .flat_map(|(l, _)| l.points.iter())
            .min_by(|a, b| dist2(**a, target).total_cmp(&dist2(**b, target)))?;
        Some(Place {
            name: name.to_owned(),
            at: *at,
            lon_lat: super::transform::lon_lat_of(*at),
            priority: true,
            detail: String::new(),
            min_zoom: 7.0,
        })
    })
    .collect()
}

/// A town as a place: its region and country as detail, drawn from a zoom by population.
fn town_place(t: &south_america::Town) -> Place {
    Place {
        name: t.name.clone(),
        at: mercator(t.lon_lat.0, t.lon_lat.1),
        lon_lat: t.lon_lat,
        priority: t.population >= 20_000,
        detail: [t.admin1.as_str(), t.country.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        min_zoom: town_zoom(t.population),
    }
}

/// An aerodrome as a place: its code, kind and runways as detail; major ones drawn sooner.
fn aerodrome_place(a: &south_america::Aerodrome) -> Place {
    Place {
        name: a.name.clone(),
        at: mercator(a.lon_lat.0, a.lon_lat.1),
        lon_lat: a.lon_lat,
        priority: a.major(),
        detail: [a.ident.as_str(), a.kind.as_str(), a.runways.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        min_zoom: if a.major() { 5.0 } else { 7.0 },
    }
}

/// South America's first-level boundaries, and their names (points with a `label`).
fn load_admin1() -> (Vec<Line>, Vec<Place>) {
    let mut admin1 = Vec::new();
    let mut admin1_labels = Vec::new();
    for f in read_bytes(south_america::admin1_geojson().as_bytes(), "admin1")
        .document
        .features()
    {
        let Some(g) = f.geometry() else { continue };
        match (g.shape(), f.property_str("label")) {
            (geo::Geometry::Point(p), Some(label)) => admin1_labels.push(Place {
                name: label.to_uppercase(),
                at: mercator(p.x(), p.y()),
                lon_lat: (p.x(), p.y()),
                priority: true,
                detail: String::new(),
                min_zoom: f
                    .property("min_zoom")
                    .and_then(|v| v.get().parse::<f64>().ok())
                    .unwrap_or(5.0)
                    .max(4.5),
            }),
            (shape, _) => rings(shape, &mut admin1),
        }
    }
    (admin1, admin1_labels)
}

fn dist2(a: Merc, b: Merc) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

fn polyline(painter: &Painter, t: &Transform, line: &Line, stroke: Stroke) {
    let points: Vec<_> = line.points.iter().map(|&m| t.to_screen(m)).collect();
    painter.add(Shape::line(points, stroke));
}

/// How opaque each context layer is drawn: 0 hides it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContextAlpha {
    pub aerodromes: f32,
    pub towns: f32,
    pub rivers: f32,
    pub borders: f32,
}

impl Default for ContextAlpha {
    fn default() -> Self {
        ContextAlpha {
            aerodromes: 1.0,
            towns: 1.0,
            rivers: 1.0,
            borders: 1.0,
        }
    }
}

fn with_alpha(painter: &Painter, alpha: f32) -> Option<Painter> {
    (alpha > 0.0).then(|| {
        let mut p = painter.clone();
        p.multiply_opacity(alpha);
        p
    })
}

/// Draws the basemap's lines (`Pass::Shapes`) or names (`Pass::Names`), each context
/// layer at its opacity. `vector` false (over tiles) draws only the aerodromes.
pub fn draw(
    painter: &Painter,
    t: &Transform,
    zoom: f64,
    labels: &mut LabelSpace,
    vector: bool,
    alpha: ContextAlpha,
    pass: Pass,
) {
    let borders = with_alpha(painter, alpha.borders);
    let rivers = with_alpha(painter, alpha.rivers);
    let aerodromes = with_alpha(painter, alpha.aerodromes);
    let towns = with_alpha(painter, alpha.towns);
    if vector {
        super::world::draw(t, zoom, labels, borders.as_ref(), rivers.as_ref(), pass);
        match pass {
            Pass::Shapes => draw_lines(t, zoom, borders.as_ref(), rivers.as_ref()),
            Pass::Names => draw_area_names(t, zoom, labels, borders.as_ref(), rivers.as_ref()),
        }
    }
    if let Some(painter) = &aerodromes {
        draw_aerodromes(painter, t, zoom, labels, pass);
    }
    if vector
        && zoom >= 4.0
        && let Some(painter) = &towns
    {
        draw_towns(painter, t, zoom, labels, pass);
    }
}

/// The boundaries, departments, rivers (minor ones only close up) and Peru's outline.
fn draw_lines(t: &Transform, zoom: f64, borders: Option<&Painter>, rivers: Option<&Painter>) {
    let map = basemap();
    let view = t.visible(20.0);
    if zoom >= 4.0
        && let Some(painter) = borders
    {
        for line in map.admin1.iter().filter(|l| l.visible(&view)) {
            polyline(painter, t, line, Stroke::new(0.8, theme::DEPARTMENT_BORDER));
        }
    }
    if let Some(painter) = borders {
        for line in map.departments.iter().filter(|l| l.visible(&view)) {
            polyline(painter, t, line, Stroke::new(1.0, theme::DEPARTMENT_BORDER));
        }
    }
    if let Some(painter) = rivers {
        for (line, level) in map.rivers.iter().filter(|(l, _)| l.visible(&view)) {
            let width = match level {
                1 => 2.2,
                2 | 3 => 1.4,
                _ => 0.8,
            };
            if *level <= 3 || zoom >= 9.0 {
                polyline(painter, t, line, Stroke::new(width, theme::RIVER));
            }
        }
    }
    if let Some(painter) = borders {
        for line in map.outline.iter().filter(|l| l.visible(&view)) {
            polyline(painter, t, line, Stroke::new(2.0, theme::COUNTRY_BORDER));
        }
    }
}

/// The names of rivers, then of departments and regions, each at its zooms.
fn draw_area_names(
    t: &Transform,
    zoom: f64,
    labels: &mut LabelSpace,
    borders: Option<&Painter>,
    rivers: Option<&Painter>,
) {
    let map = basemap();
    // Labels by priority: rivers, departments, aerodromes, then towns while space remains.
    if zoom >= 7.0
        && let Some(painter) = rivers
    {
        for p in &map.river_labels {
            text_label(painter, t, p, 14.0, theme::RIVER_LABEL, labels, false);
        }
    }
    if (5.0..10.5).contains(&zoom)
        && let Some(painter) = borders
    {
        for p in &map.department_labels {
            text_label(painter, t, p, 13.0, theme::DEPARTMENT_LABEL, labels, false);
        }
        for p in map.admin1_labels.iter().filter(|p| zoom >= p.min_zoom) {
            text_label(painter, t, p, 12.0, theme::DEPARTMENT_LABEL, labels, false);
        }
    }
}

/// The aerodromes in view at this zoom: their symbols, or their names close up.
fn draw_aerodromes(
    painter: &Painter,
    t: &Transform,
    zoom: f64,
    labels: &mut LabelSpace,
    pass: Pass,
) {
    let shown = basemap().aerodromes.iter().filter(|p| zoom >= p.min_zoom);
    for p in shown {
        let at = t.to_screen(p.at);
        if !t.rect.contains(at) {
            continue;
        }
        if pass == Pass::Shapes {
            aerodrome_symbol(painter, at);
        }
        if pass == Pass::Names && zoom >= 9.0 {
            let rect =
                Rect::from_min_size(at + vec2(7.0, -7.0), vec2(7.0 * p.name.len() as f32, 14.0));
            if labels.claim(rect) {
                painter.text(
                    at + vec2(7.0, 0.0),
                    Align2::LEFT_CENTER,
                    &p.name,
                    FontId::proportional(11.0),
                    theme::AERODROME,
                );
            }
        }
    }
}

/// The towns in view at this zoom: their dots, or their names beside them.
fn draw_towns(painter: &Painter, t: &Transform, zoom: f64, labels: &mut LabelSpace, pass: Pass) {
    // Largest first: where labels collide, the bigger town keeps its name.
    for p in basemap().towns.iter().filter(|p| zoom >= p.min_zoom) {
        let at = t.to_screen(p.at);
        if !t.rect.contains(at) {
            continue;
        }
        if pass == Pass::Shapes {
            painter.circle_filled(at, if p.priority { 2.8 } else { 2.2 }, theme::TOWN);
        } else {
            text_label(painter, t, p, 11.0, theme::TOWN, labels, true);
        }
    }
}

fn text_label(
    painter: &Painter,
    t: &Transform,
    place: &Place,
    size: f32,
    colour: egui::Color32,
    labels: &mut LabelSpace,
    beside: bool,
) {
    let at = t.to_screen(place.at);
    if !t.rect.contains(at) {
        return;
    }
    let font = FontId::proportional(size);
    let galley = painter.layout_no_wrap(place.name.clone(), font, colour);
    let size = galley.size();
    let min = if beside {
        at + vec2(4.0, -size.y / 2.0)
    } else {
        at - size / 2.0
    };
    let rect = Rect::from_min_size(min, size);
    if labels.claim(rect.expand(2.0)) {
        painter.rect_filled(rect.expand(1.0), 2.0, theme::TOWN_HALO);
        painter.galley(rect.min, galley, colour);
    }
}

/// The registered-aerodrome symbol: a small square with a runway stroke.
pub fn aerodrome_symbol(painter: &Painter, at: egui::Pos2) {
    let r = Rect::from_center_size(at, vec2(9.0, 9.0));
    painter.rect_filled(r, 1.5, theme::MARKER_FILL);
    painter.rect_stroke(
        r,
        1.5,
        Stroke::new(1.5, theme::AERODROME),
        egui::StrokeKind::Inside,
    );
    painter.line_segment(
        [
            pos2(r.left() + 2.0, r.bottom() - 2.0),
            pos2(r.right() - 2.0, r.top() + 2.0),
        ],
        Stroke::new(1.5, theme::AERODROME),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basemap_has_every_layer() {
        let m = basemap();
        assert!(!m.outline.is_empty());
        assert!(m.departments.len() >= 25);
        assert!(m.rivers.len() > 40);
        assert_eq!(m.river_labels.len(), 3);
        assert!(m.towns.len() > 200);
        assert!(m.aerodromes.len() >= 20);
        assert!(m.department_labels.iter().any(|d| d.name == "AYACUCHO"));
    }

    #[test]
    fn places_are_found_without_accents() {
        let m = basemap();
        let p = m
            .find_place("pichari")
            .expect("Pichari is a town in the VRAEM");
        assert!(p.lon_lat.0 < -73.0 && p.lon_lat.0 > -75.0);
        assert!(m.find_place("no such place").is_none());
    }
}
