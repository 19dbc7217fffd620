//! Georeferenced evidence at a date: for each strip, its latest image with a footprint on
//! or before the day, so that playing the timeline shows a runway cleared, cratered and
//! rebuilt. Built once per document version; answering for a new date looks only at the
//! strips that have such images.

use chrono::NaiveDate;

use crate::model::{Document, Evidence};

/// One image placed on the map: the strip it belongs to, the day it shows, its item.
#[derive(Debug, Clone)]
pub struct Placed {
    pub strip: usize,
    /// The first day the image can show: its `captured` date, else its event's.
    pub day: NaiveDate,
    pub item: Evidence,
    pub footprint: [f64; 4],
}

/// Every strip's footprinted images, each strip's by day.
#[derive(Debug, Clone, Default)]
pub struct ImageryIndex {
    /// Per strip with images: its images, earliest first.
    strips: Vec<Vec<Placed>>,
}

/// True for items the map can draw: an image's media type or extension.
fn drawable(item: &Evidence) -> bool {
    let kind = crate::io::evidence::media::Kind::of(
        item.media_type().as_deref(),
        &item.path().unwrap_or_default(),
    );
    kind == crate::io::evidence::media::Kind::Image
}

/// A strip's footprinted images, earliest first (among images of one day, the file's
/// order).
fn placed_of(index: usize, feature: &crate::model::Feature) -> Vec<Placed> {
    let mut placed = Vec::new();
    for event in feature.events() {
        for item in event.evidence() {
            let Some(footprint) = item.footprint() else {
                continue;
            };
            if !drawable(item) {
                continue;
            }
            let day = item
                .captured()
                .map_or_else(|| event.date().start(), |d| d.start());
            placed.push(Placed {
                strip: index,
                day,
                item: item.clone(),
                footprint,
            });
        }
    }
    placed.sort_by_key(|p| p.day);
    placed
}

/// The image a map shows for one strip at `day`: its latest footprinted image on or before
/// the day.
pub fn image_at(feature: &crate::model::Feature, day: NaiveDate) -> Option<Placed> {
    let mut placed = placed_of(0, feature);
    let shown = placed.partition_point(|p| p.day <= day);
    (shown > 0).then(|| placed.swap_remove(shown - 1))
}

impl ImageryIndex {
    /// Reads every strip that may hold evidence (the others are skipped unread).
    pub fn of(doc: &Document) -> Self {
        let mut strips = Vec::new();
        for (index, feature) in doc.features().iter().enumerate() {
            if !feature.may_have_evidence() {
                continue;
            }
            let placed = placed_of(index, &feature.decoded());
            if !placed.is_empty() {
                strips.push(placed);
            }
        }
        ImageryIndex { strips }
    }

    /// Reads features `touched` (changed in place) again, leaving the others as they were.
    pub fn update(&mut self, doc: &Document, touched: &[usize]) {
        let touched_set: std::collections::HashSet<usize> = touched.iter().copied().collect();
        self.strips.retain(|images| {
            images
                .first()
                .is_none_or(|p| !touched_set.contains(&p.strip))
        });
        for &index in touched {
            if let Some(feature) = doc.features().get(index) {
                let placed = placed_of(index, &feature.decoded());
                if !placed.is_empty() {
                    self.strips.push(placed);
                }
            }
        }
        // The strips' order, as `of` makes it.
        self.strips
            .sort_by_key(|images| images.first().map_or(0, |p| p.strip));
    }

    /// How many strips have images.
    pub fn strips(&self) -> usize {
        self.strips.len()
    }

    /// For each strip whose latest image on or before `day` overlaps `view` (west, south,
    /// east, north), that image, in the order of strips.
    pub fn at(&self, day: NaiveDate, view: [f64; 4]) -> Vec<&Placed> {
        let [vw, vs, ve, vn] = view;
        self.strips
            .iter()
            .filter_map(|images| {
                let shown = images.partition_point(|p| p.day <= day);
                images.get(shown.checked_sub(1)?)
            })
            .filter(|p| {
                let [w, s, e, n] = p.footprint;
                w <= ve && e >= vw && s <= vn && n >= vs
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_bytes;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_strip_shows_its_latest_image_on_or_before_the_day() {
        let hash = |c: char| c.to_string().repeat(64);
        let item = |c: char, extra: &str| {
            format!(
                r#"{{"sha256":"{}","path":"{c}{c}/x.png","footprint":[-74.1,-12.1,-74.0,-12.0]{extra}}}"#,
                hash(c)
            )
        };
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","id":"a","geometry":{{"type":"Point","coordinates":[-74.05,-12.05]}},"properties":{{"events":[
              {{"type":"sighted","date":"2014-03-01","evidence":[{}]}},
              {{"type":"destroyed","date":"2014-09-05","evidence":[{},{}]}},
              {{"type":"rebuilt","date":"2015~","evidence":[{}]}}]}}}},
            {{"type":"Feature","id":"b","geometry":{{"type":"Point","coordinates":[-70,-10]}},"properties":{{"events":[{{"type":"sighted","date":"2014"}}]}}}}]}}"#,
            item('a', ""),
            item('b', ""),
            item('c', r#","path":"cc/report.pdf""#).replace(r#""path":"cc/x.png","#, ""),
            item('d', r#","captured":"2014-12-01""#)
        );
        let doc = read_bytes(text.as_bytes(), "t").document;
        let index = ImageryIndex::of(&doc);
        assert_eq!(index.strips(), 1);
        let everywhere = [-180.0, -90.0, 180.0, 90.0];
        let shown = |d: &str| {
            index
                .at(day(d), everywhere)
                .iter()
                .map(|p| p.item.sha256())
                .collect::<Vec<_>>()
        };
        assert!(shown("2014-02-28").is_empty());
        assert_eq!(shown("2014-06-01"), vec![hash('a')]);
        // The PDF of the destruction is not drawn; its image is.
        assert_eq!(shown("2014-10-01"), vec![hash('b')]);
        // The rebuilt event's image was captured on 2014-12-01, before its fuzzy date.
        assert_eq!(shown("2014-12-01"), vec![hash('d')]);
        assert!(index.at(day("2016-01-01"), [0.0, 0.0, 1.0, 1.0]).is_empty());
        // An edit that takes strip a's images away, read again alone, matches a rebuild.
        let mut edited = doc.clone();
        let _ = edited.update(0, |f| {
            for e in f.events_mut().expect("a strip") {
                e.evidence_mut().clear();
            }
        });
        let mut updated = index.clone();
        updated.update(&edited, &[0]);
        assert_eq!(updated.strips(), ImageryIndex::of(&edited).strips());
        assert_eq!(updated.strips(), 0);
        updated.update(&doc, &[0]);
        assert_eq!(updated.at(day("2014-10-01"), everywhere).len(), 1);
    }
}
