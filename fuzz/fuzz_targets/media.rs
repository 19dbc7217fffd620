//! Any bytes given to the evidence decoders: a picture within its bounds or an error, never
//! a panic (`cargo fuzz run media`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = pistas::io::evidence::media::decode_bytes(data, 256) {
        assert_eq!(p.rgba.len(), p.width as usize * p.height as usize * 4);
    }
    let _ = pistas::io::evidence::media::html_words(&String::from_utf8_lossy(data));
});
