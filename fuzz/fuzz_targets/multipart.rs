//! Multipart bodies: the first line is the boundary, the rest the body, so
//! that the fuzzer can match delimiters it finds in its own input.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (boundary, body) = match data.iter().position(|&byte| byte == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&b"b"[..], data),
    };
    let boundary = String::from_utf8_lossy(boundary);
    for content_type in [
        format!("multipart/form-data; boundary={boundary}"),
        format!("multipart/mixed; boundary=\"{boundary}\""),
    ] {
        if let Ok(output) = fuzzing::multipart(body, &content_type) {
            fuzzing::assert_bounded("multipart", data, output);
        }
    }
});
