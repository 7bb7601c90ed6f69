//! `Inspector::mask_request`, the masked copy that the gateway sends. The
//! first byte picks a `Content-Type` from a list of multipart, batch,
//! EDIFACT, GraphQL and JSON types. A first byte past the list makes the first line of the
//! input the `Content-Type` itself. The rest is the body.
//!
//! A copy that is returned must inspect without an error and without
//! personal data, since the gateway sends it on.
#![no_main]

use inspect::{Inspector, Request, fuzzing};
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [&str; 8] = [
    "multipart/mixed; boundary=b",
    "multipart/form-data; boundary=b",
    "multipart/mixed; boundary=batch_1",
    "application/http",
    "application/EDIFACT",
    "text/plain",
    "application/graphql",
    "application/json",
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let (content_type, body) = match CONTENT_TYPES.get(usize::from(choice)) {
        Some(content_type) => ((*content_type).to_owned(), rest),
        None => {
            let mut lines = rest.splitn(2, |&byte| byte == b'\n');
            let content_type = String::from_utf8_lossy(lines.next().unwrap_or_default());
            (content_type.into_owned(), lines.next().unwrap_or_default())
        }
    };
    let inspector = Inspector::new(fuzzing::fuzz_limits());
    let request = Request {
        path: "/fuzz",
        content_type: Some(&content_type),
        body,
        ..Request::default()
    };
    let Ok(masked) = inspector.mask_request(&request) else {
        return;
    };
    let copy = Request {
        body: &masked.body,
        ..request
    };
    let report = inspector
        .inspect(&copy)
        .expect("inspection of a masked copy succeeds");
    assert!(
        !report.personal_data,
        "{:?}",
        report.categories().collect::<Vec<_>>()
    );
});
