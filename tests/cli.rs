//! The real `pistas` binary on fixtures and the sample.

mod common;

use assert_cmd::Command;

fn pistas() -> Command {
    Command::cargo_bin("pistas").expect("binary")
}

fn sample() -> String {
    common::project_file("data/vraem-sample.geojson")
        .display()
        .to_string()
}

#[test]
fn validate_rejects_every_bad_fixture_with_located_errors() {
    for path in common::fixtures("check-geojson/bad") {
        let out = pistas().arg("validate").arg(&path).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown = path.display().to_string();
        let located = stderr
            .lines()
            .any(|l| l.starts_with(&format!("{shown}:")) && l.contains(": error: "));
        assert!(located, "{stderr}");
        assert!(stderr.contains(": invalid:"), "no summary: {stderr}");
    }
}

#[test]
fn validate_accepts_the_sample_and_speaks_json() {
    pistas().args(["validate", &sample()]).assert().code(0);
    let bad = common::project_file("tests/fixtures/pistas/bad/bad-events.geojson");
    let out = pistas()
        .arg("validate")
        .arg("--json")
        .arg(&bad)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let first_error = list
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    assert_eq!(first_error["feature_index"], 1);
    assert_eq!(first_error["event_index"], 1);
    assert!(first_error["line"].as_u64().is_some());
}

#[test]
fn usage_and_io_errors_exit_2() {
    pistas()
        .args(["validate", "/no/such/file.geojson"])
        .assert()
        .code(2);
    pistas().args(["convert"]).assert().code(2);
    pistas()
        .args(["stats", &sample(), "--at", "Sept 2014"])
        .assert()
        .code(2);
}

#[test]
fn convert_writes_every_format_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().expect("temp");
    for (name, needle) in [
        ("out.geojson", "\"times_rebuilt\""),
        ("out.csv", "id,name,status"),
        ("events.csv", "strip_id,strip_name"),
        ("events.geojson", "\"date_start\""),
        ("out.kml", "<TimeSpan>"),
    ] {
        let out = dir.path().join(name);
        pistas()
            .args(["convert", &sample()])
            .arg(&out)
            .assert()
            .code(0);
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.contains(needle), "{name}");
        pistas()
            .args(["convert", &sample()])
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("already exists"));
        pistas()
            .args(["convert", "--force", &sample()])
            .arg(&out)
            .assert()
            .code(0);
    }
    let out = dir.path().join("plain.txt");
    pistas()
        .args(["convert", &sample()])
        .arg(&out)
        .arg("--to")
        .arg("events-csv")
        .assert()
        .code(0);
}

#[test]
fn convert_refuses_bad_files_unless_partial() {
    let dir = tempfile::tempdir().expect("temp");
    let bad = common::project_file("tests/fixtures/pistas/bad/bad-events.geojson");
    let out = dir.path().join("good.geojson");
    pistas().arg("convert").arg(&bad).arg(&out).assert().code(1);
    assert!(!out.exists());
    pistas()
        .arg("convert")
        .arg("--partial")
        .arg(&bad)
        .arg(&out)
        .assert()
        .code(0)
        .stderr(predicates::str::contains(
            "0 features and 4 events Pistas could not read are kept as written",
        ));
    // Nothing is lost: the written file has every feature, and the same problems.
    let before = pistas::io::read_path(&bad).expect("read");
    let parsed = pistas::io::read_path(&out).expect("read");
    assert_eq!(parsed.document.features().len(), 5);
    assert_eq!(parsed.error_count(), before.error_count());
}

