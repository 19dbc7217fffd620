//! Web Mercator in the unit square, and the affine step from there to the screen that the
//! walkers projector implies. Features are projected once per document change; each frame
//! only scales and shifts them.

use egui::{Pos2, Rect, pos2};
use walkers::{Position, Projector, lon_lat};

/// Latitude limit of Web Mercator.
const MAX_LAT: f64 = 85.051_128_78;

/// A position in Web Mercator scaled to the unit square: x east from -180°, y south from
/// +85.05°.
pub type Merc = [f64; 2];

/// Projects longitude, latitude (degrees) to the unit Mercator square.
pub fn mercator(lon: f64, lat: f64) -> Merc {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// The inverse of [`mercator`]: `(lon, lat)` in degrees.
pub fn lon_lat_of(m: Merc) -> (f64, f64) {
    let lon = m[0] * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * m[1]);
    let lat = n.sinh().atan().to_degrees();
    (lon, lat)
}

/// Screen position = origin + merc × world size, for the current frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transform {
    origin: [f64; 2],
    /// The width of the whole world in points at the current zoom.
    pub world_px: f64,
    pub rect: Rect,
}

impl Transform {
    /// The transform the walkers projector draws with.
    pub fn from_projector(projector: &Projector) -> Self {
        let west = projector.project(lon_lat(-180.0, 0.0));
        let east = projector.project(lon_lat(180.0, 0.0));
        let world_px = f64::from(east.x) - f64::from(west.x);
        // Project the centre precisely in f64 to avoid f32 loss at high zoom.
        let centre = projector.clip_rect().center();
        let at_centre = projector.unproject(centre.to_vec2());
        let m = mercator(at_centre.x(), at_centre.y());
        let origin = [
            f64::from(centre.x) - m[0] * world_px,
            f64::from(centre.y) - m[1] * world_px,
        ];
        Transform {
            origin,
            world_px,
            rect: projector.clip_rect(),
        }
    }

    /// A transform for a view centred on `centre` at walkers zoom `zoom` (256-point tiles).
    pub fn centred(rect: Rect, centre: Merc, zoom: f64) -> Self {
        let world_px = 256.0 * 2f64.powf(zoom);
        let c = rect.center();
        Transform {
            origin: [
                f64::from(c.x) - centre[0] * world_px,
                f64::from(c.y) - centre[1] * world_px,
            ],
            world_px,
            rect,
        }
    }

    pub fn to_screen(&self, m: Merc) -> Pos2 {
        pos2(
            (self.origin[0] + m[0] * self.world_px) as f32,
            (self.origin[1] + m[1] * self.world_px) as f32,
        )
    }

    pub fn to_merc(&self, p: Pos2) -> Merc {
        [
            (f64::from(p.x) - self.origin[0]) / self.world_px,
            (f64::from(p.y) - self.origin[1]) / self.world_px,
        ]
    }

    /// The geographic position under a screen point.
    pub fn position(&self, p: Pos2) -> Position {
        let (lon, lat) = lon_lat_of(self.to_merc(p));
        lon_lat(lon, lat)
    }

    /// The Mercator box the screen shows, grown by `margin_px` on each side.
    pub fn visible(&self, margin_px: f32) -> (Merc, Merc) {
        let r = self.rect.expand(margin_px);
        (self.to_merc(r.min), self.to_merc(r.max))
    }

    /// Length in points of `px` screen distance expressed in Mercator units.
    pub fn merc_per_px(&self) -> f64 {
        1.0 / self.world_px
    }
}

/// The walkers zoom at which the Mercator box `min..max` fills `rect` with a margin.
pub fn zoom_to_fit(rect: Rect, min: Merc, max: Merc) -> f64 {
    let w = (max[0] - min[0]).max(1e-9);
    let h = (max[1] - min[1]).max(1e-9);
    let world_px = (f64::from(rect.width()) / w).min(f64::from(rect.height()) / h) * 0.85;
    (world_px / 256.0).log2().clamp(2.0, 17.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mercator_round_trips() {
        for (lon, lat) in [(-73.95, -12.35), (0.0, 0.0), (179.0, 60.0)] {
            let (x, y) = lon_lat_of(mercator(lon, lat));
            assert!((x - lon).abs() < 1e-9 && (y - lat).abs() < 1e-9);
        }
        assert_eq!(mercator(-180.0, 0.0), [0.0, 0.5]);
    }

    #[test]
    fn transform_is_inverse() {
        let rect = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        let t = Transform::centred(rect, mercator(-74.0, -12.0), 10.0);
        let p = t.to_screen(mercator(-74.0, -12.0));
        assert!((p - rect.center()).length() < 0.01);
        let m = t.to_merc(pos2(100.0, 50.0));
        assert!((t.to_screen(m) - pos2(100.0, 50.0)).length() < 0.01);
    }

    #[test]
    fn fit_covers_the_box() {
        let rect = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        let (a, b) = (mercator(-75.5, -11.0), mercator(-73.0, -13.8));
        let z = zoom_to_fit(rect, [a[0], a[1]], [b[0], b[1]]);
        let t = Transform::centred(rect, [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0], z);
        assert!(rect.contains(t.to_screen(a)) && rect.contains(t.to_screen(b)));
        assert!(z > 7.0 && z < 9.0, "{z}");
    }
}
