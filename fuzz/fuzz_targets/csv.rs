//! Delimiter sniffing, header detection and CSV/TSV rows; the first byte
//! picks CSV or TSV.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let output = fuzzing::csv(body, choice % 2 == 1);
    fuzzing::assert_bounded("csv", body, output);
});
