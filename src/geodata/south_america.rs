//! South America's context, embedded compressed (`assets/world/`, made by its `make.py`
//! from the shared data; sources and licences in `assets/README.md`): first-level
//! boundaries and their names (Natural Earth 10m admin-1, public domain), 11,755 populated
//! places (GeoNames cities1000, CC BY 4.0) and 10,023 registered aerodromes with their
//! runways (OurAirports, public domain). Decompressed and parsed once, on first use.

use std::io::Read;
use std::sync::OnceLock;

use crate::analysis::Nearest;

const ADMIN1: &[u8] = include_bytes!("../../assets/world/admin1_south_america.geojson.gz");
const PLACES: &[u8] = include_bytes!("../../assets/world/places_south_america.tsv.gz");
const AERODROMES: &[u8] = include_bytes!("../../assets/world/aerodromes_south_america.tsv.gz");

/// Beyond this, the nearest town or aerodrome says nothing about a place.
pub const NEAR_M: f64 = 100_000.0;

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    // The bytes are the project's own, checked by the tests: a failure here is a build
    // made from a broken checkout, and the layer is then empty rather than the app down.
    if flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .is_err()
    {
        text.clear();
    }
    text
}

/// A populated place.
#[derive(Debug, Clone)]
pub struct Town {
    pub name: String,
    pub lon_lat: (f64, f64),
    /// 0 when GeoNames does not know it.
    pub population: u64,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The first-level division (state, department, province), when known.
    pub admin1: String,
}

/// A registered aerodrome.
#[derive(Debug, Clone)]
pub struct Aerodrome {
    /// OurAirports' identifier (ICAO code where there is one).
    pub ident: String,
    pub name: String,
    /// small_airport, medium_airport, large_airport, heliport, closed, seaplane_base …
    pub kind: String,
    pub country: String,
    pub municipality: String,
    pub lon_lat: (f64, f64),
    /// Runways as "length x width ft surface", joined by "; " (most small strips have none
    /// on record).
    pub runways: String,
}

impl Aerodrome {
    /// Airports big enough to show on a map of a whole country.
    pub fn major(&self) -> bool {
        matches!(self.kind.as_str(), "medium_airport" | "large_airport")
    }

    /// "SPAY Atalaya", as a column of a table says it.
    pub fn ident_and_name(&self) -> String {
        format!("{} {}", self.ident, self.name)
    }
}

/// The context of South America, with an index for the nearest of each.
pub struct Context {
    /// Largest first.
    pub towns: Vec<Town>,
    pub aerodromes: Vec<Aerodrome>,
    town_index: Nearest,
    aerodrome_index: Nearest,
}

/// The first-level boundaries and label points, as GeoJSON.
pub fn admin1_geojson() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| gunzip(ADMIN1))
}

/// South America's places and aerodromes, parsed on first use.
pub fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(Context::load)
}

fn coordinate(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl Context {
    fn load() -> Context {
        let towns: Vec<Town> = gunzip(PLACES)
            .lines()
            .filter_map(|line| {
                let c: Vec<&str> = line.split('\t').collect();
                Some(Town {
                    name: c.first()?.to_string(),
                    lon_lat: (coordinate(c.get(1)?)?, coordinate(c.get(2)?)?),
                    population: c.get(3)?.parse().unwrap_or(0),
                    country: c.get(4)?.to_string(),
                    admin1: c.get(5).copied().unwrap_or_default().to_string(),
                })
            })
            .collect();
        let aerodromes: Vec<Aerodrome> = gunzip(AERODROMES)
            .lines()
            .filter_map(|line| {
                let c: Vec<&str> = line.split('\t').collect();
                Some(Aerodrome {
                    ident: c.first()?.to_string(),
                    name: c.get(1)?.to_string(),
                    kind: c.get(2)?.to_string(),
                    country: c.get(3)?.to_string(),
                    municipality: c.get(4)?.to_string(),
                    lon_lat: (coordinate(c.get(5)?)?, coordinate(c.get(6)?)?),
                    runways: c.get(7).copied().unwrap_or_default().to_string(),
                })
            })
            .collect();
        Context {
            town_index: Nearest::new(towns.iter().map(|t| t.lon_lat).collect()),
            aerodrome_index: Nearest::new(aerodromes.iter().map(|a| a.lon_lat).collect()),
            towns,
            aerodromes,
        }
    }

    /// The towns' index, numbered as [`Context::towns`].
    pub fn town_index(&self) -> &Nearest {
        &self.town_index
    }

    /// The aerodromes' index, numbered as [`Context::aerodromes`].
    pub fn aerodrome_index(&self) -> &Nearest {
        &self.aerodrome_index
    }

    /// The nearest town within [`NEAR_M`], with the distance in metres.
    pub fn nearest_town(&self, lon: f64, lat: f64) -> Option<(&Town, f64)> {
        let (i, m) = self.town_index.nearest(lon, lat, None)?;
        (m <= NEAR_M).then(|| (&self.towns[i], m))
    }

    /// The nearest registered aerodrome within [`NEAR_M`], with the distance in metres.
    pub fn nearest_aerodrome(&self, lon: f64, lat: f64) -> Option<(&Aerodrome, f64)> {
        let (i, m) = self.aerodrome_index.nearest(lon, lat, None)?;
        (m <= NEAR_M).then(|| (&self.aerodromes[i], m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layer_of_the_continent_is_there() {
        let c = context();
        assert_eq!(c.towns.len(), 11_755);
        assert_eq!(c.aerodromes.len(), 10_023);
        assert!(
            c.aerodromes
                .iter()
                .filter(|a| !a.runways.is_empty())
                .count()
                > 3_000
        );
        assert_eq!(c.towns[0].name, "São Paulo", "largest first");
        let admin1 = crate::io::read::read_bytes(admin1_geojson().as_bytes(), "admin1").document;
        assert!(admin1.features().len() > 500, "{}", admin1.features().len());
        // Brazil's states are there, and Peru's departments are left to Peru's own layer.
        let countries: std::collections::BTreeSet<String> = admin1
            .features()
            .iter()
            .filter_map(|f| f.property_str("country").map(|c| c.into_owned()))
            .collect();
        assert!(
            countries.contains("BR") && !countries.contains("PE"),
            "{countries:?}"
        );
    }

    #[test]
    fn the_nearest_town_and_aerodrome_anywhere_in_south_america() {
        let c = context();
        // Near Manaus, Brazil.
        let (town, m) = c.nearest_town(-60.02, -3.1).expect("a town");
        assert_eq!(town.name, "Manaus");
        assert!(m < 5_000.0, "{m}");
        let (aerodrome, _) = c.nearest_aerodrome(-60.02, -3.1).expect("an aerodrome");
        assert_eq!(aerodrome.country, "BR");
        // Pichari, in the VRAEM.
        let (town, _) = c.nearest_town(-73.83, -12.52).expect("a town");
        assert!(!town.name.is_empty());
        // The middle of the Pacific: nothing within 100 km.
        assert!(c.nearest_town(-100.0, -30.0).is_none());
        assert!(c.nearest_aerodrome(-100.0, -30.0).is_none());
    }
}
