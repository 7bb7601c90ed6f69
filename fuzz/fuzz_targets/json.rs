//! The JSON tokenizer over arbitrary bytes.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(output) = fuzzing::json(data) {
        fuzzing::assert_bounded("json", data, output);
    }
});
