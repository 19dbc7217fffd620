use super::*;

fn error(text: &str) -> (usize, usize, String) {
    let e = parse_geometry(text).expect_err(text);
    let (line, col) = LineIndex::new(text).line_col(e.offset.unwrap_or(0));
    (line, col, e.message)
}

#[test]
fn reads_every_type() {
    let cases = [
        r#"{"type":"Point","coordinates":[1,2,3]}"#,
        r#"{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}"#,
        r#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#,
        r#"{"type":"MultiLineString","coordinates":[[[1,2],[3,4]]]}"#,
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#,
        r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}"#,
        r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}"#,
        r#"{"coordinates":[[1,2],[3,4]],"type":"LineString","custom":{"a":1}}"#,
    ];
    for text in cases {
        let shape = parse_geometry(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert!(text.contains(GeometryKind::of(&shape).as_str()), "{text}");
    }
}

#[test]
fn errors_point_at_the_bad_value() {
    let text = "{\"type\": \"Point\",\n \"coordinates\": [1,\n \"2\"]}";
    let (line, _, message) = error(text);
    assert_eq!(line, 3);
    assert!(message.contains("remove the quotes"), "{message}");
    // Coordinates before the type are read once the type is known, still located.
    let text = "{\"coordinates\": [\n[1, 2]\n],\n \"type\": \"LineString\"}";
    let (line, _, message) = error(text);
    assert_eq!(line, 3, "{message}");
    assert!(message.contains("at least 2 positions"), "{message}");
}

#[test]
fn explains_common_mistakes() {
    let cases = [
        (r#"{"type":"point","coordinates":[1,2]}"#, "write \"Point\""),
        (r#"{"type":"Point","coordinates":[2]}"#, "two numbers"),
        (
            r#"{"type":"Point","coordinates":[2,4,6,8]}"#,
            "at most three",
        ),
        (
            r#"{"type":"Point","coordinates":[-12.3,-100.5]}"#,
            "swapped",
        ),
        (
            r#"{"type":"Point","coordinates":[612000,8630000]}"#,
            "projected",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#,
            "end where it starts",
        ),
        (
            r#"{"type":"Polygon","coordinates":[[0,0],[1,0]]}"#,
            "nested more deeply",
        ),
        (
            r#"{"type":"MultiPoint","coordinates":[[[0,0]]]}"#,
            "nested too deeply",
        ),
        (
            r#"{"type":"Point","coordinates":[1,2],"bbox":[1,2,3]}"#,
            "4 (west",
        ),
        (
            r#"{"type":"Point","features":[],"coordinates":[1,2]}"#,
            "Feature",
        ),
        (r#"{"type":"MultiPoint"}"#, "no \"coordinates\""),
        (
            r#"{"type":"GeometryCollection","geometries":[false]}"#,
            "geometry objects",
        ),
        (
            r#"{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}"#,
            "inside a GeometryCollection",
        ),
        (
            r#"{"type":"Point","type":"Point","coordinates":[1,2]}"#,
            "appears twice",
        ),
    ];
    for (text, expected) in cases {
        let (_, _, message) = error(text);
        assert!(message.contains(expected), "{text}: {message}");
    }
}

#[test]
fn plain_points_read_as_the_general_path_reads_them() {
    let numbers = [
        "-74.29627150450273",
        "-13.055309323926393",
        "0",
        "-0",
        "-0.0",
        "1e1",
        "1E-1",
        "12.5e+0",
        "-74",
        "180",
        "-180",
        "90",
        "-90",
        "0.1000",
        "1.7976931348623157e308",
        "-74.000000000000000000001",
        "4.9e-324",
        "123456789012345678901",
    ];
    for lon in numbers {
        for lat in numbers {
            for (a, b) in [("", ""), (" ", "\n  ")] {
                let text = format!(
                    "{{{a}\"type\":{a}\"Point\",{b}\"coordinates\":{a}[{b}{lon},{a}{lat}{b}]{a}}}"
                );
                assert_eq!(
                    plain_point(&text).map(Ok),
                    parse_in(&text, false).ok().map(Ok::<_, ()>),
                    "{text}"
                );
                if let Some(p) = plain_point(&text) {
                    let general = parse_in(&text, false).expect("point");
                    let (geo::Geometry::Point(p), geo::Geometry::Point(g)) = (p, general) else {
                        panic!("not points");
                    };
                    assert_eq!(p.x().to_bits(), g.x().to_bits(), "{text}");
                    assert_eq!(p.y().to_bits(), g.y().to_bits(), "{text}");
                }
            }
        }
    }
    // Not plain: left to the general path, which reads or reports them.
    for text in [
        r#"{"coordinates": [1, 2], "type": "Point"}"#,
        r#"{"type": "Point", "coordinates": [1, 2, 3]}"#,
        r#"{"type": "Point", "coordinates": [1, 2], "bbox": [1, 2, 1, 2]}"#,
        r#"{"type": "Point", "coordinates": [1, 95]}"#,
        r#"{"type": "Point", "coordinates": [+1, 2]}"#,
        r#"{"type": "Point", "coordinates": [1.2.3, 2]}"#,
    ] {
        assert!(plain_point(text).is_none(), "{text}");
    }
}
