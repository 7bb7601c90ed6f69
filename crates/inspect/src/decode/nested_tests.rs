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
