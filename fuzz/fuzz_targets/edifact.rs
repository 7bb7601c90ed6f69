//! EDIFACT interchanges over arbitrary bytes, with or without a `UNA`
//! service string advice that the fuzzer writes itself.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzzing::assert_bounded("edifact", data, fuzzing::edifact(data));
});
