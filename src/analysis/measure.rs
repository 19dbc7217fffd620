//! Geodesic measures of strips: runway length and heading, distances, representative points.

use geo::{Bearing, Centroid, Distance, Geodesic, Length, LineString, Point};

/// The length of a runway centreline along the WGS 84 ellipsoid.
///
/// # Units
/// Metres; coordinates are longitude, latitude.
///
/// ```
/// use geo::line_string;
/// let runway = line_string![(x: -74.0, y: -12.0), (x: -74.0, y: -12.01)];
/// let length_m = pistas::analysis::runway_length_m(&runway);
/// assert!((length_m - 1105.9).abs() < 1.0);
/// ```
pub fn runway_length_m(line: &LineString<f64>) -> f64 {
    Geodesic.length(line)
}

/// The heading of a runway from its first to its last point.
///
/// # Units
/// Degrees clockwise from true north, from 0 up to (not including) 360. `None` for a line
/// whose ends coincide.
pub fn runway_heading_deg(line: &LineString<f64>) -> Option<f64> {
    let first = Point::from(*line.0.first()?);
    let last = Point::from(*line.0.last()?);
    if first == last {
        return None;
    }
    Some(Geodesic.bearing(first, last).rem_euclid(360.0))
}

/// The distance between two points along the WGS 84 ellipsoid.
///
/// # Units
/// Metres.
pub fn distance_m(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic.distance(a, b)
}

/// A point that stands for a feature on a map or in an events layer: the point itself, a
/// line's middle vertex area (its centroid) or an area's centroid.
pub fn representative_point(shape: &geo::Geometry<f64>) -> Option<Point<f64>> {
    match shape {
        geo::Geometry::Point(p) => Some(*p),
        other => other.centroid(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, point};

    #[test]
    fn heading_is_clockwise_from_north() {
        let east = line_string![(x: -74.0, y: -12.0), (x: -73.99, y: -12.0)];
        let heading = runway_heading_deg(&east).expect("heading");
        assert!((heading - 90.0).abs() < 0.01, "{heading}");
        let south_west = line_string![(x: -74.0, y: -12.0), (x: -74.01, y: -12.01)];
        let heading = runway_heading_deg(&south_west).expect("heading");
        assert!((224.0..226.0).contains(&heading), "{heading}");
        let empty = line_string![(x: -74.0, y: -12.0), (x: -74.0, y: -12.0)];
        assert_eq!(runway_heading_deg(&empty), None);
    }

    #[test]
    fn representative_points() {
        let p = point!(x: -74.0, y: -12.0);
        assert_eq!(representative_point(&p.into()), Some(p));
        let line: geo::Geometry<f64> = line_string![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0)].into();
        assert_eq!(representative_point(&line), Some(point!(x: 1.0, y: 0.0)));
    }
}
