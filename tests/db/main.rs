//! Team sync against a real PostgreSQL + PostGIS, started by the tests themselves
//! (`server.rs`): push and pull round trips, clients editing the same data, conflicts, an
//! interrupted sync, roles, TLS and GDAL reading the tables as QGIS would.

#[path = "../common/mod.rs"]
mod common;
mod concurrent;
mod faults;
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

    pub fn strip(&mut self, id: &str) -> &mut pistas::model::Feature {
        let i = self.doc.position(id).expect("strip");
        &mut self.doc.features[i]
    }
}

/// The document as JSON values, one per feature, for comparing meaning (member order
/// aside; numbers by value).
pub fn meaning(doc: &Document) -> Vec<serde_json::Value> {
    doc.features
        .iter()
        .map(|f| {
            let one = Document {
                features: vec![f.clone()],
                foreign: Vec::new(),
            };
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
        let mut d = d.clone();
        d.features
            .sort_by(|x, y| x.id().as_str().cmp(y.id().as_str()));
        d
    };
    let (a, b) = (sorted(a), sorted(b));
    let (x, y) = (meaning(&a), meaning(&b));
    let ids = |d: &Document| {
        d.features
            .iter()
            .map(|f| f.id().as_str().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b), "{what}: the same features");
    for (i, (p, q)) in x.iter().zip(&y).enumerate() {
        assert_eq!(p, q, "{what}: feature {} differs", a.features[i].id());
    }
}
