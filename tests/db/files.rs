//! Evidence files through the database: pushed once by hash from one folder, pulled into
//! another and verified there, refused to a reviewer, never overwritten, and a database
//! copy that was tampered with is not fetched.

use assert_cmd::Command;

use super::*;
use crate::server::server;

fn pistas() -> Command {
    Command::cargo_bin("pistas").expect("binary")
}

/// `pistas db ACTION FIRST SECOND`, which must succeed; what it said on stderr.
fn db(
    action: &str,
    first: impl AsRef<std::ffi::OsStr>,
    second: impl AsRef<std::ffi::OsStr>,
) -> String {
    let run = pistas()
        .args(["db", action])
        .arg(first)
        .arg(second)
        .assert()
        .success();
    String::from_utf8_lossy(&run.get_output().stderr).into_owned()
}

#[test]
fn evidence_files_go_up_once_and_come_down_whole() {
    let Some(server) = server("files") else {
        return;
    };
    let name = server.database("files");
    let url = server.url(&name);
    db::init(&mut client(&url)).expect("init");
    let here = tempfile::tempdir().expect("temp");
    let doc = here.path().join("zona.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &doc).expect("copy");
    // 2.5 MB: three pieces in the database.
    let photo = here.path().join("pista.jpg");
    let bytes: Vec<u8> = (0..2_500_000u32).map(|i| (i * 31 % 253) as u8).collect();
    std::fs::write(&photo, &bytes).expect("write");
    pistas()
        .args(["evidence", "add"])
        .arg(&doc)
        .args(["--strip", "sample-002"])
        .arg(&photo)
        .assert()
        .success();
    let said = db("push", &doc, &url);
    assert!(said.contains("evidence: uploaded 1 file(s)"), "{said}");
    let mut sql = sql(&url);
    let row = sql
        .query_one("SELECT bytes, chunks FROM evidence_files", &[])
        .expect("one file");
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i32>(1)), (2_500_000, 3));
    // Pushed again: nothing goes up twice.
    let said = db("push", &doc, &url);
    assert!(!said.contains("uploaded"), "{said}");

    // A colleague pulls into a folder of their own: the file comes down, whole.
    let there = tempfile::tempdir().expect("temp");
    let pulled = there.path().join("equipo.geojson");
    let said = db("pull", &url, &pulled);
    assert!(said.contains("evidence: fetched 1 file(s)"), "{said}");
    pistas().arg("verify").arg(&pulled).assert().success();

    // A reviewer reads files but cannot add one; nobody can change one.
    let suffix = name.replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let reviewer = format!("rita_{suffix}");
    client(&url)
        .batch_execute(&format!(
            "CREATE ROLE {reviewer} LOGIN PASSWORD 'rita-pw' IN ROLE pistas_reviewer;"
        ))
        .expect("role");
    let rita = server.url_as(&name, &reviewer, "rita-pw");
    let mut as_rita = sql_as(&rita);
    assert!(
        as_rita
            .execute(
                "INSERT INTO evidence_files (sha256, bytes, chunks) VALUES (repeat('a', 64), 0, 0)",
                &[]
            )
            .is_err()
    );
    assert_eq!(
        as_rita
            .query_one("SELECT count(*) FROM evidence_chunks", &[])
            .expect("reads")
            .get::<_, i64>(0),
        3
    );
    // Tampered with in the database (by its owner): a fetch checks the hash and refuses.
    sql.execute("UPDATE evidence_chunks SET data = '\\x00' WHERE n = 1", &[])
        .expect("tamper");
    let third = tempfile::tempdir().expect("temp");
    let again = third.path().join("otra.geojson");
    let said = db("pull", &url, &again);
    assert!(said.contains("altered; not fetched"), "{said}");
    let folder = pistas::io::evidence::folder_of(&again);
    let left: Vec<_> = walk(&folder);
    assert!(left.is_empty(), "nothing half-written: {left:?}");
}

fn sql_as(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connects")
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}