#[test]
fn stats_report_the_sample_operation() {
    let out = pistas()
        .args(["stats", &sample(), "--at", "2015-12-31", "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["strips"], 60);
    let ops = stats["per_operation"].as_array().expect("operations");
    let destroyed = |name: &str| {
        ops.iter()
            .find(|o| o["operation"].as_str().is_some_and(|n| n.contains(name)))
            .map(|o| o["destructions"].as_u64().unwrap_or(0))
    };
    assert_eq!(destroyed("phase 1"), Some(10));
    assert_eq!(destroyed("phase 2"), Some(44));
    assert_eq!(stats["most_rebuilt"][0]["times_rebuilt"], 4);
    assert_eq!(stats["most_rebuilt"][1]["times_rebuilt"], 4);
    // The text report agrees with the JSON.
    let text = pistas()
        .args(["stats", &sample(), "--at", "2015-12-31"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("60 strips; status at 2015-12-31"), "{text}");
    assert!(text.contains("10 destroyed"), "{text}");
}

#[test]
fn generate_is_reproducible_and_valid() {
    let dir = tempfile::tempdir().expect("temp");
    let (a, b) = (dir.path().join("a.geojson"), dir.path().join("b.geojson"));
    for path in [&a, &b] {
        pistas()
            .args(["generate", "--strips", "200", "--seed", "9"])
            .arg(path)
            .assert()
            .code(0);
    }
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    pistas().arg("validate").arg(&a).assert().code(0);
    let parsed = pistas::io::read_path(&a).expect("read");
    assert_eq!(parsed.document.strips().count(), 200);
}

/// A survey of airstrips with coordinates only, and its own id column, as a public survey
/// of airstrips in Brazil ships (invented places here).
const SURVEY: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[-55.1,-3.2]},"properties":{"Airstrip ID":"BR-0001","name":"Pista S\u00e3o Jo\u00e3o"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[-55.4,-3.9]},"properties":{"Airstrip ID":"BR-0002","name":"Pista Ja\u00fa"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[-56.0,-4.1]},"properties":{"Airstrip ID":"BR-0003"}}
]}"#;

#[test]
fn a_survey_without_histories_is_strips_with_no_history_and_takes_its_id_column() {
    let dir = tempfile::tempdir().expect("temp");
    let input = dir.path().join("survey.geojson");
    std::fs::write(&input, SURVEY).expect("write");
    let out = pistas()
        .args(["stats", "--json"])
        .arg(&input)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["strips"], 3, "points without events are strips");
    let converted = dir.path().join("with-ids.geojson");
    pistas()
        .arg("convert")
        .arg(&input)
        .arg(&converted)
        .args(["--id-column", "Airstrip ID"])
        .assert()
        .code(0)
        .stderr(predicates::str::contains("3 features take their id"));
    let doc = pistas::io::read_path(&converted).expect("read").document;
    let ids: Vec<&str> = doc.features().iter().map(|f| f.id().as_str()).collect();
    assert_eq!(ids, ["BR-0001", "BR-0002", "BR-0003"]);
    assert!(doc.features().iter().all(|f| !f.id_assigned()));
    assert_eq!(doc.features()[0].name(), Some("Pista São João"));
    pistas()
        .arg("convert")
        .arg(&input)
        .arg(dir.path().join("x.geojson"))
        .args(["--id-column", "name"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot serve as id"));
}

#[test]
fn version_says_the_commit_it_was_built_from() {
    let out = pistas().arg("--version").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let expected = format!("pistas {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(text.starts_with(&expected), "{text}");
    let commit = text
        .trim()
        .strip_prefix(&expected)
        .and_then(|t| t.strip_suffix(')'))
        .expect("a commit in brackets");
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{commit}"
    );
    assert_eq!(text.trim(), format!("pistas {}", pistas::VERSION));
}

#[test]
fn verbose_logs_what_was_read_on_stderr_and_quiet_does_not() {
    let sample = sample();
    let quiet = pistas()
        .env_remove("RUST_LOG")
        .args(["validate", &sample])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(!stderr.contains(" INFO "), "{stderr}");
    for args in [["-v", "validate"], ["validate", "--verbose"]] {
        let out = pistas()
            .env_remove("RUST_LOG")
            .args(args)
            .arg(&sample)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr
            .lines()
            .find(|l| l.contains(" INFO  pistas::io::import: read "))
            .unwrap_or_else(|| panic!("no info line: {stderr}"));
        assert!(line.contains("60 features"), "{line}");
    }
    // FILE and --tiles open the window: with a subcommand they are a usage error.
    pistas()
        .args(["--tiles", "t.pmtiles", "validate", &sample])
        .assert()
        .code(2);
}
