//! A bounded, deterministic fuzz pass over reading and writing (stable Rust, runs in CI):
//! seeds from every fixture and from generated files (over 1 MB, with features larger than
//! a reader part, with escaped strings), mutated a few thousand times with a fixed seed.
//! Each input must satisfy `pistas::io::check_read_write`: no panic, every error located,
//! whatever is read writes and reads back to the same document.
//!
//! A long campaign: `PISTAS_FUZZ_CASES=200000 PISTAS_FUZZ_SEED=7 cargo test --release
//! --test fuzz`, or cargo-fuzz with the target in `fuzz/` (see the README). Inputs that
//! fail are written to `target/fuzz-failures/` to be kept as fixtures.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pistas::io::{WriteOptions, check_read_write, write_geojson};
use pistas::model::synthetic;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every fixture, in any folder, as bytes.
fn fixture_seeds() -> Vec<Vec<u8>> {
    common::files_below("", &["geojson", "json"])
        .into_iter()
        .filter_map(|path| std::fs::read(path).ok())
        .filter(|bytes| bytes.len() < 300_000)
        .collect()
}

/// Small files with the text that went wrong before: escapes in names, notes and ids,
/// fields of the wrong type, derived keys, dateline longitudes, empty geometries.
fn tricky_seeds() -> Vec<Vec<u8>> {
    let features = [
        r#"{"type":"Feature","id":"e\u00f1e","geometry":{"type":"Point","coordinates":[-74.1,-12.3]},"properties":{"name":"Pista \u00d1u\u00f1oa \"Norte\"","notes":"l\u00ednea 1\nl\u00ednea 2","events":[{"type":"destroyed","date":"2014-09-05","operation":null,"id":7,"confidence":"alta","sources":[{"title":null,"url":"https://example.org/\u00e9"}]}],"status":"active"}}"#,
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[179.5,-16.0],[181.0,-16.2]]},"properties":{"times_destroyed":3}}"#,
        r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":null}"#,
        r#"{"type":"Feature","id":"\ud800x","geometry":null,"properties":{"events":[{"kind":"destroyed","date":"2014"}]}}"#,
        r#"{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[-74,-12]},"properties":{"events":[{"type":"bombed","date":"2014-13"},{"type":"rebuilt","date":"2015~"}]}}"#,
        r#"{"type":"Feature","id":2,"geometry":{"type":"Point","coordinates":[-74,95]},"properties":{}}"#,
        r#"5"#,
        r#"{"type":"Feature","id":"dup","geometry":null,"properties":{"a":1,"a":2}}"#,
    ];
    let mut seeds = Vec::new();
    for f in features {
        seeds.push(format!(r#"{{"type":"FeatureCollection","features":[{f}]}}"#).into_bytes());
    }
    seeds.push(
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",\n")
        )
        .into_bytes(),
    );
    seeds.push(features[0].as_bytes().to_vec());
    seeds.push(br#"{"type":"Point","coordinates":[-187.5,52.0]}"#.to_vec());
    seeds
}

/// Files over 1 MB (read on every core), with one feature larger than a reader part: a
/// polygon of 40,000 vertices, and a 700 kB note with escapes.
fn large_seeds() -> Vec<Vec<u8>> {
    let doc = synthetic::generate(200, 3);
    let options = WriteOptions {
        status_date: "2026-01-01".parse().expect("date"),
    };
    let base = write_geojson(&doc, &options);
    let ring: Vec<String> = (0..40_000)
        .map(|i| {
            let a = i as f64 / 40_000.0 * std::f64::consts::TAU;
            format!("[{:.6},{:.6}]", -74.0 + a.cos(), -12.0 + a.sin())
        })
        .chain(std::iter::once("[-73.000000,-12.000000]".to_owned()))
        .collect();
    let polygon = format!(
        r#"{{"type":"Feature","id":"big","geometry":{{"type":"Polygon","coordinates":[[{}]]}},"properties":{{"name":"big"}}}}"#,
        ring.join(",")
    );
    let note = "Nota con \\u00f1 y \\\"comillas\\\"\\n ".repeat(700_000 / 34);
    let noted = format!(
        r#"{{"type":"Feature","id":"note","geometry":{{"type":"Point","coordinates":[-74,-12]}},"properties":{{"notes":"{note}","events":[]}}}}"#
    );
    let insert = |extra: &str| {
        let at = base.find("\n").expect("a feature line") + 1;
        let mut text = base.clone();
        text.insert_str(at, &format!("{extra},\n"));
        text.into_bytes()
    };
    vec![insert(&polygon), insert(&noted)]
}

/// Pieces of JSON and of the profile that mutations insert.
const TOKENS: [&str; 24] = [
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "-0",
    "1e999",
    "\\u00f1",
    "\\ud800",
    "\\n",
    "\u{1}",
    "\"type\":",
    "\"events\":[]",
    "\"date\":\"2014~\"",
    "\"status\":1",
    "\"id\":null",
    "{\"type\":\"destroyed\",\"date\":\"2014\"}",
    "[-187,52]",
    "\u{feff}",
];

fn mutate(rng: &mut ChaCha8Rng, seeds: &[Vec<u8>], input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.random_range(1..4) {
        let len = out.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..len)
        };
        match rng.random_range(0..6) {
            0 if len > 0 => out[at] ^= 1 << rng.random_range(0..8),
            1 => {
                let token = TOKENS[rng.random_range(0..TOKENS.len())];
                out.splice(at..at, token.bytes());
            }
            2 if len > 0 => {
                let end = (at + rng.random_range(1..16)).min(len);
                out.drain(at..end);
            }
            3 if len > 0 => {
                let end = (at + rng.random_range(1..64)).min(len);
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            4 => {
                let other = &seeds[rng.random_range(0..seeds.len())];
                if !other.is_empty() {
                    let from = rng.random_range(0..other.len());
                    let to = (from + rng.random_range(1..256)).min(other.len());
                    out.splice(at..at, other[from..to].iter().copied());
                }
            }
            _ => {
                if len > 0 {
                    out.truncate(at);
                }
            }
        }
    }
    out
}

fn run(input: &[u8], name: &str, failures: &mut Vec<String>) {
    let outcome = catch_unwind(AssertUnwindSafe(|| check_read_write(input)));
    let problem = match outcome {
        Ok(Ok(())) => return,
        Ok(Err(message)) => message,
        Err(panic) => format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        ),
    };
    let dir = common::project_file("target/fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{name}.geojson"));
    let _ = std::fs::write(&file, input);
    let short: String = problem.chars().take(600).collect();
    failures.push(format!("{} ({}): {short}", name, file.display()));
}

#[test]
fn every_seed_and_thousands_of_mutants_keep_the_promises() {
    let cases: usize = std::env::var("PISTAS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("PISTAS_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(11);
    let mut small = fixture_seeds();
    small.extend(tricky_seeds());
    let large = large_seeds();
    let mut failures = Vec::new();
    for (i, s) in small.iter().chain(&large).enumerate() {
        run(s, &format!("seed-{i}"), &mut failures);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for case in 0..cases {
        // One case in a few hundred mutates a large file: they are slow to read in debug.
        let input = if case % 300 == 299 {
            let which = rng.random_range(0..large.len());
            mutate(&mut rng, &small, &large[which])
        } else {
            let base = &small[rng.random_range(0..small.len())];
            mutate(&mut rng, &small, base)
        };
        run(&input, &format!("case-{seed}-{case}"), &mut failures);
        if failures.len() > 20 {
            break;
        }
    }
    assert!(
        failures.is_empty(),
        "{} inputs broke a promise:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
