//! The nearest of a set of places to a point, by geodesic distance: an R-tree on points of
//! the unit sphere (where straight-line distance orders places as distance on the globe
//! does, at any latitude and across ±180°) proposes a few candidates, and the ellipsoid
//! decides among them.

use geo::orient::{Direction, Orient};
use geo::{GeodesicArea, LineString, Point, Polygon};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::measure::distance_m;

/// Places to search, each with an index into the caller's list.
pub struct Nearest {
    tree: RTree<GeomWithData<[f64; 3], usize>>,
    points: Vec<(f64, f64)>,
}

/// How many candidates on the sphere are measured on the ellipsoid.
const CANDIDATES: usize = 4;

/// A longitude and latitude as a point of the unit sphere.
fn on_sphere(lon: f64, lat: f64) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

impl Nearest {
    /// `points` are (longitude, latitude) in degrees.
    pub fn new(points: Vec<(f64, f64)>) -> Self {
        let tree = RTree::bulk_load(
            points
                .iter()
                .enumerate()
                .map(|(i, &(lon, lat))| GeomWithData::new(on_sphere(lon, lat), i))
                .collect(),
        );
        Nearest { tree, points }
    }

    /// Moves place `k` to `to`, or takes it out of the search with `None` (its number
    /// stays taken); an edit of one strip at a million does not rebuild the tree.
    pub fn set(&mut self, k: usize, to: Option<(f64, f64)>) {
        let Some(&(lon, lat)) = self.points.get(k) else {
            return;
        };
        self.tree.remove(&GeomWithData::new(on_sphere(lon, lat), k));
        if let Some((lon, lat)) = to {
            self.points[k] = (lon, lat);
            self.tree.insert(GeomWithData::new(on_sphere(lon, lat), k));
        }
    }

    /// Adds a place; returns its number.
    pub fn push(&mut self, (lon, lat): (f64, f64)) -> usize {
        let k = self.points.len();
        self.points.push((lon, lat));
        self.tree.insert(GeomWithData::new(on_sphere(lon, lat), k));
        k
    }

    /// The nearest place other than `except`, and its distance in metres.
    ///
    /// # Units
    /// Metres; coordinates are longitude, latitude.
    pub fn nearest(&self, lon: f64, lat: f64, except: Option<usize>) -> Option<(usize, f64)> {
        let at = Point::new(lon, lat);
        self.tree
            .nearest_neighbor_iter(&on_sphere(lon, lat))
            .filter(|c| Some(c.data) != except)
            .take(CANDIDATES)
            .map(|c| {
                let (x, y) = self.points[c.data];
                (c.data, distance_m(at, Point::new(x, y)))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// The geodesic length of a path and, when it has three or more points, the area it closes.
///
/// # Units
/// Metres and square metres; coordinates are longitude, latitude.
pub fn path_length_and_area(points: &[(f64, f64)]) -> (f64, Option<f64>) {
    let length = points
        .windows(2)
        .map(|w| distance_m(Point::new(w[0].0, w[0].1), Point::new(w[1].0, w[1].1)))
        .sum();
    let area = (points.len() >= 3).then(|| {
        let ring = LineString::from(points.to_vec());
        // The ellipsoid's area formula reads a clockwise ring as the rest of the Earth.
        Polygon::new(ring, vec![])
            .orient(Direction::Default)
            .geodesic_area_unsigned()
    });
    (length, area)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_removed_and_added_places_answer_as_a_rebuild() {
        let mut points: Vec<(f64, f64)> = (0..50)
            .map(|i| (-74.0 + f64::from(i) * 0.01, -12.0 - f64::from(i % 7) * 0.02))
            .collect();
        let mut nearest = Nearest::new(points.clone());
        nearest.set(3, Some((-73.1, -11.2)));
        points[3] = (-73.1, -11.2);
        nearest.set(10, None);
        let k = nearest.push((-73.5, -12.5));
        points.push((-73.5, -12.5));
        assert_eq!(k, 50);
        let probes = [
            (-73.1, -11.21),
            (-73.9, -12.05),
            (-73.5, -12.49),
            (-73.9, -12.0),
        ];
        for (lon, lat) in probes {
            // A rebuild of what is left: place 10 is gone.
            let found = nearest.nearest(lon, lat, None).map(|(i, _)| i);
            let best = (0..points.len()).filter(|&i| i != 10).min_by(|&a, &b| {
                let d = |i: usize| {
                    distance_m(Point::new(lon, lat), Point::new(points[i].0, points[i].1))
                };
                d(a).total_cmp(&d(b))
            });
            assert_eq!(found, best, "at {lon}, {lat}");
        }
    }

    #[test]
    fn finds_the_geodesically_nearest_other_place() {
        let places = vec![
            (-74.0, -12.0),
            (-74.01, -12.0),
            (-73.5, -12.5),
            (-74.0, -12.02),
        ];
        let n = Nearest::new(places);
        let (i, d) = n.nearest(-74.0, -12.0, Some(0)).unwrap();
        assert_eq!(i, 1);
        assert!((d - 1089.0).abs() < 5.0, "{d}");
        assert_eq!(n.nearest(-73.49, -12.5, None).unwrap().0, 2);
        assert!(Nearest::new(vec![]).nearest(0.0, 0.0, None).is_none());
    }

    #[test]
    fn measures_a_path_and_its_area() {
        // About 1.1 km a side near 12°S.
        let square = [
            (-74.0, -12.0),
            (-73.99, -12.0),
            (-73.99, -12.01),
            (-74.0, -12.01),
        ];
        let (length, area) = path_length_and_area(&square);
        assert!((length - 3.0 * 1100.0).abs() < 50.0, "{length}");
        let area = area.unwrap();
        assert!((area - 1.2e6).abs() < 0.05e6, "{area}");
        assert_eq!(path_length_and_area(&square[..2]).1, None);
    }

    #[test]
    fn the_nearest_over_a_continent_and_across_the_antimeridian_is_the_true_nearest() {
        // A grid over South America's latitudes, and two places either side of ±180°.
        let mut points: Vec<(f64, f64)> = (0..400)
            .map(|i| {
                let (a, b) = (f64::from(i % 20), f64::from(i / 20));
                (-80.0 + a * 2.1 + b * 0.13, -55.0 + b * 3.3 + a * 0.07)
            })
            .collect();
        points.extend([(179.9, -17.0), (-179.9, -17.2)]);
        let nearest = Nearest::new(points.clone());
        let mut probes: Vec<(f64, f64)> = (0..300)
            .map(|i| {
                let t = f64::from(i);
                (-82.0 + (t * 7.31) % 46.0, -56.0 + (t * 3.77) % 70.0)
            })
            .collect();
        probes.extend([(179.95, -17.1), (-179.95, -17.1)]);
        for (lon, lat) in probes {
            let found = nearest.nearest(lon, lat, None).map(|(i, _)| i);
            let best = (0..points.len()).min_by(|&a, &b| {
                let d = |i: usize| {
                    distance_m(Point::new(lon, lat), Point::new(points[i].0, points[i].1))
                };
                d(a).total_cmp(&d(b))
            });
            assert_eq!(found, best, "at {lon}, {lat}");
        }
    }
}
