//! Roles, a sync cut off mid-transfer, and the command line.

use assert_cmd::Command;
use pistas::model::json_string;

use super::*;
use crate::server::server;

#[test]
fn a_reviewer_pulls_but_cannot_push_and_an_editor_can() {
    let Some(server) = server("roles") else {
        return;
    };
    let name = server.database("roles");
    let url = server.url(&name);
    db::init(&mut client(&url)).expect("init");
    db::push(&mut client(&url), &sample(), &|_| {}).expect("push");
    let suffix = name.replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let (editor, reviewer) = (format!("ana_{suffix}"), format!("rita_{suffix}"));
    client(&url)
        .batch_execute(&format!(
            "CREATE ROLE {editor} LOGIN PASSWORD 'ana-pw' IN ROLE pistas_editor;
             CREATE ROLE {reviewer} LOGIN PASSWORD 'rita-pw' IN ROLE pistas_reviewer;"
        ))
        .expect("roles");
    let rita = server.url_as(&name, &reviewer, "rita-pw");
    let ana = server.url_as(&name, &editor, "ana-pw");
    let mut r = Member::pull(&rita);
    assert_eq!(r.doc.features().len(), 60);
    // Nothing to send: a reviewer's sync only receives.
    assert!(r.sync().sent.is_empty());
    r.strip("sample-001").set_name("Reviewer's edit");
    let err = r
        .sync_with(&Picks::default())
        .expect_err("a reviewer cannot send");
    assert!(err.to_string().contains("may not"), "{err}");
    let err = db::push(&mut client(&rita), &r.doc, &|_| {}).expect_err("nor push");
    assert!(err.to_string().contains("permission denied"), "{err}");
    assert_eq!(
        database(&url).features()[0].name(),
        Some("Pista ejemplo 01")
    );
    // An editor can push (the collection's members included), and sync; the history
    // says who.
    let mut named = sample();
    let mut members = named.foreign().clone();
    members.push(("name".into(), json_string("VRAEM strips")));
    named.set_foreign(members);
    db::push(&mut client(&ana), &named, &|_| {}).expect("an editor pushes");
    let mut a = Member::pull(&ana);
    a.strip("sample-001").set_name("Editor's edit");
    assert_eq!(a.sync().sent_ids(), ["sample-001"]);
    let by: String = client(&url)
        .query_one("SELECT updated_by FROM strips WHERE id = 'sample-001'", &[])
        .expect("row")
        .get(0);
    assert_eq!(by, editor);
    // Nobody can forge a row's stamp: not in an insert (the defaults give it, a trigger
    // puts back any other value), not in an update.
    let mut forger = sql(&ana);
    forger
        .batch_execute(
            "INSERT INTO strips (id, name, row_version, updated_by, updated_at)
             VALUES ('forged', 'forged', 99, 'someone else', '2001-01-01')",
        )
        .expect("an editor inserts");
    forger
        .batch_execute(
            "UPDATE strips SET name = 'renamed', row_version = 1000, updated_by = 'nobody'
             WHERE id = 'sample-002'",
        )
        .expect("an editor updates");
    let stamps = |id: &str| -> (i64, String, bool) {
        let row = sql(&url)
            .query_one(
                "SELECT row_version, updated_by, updated_at > now() - interval '1 hour'
                 FROM strips WHERE id = $1",
                &[&id],
            )
            .expect("row");
        (row.get(0), row.get(1), row.get(2))
    };
    assert_eq!(stamps("forged"), (1, editor.clone(), true));
    let (version, by, recent) = stamps("sample-002");
    assert!(version > 1 && version < 1000, "{version}");
    assert_eq!((by, recent), (editor.clone(), true));
    // Nobody but the owner can change the history.
    let err = sql(&ana)
        .batch_execute("DELETE FROM history")
        .expect_err("history is append-only");
    assert_eq!(
        err.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{err:?}"
    );
}

