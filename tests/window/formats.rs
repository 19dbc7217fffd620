//! Other formats in the window: a spreadsheet imported through its preview, Pistas' own
//! GeoPackage opened as the working document (untitled: Save writes GeoJSON, never over
//! the GeoPackage), and a GeoPackage with several layers asking which one.

use crate::common;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use pistas::app::{Action, PistasApp, ScriptedDialogs};
use pistas::io::{Format, export};

fn settle(harness: &mut Harness<'static, PistasApp>) {
    let start = Instant::now();
    harness.run_steps(3);
    while harness.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "work did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.run_steps(3);
}

fn sample_doc() -> pistas::model::Document {
    pistas::io::read_path(&common::project_file("data/vraem-sample.geojson"))
        .expect("read")
        .document
}

#[test]
fn a_spreadsheet_is_imported_through_its_preview() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("encuesta.csv");
    std::fs::copy(
        common::project_file("tests/fixtures/formats/encuesta-windows1252.csv"),
        &csv,
    )
    .expect("copy");
    let dialogs = ScriptedDialogs::default();
    let mut h = common::window(None, &dialogs, Some(dir.path().join("recovery")));
    settle(&mut h);
    dialogs.push(&csv);
    h.state_mut().request(Action::ImportLayer);
    h.run_steps(4);
    // The preview names the file, found the separator and encoding, and the columns.
    h.get_by_label("Import encuesta.csv");
    h.get_by_label("Decimal comma (12,5)");
    h.get_by_label("Latitud");
    assert!(h.state().has_overlay());
    h.get_by_label("Import").click();
    settle(&mut h);
    let layers = h.state().layers();
    assert_eq!(layers.imported.len(), 1);
    let doc = &layers.imported[0].document;
    assert_eq!(doc.features().len(), 3);
    assert_eq!(doc.features()[0].name(), Some("Pista Ñaupa"));
    assert_eq!(doc.features()[0].id().as_str(), "007");
    assert!(doc.features().iter().all(|f| f.geometry().is_some()));
}

#[test]
fn pistas_geopackage_opens_untitled_and_saves_as_geojson() {
    let dir = tempfile::tempdir().expect("dir");
    let gpkg = dir.path().join("vraem.gpkg");
    let doc = sample_doc();
    std::fs::write(
        &gpkg,
        export(&doc, Format::GeoPackage, "2016-01-01".parse().expect("day")).expect("gpkg"),
    )
    .expect("write");
    let before = std::fs::read(&gpkg).expect("bytes");
    let dialogs = ScriptedDialogs::default();
    let mut h = common::window(None, &dialogs, Some(dir.path().join("recovery")));
    settle(&mut h);
    dialogs.push(&gpkg);
    h.state_mut().request(Action::Open);
    settle(&mut h);
    assert_eq!(h.state().document().strips().count(), doc.strips().count());
    let events: usize = h
        .state()
        .document()
        .strips()
        .map(|s| s.events().len())
        .sum();
    assert_eq!(
        events,
        doc.strips().map(|s| s.events().len()).sum::<usize>()
    );
    assert_eq!(h.state().path(), None, "a GeoPackage opens untitled");
    let out = dir.path().join("vraem.geojson");
    dialogs.push(&out);
    h.state_mut().request(Action::Save);
    settle(&mut h);
    assert_eq!(h.state().path(), Some(out.as_path()));
    assert_eq!(
        std::fs::read(&gpkg).expect("bytes"),
        before,
        "the GeoPackage is untouched"
    );
    let saved = pistas::io::read_path(&out).expect("saved").document;
    assert_eq!(saved.strips().count(), doc.strips().count());
}

#[test]
fn a_geopackage_with_several_layers_asks_which() {
    let dir = tempfile::tempdir().expect("dir");
    let gpkg = dir.path().join("two.gpkg");
    std::fs::write(
        &gpkg,
        export(
            &sample_doc(),
            Format::GeoPackage,
            "2016-01-01".parse().expect("day"),
        )
        .expect("gpkg"),
    )
    .expect("write");
    {
        let conn = rusqlite::Connection::open(&gpkg).expect("open");
        conn.execute_batch("PRAGMA foreign_keys = OFF; ALTER TABLE events RENAME TO sightings; UPDATE gpkg_contents SET table_name = 'sightings', identifier = 'sightings' WHERE table_name = 'events'; UPDATE gpkg_geometry_columns SET table_name = 'sightings' WHERE table_name = 'events';").expect("rename");
    }
    let dialogs = ScriptedDialogs::default();
    let mut h = common::window(None, &dialogs, Some(dir.path().join("recovery")));
    settle(&mut h);
    dialogs.push(&gpkg);
    h.state_mut().request(Action::ImportLayer);
    h.run_steps(4);
    h.get_by_label("Choose a layer");
    h.get_by_label_contains("sightings").click();
    h.run_steps(2);
    h.get_by_label("Import").click();
    settle(&mut h);
    let layers = h.state().layers();
    assert_eq!(layers.imported.len(), 1);
    assert_eq!(
        layers.imported[0].document.features().len(),
        sample_doc()
            .strips()
            .map(|s| s.events().len())
            .sum::<usize>()
    );
}
