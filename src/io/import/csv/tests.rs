use super::*;

#[test]
fn finds_the_separator_and_the_columns() {
    let p = preview(
        b"Nombre;Latitud;Longitud\nPista 1;-12,35;-73,95\n",
        "a.csv",
        None,
    )
    .unwrap();
    assert_eq!(p.plan.delimiter, b';');
    assert!(p.plan.decimal_comma);
    assert_eq!(p.plan.locations, Locations::LonLat { lon: 2, lat: 1 });
    let p = preview(b"id,name,WKT\n1,a,POINT (1 2)\n", "a.csv", None).unwrap();
    assert_eq!(p.plan.locations, Locations::Wkt(2));
    assert_eq!(p.plan.id, Some(0));
    let p = preview(b"x\ty\tnome\n1\t2\ta\n", "a.tsv", None).unwrap();
    assert_eq!(p.plan.delimiter, b'\t');
    let p = preview(
        "Nombre,Coordenadas\nUno,\"12°21'05\"\"S 73°57'10\"\"W\"\n".as_bytes(),
        "a.csv",
        None,
    )
    .unwrap();
    assert_eq!(p.plan.locations, Locations::Pair(1));
    let p = preview(b"a,b\n1,2\n", "a.csv", None).unwrap();
    assert!(p.problem.unwrap().contains("\"a\", \"b\""));
}

#[test]
fn reads_excel_in_spanish() {
    let text = "Código;Nombre;Latitud;Longitud;Largo (m)\n007;Pista Ñuñoa;12°21'05\"S;73°57'10\"O;1200,5\n008;Otra;-12,4;-73,9;\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let parsed = read(&bytes, "pistas.csv", None, None);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let f = &parsed.document.features()[0];
    assert_eq!(f.id().as_str(), "007");
    assert_eq!(f.name(), Some("Pista Ñuñoa"));
    assert_eq!(f.property("Largo (m)").unwrap().get(), "1200.5");
    let g = f.geometry().unwrap().shape();
    let geo::Geometry::Point(p) = g else {
        panic!("a point")
    };
    assert!((p.y() + 12.351_389).abs() < 1e-6 && (p.x() + 73.952_778).abs() < 1e-6);
    assert_eq!(
        parsed.document.features()[1]
            .property("Largo (m)")
            .unwrap()
            .get(),
        "null"
    );
}

#[test]
fn a_bad_row_is_kept_and_named() {
    let parsed = read(
        b"name,lat,lon\na,-12.3,-73.9\nb,north,-73.9\nc,95,10\n",
        "s.csv",
        None,
        None,
    );
    assert_eq!(parsed.document.features().len(), 3);
    let lines: Vec<String> = parsed.diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("s.csv:3:") && l.contains("\"north\"")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("s.csv:4:") && l.contains("±90")),
        "{lines:?}"
    );
    assert!(parsed.document.features()[1].geometry().is_none());
}

#[test]
fn lines_are_right_with_crlf_and_blank_lines() {
    let parsed = read(
        b"name,lat,lon\r\na,1,2\r\n\r\nb,north,2\r\n",
        "c.csv",
        None,
        None,
    );
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.message.contains("north"))
        .expect("reported");
    assert_eq!(d.line, Some(4), "{d}");
}

#[test]
fn a_runway_length_is_not_a_longitude() {
    let p = preview(
        "Longitud de pista (m);Latitud (S);Longitud (O);notas\n1200;-12,3;-73,9;Point (a note)\n"
            .as_bytes(),
        "a.csv",
        None,
    )
    .unwrap();
    assert_eq!(p.plan.locations, Locations::LonLat { lon: 2, lat: 1 });
    let p = preview(b"geometry,lat,lon\n,-12.3,-73.9\n", "a.csv", None).unwrap();
    assert_eq!(p.plan.locations, Locations::LonLat { lon: 2, lat: 1 });
}

#[test]
fn no_coordinates_is_said() {
    let parsed = read(b"a;b\n1;2\n", "t.csv", None, None);
    assert!(parsed.fatal);
    assert!(
        parsed.diagnostics[0]
            .to_string()
            .starts_with("t.csv:1: error: no coordinate columns")
    );
}
