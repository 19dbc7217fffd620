//! A placemark as read from KML, and the shape of its geometries.

/// One placemark as read.
#[derive(Debug, Default)]
pub(super) struct Placemark {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
    pub(super) data: Vec<(String, String)>,
    pub(super) shapes: Vec<geo::Geometry<f64>>,
    pub(super) when: Option<String>,
    pub(super) begin: Option<String>,
    pub(super) end: Option<String>,
    pub(super) folders: Vec<String>,
    pub(super) at: usize,
}

pub(super) fn has(p: &Placemark, key: &str) -> bool {
    p.data.iter().any(|(k, _)| k == key)
}

/// The parts of a MultiGeometry as one shape: a multi-point, -line or -polygon when the
/// parts are all of one kind, else a collection.
pub(super) fn combine(parts: Vec<geo::Geometry<f64>>) -> geo::Geometry<f64> {
    use geo::Geometry as G;
    if parts.iter().all(|g| matches!(g, G::Point(_))) {
        return G::MultiPoint(
            parts
                .into_iter()
                .filter_map(|g| if let G::Point(p) = g { Some(p) } else { None })
                .collect(),
        );
    }
    if parts.iter().all(|g| matches!(g, G::LineString(_))) {
        return G::MultiLineString(geo::MultiLineString(
            parts
                .into_iter()
                .filter_map(|g| {
                    if let G::LineString(l) = g {
                        Some(l)
                    } else {
                        None
                    }
                })
                .collect(),
        ));
    }
    if parts.iter().all(|g| matches!(g, G::Polygon(_))) {
        return G::MultiPolygon(geo::MultiPolygon(
            parts
                .into_iter()
                .filter_map(|g| if let G::Polygon(p) = g { Some(p) } else { None })
                .collect(),
        ));
    }
    G::GeometryCollection(geo::GeometryCollection(parts))
}
