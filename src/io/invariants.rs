//! The promises reading and writing keep for any input, as one check that the fuzz
//! harnesses (`tests/fuzz.rs`, and `fuzz/` for long campaigns with cargo-fuzz) run on
//! every input they make.

use crate::io::read::{read_bytes, read_str};
use crate::io::write::{WriteOptions, write_geojson};

/// Checks, for any bytes:
/// - every error names where it is (a line, or a feature);
/// - whatever is read writes out and reads back to the same document, and writing that
///   again gives the same text;
/// - a file with no error writes a file with no error.
///
/// Panics are not caught here: the caller's harness reports them.
pub fn check_read_write(bytes: &[u8]) -> Result<(), String> {
    let parsed = read_bytes(bytes, "input");
    for d in &parsed.diagnostics {
        if d.is_error() && d.line.is_none() && d.feature_index.is_none() {
            return Err(format!("an error without a place: {d}"));
        }
    }
    if parsed.fatal {
        return if parsed.diagnostics.iter().any(|d| d.is_error()) {
            Ok(())
        } else {
            Err("a fatal read without an error".into())
        };
    }
    let options = WriteOptions {
        status_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
    };
    let written = write_geojson(&parsed.document, &options);
    let again = read_str(&written, "written");
    if again.fatal {
        return Err(format!(
            "Pistas wrote a file it cannot read: {:?}\n{written}",
            again.diagnostics
        ));
    }
    if again.document != parsed.document {
        let first = parsed
            .document
            .features()
            .iter()
            .zip(again.document.features())
            .position(|(a, b)| a != b);
        let detail = match first {
            Some(i) => format!(
                "feature #{}: read {:?}\nread back {:?}",
                i + 1,
                parsed.document.features()[i],
                again.document.features()[i]
            ),
            None => format!(
                "{} features read, {} read back; members {:?} / {:?}",
                parsed.document.features().len(),
                again.document.features().len(),
                parsed.document.foreign(),
                again.document.foreign()
            ),
        };
        return Err(format!(
            "the written file reads back to another document: {detail}\n{written}"
        ));
    }
    if !parsed.has_errors() && again.has_errors() {
        return Err(format!(
            "a file without errors was written with errors: {:?}\n{written}",
            again.diagnostics
        ));
    }
    let twice = write_geojson(&again.document, &options);
    if twice != written {
        return Err(format!(
            "writing the read-back document gives other text\n{written}\n{twice}"
        ));
    }
    Ok(())
}
