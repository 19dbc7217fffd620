//! Coordinates in another reference system brought to WGS 84 longitude and latitude, with
//! proj4rs (pure Rust: no PROJ library to install) and its EPSG definitions; a CRS known
//! only by its WKT is read with proj4wkt.

use geo::MapCoords;
use proj4rs::Proj;

/// How to bring coordinates of one CRS to WGS 84.
pub struct ToWgs84 {
    /// `None` when the coordinates are WGS 84 degrees already.
    projection: Option<(Proj, Proj)>,
    /// Said in errors: `EPSG:32718`.
    pub name: String,
}

fn wgs84() -> Result<Proj, String> {
    Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").map_err(|e| e.to_string())
}

impl ToWgs84 {
    pub fn identity() -> Self {
        ToWgs84 {
            projection: None,
            name: "EPSG:4326".to_owned(),
        }
    }

    /// The CRS an EPSG code names; WGS 84 itself (4326, and CRS84) needs nothing.
    pub fn from_epsg(code: i64) -> Result<Self, String> {
        if code == 4326 {
            return Ok(Self::identity());
        }
        let name = format!("EPSG:{code}");
        let source = u16::try_from(code)
            .ok()
            .and_then(|c| Proj::from_epsg_code(c).ok())
            .ok_or_else(|| format!("Pistas does not know the reference system {name}"))?;
        Ok(ToWgs84 {
            projection: Some((source, wgs84()?)),
            name,
        })
    }

    /// The CRS a WKT or PROJ string defines.
    pub fn from_definition(definition: &str, name: &str) -> Result<Self, String> {
        let definition = definition.trim();
        let proj_string = if definition.starts_with('+') {
            definition.to_owned()
        } else {
            proj4wkt::wkt_to_projstring(definition)
                .map_err(|e| format!("the definition of {name} cannot be read ({e})"))?
        };
        let source = Proj::from_proj_string(&proj_string).map_err(|e| {
            format!("{name} ({proj_string}) is a reference system Pistas cannot project from ({e})")
        })?;
        if source.is_latlong() && proj_string.contains("WGS84") {
            return Ok(ToWgs84 {
                projection: None,
                name: name.to_owned(),
            });
        }
        Ok(ToWgs84 {
            projection: Some((source, wgs84()?)),
            name: name.to_owned(),
        })
    }

    pub fn is_identity(&self) -> bool {
        self.projection.is_none()
    }

    /// One position in WGS 84 degrees.
    pub fn point(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        let Some((source, target)) = &self.projection else {
            return Ok((x, y));
        };
        let mut p = if source.is_latlong() {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(source, target, &mut p)
            .map_err(|e| format!("({x}, {y}) in {} cannot be projected: {e}", self.name))?;
        Ok((p.0.to_degrees(), p.1.to_degrees()))
    }

    /// The shape in WGS 84 degrees.
    pub fn shape(&self, shape: geo::Geometry<f64>) -> Result<geo::Geometry<f64>, String> {
        if self.is_identity() {
            return Ok(shape);
        }
        shape.try_map_coords(|c| self.point(c.x, c.y).map(|(x, y)| geo::Coord { x, y }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm_18_south_lands_in_the_vraem() {
        // A point near Pichari in UTM 18S, and where GDAL (PROJ) puts it.
        let t = ToWgs84::from_epsg(32718).unwrap();
        let (lon, lat) = t.point(613_000.0, 8_620_000.0).unwrap();
        assert!(
            (lon - -73.960_131_46).abs() < 1e-7 && (lat - -12.481_323_46).abs() < 1e-7,
            "{lon} {lat}"
        );
        assert!(ToWgs84::from_epsg(4326).unwrap().is_identity());
        assert!(ToWgs84::from_epsg(99_999).is_err());
    }

    #[test]
    fn a_wkt_definition_is_read() {
        let wkt = r#"PROJCS["WGS 84 / UTM zone 18S",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",-75],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",10000000],UNIT["metre",1]]"#;
        let t = ToWgs84::from_definition(wkt, "UTM 18S").unwrap();
        let (lon, lat) = t.point(613_000.0, 8_620_000.0).unwrap();
        assert!(
            (lon - -73.960_131_46).abs() < 1e-7 && (lat - -12.481_323_46).abs() < 1e-7,
            "{lon} {lat}"
        );
    }
}
