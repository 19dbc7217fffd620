//! Any bytes: no panic, every error located, whatever is read writes and reads back to
//! the same document (`pistas::io::check_read_write`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = pistas::io::check_read_write(data) {
        panic!("{broken}");
    }
});
