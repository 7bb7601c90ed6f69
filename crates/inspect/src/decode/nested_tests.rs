use super::*;
use crate::decode::testing::RecordingSink;
use crate::segment::REQUEST_RECORD;

fn expanded(value: &str) -> (RecordingSink, Result<(), InspectError>) {
    let mut sink = RecordingSink::default();
    let mut state = NestedState::new(3, 1024, 16);
    let mut nested = Nested::new(&mut sink, &mut state);
    nested.segment(&Segment {
        text: value.as_bytes(),
        key: Some(b"v"),
        location: Location::Form { key: b"v" },
        record: REQUEST_RECORD,
        role: Role::Value,
    });
    let result = state.finish();
    (sink, result)
}

fn texts_and_locations(sink: &RecordingSink) -> Vec<(&str, &str)> {
    sink.segments
        .iter()
        .map(|s| (s.text.as_str(), s.location.as_str()))
        .collect()
}

#[test]
fn layers_are_decoded_with_suffixed_locations() {
    let cases: [(&str, &[(&str, &str)]); 5] = [
        ("plain value", &[("plain value", "form:v")]),
        (
            "amFuZUBleGFtcGxlLmNvbQ==",
            &[
                ("amFuZUBleGFtcGxlLmNvbQ==", "form:v"),
                ("jane@example.com", "form:v(base64)"),
            ],
        ),
        (
            r#"{"e": ["a"]}"#,
            &[("e", "form:v(json).e"), ("a", "form:v(json).e[0]")],
        ),
        (
            "e=a%40b&f=1",
            &[
                ("e", "form:v(form:e)"),
                ("a@b", "form:v(form:e)"),
                ("f", "form:v(form:f)"),
                ("1", "form:v(form:f)"),
            ],
        ),
        ("a%40b", &[("a%40b", "form:v"), ("a@b", "form:v(percent)")]),
    ];
    for (value, expected) in cases {
        let (sink, result) = expanded(value);
        assert_eq!(result, Ok(()), "{value}");
        assert_eq!(texts_and_locations(&sink), expected, "{value}");
    }
}

#[test]
fn form_data_with_a_plus_is_also_scanned_as_sent() {
    let (sink, _) = expanded("tel=+4930123456");
    assert_eq!(
        texts_and_locations(&sink),
        [
            ("tel", "form:v(form:tel)"),
            (" 4930123456", "form:v(form:tel)"),
            ("tel=+4930123456", "form:v"),
        ]
    );
}

#[test]
fn invalid_json_and_binary_base64_stay_plain() {
    for value in ["{not json}", "AAECAwQFBgcICQoLDA0ODw==", "4111111111111111"] {
        let (sink, result) = expanded(value);
        assert_eq!(result, Ok(()));
        assert_eq!(texts_and_locations(&sink), [(value, "form:v")], "{value}");
    }
}

#[test]
fn nested_values_keep_key_and_record() {
    let (sink, _) = expanded("amFuZUBleGFtcGxlLmNvbQ==");
    assert_eq!(sink.segments[1].key.as_deref(), Some("v"));
    assert_eq!(sink.segments[1].record, REQUEST_RECORD);
}

#[test]
fn byte_budget_covers_all_layers() {
    let mut sink = RecordingSink::default();
    let mut state = NestedState::new(3, 8, 16);
    let mut nested = Nested::new(&mut sink, &mut state);
    for _ in 0..2 {
        nested.segment(&Segment {
            text: b"a%40b%40c",
            key: None,
            location: Location::Line(1),
            record: REQUEST_RECORD,
            role: Role::Value,
        });
    }
    assert_eq!(
        state.finish(),
        Err(InspectError::NestedTooLarge { limit: 8 })
    );
}

#[test]
fn names_are_never_decoded() {
    let mut sink = RecordingSink::default();
    let mut state = NestedState::new(3, 1024, 16);
    Nested::new(&mut sink, &mut state).segment(&Segment {
        text: b"a%40b",
        key: None,
        location: Location::Line(1),
        record: REQUEST_RECORD,
        role: Role::Name,
    });
    assert_eq!(sink.segments.len(), 1);
}

