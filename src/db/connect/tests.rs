//! Tests of connection strings, timeouts and `.pgpass`.

use super::*;

#[test]
fn key_value_strings_keep_quoted_values_and_take_out_sslmode() {
    let t = Target::parse("host=127.0.0.1 port=5433 dbname='my db' user=ana sslmode=disable")
        .expect("parses");
    assert_eq!(t.tls, TlsMode::Disable);
    assert_eq!(t.config.get_dbname(), Some("my db"));
    assert_eq!(t.config.get_ports(), [5433]);
    assert_eq!(
        t.describe(),
        "postgresql://ana@127.0.0.1:5433/my db?sslmode=disable"
    );
}

#[test]
fn urls_keep_other_parameters() {
    let t =
        Target::parse("postgresql://ana@db.example:5432/vraem?sslmode=require&application_name=x")
            .expect("parses");
    assert_eq!(t.tls, TlsMode::Require);
    assert_eq!(t.config.get_application_name(), Some("x"));
    assert!(Target::parse("postgresql://a@h/d?sslmode=sometimes").is_err());
    assert!(Target::parse("host=h sslmode=verify-full sslrootcert=/nonexistent/x.crt").is_ok());
}

#[test]
fn timeouts_come_from_the_connection_string_with_defaults() {
    let t = Target::parse("host=h dbname=d").expect("parses");
    assert_eq!(t.connect_timeout(), Duration::from_secs(10));
    assert_eq!(t.statement_timeout(), Duration::from_secs(120));
    let t = Target::parse("host=h connect_timeout=3 options='-c statement_timeout=2s'")
        .expect("parses");
    assert_eq!(t.connect_timeout(), Duration::from_secs(3));
    assert_eq!(t.statement_timeout(), Duration::from_secs(2));
    let t =
        Target::parse("postgresql://a@h/d?connect_timeout=4&options=-c%20statement_timeout%3D1500")
            .expect("parses");
    assert_eq!(t.connect_timeout(), Duration::from_secs(4));
    assert_eq!(t.statement_timeout(), Duration::from_millis(1500));
}

#[test]
fn pgpass_lines_match_field_by_field() {
    let t = Target::parse("host=db port=5432 dbname=vraem user=ana").expect("parses");
    let text = "# comment\nother:5432:*:ana:nope\ndb:*:vraem:ana:se\\:cret\n*:*:*:*:fallback\n";
    assert_eq!(t.pgpass_lookup(text).as_deref(), Some("se:cret"));
    assert_eq!(t.pgpass_lookup("db:5432:vraem:bea:x\n"), None);
}
