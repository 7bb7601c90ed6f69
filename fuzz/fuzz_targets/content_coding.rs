//! `Content-Encoding` decoding: the first byte picks the coding (or a stack
//! of two), the rest is the body. Every fourth input is also wrapped in a
//! valid Brotli stream, so that stacked codings see decodable layers.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

const CODINGS: [&str; 8] = [
    "gzip",
    "deflate",
    "br",
    "zstd",
    "identity",
    "br, gzip",
    "gzip, zstd",
    "x-gzip, deflate",
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let coding = CODINGS[usize::from(choice) % CODINGS.len()];
    if let Ok(decoded) = fuzzing::content_coding(body, coding) {
        assert!(decoded <= fuzzing::fuzz_limits().max_decoded_bytes);
    }
    if choice % 4 == 0 {
        let stored = fuzzing::brotli_stored(body);
        assert_eq!(fuzzing::content_coding(&stored, "br"), Ok(body.len()));
    }
});