#[test]
fn first_byte_check_keeps_every_text() {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut scratch = Vec::new();
    for length in 16..40 {
        for seed in 0..64 {
            let value: Vec<u8> = (0..length)
                .map(|index| alphabet[(seed + index * (seed % 7 + 1)) % alphabet.len()])
                .collect();
            if !first_byte_may_be_text(&value) {
                let text =
                    base64::decode_value(&value, &mut scratch) && is_mostly_printable(&scratch);
                assert!(!text, "{}", String::from_utf8_lossy(&value));
            }
        }
    }
    assert!(!first_byte_may_be_text(b"DE89370400440532013000"));
    assert!(first_byte_may_be_text(b"amFuZUBleGFtcGxlLmNvbQ=="));
}

/// `email,phone\njane@example.com,+49 30 1234567\n`, gzip-compressed and
/// in base64.
const GZIP_CSV: &str =
    "H4sIAAAAAAACA0vNTczM0SnIyM9L5cpKzEt1SK1IzC3ISdVLzs/V0TaxVDA2UDA0MjYxNTPnAgAWMMhCLAAAAA==";

#[test]
fn compressed_base64_is_decompressed_and_scanned() {
    // The same text as a gzip and a zlib stream.
    let zlib = "eJxLzU3MzNEpyMjPS+XKSsxLdUitSMwtyEnVS87P1dE2sVQwNlAwNDI2MTUz5wIAWm0NbQ==";
    for (value, format) in [(GZIP_CSV, "gzip"), (zlib, "zlib")] {
        let (sink, result) = expanded(value);
        assert_eq!(result, Ok(()), "{format}");
        // The text is a CSV table, read with its column names.
        let location =
            |column: &str, row: u32| format!("form:v({format})(csv) csv:{column} row {row}");
        let expected = [
            (value.to_owned(), "form:v".to_owned()),
            ("email".to_owned(), location("email", 1)),
            ("phone".to_owned(), location("phone", 1)),
            ("jane@example.com".to_owned(), location("email", 2)),
            ("+49 30 1234567".to_owned(), location("phone", 2)),
        ];
        let texts: Vec<(String, String)> = texts_and_locations(&sink)
            .into_iter()
            .map(|(text, location)| (text.to_owned(), location.to_owned()))
            .collect();
        assert_eq!(texts, expected, "{format}");
    }
}

#[test]
fn unreadable_containers_in_base64_fail() {
    let cases = [
        // A ZIP archive (the start of one, with a CSV file in it).
        (
            "UEsDBBQAAAAAAAAAIVAWMMhCLAAAACwAAAAFAAAAYS5jc3ZlbWFpbCxwaG9u",
            "ZIP",
            "archives are not opened",
        ),
        // Gzip of 128 control bytes.
        (
            "H4sIAAAAAAACA2NgZGJmYWVj5+Dk4ubh5eMXEBQSFhEVE5eQlJKWkZWTZ6CxPAAVCb1mgAAAAA==",
            "gzip",
            "it decompresses to binary data",
        ),
        // The first 24 bytes of the gzip stream of the CSV above.
        (
            "H4sIAAAAAAACA0vNTczM0SnIyM9L5cpK",
            "gzip",
            "it does not decompress",
        ),
    ];
    for (value, format, reason) in cases {
        let (_, result) = expanded(value);
        assert_eq!(
            result,
            Err(InspectError::NestedBinary { format, reason }),
            "{value}"
        );
    }
}

/// Returns a base64 text of `length` symbols that uses all 64 of them in
/// no pattern, as encoded random bytes do.
fn scattered_base64(length: usize) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..length)
        .map(|index| char::from(ALPHABET[(index * 37 + index / 7 + index * index % 13) % 64]))
        .collect()
}

#[test]
fn base64_binary_fails_by_format_or_length() {
    let binary = "only text and gzip, zlib or zstd data are read";
    let unread = "the format is not read";
    let cases = [
        (scattered_base64(8000), "binary", binary),
        // xz, bzip2 and PDF headers before a few bytes: refused however short.
        ("/Td6WFoAAATm1rRGAgAhARYAAAB0L+Wj".to_owned(), "xz", unread),
        ("QlpoOTFBWSZTWUWVd3UAAAAA".to_owned(), "bzip2", unread),
        (
            "JVBERi0xLjcKJeLjz9MKMSAwIG9iago8PC9UeXBl".to_owned(),
            "PDF",
            unread,
        ),
    ];
    for (value, format, reason) in cases {
        let (_, result) = expanded(&value);
        assert_eq!(
            result,
            Err(InspectError::NestedBinary { format, reason }),
            "{value:.40}"
        );
    }
    // Keys, digests and signatures are short; long runs of few symbols
    // (hex of binary data, digits, DNA bases) only fit the alphabet. An
    // even number of digits from 2 to 7 is hex of text, so the run of
    // sevens is odd.
    let plain = [
        scattered_base64(5000),
        "A".repeat(8000),
        "0123456789abcdef".repeat(400),
        "ACGT".repeat(2000),
        "7".repeat(8001),
    ];
    for value in plain {
        let (sink, result) = expanded(&value);
        assert_eq!(result, Ok(()), "{value:.40}");
        assert_eq!(texts_and_locations(&sink)[0], (value.as_str(), "form:v"));
    }
}

