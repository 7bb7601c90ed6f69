//! The whole `Inspector::inspect` pipeline. The input is three lines,
//! `Content-Type`, `Content-Encoding`, then the body, so that the fuzzer
//! chooses formats, charsets and codings itself.
#![no_main]

use inspect::{Inspector, Request, fuzzing};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut lines = data.splitn(3, |&byte| byte == b'\n');
    let content_type = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
    let encoding = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
    let body = lines.next().unwrap_or_default();
    let request = Request {
        path: "/fuzz/a%40b",
        query: Some("q=1"),
        content_type: Some(&content_type),
        content_encoding: (!encoding.is_empty()).then_some(encoding.as_str()),
        body,
        ..Request::default()
    };
    if let Ok(report) = Inspector::new(fuzzing::fuzz_limits()).inspect(&request) {
        assert!(report.decoded_bytes <= fuzzing::fuzz_limits().max_decoded_bytes as u64);
    }
});
