//! The world under the detailed Peru layers: every country's border and name, major rivers
//! and lakes (Natural Earth 1:50m, public domain), so data anywhere on Earth has context.

use std::sync::OnceLock;

use egui::epaint::{Mesh, Vertex};
use egui::{FontId, Painter, Rect, Shape, Stroke, pos2};

use super::lines::{LabelSpace, Line, rings};
use super::transform::{Merc, Transform, mercator};
use crate::app::theme;
use crate::io::read_bytes;

use crate::geodata::{WORLD_COUNTRIES as COUNTRIES, WORLD_LAKES as LAKES, WORLD_RIVERS as RIVERS};

struct Lake {
    outline: Line,
    triangles: Vec<[Merc; 3]>,
}

struct Country {
    name: String,
    label_at: Merc,
}

pub struct World {
    borders: Vec<Line>,
    countries: Vec<Country>,
    rivers: Vec<Line>,
    lakes: Vec<Lake>,
}

/// The world layers, parsed on first use.
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(World::load)
}

impl World {
    fn load() -> Self {
        let mut borders = Vec::new();
        let mut countries = Vec::new();
        for f in read_bytes(COUNTRIES, "world countries").document.features() {
            let Some(g) = f.geometry() else { continue };
            // Peru has its own 1:10m outline in the detailed layers.
            if f.label() != "Peru" {
                rings(g.shape(), &mut borders);
            }
            // The largest part's interior point: a label inside the country.
            let largest = match g.shape() {
                geo::Geometry::MultiPolygon(mp) => {
                    use geo::Area;
                    mp.0.iter()
                        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
                        .cloned()
                        .map(geo::Geometry::Polygon)
                }
                other => Some(other.clone()),
            };
            if let Some(p) = largest.and_then(|g| geo::InteriorPoint::interior_point(&g)) {
                countries.push(Country {
                    name: f.label().to_owned(),
                    label_at: mercator(p.x(), p.y()),
                });
            }
        }
        let mut rivers = Vec::new();
        for f in read_bytes(RIVERS, "world rivers").document.features() {
            if let Some(g) = f.geometry() {
                rings(g.shape(), &mut rivers);
            }
        }
        let mut lakes = Vec::new();
        for f in read_bytes(LAKES, "world lakes").document.features() {
            let Some(g) = f.geometry() else { continue };
            let polygons: Vec<geo::Polygon<f64>> = match g.shape() {
                geo::Geometry::Polygon(p) => vec![p.clone()],
                geo::Geometry::MultiPolygon(mp) => mp.0.clone(),
                _ => Vec::new(),
            };
            for p in polygons {
                use geo::TriangulateEarcut;
                let triangles = p
                    .earcut_triangles()
                    .into_iter()
                    .map(|t| {
                        let [a, b, c] = t.to_array();
                        [mercator(a.x, a.y), mercator(b.x, b.y), mercator(c.x, c.y)]
                    })
                    .collect();
                let outline =
                    Line::new(p.exterior().0.iter().map(|c| mercator(c.x, c.y)).collect());
                lakes.push(Lake { outline, triangles });
            }
        }
        World {
            borders,
            countries,
            rivers,
            lakes,
        }
    }

    /// How many countries, river lines and lakes there are (tests).
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.countries.len(), self.rivers.len(), self.lakes.len())
    }
}

/// Draws the parts of `path` that are in `view`: a country's border can have thousands of
/// points, of which a zoomed-in map shows a few. A segment is kept when its box meets the
/// view, so one that crosses the view with both ends outside is drawn too.
fn polyline(painter: &Painter, t: &Transform, path: &Line, view: &(Merc, Merc), stroke: Stroke) {
    let meets = |a: &Merc, b: &Merc| {
        a[0].max(b[0]) >= view.0[0]
            && a[0].min(b[0]) <= view.1[0]
            && a[1].max(b[1]) >= view.0[1]
            && a[1].min(b[1]) <= view.1[1]
    };
    let mut run: Vec<egui::Pos2> = Vec::new();
    let mut previous: Option<Merc> = None;
    for m in &path.points {
        let keep = previous.as_ref().is_some_and(|p| meets(p, m));
        if keep {
            if run.is_empty()
                && let Some(p) = previous
            {
                run.push(t.to_screen(p));
            }
            run.push(t.to_screen(*m));
        } else if run.len() >= 2 {
            painter.add(Shape::line(std::mem::take(&mut run), stroke));
        } else {
            run.clear();
        }
        previous = Some(*m);
    }
    if run.len() >= 2 {
        painter.add(Shape::line(run, stroke));
    }
}

/// Lakes, major rivers and country borders in view; country names at small scales.
pub fn draw(
    t: &Transform,
    zoom: f64,
    labels: &mut LabelSpace,
    borders: Option<&Painter>,
    rivers: Option<&Painter>,
    pass: super::lines::Pass,
) {
    let world = world();
    let view = t.visible(20.0);
    let shapes = pass == super::lines::Pass::Shapes;
    if let Some(painter) = rivers.filter(|_| shapes) {
        let mut mesh = Mesh::default();
        for lake in world.lakes.iter().filter(|l| l.outline.visible(&view)) {
            for tri in &lake.triangles {
                let base = mesh.vertices.len() as u32;
                for m in tri {
                    mesh.vertices.push(Vertex {
                        pos: t.to_screen(*m),
                        uv: egui::epaint::WHITE_UV,
                        color: theme::LAKE,
                    });
                }
                mesh.indices.extend([base, base + 1, base + 2]);
            }
        }
        if !mesh.is_empty() {
            painter.add(Shape::mesh(mesh));
        }
        for path in world.rivers.iter().filter(|p| p.visible(&view)) {
            polyline(painter, t, path, &view, Stroke::new(1.0, theme::RIVER));
        }
    }
    if let Some(painter) = borders {
        for path in world.borders.iter().filter(|p| shapes && p.visible(&view)) {
            polyline(
                painter,
                t,
                path,
                &view,
                Stroke::new(1.2, theme::COUNTRY_BORDER),
            );
        }
        // Country names with the other names, after the strips took their room.
        if !shapes && (2.5..7.0).contains(&zoom) {
            for c in &world.countries {
                let at = t.to_screen(c.label_at);
                if !t.rect.contains(at) {
                    continue;
                }
                let galley = painter.layout_no_wrap(
                    c.name.to_uppercase(),
                    FontId::proportional(11.0),
                    theme::DEPARTMENT_LABEL,
                );
                let rect = Rect::from_center_size(at, galley.size());
                if labels.claim(rect.expand(2.0)) {
                    painter.galley(
                        pos2(rect.left(), rect.top()),
                        galley,
                        theme::DEPARTMENT_LABEL,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_world_has_its_countries_rivers_and_lakes() {
        let (countries, rivers, lakes) = world().counts();
        assert!(countries >= 240, "{countries}");
        assert!(rivers >= 400, "{rivers}");
        assert!(lakes >= 250, "{lakes}");
        assert!(world().countries.iter().any(|c| c.name == "Brazil"));
    }

    /// Fiji's outline, which crosses ±180°, drew a border across South America at 16° S:
    /// no drawn segment may span more than half the world.
    #[test]
    fn no_border_runs_the_long_way_round() {
        let half = super::super::transform::mercator(0.0, 0.0)[0]
            - super::super::transform::mercator(-180.0, 0.0)[0];
        for line in &world().borders {
            for w in line.points.windows(2) {
                assert!((w[1][0] - w[0][0]).abs() < half, "a segment spans {:?}", w);
            }
        }
    }
}
