use super::*;

/// The text that makes a worker panic once, as a bug in the interpreter would.
const PANIC_ONCE: &str = "pistas-test-panic-once";
static PANICKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(super) fn panic_once_at(raw: &RawValue) {
    if raw.get().contains(PANIC_ONCE) && !PANICKED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        panic!("a bug in the interpreter (wanted by the test)");
    }
}

#[test]
fn a_worker_that_panics_costs_time_not_features() {
    let mut doc = crate::model::synthetic::generate(1_500, 3);
    doc.update(700, |f| {
        f.set_name(PANIC_ONCE);
    })
    .unwrap()
    .unwrap();
    let text = crate::io::write::write_geojson(&doc, &Default::default());
    let parsed = read_str_with_threads(&text, "t", 2);
    assert!(PANICKED.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(
        parsed.document,
        read_str_with_threads(&text, "t", 1).document
    );
    assert_eq!(parsed.document.features().len(), 1_500);
    assert_eq!(parsed.document.features()[700].name(), Some(PANIC_ONCE));
}

#[test]
fn progress_counts_every_feature_once_on_any_number_of_threads() {
    let doc = crate::model::synthetic::generate(1_500, 2);
    let text = crate::io::write::write_geojson(&doc, &Default::default());
    for threads in [1, 2, 3] {
        let told = std::sync::Mutex::new(Vec::new());
        let tell = |done: usize, total: usize| told.lock().unwrap().push((done, total));
        let parsed = read_str_in(&text, "t", threads, &tell);
        assert_eq!(parsed.document, read_str(&text, "t").document);
        let mut told = told.into_inner().unwrap();
        told.sort_unstable();
        // One report per task of 256 features, each a new count, the last of them all.
        assert_eq!(
            told.len(),
            1_500usize.div_ceil(all::FEATURES_PER_TASK),
            "{threads}"
        );
        assert!(told.iter().all(|&(_, total)| total == 1_500));
        assert!(told.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(told.last(), Some(&(1_500, 1_500)));
    }
}

#[test]
fn a_features_list_opens_whatever_the_type_says() {
    let features = r#""features":[{"type":"Feature","geometry":null,"properties":{}}]"#;
    for root in [
        format!("{{{features}}}"),
        format!(r#"{{"type":"featurecollection",{features}}}"#),
        format!(r#"{{"type":7,{features}}}"#),
    ] {
        let parsed = read_str(&root, "t");
        assert!(!parsed.fatal, "{root}");
        assert!(parsed.has_errors(), "{root}: still an error");
        assert_eq!(parsed.document.features().len(), 1, "{root}");
    }
}

#[test]
fn compressed_and_utf16_files_are_named_as_such() {
    let gz = read_bytes(&[0x1F, 0x8B, 8, 0, 0, 0], "a.geojson.gz");
    assert!(gz.fatal && gz.diagnostics[0].message.contains("gzip"));
    let utf16: Vec<u8> = "{\"type\""
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let parsed = read_bytes(&utf16, "a.geojson");
    assert!(
        parsed.diagnostics[0].message.contains("UTF-16"),
        "{:?}",
        parsed.diagnostics
    );
}

/// The facts the reader works out while it reads are those worked out from the document
/// afterwards, also for features whose id the reader gave or changed (they search it),
/// on one thread and on two.
#[test]
fn facts_worked_out_while_reading_are_the_documents() {
    let mut text = crate::io::write::write_geojson(
        &crate::model::synthetic::generate(600, 3),
        &crate::io::write::WriteOptions::default(),
    );
    // A repeated id and a feature without one.
    text = text.replacen("\"id\":\"syn-000002\"", "\"id\":\"syn-000001\"", 1);
    text = text.replacen("\"id\":\"syn-000003\",", "", 1);
    for threads in [1, 2] {
        let source = crate::model::SharedText::new(text.clone(), super::reread);
        let reading = super::all::Reading {
            threads,
            progress: &super::untold,
            facts: true,
        };
        let parsed = super::read_text(&source, "t", &reading);
        let facts = parsed.facts.expect("facts");
        let doc = &parsed.document;
        assert!(doc.features().iter().any(|f| f.id_assigned()));
        assert_eq!(doc.features()[1].id().as_str(), "syn-000001-1");
        let book = crate::analysis::FactBook::build(&parsed.document);
        assert_eq!(facts.len(), parsed.document.features().len());
        assert_eq!(facts, book.facts, "{threads} threads");
    }
}
