//! File ▸ Export dossier… and File ▸ Publish as web map… in the window: the selected strip's
//! dossier, and the web map of the working document, written in the background.

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use pistas::app::ScriptedDialogs;

use crate::common;

fn settle(h: &mut egui_kittest::Harness<'static, pistas::app::PistasApp>) {
    let start = Instant::now();
    while h.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "work did not finish"
        );
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    h.run_steps(3);
}

#[test]
fn a_dossier_and_a_web_map_from_the_file_menu() {
    let dir = tempfile::tempdir().expect("temp");
    let doc = dir.path().join("zona.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &doc).expect("copy");
    let dialogs = ScriptedDialogs::default();
    let mut h = common::window(Some(doc), &dialogs, None);
    settle(&mut h);
    h.state_mut().set_date("2014-10-01".parse().expect("day"));
    let index = h.state().document().position("sample-003").expect("strip");
    h.state_mut().select(Some(index));
    h.run_steps(2);
    let dossier = dir.path().join("pista.html");
    dialogs.push(&dossier);
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export dossier…").click();
    h.run_steps(2);
    settle(&mut h);
    let html = std::fs::read_to_string(&dossier).expect("the dossier is written");
    assert!(html.contains("Pista ejemplo 03") && html.contains("Status on 2014-10-01"));
    assert_eq!(
        html.matches("<section class=\"strip").count(),
        1,
        "the selected strip only"
    );
    let map = dir.path().join("mapa.html");
    dialogs.push(&map);
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Publish as web map…").click();
    h.run_steps(2);
    settle(&mut h);
    let html = std::fs::read_to_string(&map).expect("the web map is written");
    assert!(html.contains("pistas-data") && html.contains("sample-060"));
}
