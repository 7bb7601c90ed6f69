//! Both XML passes over arbitrary bytes, and transcoding by the XML
//! declaration.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(output) = fuzzing::xml(data) {
        fuzzing::assert_bounded("xml", data, output);
    }
    let _ = fuzzing::transcode(data, "application/xml", true);
});
