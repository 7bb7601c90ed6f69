//! Nested decoding of one value: base64, JSON and form data inside a
//! string, and double percent-encoding, down to the depth limit.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(output) = fuzzing::nested(data) {
        fuzzing::assert_bounded("nested", data, output);
    }
});
