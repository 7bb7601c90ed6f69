//! Form bodies and the request path, both percent-decoded.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzzing::assert_bounded("form", data, fuzzing::form(data));
    fuzzing::assert_bounded("path", data, fuzzing::path(data));
});
