//! "For publication": a copy of a document fit to be published, and what was left out of
//! it. Private sources and evidence (`"private": true`), every note (the strip's and each
//! event's), the local paths of evidence files, and whatever Pistas could not read (it
//! cannot be checked for any of these) are left out; coordinates can be rounded. Every
//! export takes this copy when asked (`--public` on the command line).

use crate::model::{Document, Evidence, Source};

/// How to prepare a document for publication.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Publication {
    /// Round every coordinate to this many decimals of a degree (2 is about 1 km).
    pub decimals: Option<u32>,
}

/// What a publication copy left out, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub strip_notes: usize,
    pub event_notes: usize,
    pub private_sources: usize,
    pub private_evidence: usize,
    pub evidence_paths: usize,
    pub unread_features: usize,
    pub unread_events: usize,
    /// The decimals coordinates were rounded to.
    pub rounded: Option<u32>,
}

impl LeftOut {
    /// One line per kind of thing left out (nothing when nothing was).
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut say = |n: usize, what: &str| {
            if n > 0 {
                out.push(format!("left out {n} {what}"));
            }
        };
        say(self.strip_notes, "strip note(s)");
        say(self.event_notes, "event note(s)");
        say(self.private_sources, "private source(s)");
        say(self.private_evidence, "private evidence item(s)");
        say(
            self.evidence_paths,
            "local path(s) of evidence files (their hashes stay)",
        );
        say(self.unread_features, "feature(s) Pistas could not read");
        say(self.unread_events, "event(s) Pistas could not read");
        if let Some(d) = self.rounded {
            out.push(format!(
                "rounded every coordinate to {d} decimal(s) of a degree"
            ));
        }
        out
    }
}

fn public_items(items: &mut Vec<Evidence>, left: &mut LeftOut) {
    let before = items.len();
    items.retain(|e| !e.private());
    left.private_evidence += before - items.len();
    for item in items.iter_mut() {
        if item.path().is_some() {
            *item = item.without_member("path");
            left.evidence_paths += 1;
        }
    }
}

fn round(v: f64, decimals: u32) -> f64 {
    let scale = 10f64.powi(decimals.min(12) as i32);
    (v * scale).round() / scale
}

/// The copy of `doc` to publish, and what it left out.
pub fn for_publication(doc: &Document, options: Publication) -> (Document, LeftOut) {
    let mut left = LeftOut {
        rounded: options.decimals,
        ..LeftOut::default()
    };
    let mut out = doc.clone();
    out.retain(|f| {
        let keep = f.unread().is_none();
        if !keep {
            left.unread_features += 1;
        }
        keep
    });
    // Ignored: each feature's id stays as it is, and only a change of id is refused.
    let _ = out.update_all(|f| {
        if f.remove_property("notes").is_some() {
            left.strip_notes += 1;
        }
        while f.remove_unread_event(0).is_some() {
            left.unread_events += 1;
        }
        if let Some(events) = f.events_mut() {
            for event in events.iter_mut() {
                if event.note().get().is_some() || event.note().kept().is_some() {
                    event.note_mut().set(None);
                    left.event_notes += 1;
                }
                public_items(event.evidence_mut(), &mut left);
                let before = event.sources().len();
                event
                    .sources_mut()
                    .retain(|s| !matches!(s, Source::Reference(r) if r.private()));
                left.private_sources += before - event.sources().len();
                for source in event.sources_mut() {
                    if let Source::Reference(r) = source {
                        public_items(r.evidence_mut(), &mut left);
                    }
                }
            }
        }
        if let Some(d) = options.decimals
            && let Some(g) = f.geometry_mut()
        {
            use geo::MapCoords;
            let shape = g.shape().map_coords(|c| geo::Coord {
                x: round(c.x, d),
                y: round(c.y, d),
            });
            g.set_shape(shape);
        }
    });
    (out, left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{WriteOptions, read_bytes, write_geojson};

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn private_things_notes_and_paths_are_left_out_and_counted() {
        let other = HASH.replace('9', "1");
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","id":"a","geometry":{{"type":"Point","coordinates":[-74.123456,-12.987654]}},"properties":{{"name":"A","notes":"informant: X","events":[
              {{"type":"destroyed","date":"2014-09-02","note":"told by X","sources":[{{"title":"Public","url":"http://x","evidence":[{{"sha256":"{HASH}","path":"9f/a.warc"}}]}},{{"title":"Informant","private":true}},"plain"],
                "evidence":[{{"sha256":"{HASH}","path":"9f/a.png","caption":"c"}},{{"sha256":"{other}","path":"11/b.png","private":true}}]}},
              {{"type":"bombed","date":"2014"}}]}}}},
            {{"type":"Feature","id":"b","geometry":{{"type":"Point"}},"properties":{{"notes":"secret"}}}}]}}"#
        );
        let doc = read_bytes(text.as_bytes(), "t").document;
        let (public, left) = for_publication(&doc, Publication { decimals: Some(2) });
        assert_eq!(
            left,
            LeftOut {
                strip_notes: 1,
                event_notes: 1,
                private_sources: 1,
                private_evidence: 1,
                evidence_paths: 2,
                unread_features: 1,
                unread_events: 1,
                rounded: Some(2),
            }
        );
        assert_eq!(left.lines().len(), 8);
        let written = write_geojson(&public, &WriteOptions::default());
        for secret in [
            "informant",
            "Informant",
            "told by",
            "9f/a",
            "11/b",
            "bombed",
            other.as_str(),
        ] {
            assert!(!written.contains(secret), "{secret} left in {written}");
        }
        assert!(written.contains("[-74.12,-12.99]"), "{written}");
        assert!(written.contains(HASH) && written.contains("Public") && written.contains("plain"));
        // What is published reads back whole.
        let again = read_bytes(written.as_bytes(), "p");
        assert!(!again.has_errors(), "{:?}", again.diagnostics);
        // The original is untouched.
        assert!(write_geojson(&doc, &WriteOptions::default()).contains("informant"));
    }
}