#[test]
fn base64_legacy_text_is_scanned() {
    // "jane@example.com" in UTF-16LE with a byte order mark, and "Jörg
    // Müller" in windows-1252.
    let cases = [
        (
            "//5qAGEAbgBlAEAAZQB4AGEAbQBwAGwAZQAuAGMAbwBtAA==",
            "jane@example.com",
        ),
        (
            "SvZyZyBN/GxsZXIsIGpvZXJnQGV4YW1wbGUuY29t",
            "Jörg Müller, joerg@example.com",
        ),
    ];
    for (value, text) in cases {
        let (sink, result) = expanded(value);
        assert_eq!(result, Ok(()), "{value}");
        assert_eq!(
            texts_and_locations(&sink)[1],
            (text, "form:v(base64)"),
            "{value}"
        );
    }
}

#[test]
fn values_that_only_start_like_zlib_stay_plain() {
    let value = "eJwTmf4Tmf4Tmf4Tmf4Tmf4Tmf4Tmf4Tmf4=";
    let (sink, result) = expanded(value);
    assert_eq!(result, Ok(()));
    assert_eq!(texts_and_locations(&sink), [(value, "form:v")]);
}

#[test]
fn decompressed_bytes_count_against_the_budget() {
    // 2,000 bytes of `a` from a short gzip stream, over the 1,024 of the
    // helper's budget.
    let (_, result) = expanded("H4sIAAAAAAACA0tMHAWjYBSMglEwCkbBUAcAOT4TqNAHAAA=");
    assert_eq!(result, Err(InspectError::NestedTooLarge { limit: 1024 }));
}

