use super::*;
use crate::io::read_bytes;

fn sample() -> Document {
    read_bytes(include_bytes!("../../data/vraem-sample.geojson"), "sample").document
}

fn made(lang: Lang) -> Made {
    Made {
        lang,
        at: "2014-10-01".parse().unwrap(),
        made: "2026-12-07".parse().unwrap(),
        file_name: "vraem-sample.geojson".into(),
        sha256: "ab".repeat(32),
        left_out: Vec::new(),
        illustrative: true,
    }
}

#[test]
fn a_strip_dossier_says_where_what_and_when_without_requests() {
    let doc = sample();
    let i = doc.position("sample-003").unwrap();
    let html = dossier_html(&doc, &[i], &made(Lang::En), None);
    for needed in [
        "Pista ejemplo 03",
        "sample-003",
        "Department",
        "2014-09-06",
        "destroyed",
        "Rebuilt 6 days after the destruction of 2014-09-06",
        "<svg",
        &"ab".repeat(32),
        "Natural Earth",
        "Illustrative data",
    ] {
        assert!(html.contains(needed), "{needed} missing");
    }
    // Nothing outside the file: no src/href to a network or file address but links.
    for bad in ["src=\"http", "src='http", "url(http", "<link", "@import"] {
        assert!(!html.contains(bad), "{bad} found");
    }
}

#[test]
fn a_selection_has_an_overview_and_speaks_spanish() {
    let doc = sample();
    let filter = Filter {
        min_rebuilt: 1,
        ..Filter::default()
    };
    let at = "2015-06-01".parse().unwrap();
    let picked = select(&doc, &[], &filter, at).unwrap();
    assert!(picked.len() > 1 && picked.len() < 60, "{}", picked.len());
    let html = dossier_html(&doc, &picked, &made(Lang::Es), None);
    assert!(html.contains("Resumen") && html.contains("Días de la destrucción"));
    assert!(html.contains("mediana"));
    assert_eq!(html.matches("<section class=\"strip").count(), picked.len());
    assert!(
        select(&doc, &["nope".into()], &filter, at)
            .unwrap_err()
            .contains("\"nope\"")
    );
}

#[test]
fn the_web_map_holds_every_strip_and_no_address() {
    let doc = sample();
    let html = webmap::webmap_html(&doc, "2014-10-01".parse().unwrap(), Lang::En, "Strips", &[]);
    let start = html
        .find("<script id=\"pistas-data\" type=\"application/json\">")
        .unwrap();
    let rest = &html[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(&json.replace("<\\/", "</")).unwrap();
    assert_eq!(data["strips"].as_array().unwrap().len(), 60);
    assert!(data["basemap"].as_array().unwrap().len() >= 3);
    assert!(!html.contains("src=\"http") && !html.contains("<link"));
}
