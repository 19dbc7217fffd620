//! Reproducible synthetic datasets inside the VRAEM, for tests and benchmarks.
//!
//! Positions and histories are invented: strips are cleared, seen, destroyed in police
//! operations and rebuilt days or weeks later, some many times. Nothing here is real.

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{
    Confidence, Document, Event, EventType, Feature, FeatureId, Field, FuzzyDate, Qualifier,
    Reference, Source, json_string,
};

/// The box the strips are placed in: lon -74.9..-73.4, lat -13.2..-11.4, inside the VRAEM.
const LON: (f64, f64) = (-74.9, -73.4);
const LAT: (f64, f64) = (-13.2, -11.4);

const SOURCES: [&str; 5] = [
    "Synthetic police bulletin",
    "Synthetic press report",
    "Synthetic imagery review",
    "Synthetic field interview",
    "Synthetic NGO report",
];

/// `strips` synthetic strips; the same `seed` always gives the same document.
pub fn generate(strips: usize, seed: u64) -> Document {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let epoch = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or(NaiveDate::MIN);
    let features = (0..strips)
        .map(|i| {
            let lon = rng.random_range(LON.0..LON.1);
            let lat = rng.random_range(LAT.0..LAT.1);
            let shape: geo::Geometry<f64> = if rng.random_bool(0.4) {
                // A runway centreline 400 to 1,200 m long.
                let length_deg = rng.random_range(400.0..1200.0) / 111_000.0;
                let heading = rng.random_range(0.0..std::f64::consts::PI);
                let (dx, dy) = (
                    length_deg * heading.sin() / 2.0,
                    length_deg * heading.cos() / 2.0,
                );
                geo::LineString::from(vec![(lon - dx, lat - dy), (lon + dx, lat + dy)]).into()
            } else {
                geo::Point::new(lon, lat).into()
            };
            let id = FeatureId::String(format!("syn-{:06}", i + 1));
            let mut feature =
                Feature::new_strip(id, &format!("Synthetic strip {:06}", i + 1), shape);
            let mut day = epoch + chrono::Duration::days(rng.random_range(0..4000));
            let mut events = vec![event(&mut rng, EventType::Built, day, 0)];
            let cycles = rng.random_range(0..5);
            for n in 0..cycles {
                day += chrono::Duration::days(rng.random_range(20..400));
                let kind = if rng.random_bool(0.2) {
                    EventType::Sighted
                } else {
                    EventType::Destroyed
                };
                events.push(event(&mut rng, kind, day, n + 1));
                if kind == EventType::Destroyed && rng.random_bool(0.7) {
                    day += chrono::Duration::days(rng.random_range(2..120));
                    events.push(event(&mut rng, EventType::Rebuilt, day, n + 1));
                }
            }
            if let Some(slot) = feature.events_mut() {
                *slot = events;
            }
            feature.set_property(
                "notes",
                json_string(
                    "Synthetic strip made by `pistas generate`: invented location and history.",
                ),
            );
            feature
        })
        .collect();
    let (doc, _) = Document::with_unique_ids(
        features,
        vec![(
            "description".to_owned(),
            json_string(&format!(
                "SYNTHETIC DATA from `pistas generate --strips {strips} --seed {seed}`: invented strips, not real places or events."
            )),
        )],
    );
    doc
}

fn event(rng: &mut ChaCha8Rng, kind: EventType, day: NaiveDate, cycle: u32) -> Event {
    let mut date = FuzzyDate::from_day(day);
    if rng.random_bool(0.15) {
        // Some sources give only the month, or an approximate day.
        date = FuzzyDate::parse(&day.format("%Y-%m").to_string()).unwrap_or(date);
    } else if rng.random_bool(0.1) {
        date = date.with_qualifier(Qualifier::Approximate);
    }
    let mut e = Event::new(kind, date);
    *e.id_mut() = Field::Value(format!("e{}-{cycle}", kind.as_str()));
    *e.confidence_mut() = Field::Value(Confidence::ALL[rng.random_range(0..3)]);
    let title = SOURCES[rng.random_range(0..SOURCES.len())];
    let url = format!(
        "https://example.org/synthetic/{}",
        rng.random_range(1000..99999)
    );
    let mut reference = Reference::titled(title, Some(&url));
    *reference.accessed_mut() = Field::Value(day.to_string());
    *e.sources_mut() = vec![Source::Reference(reference)];
    if kind == EventType::Destroyed {
        *e.operation_mut() = Field::Value(format!("Synthetic operation {}", day.format("%Y-%m")));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_inside_the_box() {
        let a = generate(50, 7);
        assert_eq!(a, generate(50, 7));
        assert_ne!(a, generate(50, 8));
        assert_eq!(a.features().len(), 50);
        for f in a.features() {
            let shape = f.geometry().expect("geometry").shape();
            let p = crate::analysis::representative_point(shape).expect("point");
            assert!((LON.0 - 0.1..LON.1 + 0.1).contains(&p.x()));
            assert!((LAT.0 - 0.1..LAT.1 + 0.1).contains(&p.y()));
            assert!(!f.events().is_empty());
        }
    }
}