/// The first-byte check as it was written before the lookup tables, kept
/// as the reference for the table version.
fn first_byte_may_be_text_reference(text: &[u8]) -> bool {
    let (Some(first), Some(second)) = (
        text.first().and_then(|&byte| base64::sextet_value(byte)),
        text.get(1).and_then(|&byte| base64::sextet_value(byte)),
    ) else {
        return true;
    };
    let byte = first << 2 | second >> 4;
    let invalid_lead = matches!(byte, 0x80..=0xC1 | 0xF5..=0xFF);
    let control = (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')) || byte == 0x7F;
    let max_characters = text.len() / 4 * 3 + 2;
    let too_short = max_characters * (100 - MIN_PRINTABLE_PERCENT) < 100;
    !(invalid_lead || (control && too_short))
}

/// Encodes `bytes` as base64 with padding, in the URL-safe alphabet when
/// `url_safe` is set.
fn encode_base64(bytes: &[u8], url_safe: bool) -> Vec<u8> {
    let alphabet: &[u8; 64] = if url_safe {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut encoded = Vec::new();
    for chunk in bytes.chunks(3) {
        let bits = chunk.iter().enumerate().fold(0u32, |bits, (index, &byte)| {
            bits | u32::from(byte) << (16 - 8 * index)
        });
        for index in 0..4 {
            if index <= chunk.len() {
                encoded.push(alphabet[(bits >> (18 - 6 * index) & 63) as usize]);
            } else {
                encoded.push(b'=');
            }
        }
    }
    encoded
}

/// Returns base64 values of every kind the decoder meets: random bytes of
/// either alphabet with stray and non-ASCII bytes, IBANs, and the base64
/// of text, of gzip data and of the formats with a binary signature.
fn generated_base64_values() -> Vec<Vec<u8>> {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut random = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
    let stray = [b'=', b' ', b'.', b':', 0x00, 0x7F, 0x80, 0xC3, 0xE2, 0xFF];
    let mut values = Vec::new();
    for length in 0..48 {
        for _ in 0..200 {
            let value = (0..length)
                .map(|_| {
                    let draw = random();
                    if draw % 16 == 0 {
                        stray[(draw >> 8) as usize % stray.len()]
                    } else {
                        alphabet[(draw >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            values.push(value);
        }
    }
    // Every pair of first characters, each at lengths around the point
    // where one control character stops being too many.
    for first in 0..=255u8 {
        for second in 0..=255u8 {
            for length in [2, 16, 22, 23, 24, 25, 32] {
                let mut value = vec![b'A'; length];
                value[0] = first;
                value[1] = second;
                values.push(value);
            }
        }
    }
    for country in [b"DE", b"GB", b"FR", b"NL", b"AT", b"CH", b"IT", b"ES"] {
        for _ in 0..50 {
            let mut iban = country.to_vec();
            let length = 15 + random() as usize % 19;
            iban.extend((2..length).map(|index| {
                let draw = random() as usize;
                if index < 4 || draw % 3 != 0 {
                    b'0' + (draw % 10) as u8
                } else {
                    b'A' + (draw % 26) as u8
                }
            }));
            values.push(iban);
        }
    }
    let texts: [&[u8]; 6] = [
        b"jane@example.com",
        b"{\"name\": \"Jane Doe\"}",
        b"email,phone\njane@example.com,+49 30 1234567\n",
        b"\t tab first",
        "Zo\u{eb} M\u{fc}ller".as_bytes(),
        b"\x1b[0m colour",
    ];
    let binaries: [&[u8]; 6] = [
        b"\xfd7zXZ\x00\x00\x04",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"\xff\xfeJ\x00a\x00n\x00e\x00",
        b"\xfe\xff\x00J\x00a\x00n\x00e",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
    ];
    for bytes in texts.into_iter().chain(binaries) {
        for url_safe in [false, true] {
            for extra in 0..12 {
                let mut longer = bytes.to_vec();
                longer.extend(std::iter::repeat_n(b'x', extra));
                values.push(encode_base64(&longer, url_safe));
            }
        }
    }
    values.push(GZIP_CSV.as_bytes().to_vec());
    values
}

#[test]
fn first_byte_check_matches_reference() {
    let values = generated_base64_values();
    for value in &values {
        assert_eq!(
            first_byte_may_be_text(value),
            first_byte_may_be_text_reference(value),
            "{value:?}"
        );
    }
    for prefix in 0..4 {
        let value: Vec<u8> = b"DE89370400440532013000"[prefix..].to_vec();
        assert_eq!(
            first_byte_may_be_text(&value),
            first_byte_may_be_text_reference(&value),
            "{value:?}"
        );
    }
}

#[test]
fn sextet_table_matches_decoder() {
    for byte in 0..=255u8 {
        let expected = base64::sextet_value(byte).unwrap_or(NOT_SEXTET);
        assert_eq!(SEXTETS[usize::from(byte)], expected, "byte {byte:#04x}");
    }
}

#[test]
fn binary_signature_check_keeps_signatures() {
    for value in generated_base64_values() {
        let expected = value.first().is_some_and(|&first| {
            matches!(first, b'/' | b'_' | b'i') && has_binary_signature(&value)
        });
        assert_eq!(starts_like_binary_format(&value), expected, "{value:?}");
    }
    for signature in [
        &b"\xfd7zXZ\x00"[..],
        b"\x89PNG\r\n",
        b"\xff\xd8\xff\xe0",
        b"\xff\xfeJ\x00",
        b"\xfe\xffJ\x00",
    ] {
        for url_safe in [false, true] {
            let value = encode_base64(signature, url_safe);
            assert!(starts_like_binary_format(&value), "{value:?}");
        }
    }
}

#[test]
fn text_and_containers_pass_the_checks() {
    let mut decoded = Vec::new();
    for value in generated_base64_values() {
        if value.len() < base64::MIN_VALUE_CHARS || !base64::decode_value(&value, &mut decoded) {
            continue;
        }
        let text = is_mostly_printable(&decoded);
        // A gzip member has at least 18 bytes (a 10-byte header and an
        // 8-byte trailer), so a shorter value that starts like one is no
        // container and may stay plain.
        let container = decoded.len() >= 18 && Container::of(&decoded).is_some();
        let tried = first_byte_may_be_text(&value)
            || value.len() >= MIN_BINARY_BYTES
            || starts_like_binary_format(&value);
        assert!(tried || !(text || container), "{value:?}");
    }
}
