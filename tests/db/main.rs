//! Team sync against a real PostgreSQL + PostGIS, started by the tests themselves
//! (`server.rs`): push and pull round trips, clients editing the same data, conflicts, an
//! interrupted sync, roles, TLS and GDAL reading the tables as QGIS would.

#[path = "../common/mod.rs"]
mod common;
mod concurrent;
mod faults;
mod files;
mod proxy;
mod race;
mod roundtrip;
mod server;
mod sync;
mod team;

use pistas::db::{self, Base, Picks, Target};
use pistas::model::Document;

pub fn target(url: &str) -> Target {
    Target::parse(url).expect("connection string")
}

pub fn client(url: &str) -> db::Session {
    target(url).connect().expect("connects")
}

/// A plain connection for SQL of the test's own (holding locks, reading history).
pub fn sql(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connects")
}

/// A fresh database with the Pistas schema; its superuser connection string.
pub fn fresh(server: &server::Server, test: &str) -> String {
    let name = server.database(test);
    let url = server.url(&name);
    db::init(&mut client(&url)).expect("init");
    url
}

pub fn read(path: &std::path::Path) -> Document {
    pistas::io::read_path(path).expect("reads").document
}

pub fn sample() -> Document {
    read(&common::project_file("data/vraem-sample.geojson"))
}

/// One team member: a document and the base of its last sync.
pub struct Member {
    pub url: String,
    pub doc: Document,
    pub base: Option<Base>,
}

impl Member {
    pub fn pull(url: &str) -> Member {
        let (base, _problems) = db::pull(&mut client(url), &target(url), &|_| {}).expect("pull");
        Member {
            url: url.to_owned(),
            doc: base.doc.clone(),
            base: Some(base),
        }
    }

    pub fn sync_with(&mut self, picks: &Picks) -> Result<db::SyncReport, db::DbError> {
        self.sync_progress(picks, &|_| {})
    }

    /// A sync that tells `progress` where it stands (a test can pause it there).
    pub fn sync_progress(
        &mut self,
        picks: &Picks,
        progress: &dyn Fn(db::Progress),
    ) -> Result<db::SyncReport, db::DbError> {
        let synced = db::sync(
            &mut client(&self.url),
            &target(&self.url),
            &self.doc,
            self.base.as_ref(),
            picks,
            progress,
        )?;
        let mut base = self.base.take().unwrap_or_default();
        synced.settle(&mut self.doc, &mut base);
        self.base = Some(base);
        Ok(synced.report)
    }

    pub fn sync(&mut self) -> db::SyncReport {
        self.sync_with(&Picks::default()).expect("sync")
    }

    /// The strip with this id, to change: put back in the document when dropped (the
    /// document hands out no `&mut Feature`, so that ids stay unique).
    pub fn strip(&mut self, id: &str) -> StripMut<'_> {
        let index = self.doc.position(id).expect("strip");
        self.at(index)
    }

    /// The feature at `index`, to change, as [`Member::strip`] gives it.
    pub fn at(&mut self, index: usize) -> StripMut<'_> {
        let feature = Some(self.doc.features()[index].clone());
        StripMut {
            doc: &mut self.doc,
            index,
            feature,
        }
    }
}

pub struct StripMut<'a> {
    doc: &'a mut Document,
    index: usize,
    feature: Option<pistas::model::Feature>,
}

impl std::ops::Deref for StripMut<'_> {
    type Target = pistas::model::Feature;
    fn deref(&self) -> &Self::Target {
        self.feature.as_ref().expect("held until dropped")
    }
}

impl std::ops::DerefMut for StripMut<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.feature.as_mut().expect("held until dropped")
    }
}

impl Drop for StripMut<'_> {
    fn drop(&mut self) {
        if let Some(feature) = self.feature.take() {
            self.doc
                .replace(self.index, feature)
                .expect("the strip is still there")
                .expect("its id is its own");
        }
    }
}

/// The document as JSON values, one per feature, for comparing meaning (member order
/// aside; numbers by value).
pub fn meaning(doc: &Document) -> Vec<serde_json::Value> {
    doc.features()
        .iter()
        .map(|f| {
            let one = Document::of_one(f.clone());
            let text = pistas::io::write_geojson(&one, &common::options());
            let value: serde_json::Value = serde_json::from_str(&text).expect("written JSON");
            value["features"][0].clone()
        })
        .collect()
}

/// The whole database, pulled.
pub fn database(url: &str) -> Document {
    Member::pull(url).doc
}

/// Asserts two documents mean the same, naming the first feature that differs.
#[track_caller]
pub fn assert_same(a: &Document, b: &Document, what: &str) {
    // Strips another member added arrive after this side's own: the order of strips in
    // a file is not part of what a sync agrees on; each strip's content is.
    let sorted = |d: &Document| {
        let mut features = d.clone().into_features();
        features.sort_by(|x, y| x.id().as_str().cmp(y.id().as_str()));
        Document::new(features, d.foreign().clone()).expect("ids stay unique")
    };
    let (a, b) = (sorted(a), sorted(b));
    let (x, y) = (meaning(&a), meaning(&b));
    let ids = |d: &Document| {
        d.features()
            .iter()
            .map(|f| f.id().as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b), "{what}: the same features");
    for (i, (p, q)) in x.iter().zip(&y).enumerate() {
        assert_eq!(p, q, "{what}: feature {} differs", a.features()[i].id());
    }
}
