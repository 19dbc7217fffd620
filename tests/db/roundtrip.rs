//! A file pushed and pulled back keeps its meaning; the schema is what QGIS and GDAL read.

use super::*;
use crate::common;
use crate::server::server;

/// Pushes `doc` into an emptied database and pulls it back; checks every feature means the
/// same and keeps its property order.
fn round_trip(c: &mut db::Session, url: &str, doc: &Document, what: &str) {
    c.batch_execute(
        "TRUNCATE strips, events CASCADE; DELETE FROM pistas_meta WHERE key = 'collection'",
    )
    .expect("empty");
    db::push(c, doc, &|_| {}).expect("push");
    let back = db::pull(c, &target(url), &|_| {}).expect("pull").0.doc;
    assert_eq!(
        back.features().len(),
        doc.features().len(),
        "{what}: feature count"
    );
    let (want, got) = (meaning(doc), meaning(&back));
    for (i, (a, b)) in doc.features().iter().zip(back.features()).enumerate() {
        let mut w = want[i].clone();
        let mut g = got[i].clone();
        if a.id_assigned() {
            // The database needs an id: the one Pistas gave is now the strip's own.
            assert_eq!(b.id(), a.id(), "{what}: feature {i}: id given by Pistas");
            w.as_object_mut().map(|o| o.remove("id"));
            g.as_object_mut().map(|o| o.remove("id"));
        }
        assert_eq!(w, g, "{what}: feature {i} ({})", a.id());
        let keys = |f: &pistas::model::Feature| -> Vec<String> {
            f.properties().iter().map(|(k, _)| k.clone()).collect()
        };
        assert_eq!(keys(a), keys(b), "{what}: feature {i}: property order");
        assert_eq!(
            a.events_position(),
            b.events_position(),
            "{what}: feature {i}: events' place"
        );
    }
    let members = |d: &Document| -> Vec<(String, serde_json::Value)> {
        d.foreign()
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::from_str(v.get()).expect("json")))
            .collect()
    };
    let (w, g) = (members(doc), members(&back));
    assert_eq!(w, g, "{what}: the collection's own members");
}

#[test]
fn init_creates_the_schema_once_and_upgrades_nothing_twice() {
    let Some(server) = server("init") else { return };
    let name = server.database("init");
    let url = server.url(&name);
    assert_eq!(db::init(&mut client(&url)).expect("init"), vec![1, 2, 3]);
    assert_eq!(
        db::init(&mut client(&url)).expect("again"),
        Vec::<i32>::new()
    );
    let mut c = client(&url);
    let id = db::check_schema(&mut c).expect("schema");
    assert_eq!(id.len(), 32);
    let version: i32 = c
        .query_one("SELECT max(version) FROM pistas_migrations", &[])
        .expect("version")
        .get(0);
    assert_eq!(version, db::SCHEMA_VERSION);
    // A database without the tables says what to do.
    let other = server.url(&server.database("bare"));
    let err = db::pull(&mut client(&other), &target(&other), &|_| {}).expect_err("no schema");
    assert!(err.to_string().contains("pistas db init"), "{err}");
}

#[test]
fn the_sample_and_every_fixture_round_trip() {
    let Some(server) = server("round trip") else {
        return;
    };
    let url = fresh(server, "roundtrip");
    let mut c = client(&url);
    round_trip(&mut c, &url, &sample(), "sample");
    let mut files = Vec::new();
    for folder in [
        "pistas",
        "producers",
        "geojson-fixtures",
        "check-geojson",
        "merge",
        "outside",
        "fuzz",
    ] {
        files.extend(common::files_below(folder, &["geojson", "json"]));
    }
    let mut tried = 0;
    for path in files {
        let Ok(parsed) = pistas::io::read_path(&path) else {
            continue;
        };
        if parsed.fatal {
            continue;
        }
        round_trip(&mut c, &url, &parsed.document, &path.display().to_string());
        tried += 1;
    }
    assert!(tried > 60, "only {tried} fixtures round-tripped");
}

#[test]
fn names_and_properties_holding_sql_are_stored_as_text() {
    let Some(server) = server("sql text") else {
        return;
    };
    let url = fresh(server, "sqltext");
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"x'); DROP TABLE strips; --","geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"name":"Robert'); DROP TABLE strips;--","notes":"$1 \\ ' \" ;","a'b":"1; DELETE FROM events","events":[{"type":"built","date":"2019","note":"'; TRUNCATE history; --","operation":"$$; SELECT 1; $$"}]}}]}"#;
    let doc = pistas::io::read_str(text, "sql.geojson").document;
    db::push(&mut client(&url), &doc, &|_| {}).expect("push");
    let back = database(&url);
    assert_eq!(meaning(&back), meaning(&doc));
    let mut c = client(&url);
    let name: String = c
        .query_one("SELECT name FROM strips", &[])
        .expect("strips still there")
        .get(0);
    assert_eq!(name, "Robert'); DROP TABLE strips;--");
    let history: i64 = c
        .query_one("SELECT count(*) FROM history", &[])
        .expect("history")
        .get(0);
    assert!(history >= 2);
}

