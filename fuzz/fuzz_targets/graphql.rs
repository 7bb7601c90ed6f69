//! GraphQL documents over arbitrary bytes: the lexer must end, stay within
//! its bracket depth and never read past the input.
#![no_main]

use inspect::fuzzing;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzzing::assert_bounded("graphql", data, fuzzing::graphql(data));
});
