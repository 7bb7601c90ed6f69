use super::*;

fn utf8(body: &[u8], content_type: Option<&str>, xml: bool) -> Result<String, InspectError> {
    to_utf8(body, content_type, xml, usize::MAX).map(|text| String::from_utf8_lossy(&text).into())
}

#[test]
fn charset_sources_follow_their_precedence() {
    let utf16le: Vec<u8> = "a@b".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let cases: [(&[u8], Option<&str>, bool, &str); 7] = [
        (b"a@b", None, false, "a@b"),
        (
            b"\xef\xbb\xbfa@b",
            Some("text/plain; charset=gbk"),
            false,
            "a@b",
        ),
        (
            &[b"\xff\xfe".as_slice(), &utf16le].concat(),
            Some("text/plain; charset=gbk"),
            false,
            "a@b",
        ),
        (b"\xd6\xd0", Some("text/plain; charset=gbk"), false, "中"),
        (
            b"<?xml version='1.0' encoding='gbk'?>\xd6\xd0",
            None,
            true,
            "<?xml version='1.0' encoding='gbk'?>中",
        ),
        (
            "<?xml version='1.0' encoding='gbk'?>中".as_bytes(),
            None,
            false,
            "<?xml version='1.0' encoding='gbk'?>中",
        ),
        (
            b"<?xml encoding=\"utf-16\"?><a/>",
            None,
            true,
            "<?xml encoding=\"utf-16\"?><a/>",
        ),
    ];
    for (body, content_type, xml, expected) in cases {
        assert_eq!(utf8(body, content_type, xml).unwrap(), expected, "{body:?}");
    }
}

#[test]
fn utf8_and_undeclared_bodies_are_borrowed() {
    let body = "José jane@example.com".as_bytes();
    let text = to_utf8(body, Some("text/plain; charset=utf-8"), false, usize::MAX).unwrap();
    assert!(matches!(text, Cow::Borrowed(_)));
    let text = to_utf8(body, None, false, usize::MAX).unwrap();
    assert!(std::ptr::eq(text.as_ref(), body));
}

#[test]
fn legacy_bodies_without_a_true_label_are_guessed() {
    let body = b"Jos\xe9 M\xfcller jane@example.com";
    for content_type in [None, Some("text/plain; charset=utf-8")] {
        let text = utf8(body, content_type, false).unwrap();
        assert_eq!(text, "José Müller jane@example.com", "{content_type:?}");
    }
}

#[test]
fn guess_reads_from_the_first_byte_outside_ascii() {
    // Legacy text after more ASCII than the guess reads, and more of it
    // than the guess reads: the sample still shows the charset.
    let ascii = "id,note\n".repeat(40_000);
    let (gbk, _, _) = encoding_rs::GBK.encode("客户,张伟,北京市朝阳区\n");
    let mut body = ascii.clone().into_bytes();
    for _ in 0..20_000 {
        body.extend_from_slice(&gbk);
    }
    assert!(body.len() > 2 * MAX_GUESS_BYTES);
    assert_eq!(guess_unlabelled(&body), Some(encoding_rs::GBK));

    let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("顧客 山田太郎\n");
    let mut body = ascii.into_bytes();
    body.extend_from_slice(&jis);
    assert_eq!(guess_unlabelled(&body), Some(encoding_rs::ISO_2022_JP));
}

#[test]
fn unknown_and_replacement_labels_are_unsupported() {
    for label in ["utf-7", "iso-2022-kr", "hz-gb-2312"] {
        let content_type = format!("text/plain; charset={label}");
        assert_eq!(
            utf8(b"a", Some(&content_type), false),
            Err(InspectError::UnsupportedCharset {
                charset: label.to_owned()
            }),
            "{label}"
        );
    }
    // A label that does not look like a charset name may be data.
    assert_eq!(
        utf8(b"a", Some("text/plain; charset=Whitfield"), false),
        Err(InspectError::UnsupportedCharset {
            charset: "[9 characters withheld]".to_owned()
        })
    );
}

#[test]
fn utf32_decodes_both_byte_orders() {
    assert_eq!(
        decode_utf32(b"a\0\0\0\0\xd8\0\0b\0", false),
        "a\u{fffd}\u{fffd}".as_bytes()
    );
    assert_eq!(decode_utf32(b"\0\0\0a", true), b"a");
}

#[test]
fn transcoded_size_is_limited() {
    let error = to_utf8(
        b"\xe9\xe9\xe9",
        Some("text/plain; charset=latin1"),
        false,
        4,
    )
    .unwrap_err();
    assert_eq!(error, InspectError::BodyTooLarge { size: 6, limit: 4 });
}
