//! File ▸ Connect to database… and Sync, on the real window against a throwaway PostGIS:
//! others' changes arrive with a notice, a conflict is reviewed field by field.

use std::time::{Duration, Instant};

use egui::Key;
use egui_kittest::kittest::Queryable;
use pistas::db;

use crate::common;
use crate::server::server;

fn wait_for_sync(h: &mut egui_kittest::Harness<'static, pistas::app::PistasApp>) {
    let start = Instant::now();
    h.run_steps(2);
    while h.state().syncing() || h.state().is_busy() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the sync did not finish"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run_steps(6);
}

fn name_in_database(url: &str, id: &str) -> Option<String> {
    let mut c = db::Target::parse(url)
        .expect("url")
        .connect()
        .expect("connects");
    c.query_one("SELECT name FROM strips WHERE id = $1", &[&id])
        .expect("row")
        .get(0)
}

#[test]
fn connect_receive_and_resolve_a_conflict_in_the_window() {
    let Some(server) = server("window sync") else {
        return;
    };
    let name = server.database("window");
    let url = server.url(&name);
    let target = db::Target::parse(&url).expect("url");
    db::init(&mut target.connect().expect("connects")).expect("init");
    let sample = pistas::io::read_path(&common::project_file("data/vraem-sample.geojson"))
        .expect("sample")
        .document;
    db::push(&mut target.connect().expect("connects"), &sample, &|_| {}).expect("push");

    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("team.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &path).expect("copy");
    let dialogs = pistas::app::ScriptedDialogs::default();
    let mut h = common::window(Some(path.clone()), &dialogs, None);

    // File ▸ Connect to database…
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Connect to database…").click();
    h.run_steps(4);
    h.get_by_label("Database").focus();
    h.run_steps(1);
    h.get_by_label("Database").type_text(&url);
    h.run_steps(1);
    h.get_by_label("Connect and sync").click();
    wait_for_sync(&mut h);
    assert_eq!(h.state().linked_to(), Some(target.describe()));
    let notice = h.state().notice().unwrap_or_default().to_owned();
    assert!(notice.starts_with("Synced: sent 0, received 0"), "{notice}");
    // The status bar says where the layer syncs.
    h.get_by_label_contains(&target.short_name());

    // Someone else renames a strip; F5 brings it, with a notice naming it.
    let (mut base, _) =
        db::pull(&mut target.connect().expect("c"), &target, &|_| {}).expect("pull");
    let mut other = base.doc.clone();
    let i = other.position("sample-002").expect("strip");
    other
        .update(i, |f| {
            f.set_name("Renamed by a colleague");
        })
        .unwrap()
        .unwrap();
    let synced = db::sync(
        &mut target.connect().expect("c"),
        &target,
        &other,
        Some(&base),
        &db::Picks::default(),
        &|_| {},
    )
    .expect("their sync");
    synced.settle(&mut other, &mut base);
    h.key_press(Key::F5);
    wait_for_sync(&mut h);
    let notice = h.state().notice().unwrap_or_default().to_owned();
    assert!(
        notice.contains("received 1") && notice.contains("Renamed by a colleague"),
        "{notice}"
    );
    let doc = h.state().document();
    assert_eq!(
        doc.features()[doc.position("sample-002").expect("strip")].name(),
        Some("Renamed by a colleague")
    );
    // One undo step takes what was received back (the database keeps it).
    assert!(h.state().editor().can_undo());
    // The status bar's last sync opens its report, strip by strip, with the copy kept of
    // the document as it was before the sync (only this sync received anything).
    assert_eq!(db::backup::list(&path).len(), 1);
    h.get_by_label_contains("Last sync").click();
    h.run_steps(3);
    h.get_by_label_contains("Sync at");
    h.get_by_label("Renamed by a colleague (sample-002)");
    h.get_by_label_contains("before-sync-");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label_contains("Sync at").is_none());

    // Both rename the same strip: a conflict, reviewed in the window; mine is kept.
    let j = other.position("sample-003").expect("strip");
    other
        .update(j, |f| {
            f.set_name("Their name");
        })
        .unwrap()
        .unwrap();
    db::sync(
        &mut target.connect().expect("c"),
        &target,
        &other,
        Some(&base),
        &db::Picks::default(),
        &|_| {},
    )
    .expect("their sync");
    let k = h.state().document().position("sample-003").expect("strip");
    h.state_mut().rename(k, "My name");
    h.run_steps(2);
    h.key_press(Key::F5);
    wait_for_sync(&mut h);
    assert_eq!(h.state().sync_conflicts(), 1);
    h.get_by_label("Sync conflicts");
    assert_eq!(
        name_in_database(&url, "sample-003").as_deref(),
        Some("Their name"),
        "nothing sent until resolved"
    );
    h.get_by_label_contains("Mine: \"My name\"").click();
    h.run_steps(2);
    h.get_by_label("Keep these and sync").click();
    wait_for_sync(&mut h);
    assert_eq!(h.state().sync_conflicts(), 0);
    assert_eq!(
        name_in_database(&url, "sample-003").as_deref(),
        Some("My name")
    );
    // Saving keeps the base beside the file, without the password.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    wait_for_sync(&mut h);
    std::thread::sleep(Duration::from_millis(500));
    let state = std::fs::read_to_string(dir.path().join("team.geojson.pistas-sync.json"))
        .expect("state beside the file");
    assert!(state.contains(&target.describe()));
}
