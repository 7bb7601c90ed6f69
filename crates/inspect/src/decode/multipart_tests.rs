use super::*;
use crate::Limits;
use crate::decode::testing::RecordingSink;

fn scanned(body: &str, content_type: &str) -> Result<Vec<(String, String)>, InspectError> {
    let mut sink = RecordingSink::default();
    let limits = Limits::default();
    let context = BodyContext {
        limits: &limits,
        multipart_depth: 0,
    };
    scan_multipart(body.as_bytes(), content_type, &context, &mut sink)?;
    Ok(sink
        .segments
        .into_iter()
        .map(|segment| (segment.text, segment.location))
        .collect())
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(text, location)| ((*text).to_owned(), (*location).to_owned()))
        .collect()
}

#[test]
fn parts_preamble_and_epilogue_are_scanned() {
    let body = "note\r\n--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\
                one\r\ntwo\r\n--b\n\nbare\n--b--\r\nafter";
    assert_eq!(
        scanned(body, "multipart/form-data; boundary=b").unwrap(),
        owned(&[
            ("note", "multipart:preamble line 1"),
            ("x", "multipart:x"),
            ("one\r\ntwo", "multipart:x"),
            ("bare", "multipart:"),
            ("after", "multipart:epilogue line 1"),
        ])
    );
}

#[test]
fn delimiter_must_start_a_line() {
    let body = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nsee --b inside\r\n--b--";
    assert_eq!(
        scanned(body, "multipart/form-data; boundary=b").unwrap(),
        owned(&[("x", "multipart:x"), ("see --b inside", "multipart:x")])
    );
}

#[test]
fn quoted_boundaries_and_file_extensions_are_honoured() {
    let body = "--a b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.json\"\r\n\r\n\
                {\"k\": \"v\"}\r\n--a b--";
    assert_eq!(
        scanned(body, "multipart/mixed; boundary=\"a b\"").unwrap(),
        owned(&[
            ("f", "multipart:f(x.json)"),
            ("x.json", "multipart:f(x.json)"),
            ("k", "multipart:f(x.json) $.k"),
            ("v", "multipart:f(x.json) $.k")
        ])
    );
}

#[test]
fn nesting_is_limited() {
    let mut body = String::from("x");
    for level in (0..4).rev() {
        let content_type = if level == 3 {
            "text/plain".to_owned()
        } else {
            format!("multipart/mixed; boundary=b{}", level + 1)
        };
        body = format!("--b{level}\r\nContent-Type: {content_type}\r\n\r\n{body}\r\n--b{level}--");
    }
    let error = scanned(&body, "multipart/mixed; boundary=b0").unwrap_err();
    assert_eq!(error, InspectError::MultipartTooDeep { limit: 3 });
}

#[test]
fn unknown_transfer_encoding_is_an_error() {
    let body = "--b\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nx\r\n--b--";
    assert!(matches!(
        scanned(body, "multipart/mixed; boundary=b"),
        Err(InspectError::UnsupportedTransferEncoding { .. })
    ));
}

/// Bodies that parsers split into different parts: each would let a
/// destination read a field that the inspector read as something else.
#[test]
fn ambiguous_multipart_bodies_rejected() {
    let part = |headers: &str| format!("--b\r\n{headers}\r\n\r\nJohn Smith\r\n--b--\r\n");
    let cases = [
        (
            "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r--b\r\n\
             Content-Disposition: form-data; name=\"fullname\"\r\n\r\nJohn Smith\r\n--b--\r\n"
                .to_owned(),
            "a boundary follows a carriage return without a line feed; end every line with CRLF",
        ),
        (
            "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--b--x\r\n\
             --b\r\nContent-Disposition: form-data; name=\"fullname\"\r\n\r\nJohn Smith\r\n"
                .to_owned(),
            "text follows the closing delimiter on its line",
        ),
        (
            "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--b--\r\n\
             --b\r\nContent-Disposition: form-data; name=\"fullname\"\r\n\r\nJohn Smith\r\n--b--\r\n"
                .to_owned(),
            "a delimiter follows the closing delimiter",
        ),
        (
            part(
                "Content-Disposition: form-data; name=\"fullname\"\r\n\
                 content-disposition: form-data; name=\"note\"",
            ),
            "a part repeats its Content-Disposition header; send it once",
        ),
        (
            part(
                "Content-Disposition: form-data; name=\"x\"\r\n\
                 Content-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: 7bit",
            ),
            "a part repeats its Content-Transfer-Encoding header; send it once",
        ),
    ];
    for (body, expected) in cases {
        match scanned(&body, "multipart/form-data; boundary=b") {
            Err(InspectError::InvalidMultipart { message, .. }) => {
                assert_eq!(message, expected, "{body:?}");
            }
            other => panic!("{body:?}: {other:?}"),
        }
    }
}

#[test]
fn part_names_scanned_as_field_names() {
    let body =
        "--b\r\nContent-Disposition: form-data; name=\"jane@example.com\"\r\n\r\nyes\r\n--b--\r\n";
    let mut sink = RecordingSink::default();
    let limits = Limits::default();
    let context = BodyContext {
        limits: &limits,
        multipart_depth: 0,
    };
    scan_multipart(
        body.as_bytes(),
        "multipart/form-data; boundary=b",
        &context,
        &mut sink,
    )
    .unwrap();
    let name = &sink.segments[0];
    assert_eq!(name.text, "jane@example.com");
    assert_eq!(name.role, Role::Name);
}

#[test]
fn part_file_names_and_headers_scanned() {
    let body = "--b\r\nContent-Disposition: form-data; name=\"f\"; \
                filename=\"jane@example.com.txt\"\r\nX-Contact: +49 30\r\n 1234567\r\n\
                Content-Type: text/plain\r\n\r\nx\r\n--b--\r\n";
    assert_eq!(
        scanned(body, "multipart/form-data; boundary=b").unwrap(),
        // Locations mask the file name.
        owned(&[
            ("f", "multipart:f(j***@e***.txt)"),
            ("jane@example.com.txt", "multipart:f(j***@e***.txt)"),
            ("+49 30 1234567", "multipart:f(j***@e***.txt)"),
            ("x", "multipart:f(j***@e***.txt) line 1"),
        ])
    );
}
