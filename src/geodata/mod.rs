//! The real geodata Pistas embeds (see `assets/README.md` for sources and licences): Peru's
//! outline and departments, the VRAEM's rivers, the world's countries, rivers and lakes,
//! and South America's first-level boundaries, towns and registered aerodromes
//! ([`south_america`]). The window's basemap, dossiers and the web map draw from these
//! bytes; the places are parsed once, in longitude and latitude, for measures without a
//! window (nearest town and aerodrome, which department).

pub mod south_america;

use std::sync::OnceLock;

pub const PERU_OUTLINE: &[u8] =
    include_bytes!("../../assets/basemap/peru_ne10m_worldatlas.geojson");
pub const DEPARTMENTS: &[u8] =
    include_bytes!("../../assets/basemap/peru_departments_ne10m_admin1.geojson");
pub const VRAEM_RIVERS: &[u8] =
    include_bytes!("../../assets/basemap/vraem_rivers_gshhg_wdbii_full.geojson");
pub const WORLD_COUNTRIES: &[u8] =
    include_bytes!("../../assets/basemap/world_countries_ne50m_worldatlas.geojson");
pub const WORLD_RIVERS: &[u8] =
    include_bytes!("../../assets/basemap/world_rivers_ne50m_sanetopojson.geojson");
pub const WORLD_LAKES: &[u8] =
    include_bytes!("../../assets/basemap/world_lakes_ne50m_sanetopojson.geojson");

/// The sources, short, for a map's corner.
pub const ATTRIBUTION: &str =
    "Natural Earth · GSHHG/WDBII (LGPL) · GeoNames (CC BY 4.0) · OurAirports";

/// The sources with their licences, for credits.
pub const CREDITS: &str = "Natural Earth (public domain): countries, Peru's outline and departments, world rivers and lakes; GSHHG/WDBII rivers, LGPL-3.0-or-later; GeoNames towns, CC BY 4.0; OurAirports aerodromes, public domain.";

/// A line or ring cut where it crosses the antimeridian: a step of more than 180° in
/// longitude between two vertices goes the short way round the globe, across ±180°, so
/// drawn as it is it would run the long way across the whole map (Fiji's outline drew a
/// border across South America at 16° S). Each piece is drawn on its own.
pub fn split_at_antimeridian(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut pieces = vec![Vec::new()];
    for (i, &p) in points.iter().enumerate() {
        if i > 0 && (p.0 - points[i - 1].0).abs() > 180.0 {
            pieces.push(Vec::new());
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push(p);
        }
    }
    pieces.retain(|p| p.len() >= 2);
    pieces
}

/// A named place in longitude and latitude.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub lon_lat: (f64, f64),
}

/// The places and areas measures need.
pub struct Places {
    /// South America's towns, largest first (for labels on the dossiers' maps).
    pub towns: Vec<Place>,
    /// Each department's name and shape.
    pub departments: Vec<(String, geo::Geometry<f64>)>,
}

/// The places, parsed on first use.
pub fn places() -> &'static Places {
    static PLACES: OnceLock<Places> = OnceLock::new();
    PLACES.get_or_init(|| Places {
        towns: south_america::context()
            .towns
            .iter()
            .map(|t| Place {
                name: t.name.clone(),
                lon_lat: t.lon_lat,
            })
            .collect(),
        departments: crate::io::read::read_bytes(DEPARTMENTS, "departments")
            .document
            .features()
            .iter()
            .filter_map(|f| {
                let name = f
                    .property_str("name_es")
                    .map(|n| n.into_owned())
                    .unwrap_or_else(|| f.label().to_owned());
                Some((name, f.geometry()?.shape().clone()))
            })
            .collect(),
    })
}

impl Places {
    /// The department a position lies in, if in Peru.
    pub fn department(&self, lon: f64, lat: f64) -> Option<&str> {
        use geo::Contains;
        let p = geo::Point::new(lon, lat);
        self.departments
            .iter()
            .find(|(_, shape)| shape.contains(&p))
            .map(|(name, _)| name.as_str())
    }

    /// The nearest town within 100 km, with the distance in metres.
    pub fn nearest_town(&self, lon: f64, lat: f64) -> Option<(&str, f64)> {
        south_america::context()
            .nearest_town(lon, lat)
            .map(|(t, m)| (t.name.as_str(), m))
    }

    /// The nearest registered aerodrome within 100 km ("ident name"), with the distance in
    /// metres.
    pub fn nearest_aerodrome(&self, lon: f64, lat: f64) -> Option<(String, f64)> {
        south_america::context()
            .nearest_aerodrome(lon, lat)
            .map(|(a, m)| (a.ident_and_name(), m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ring_across_the_antimeridian_is_cut_there() {
        // Fiji-like: 177° E to 179° W and back.
        let ring = [
            (177.0, -16.0),
            (179.5, -16.5),
            (-179.5, -17.0),
            (-179.0, -16.0),
            (179.9, -15.8),
            (177.0, -16.0),
        ];
        let pieces = split_at_antimeridian(&ring);
        assert_eq!(pieces.len(), 3);
        for piece in &pieces {
            for w in piece.windows(2) {
                assert!((w[1].0 - w[0].0).abs() <= 180.0, "{piece:?}");
            }
        }
        assert_eq!(pieces.iter().map(Vec::len).sum::<usize>(), ring.len());
        // A line that does not cross stays whole.
        assert_eq!(
            split_at_antimeridian(&[(-70.0, -10.0), (-60.0, -12.0)]).len(),
            1
        );
    }

    #[test]
    fn no_embedded_line_steps_across_the_antimeridian_once_cut() {
        for bytes in [WORLD_COUNTRIES, WORLD_RIVERS, WORLD_LAKES] {
            for f in crate::io::read::read_bytes(bytes, "world")
                .document
                .features()
            {
                let Some(g) = f.geometry() else { continue };
                let mut lines = Vec::new();
                collect(g.shape(), &mut lines);
                for line in lines {
                    for piece in split_at_antimeridian(&line) {
                        for w in piece.windows(2) {
                            assert!((w[1].0 - w[0].0).abs() <= 180.0, "{}", f.label());
                        }
                    }
                }
            }
        }
    }

    fn collect(shape: &geo::Geometry<f64>, out: &mut Vec<Vec<(f64, f64)>>) {
        let line = |ls: &geo::LineString<f64>| ls.0.iter().map(|c| (c.x, c.y)).collect();
        match shape {
            geo::Geometry::Polygon(p) => {
                out.push(line(p.exterior()));
                out.extend(p.interiors().iter().map(line));
            }
            geo::Geometry::MultiPolygon(mp) => {
                mp.0.iter().for_each(|p| collect(&p.clone().into(), out))
            }
            geo::Geometry::LineString(ls) => out.push(line(ls)),
            geo::Geometry::MultiLineString(mls) => out.extend(mls.0.iter().map(line)),
            _ => {}
        }
    }

    #[test]
    fn a_vraem_position_has_its_department_and_nearest_places() {
        let p = places();
        // Cusco city, and Ayacucho city.
        assert_eq!(p.department(-71.97, -13.53), Some("Cusco"));
        assert_eq!(p.department(-74.22, -13.16), Some("Ayacucho"));
        assert_eq!(p.department(-60.0, -30.0), None);
        let (town, m) = p.nearest_town(-73.83, -12.52).expect("a town");
        assert!(m < 20_000.0, "{town} at {m}");
        assert!(p.nearest_aerodrome(-73.83, -12.52).is_some());
    }
}
