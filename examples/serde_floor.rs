//! The floor a GeoJSON read is measured against: read the file and parse it with serde
//! into nothing (`IgnoredAny`), on one thread. Run side by side with `pistas validate`:
//!
//! ```text
//! cargo build --release --examples
//! hyperfine -w 1 -r 5 "target/release/examples/serde_floor FILE" "target/release/pistas validate FILE"
//! ```
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: serde_floor FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
        Ok(_) => println!("{path}: {} bytes of JSON", bytes.len()),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