#[test]
fn ogrinfo_reads_the_tables_as_qgis_would() {
    let Some(server) = server("ogrinfo") else {
        return;
    };
    if std::process::Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo (gdal-bin) must be installed in CI"
        );
        eprintln!("SKIPPED ogrinfo: GDAL is not installed");
        return;
    }
    let name = server.database("ogr");
    let url = server.url(&name);
    db::init(&mut client(&url)).expect("init");
    db::push(&mut client(&url), &sample(), &|_| {}).expect("push");
    let pg = format!(
        "PG:host=127.0.0.1 port={} user=postgres password={} dbname={name}",
        server.port,
        crate::server::PASSWORD
    );
    let run = |layer: &str| {
        let out = std::process::Command::new("ogrinfo")
            .args(["-ro", "-so", &pg, layer])
            .output()
            .expect("ogrinfo runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let strips = run("strips");
    assert!(strips.contains("Feature Count: 60"), "{strips}");
    assert!(
        strips.contains("EPSG") && strips.contains("4326"),
        "{strips}"
    );
    assert!(strips.contains("Geometry Column = geom"), "{strips}");
    assert!(strips.contains("first_event: Date"), "{strips}");
    assert!(strips.contains("times_destroyed: Integer"), "{strips}");
    let events = run("events");
    assert!(events.contains("date_start: Date"), "{events}");
    assert!(events.contains("date_end: Date"), "{events}");
    assert!(events.contains("strip_id: String"), "{events}");
    let total: usize = sample().features().iter().map(|f| f.events().len()).sum();
    assert!(
        events.contains(&format!("Feature Count: {total}")),
        "{events}"
    );
    // The events on a time axis: listed by default (as QGIS's browser lists it), points
    // at their strips, dates as Date fields, one feature per event.
    let list = std::process::Command::new("ogrinfo")
        .args(["-ro", &pg])
        .output()
        .expect("ogrinfo");
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains(": strips") && list.contains(": event_points (Point)"),
        "ogrinfo lists the events layer by default: {list}"
    );
    let points = run("event_points");
    assert!(points.contains("Geometry: Point"), "{points}");
    assert!(points.contains("date_start: Date"), "{points}");
    assert!(points.contains("date_end: Date"), "{points}");
    assert!(points.contains("strip_name: String"), "{points}");
    assert!(points.contains("type: String"), "{points}");
    assert!(
        points.contains(&format!("Feature Count: {total}")),
        "{points}"
    );
    // Each event sits at its strip: a point strip's events at the point itself.
    let mut c = client(&url);
    let off: i64 = c
        .query_one(
            "SELECT count(*) FROM event_points p JOIN strips s ON s.id = p.strip_id
             WHERE GeometryType(s.geom) = 'POINT' AND NOT ST_Equals(p.geom, s.geom)",
            &[],
        )
        .expect("query")
        .get(0);
    assert_eq!(off, 0);
    // As QGIS's browser with "also list tables with no geometry": both layers.
    let list = std::process::Command::new("ogrinfo")
        .args(["-ro", "-oo", "LIST_ALL_TABLES=YES", &pg])
        .output()
        .expect("ogrinfo");
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains(": strips") && list.contains(": events"),
        "{list}"
    );
}

#[test]
fn tls_is_used_as_sslmode_asks() {
    let Some(server) = server("tls") else { return };
    if !server.cert().exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl must make the test certificate in CI"
        );
        return;
    }
    let name = server.database("tls");
    let base = format!(
        "port={} user=postgres password={} dbname={name}",
        server.port,
        crate::server::PASSWORD
    );
    let ssl = |url: &str| -> Result<bool, String> {
        let mut c = Target::parse(url)
            .map_err(|e| e.to_string())?
            .connect()
            .map_err(|e| format!("{e:?}"))?;
        Ok(c.query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .map_err(|e| e.to_string())?
        .get(0))
    };
    let cert = server.cert().display().to_string();
    assert_eq!(
        ssl(&format!("host=127.0.0.1 {base} sslmode=disable")),
        Ok(false)
    );
    assert_eq!(
        ssl(&format!("host=127.0.0.1 {base} sslmode=prefer")),
        Ok(true)
    );
    assert_eq!(
        ssl(&format!("host=127.0.0.1 {base} sslmode=require")),
        Ok(true)
    );
    assert_eq!(
        ssl(&format!(
            "host=127.0.0.1 {base} sslmode=verify-ca sslrootcert={cert}"
        )),
        Ok(true)
    );
    assert_eq!(
        ssl(&format!(
            "host=localhost {base} sslmode=verify-full sslrootcert={cert}"
        )),
        Ok(true)
    );
    // The certificate names localhost, not 127.0.0.1.
    let wrong = ssl(&format!(
        "host=127.0.0.1 {base} sslmode=verify-full sslrootcert={cert}"
    ));
    assert!(wrong.is_err(), "{wrong:?}");
    // A certificate that did not sign the server's is refused.
    let other = tempfile::NamedTempFile::new().expect("temp");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "/dev/null",
            "-out",
        ])
        .arg(other.path())
        .output()
        .expect("openssl");
    assert!(made.status.success());
    let refused = ssl(&format!(
        "host=localhost {base} sslmode=verify-ca sslrootcert={}",
        other.path().display()
    ));
    assert!(refused.is_err(), "{refused:?}");
}
