//! Request headers: each input line is `name:value`; `cookie` values are
//! split into pairs.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<(String, &[u8])> = data
        .split(|&byte| byte == b'\n')
        .zip(text.split('\n'))
        .map(|(raw, line)| {
            let name = line
                .split(':')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let value = raw
                .iter()
                .position(|&byte| byte == b':')
                .map_or(raw, |at| &raw[at + 1..]);
            (name, value)
        })
        .collect();
    let headers: Vec<(&str, &[u8])> = lines
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    fuzzing::assert_bounded("headers", data, fuzzing::headers(&headers));
});