#[test]
fn a_sync_cut_off_mid_transfer_changes_nothing_and_a_retry_completes() {
    let Some(server) = server("interrupted") else {
        return;
    };
    let url = fresh(server, "interrupted");
    let mut doc = pistas::model::synthetic::generate(2000, 7);
    db::push(&mut client(&url), &doc, &|_| {}).expect("push");
    let (base, _) = db::pull(&mut client(&url), &target(&url), &|_| {}).expect("pull");
    let before = meaning(&database(&url));
    doc.update_all(|f| {
        f.set_property(
            "checked_by",
            json_string("a long run of edits that takes many packets"),
        );
    })
    .expect("ids unchanged");
    // Cut the connection once the client has sent 100 kB: in the middle of the writes.
    let proxy = crate::proxy::start(server.port, 100_000);
    let cut_url = url.replace(
        &format!("port={}", server.port),
        &format!("port={}", proxy.port),
    );
    let err = db::sync(
        &mut client(&cut_url),
        &target(&cut_url),
        &doc,
        Some(&base),
        &Picks::default(),
        &|_| {},
    )
    .expect_err("the connection drops");
    assert!(
        proxy.cut.load(std::sync::atomic::Ordering::SeqCst),
        "the proxy cut the transfer"
    );
    assert!(err.to_string().contains("connection"), "{err}");
    assert_eq!(
        meaning(&database(&url)),
        before,
        "the database is as it was"
    );
    // The retry, with the same base, completes.
    let synced = db::sync(
        &mut client(&url),
        &target(&url),
        &doc,
        Some(&base),
        &Picks::default(),
        &|_| {},
    )
    .expect("retry");
    assert_eq!(synced.report.sent.len(), 2000);
    assert_eq!(meaning(&database(&url)), meaning(&doc));
}

fn pistas() -> Command {
    Command::cargo_bin("pistas").expect("binary")
}

#[test]
fn the_command_line_inits_pushes_pulls_and_syncs() {
    let Some(server) = server("cli") else { return };
    let name = server.database("cli");
    let url = server.url(&name);
    let dir = tempfile::tempdir().expect("temp");
    let out = pistas().args(["db", "init", &url]).output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied schema versions 1, 2"));
    let sample_file = common::project_file("data/vraem-sample.geojson");
    let out = pistas()
        .args(["db", "push"])
        .arg(&sample_file)
        .arg(&url)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (a, b) = (dir.path().join("a.geojson"), dir.path().join("b.geojson"));
    for file in [&a, &b] {
        let out = pistas()
            .args(["db", "pull", &url])
            .arg(file)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            file.with_file_name(format!(
                "{}.pistas-sync.json",
                file.file_name().unwrap().to_string_lossy()
            ))
            .exists()
        );
    }
    assert_eq!(meaning(&read(&a)), meaning(&sample()));
    // The state beside the file never holds the password.
    let state =
        std::fs::read_to_string(dir.path().join("a.geojson.pistas-sync.json")).expect("state");
    assert!(!state.contains(crate::server::PASSWORD));
    // A and B rename the same strip.
    let rename = |file: &std::path::Path, name: &str| {
        let text = std::fs::read_to_string(file).expect("read");
        std::fs::write(file, text.replacen("Pista ejemplo 01", name, 1)).expect("write");
    };
    rename(&a, "Pista A");
    rename(&b, "Pista B");
    let out = pistas()
        .args(["db", "sync"])
        .arg(&a)
        .arg(&url)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("sent 1 strip"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = pistas()
        .args(["db", "sync"])
        .arg(&b)
        .arg(&url)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "a conflict is left: exit 1");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "conflict: Pista B (sample-001), name: mine \"Pista B\" / theirs \"Pista A\""
        ),
        "{stdout}"
    );
    let out = pistas()
        .args(["db", "sync"])
        .arg(&b)
        .arg(&url)
        .args(["--keep", "theirs"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&b).expect("b").contains("Pista A"));
    // A bad connection string names the problem.
    let out = pistas()
        .args(["db", "pull", "host=x sslmode=sometimes"])
        .arg(dir.path().join("c.geojson"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sslmode"));
}
