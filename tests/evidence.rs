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

#[test]
fn exports_for_publication_leave_out_what_is_private_and_say_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let doc = dir.path().join("zona.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &doc).expect("copy");
    let secret = dir.path().join("informant.png");
    let public = dir.path().join("public.png");
    std::fs::write(&secret, b"\x89PNG private").expect("write");
    std::fs::write(&public, b"\x89PNG public").expect("write");
    for (file, private) in [(&secret, true), (&public, false)] {
        let mut cmd = pistas();
        cmd.args(["evidence", "add"])
            .arg(&doc)
            .args(["--strip", "sample-001"]);
        if private {
            cmd.arg("--private");
        }
        cmd.arg(file).assert().success();
    }
    let secret_hash = pistas::io::evidence::sha256_file(&secret).expect("hash").0;
    let public_hash = pistas::io::evidence::sha256_file(&public).expect("hash").0;
    for out in ["public.geojson", "public.gpkg", "public.kml", "events.csv"] {
        let output = dir.path().join(out);
        let run = pistas()
            .arg("convert")
            .arg(&doc)
            .arg(&output)
            .args(["--public", "--round", "2"])
            .assert()
            .success();
        let said = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        assert!(said.contains("for publication: left out"), "{said}");
        assert!(said.contains("rounded every coordinate to 2"), "{said}");
        let bytes = std::fs::read(&output).expect("written");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&secret_hash), "{out} names the private file");
        assert!(
            !text.contains("Illustrative: invented"),
            "{out} keeps a note"
        );
        assert!(!text.contains(".evidence") && !text.contains("/7"), "{out}");
        if out == "public.geojson" {
            assert!(
                text.contains(&public_hash),
                "the public item stays, by hash"
            );
            assert!(!text.contains("-73.96109"), "coordinates are rounded");
        }
    }
    // The manifest for publication names no private item and no path.
    let run = pistas()
        .args(["evidence", "manifest", "--public"])
        .arg(&doc)
        .assert()
        .success();
    let manifest = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(manifest.contains(&public_hash) && !manifest.contains(&secret_hash));
    assert!(!manifest.contains(".png"), "{manifest}");
    // --round alone is refused: it only goes with --public.
    pistas()
        .arg("convert")
        .arg(&doc)
        .arg(dir.path().join("x.geojson"))
        .args(["--round", "2"])
        .assert()
        .failure();
}

#[test]
fn a_geopackage_carries_the_evidence_to_another_machine() {
    let here = tempfile::tempdir().expect("temp dir");
    let doc = here.path().join("zona.geojson");
    std::fs::copy(common::project_file("data/vraem-sample.geojson"), &doc).expect("copy");
    let photo = here.path().join("pista.jpg");
    let report = here.path().join("informe.pdf");
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&photo, &bytes).expect("write");
    std::fs::write(&report, b"%PDF-1.4 illustrative").expect("write");
    pistas()
        .args(["evidence", "add"])
        .arg(&doc)
        .args(["--strip", "sample-003", "--event", "e2"])
        .arg(&photo)
        .arg(&report)
        .assert()
        .success();
    let gpkg = here.path().join("zona.gpkg");
    let run = pistas()
        .arg("convert")
        .arg(&doc)
        .arg(&gpkg)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(said.contains("evidence: 2 file(s)"), "{said}");
    // GDAL still opens it, and sees the evidence table beside the layers.
    if let Ok(out) = std::process::Command::new("ogrinfo")
        .arg("-ro")
        .arg("-q")
        .arg(&gpkg)
        .output()
    {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(
            listed.contains("strips") && listed.contains("events"),
            "{listed}"
        );
    } else {
        assert!(std::env::var_os("CI").is_none(), "GDAL is installed in CI");
    }
    // Another machine: only the GeoPackage travels.
    let there = tempfile::tempdir().expect("temp dir");
    let copy = there.path().join("recibido.gpkg");
    std::fs::copy(&gpkg, &copy).expect("copy");
    drop(here);
    let back = there.path().join("recibido.geojson");
    let run = pistas()
        .arg("convert")
        .arg(&copy)
        .arg(&back)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(said.contains("evidence: 2 file(s)"), "{said}");
    pistas().arg("verify").arg(&back).assert().success();
    let parsed = pistas::io::read_path(&back).expect("read");
    let items = pistas::io::evidence::items(&parsed.document);
    assert_eq!(items.len(), 2);
    let folder = pistas::io::evidence::folder_of(&back);
    let restored = pistas::io::evidence::file_of(&folder, &items[0].2).expect("restored");
    assert_eq!(std::fs::read(restored).expect("read"), bytes);
    // A GeoJSON converted to another GeoJSON takes its evidence along too.
    let again = there.path().join("otra.geojson");
    pistas()
        .arg("convert")
        .arg(&back)
        .arg(&again)
        .assert()
        .success();
    pistas().arg("verify").arg(&again).assert().success();
}
