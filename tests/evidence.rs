//! Evidence on the command line: files attached to events sealed by their SHA-256, and
//! `verify` catching a flipped byte, a missing file, a file no event names and a path that
//! leads out of the folder.

mod common;

use assert_cmd::Command;

fn pistas() -> Command {
    Command::cargo_bin("pistas").expect("binary")
}

#[test]
fn added_evidence_verifies_and_every_tampering_is_caught() {
    let dir = tempfile::tempdir().expect("temp dir");
    let doc = dir.path().join("zona.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &doc).expect("copy");
    let photo = dir.path().join("Runway.PNG");
    std::fs::write(&photo, b"\x89PNG illustrative bytes").expect("write");
    pistas()
        .args(["evidence", "add"])
        .arg(&doc)
        .args([
            "--strip",
            "sample-001",
            "--caption",
            "Cleared runway",
            "--private",
        ])
        .arg(&photo)
        .assert()
        .success();
    let parsed = pistas::io::read_path(&doc).expect("read");
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let items = pistas::io::evidence::items(&parsed.document);
    assert_eq!(items.len(), 1);
    let item = &items[0].2;
    assert_eq!(item.caption().as_deref(), Some("Cleared runway"));
    assert!(item.private());
    assert_eq!(item.media_type().as_deref(), Some("image/png"));
    let hash = pistas::io::evidence::sha256_bytes(b"\x89PNG illustrative bytes");
    assert_eq!(item.sha256(), hash);
    let stored = dir
        .path()
        .join("zona.evidence")
        .join(&hash[..2])
        .join(format!("{hash}.png"));
    assert!(stored.exists(), "stored by hash");
    pistas().arg("verify").arg(&doc).assert().success();
    // The manifest names the document's hash and the item's.
    let manifest = pistas()
        .args(["evidence", "manifest"])
        .arg(&doc)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&manifest.stdout);
    let doc_hash = pistas::io::evidence::sha256_bytes(&std::fs::read(&doc).expect("read"));
    assert!(text.contains(&format!("document {doc_hash}")), "{text}");
    assert!(text.contains(&hash), "{text}");

    // A flipped byte: altered, at the item's place in the document.
    let mut bytes = std::fs::read(&stored).expect("read");
    bytes[3] ^= 1;
    std::fs::write(&stored, &bytes).expect("write");
    let out = pistas().arg("verify").arg(&doc).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("is altered") && said.contains("zona.geojson:"),
        "{said}"
    );
    // A file no event names, then the item's file gone.
    std::fs::write(dir.path().join("zona.evidence/stray.txt"), b"x").expect("write");
    std::fs::remove_file(&stored).expect("remove");
    let out = pistas().arg("verify").arg(&doc).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("is missing"), "{said}");
    assert!(
        said.contains("stray.txt is in the evidence folder"),
        "{said}"
    );
}

/// A path that leaves the folder is refused when the document is read, and a link in the
/// folder that leads out is never followed by `verify`.
#[cfg(unix)]
#[test]
fn paths_out_of_the_folder_are_never_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hash = pistas::io::evidence::sha256_bytes(b"secret");
    std::fs::write(dir.path().join("secret.txt"), b"secret").expect("write");
    let text = |path: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"s","geometry":{{"type":"Point","coordinates":[-74,-12]}},"properties":{{"events":[{{"type":"sighted","date":"2014","evidence":[{{"sha256":"{hash}","path":"{path}"}}]}}]}}}}]}}"#
        )
    };
    let doc = dir.path().join("zona.geojson");
    std::fs::write(&doc, text("../secret.txt")).expect("write");
    let out = pistas().arg("validate").arg(&doc).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("must stay inside the evidence folder"));
    // A link inside the folder to the file outside.
    let folder = dir.path().join("zona.evidence");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), folder.join("link.txt"))
        .expect("link");
    std::fs::write(&doc, text("link.txt")).expect("write");
    let out = pistas().arg("verify").arg(&doc).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("leads out of the evidence folder"), "{said}");
}

/// A source's evidence is verified as an event's is: its file is named, not stray, and
/// an altered one is found at its place in the document (its hash written in upper case).
#[test]
fn a_sources_evidence_is_verified_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = b"<html>illustrative page</html>";
    let hash = pistas::io::evidence::sha256_bytes(page);
    let folder = dir.path().join("zona.evidence");
    std::fs::create_dir_all(folder.join("pages")).expect("mkdir");
    std::fs::write(folder.join("pages/p.html"), page).expect("write");
    let doc = dir.path().join("zona.geojson");
    std::fs::write(
        &doc,
        format!(
            r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","id":"s","geometry":{{"type":"Point","coordinates":[-74,-12]}},"properties":{{"events":[{{"type":"sighted","date":"2014",
"sources":[{{"title":"A page","evidence":[{{"sha256":"{}","path":"pages/p.html"}}]}}]}}]}}}}]}}"#,
            hash.to_uppercase()
        ),
    )
    .expect("write");
    pistas().arg("verify").arg(&doc).assert().success();
    std::fs::write(folder.join("pages/p.html"), b"changed").expect("write");
    let out = pistas().arg("verify").arg(&doc).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("zona.geojson:3:") && said.contains("is altered"),
        "{said}"
    );
}
