use super::*;
use crate::Category;
use crate::detect::{Context, find_category};

fn found(text: &str) -> Vec<&str> {
    find_category(
        text.as_bytes(),
        &Context::default(),
        Category::PostalAddress,
    )
    .into_iter()
    .map(|(start, end)| &text[start..end])
    .collect()
}

#[test]
fn street_lines_are_found() {
    for (text, expected) in [
        ("777 ELM ST", "777 ELM ST"),
        ("N3*777 ELM ST~", "777 ELM ST"),
        ("10 Downing Street, London", "10 Downing Street"),
        ("1600 Pennsylvania Ave. NW", "1600 Pennsylvania Ave."),
        ("12 rue de Rivoli, Paris", "12 rue de Rivoli"),
        ("Snow Street, 25", "Snow Street, 25"),
        ("Atonium Street, 45a", "Atonium Street, 45a"),
        ("Hauptstraße 5, 10115 Berlin", "Hauptstraße 5"),
        ("Karl-Marx-Straße 12", "Karl-Marx-Straße 12"),
        ("Lindenstr. 12a", "Lindenstr. 12a"),
        ("Via Roma 10", "Via Roma 10"),
        ("8814 Dean Lodge Apt. 306", "8814 Dean Lodge Apt. 306"),
        (
            "8788 Merritt Neck Suite 939, Columbus",
            "8788 Merritt Neck Suite 939",
        ),
        ("031 Jonathan Junction", "031 Jonathan Junction"),
        ("Fechnerstraße 6/6", "Fechnerstraße 6/6"),
        ("Mühlestraße 13-38", "Mühlestraße 13-38"),
        ("上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"),
        ("地址：北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
        ("東京都千代田区丸の内1丁目", "東京都千代田区丸の内1丁目"),
        ("東京都千代田区丸の内1-1-1", "東京都千代田区丸の内1-1-1"),
    ] {
        assert_eq!(found(text), [expected], "{text}");
    }
}

#[test]
fn numbers_next_to_ordinary_words_are_not_addresses() {
    for text in [
        "3 items",
        "Order 12345",
        "the street 5 times",
        "page 5",
        "Berlin 10115",
        "10115 Berlin",
        "version 2 of the Way",
        "5 Street",
        "Street 123456",
        "第3号",
        "ABC123号",
        "丸の内1-1-1",
    ] {
        assert!(found(text).is_empty(), "{text}");
    }
}

#[test]
fn address_fields_need_address_shapes() {
    let cases = [
        ("Hauptstraße 5, 10115 Berlin", Roles::ADDRESS, true),
        ("上海市浦东新区", Roles::ADDRESS, true),
        ("Lindenstrasse", Roles::STREET, true),
        ("Berlin", Roles::ADDRESS, false),
        ("jane@example.com", Roles::ADDRESS, false),
        ("https://example.com/a b", Roles::ADDRESS, false),
        ("0003", Roles::STREET, false),
        ("", Roles::STREET, false),
        ("ab", Roles::STREET, false),
    ];
    for (value, roles, expected) in cases {
        assert_eq!(
            is_address_value(value.as_bytes(), roles),
            expected,
            "{value}"
        );
    }
}

#[test]
fn street_suffixes_are_sorted_for_binary_search() {
    for pair in STREET_SUFFIXES.windows(2) {
        assert!(pair[0] < pair[1], "{}", pair[1]);
    }
}

#[test]
fn number_markers_start_with_non_ascii_bytes() {
    for marker in CJK_NUMBER_MARKERS {
        assert!(marker.as_bytes()[0] >= 0x80, "{marker}");
    }
}

#[test]
fn byte_address_fields_match_text_rules() {
    // Pieces of generated values: words, every kind of whitespace, commas,
    // digits and the marks of e-mail addresses and URLs. Two-byte
    // characters, other characters and broken UTF-8 decide which rules
    // judge a value.
    const PIECES: &[&[u8]] = &[
        b"Elm",
        b"st",
        b"5",
        b" ",
        b"  ",
        b"\t",
        b"\n",
        b"\x0B",
        b"\x0C",
        b"\r",
        b"\x1C",
        b",",
        b", ",
        b"@",
        b":",
        b"//",
        b"://",
        b"www.",
        b"x",
        b"-",
        b".",
        b"12b",
        "ß".as_bytes(),
        "Ü".as_bytes(),
        "Ж".as_bytes(),
        "ש".as_bytes(),
        "߿".as_bytes(),
        "\u{a0}".as_bytes(),
        "\u{85}".as_bytes(),
        "\u{3000}".as_bytes(),
        "区".as_bytes(),
        "号".as_bytes(),
        "😀".as_bytes(),
        b"\xC3",
        b"\xA9",
        b"\xDF",
        b"\xC0\x80",
    ];
    // A xorshift64* generator, so that every run checks the same values.
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move |bound: usize| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33) as usize % bound
    };
    let general = |value: &[u8], roles| match std::str::from_utf8(value) {
        Ok(text) => is_text_address_value(text, roles),
        Err(_) => is_text_address_value(&String::from_utf8_lossy(&ascii_words(value)), roles),
    };

    let mut value = Vec::new();
    let mut accepted = 0;
    let mut judged_by_bytes = 0;
    let long = "a ".repeat(151);
    let long_latin = "ä ".repeat(100);
    for index in 0..200_000 {
        value.clear();
        match index % 1000 {
            0 => value.extend_from_slice(long.as_bytes()),
            1 => value.extend_from_slice(long_latin.as_bytes()),
            _ => {}
        }
        // Every eighth value is long enough to span several blocks of
        // `byte_address_value`.
        let pieces = if index % 8 == 0 {
            1 + next(80)
        } else {
            1 + next(12)
        };
        for _ in 0..pieces {
            value.extend_from_slice(PIECES[next(PIECES.len())]);
        }
        for roles in [
            Roles::ADDRESS,
            Roles::STREET,
            Roles::ADDRESS | Roles::STREET,
        ] {
            let expected = general(&value, roles);
            let text = String::from_utf8_lossy(&value);
            if let Some(address) = byte_address_value(&value, roles) {
                assert_eq!(address, expected, "{text:?} {roles:?}");
                judged_by_bytes += 1;
            }
            assert_eq!(is_address_value(&value, roles), expected, "{text:?}");
            accepted += usize::from(expected);
        }
    }
    assert!(
        judged_by_bytes > 150_000,
        "{judged_by_bytes} judged by bytes"
    );
    // Both outcomes occur, so the comparison covers the accepting rules too.
    assert!((1..600_000).contains(&accepted), "{accepted} accepted");
}

#[test]
fn byte_address_fields_across_blocks() {
    let general =
        |value: &[u8], roles| is_text_address_value(std::str::from_utf8(value).unwrap(), roles);
    for length in 1..320 {
        // One long word, a two-byte character that may straddle the end of
        // a block, and lengths around the limits of characters.
        let word = "x".repeat(length);
        let straddling = format!("{}ß Strasse", "y".repeat(length));
        let spaced = format!("{} {}", "z".repeat(length), "Weg");
        let mixed = format!("x{}", "ß".repeat(length / 2));
        for value in [word, straddling, spaced, mixed] {
            for roles in [Roles::ADDRESS, Roles::STREET] {
                let expected = general(value.as_bytes(), roles);
                assert_eq!(
                    byte_address_value(value.as_bytes(), roles),
                    Some(expected),
                    "{value:?} {roles:?}"
                );
            }
        }
    }
}
