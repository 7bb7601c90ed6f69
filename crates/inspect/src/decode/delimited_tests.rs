use super::*;
use crate::decode::csv_records::MAX_PART_CELLS;
use crate::decode::testing::RecordingSink;
use crate::segment::REQUEST_RECORD;

#[test]
fn delimiter_is_the_most_consistent_candidate() {
    let cases: [(&str, u8); 9] = [
        ("a,b,c\n1,2,3\n", b','),
        ("a;b;c\n1,5;2;3\n", b';'),
        // A title line does not choose for the table below it.
        ("Export; December\na,b,c\n1,2,3\n", b','),
        ("Export, December\na;b;c\n1;2;3\n4;5;6\n", b';'),
        ("a;b;c\n1,5;2,5;3\n4,5;5,5;6\n", b';'),
        ("a\tb\n1\t2", b'\t'),
        ("a|b|c\n1|2|3\n", b'|'),
        ("\"x;y\",b\n\"1;2\",3\n", b','),
        ("single column\n", b','),
    ];
    for (input, expected) in cases {
        assert_eq!(
            sniff_delimiter(input.as_bytes()) as char,
            expected as char,
            "{input:?}"
        );
    }
}

fn header(cells: &[&str]) -> bool {
    looks_like_header(&ByteRecord::from(cells.to_vec()))
}

#[test]
fn header_rows_are_told_from_data_rows() {
    assert!(header(&["id", "name", "email"]));
    assert!(header(&["Account: Name", "2024", "Phone"]));
    assert!(!header(&["1", "2", "name"]));
    assert!(!header(&["a", "a"]));
    assert!(header(&["Name", "Telefon", "Telefon"]));
    assert!(!header(&["open", "open", "open", "open", "closed"]));
    assert!(header(&["Name", "Telefon", "Telefon", "Telefon"]));
    assert!(header(&["Telefon", "Telefon"]));
    assert!(header(&["name", "name", "name", "email"]));
    assert!(!header(&["open", "open", "open", "open", "name"]));
    assert!(!header(&["Jane", "jane@example.com"]));
    assert!(!header(&["Jane", "+49 30 1234567"]));
    assert!(!header(&[""]));
}

#[test]
fn header_cells_are_names_and_rows_are_records() {
    let mut sink = RecordingSink::default();
    scan_csv(
        b"email,tel\na@x.example,1\nb@x.example\n",
        false,
        REQUEST_RECORD,
        &mut sink,
    );
    let segments: Vec<(&str, Option<&str>, &str, u64)> = sink
        .segments
        .iter()
        .map(|s| {
            (
                s.text.as_str(),
                s.key.as_deref(),
                s.location.as_str(),
                s.record,
            )
        })
        .collect();
    assert_eq!(
        segments,
        [
            ("email", None, "csv:email row 1", 0),
            ("tel", None, "csv:tel row 1", 0),
            ("a@x.example", Some("email"), "csv:email row 2", 1),
            ("1", Some("tel"), "csv:tel row 2", 1),
            ("b@x.example", Some("email"), "csv:email row 3", 2),
        ]
    );
}

#[test]
fn cells_beyond_the_header_are_numbered() {
    let mut sink = RecordingSink::default();
    scan_csv(b"a\n1,extra\n", false, REQUEST_RECORD, &mut sink);
    assert_eq!(sink.segments[2].location, "csv:column 2 row 2");
    assert_eq!(sink.segments[2].key, None);
}

#[test]
fn wide_rows_keep_their_records_and_columns() {
    // A header and a row wider than a part: the header names the columns
    // of its first part, and every cell of a row stays in that row's
    // record under its own column.
    let width = MAX_PART_CELLS + 40;
    let names: Vec<String> = (0..width).map(|index| format!("c{index}")).collect();
    let values: Vec<String> = (0..width).map(|index| format!("v{index}")).collect();
    let body = format!("{}\n{}\nlast\n", names.join(","), values.join(","));
    let mut sink = RecordingSink::default();
    scan_csv(body.as_bytes(), false, REQUEST_RECORD, &mut sink);

    let (header, rows) = sink.segments.split_at(width);
    assert_eq!(header[0].location, "csv:c0 row 1");
    assert_eq!(header[width - 1].text, format!("c{}", width - 1));
    assert_eq!(
        header[width - 1].location,
        format!("csv:column {width} row 1")
    );
    assert!(
        header
            .iter()
            .all(|segment| segment.record == REQUEST_RECORD)
    );

    assert_eq!(rows.len(), width + 1);
    assert!(rows[..width].iter().all(|segment| segment.record == 1));
    assert_eq!(rows[0].key.as_deref(), Some("c0"));
    assert_eq!(rows[width - 1].text, format!("v{}", width - 1));
    assert_eq!(rows[width - 1].key, None);
    assert_eq!(
        rows[width - 1].location,
        format!("csv:column {width} row 2")
    );
    assert_eq!(rows[width].location, "csv:c0 row 3");
    assert_eq!(rows[width].record, 2);
}

#[test]
fn wide_first_row_without_header_is_one_record() {
    let cells: Vec<String> = (0..MAX_PART_CELLS + 40)
        .map(|index| index.to_string())
        .collect();
    let body = format!("{}\n1,2\n", cells.join(","));
    let mut sink = RecordingSink::default();
    scan_csv(body.as_bytes(), false, REQUEST_RECORD, &mut sink);
    let (first, rest) = sink.segments.split_at(cells.len());
    assert!(first.iter().all(|segment| segment.record == 1));
    assert_eq!(
        first[cells.len() - 1].location,
        format!("csv:column {} row 1", cells.len())
    );
    assert_eq!(rest.len(), 2);
    assert!(rest.iter().all(|segment| segment.record == 2));
}

/// A body and the delimiter and rest that [`separator_line`] returns.
type SeparatorCase = (&'static [u8], Option<(u8, &'static [u8])>);

#[test]
fn separator_lines_name_the_delimiter() {
    let cases: [SeparatorCase; 8] = [
        (b"sep=;\r\na;b\r\n", Some((b';', b"a;b\r\n"))),
        (b"sep=|\na|b", Some((b'|', b"a|b"))),
        (b"\xEF\xBB\xBFSEP=,\n", Some((b',', b""))),
        (b"sep=;", Some((b';', b""))),
        (b"sep=\na;b", None),
        (b"sep=;;;\na;b", Some((b';', b"a;b"))),
        (b"sep=;,\na;b", None),
        (b"separator;a\n", None),
    ];
    for (input, expected) in cases {
        assert_eq!(separator_line(input), expected, "{input:?}");
    }
}

#[test]
fn preamble_covers_title_lines() {
    let cases: [(&[u8], usize, u64); 13] = [
        (b"id,name\n1,Jane\n", 0, 0),
        (b"Export 2026\nid,name\n", 12, 1),
        (b"# customers\r\n\r\nid,name\n", 15, 2),
        (b",,,\nid,name\n", 4, 1),
        (b"a\nb\nc\nd\ne\nid,name\n", 10, 5),
        // Titles of two cells above a wider header.
        (b"Report,2026-12-01\nid,name,dob\n1,Jane,1985\n", 18, 1),
        (
            b"Kunden,Export\nStand,2026\nid,name,dob\n1,Jane,1985\n",
            25,
            2,
        ),
        // Data rows that end in an empty cell the header lacks.
        (b"id,name\nA-1,Jane,\nA-2,Joe,\n", 0, 0),
        (b"a\nb\nc\nd\ne\nf\nid,code\n", 0, 0),
        // One column throughout, a title of one quoted cell, a title with
        // quotes inside, or no wider row after.
        (b"email\njane@example.com\n", 0, 0),
        (b"\"Export, 2026\"\nid,name\n", 15, 1),
        (b"\"Export\" 2026\nid,name\n", 0, 0),
        (b"Export 2026\n", 0, 0),
    ];
    for (input, bytes, lines) in cases {
        assert_eq!(
            preamble(input, b','),
            (bytes, lines),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    // More lines of one cell come before a header of known field names
    // only, up to `MAX_TITLE_LINES`.
    let titles = |count: usize| "t\n".repeat(count);
    let long_cases = [
        (format!("{}name,email\n", titles(6)), (12, 6)),
        (format!("{}name,dob,id,key\n", titles(6)), (12, 6)),
        (format!("{}name,id,key\n", titles(6)), (0, 0)),
        (format!("{}name,email\n", titles(50)), (100, 50)),
        (format!("{}name,email\n", titles(51)), (0, 0)),
        (format!("t,u\n{}name,email\n", titles(6)), (0, 0)),
    ];
    for (input, expected) in long_cases {
        assert_eq!(preamble(input.as_bytes(), b','), expected, "{input:?}");
    }
}

/// Returns the counts and lines of [`DelimiterCounts::of`], reading one
/// byte per step.
fn delimiter_counts_bytewise(input: &[u8]) -> ([[usize; DELIMITERS.len()]; SNIFF_LINES], usize) {
    let sample = &input[..input.len().min(SNIFF_BYTES)];
    let mut counts = [[0usize; DELIMITERS.len()]; SNIFF_LINES];
    let mut lines = 0;
    let mut quoted = false;
    for &byte in sample {
        if lines == SNIFF_LINES {
            break;
        }
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted && (lines > 0 || counts[0] != [0; DELIMITERS.len()]) => lines += 1,
            _ if !quoted => {
                if let Some(candidate) = DELIMITERS.iter().position(|&d| d == byte) {
                    counts[lines][candidate] += 1;
                }
            }
            _ => {}
        }
    }
    let lines = if lines < SNIFF_LINES && sample.len() == input.len() {
        lines + 1
    } else {
        lines.max(1)
    };
    (counts, lines)
}

#[test]
fn delimiter_counts_skip_like_byte_steps() {
    // Lines from a fixed-seed xorshift generator over the bytes that
    // count and some that do not, long enough to cross the sixteen bytes
    // of a step and the end of the sample.
    let alphabet: &[u8] = b"ab1 ,;\t|\"\n\r";
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..3000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let length = (state % 200) as usize;
        let mut input: Vec<u8> = (0..length)
            .map(|index| alphabet[((state >> (index % 50)) as usize + index * 7) % alphabet.len()])
            .collect();
        if round % 100 == 0 {
            // A body of one column, longer than the sample.
            input = b"id\n".repeat(SNIFF_BYTES / 3 + 5);
            input.extend_from_slice(&[b','; 3][..round % 3]);
        }
        let counts = DelimiterCounts::of(&input);
        let (expected_counts, expected_lines) = delimiter_counts_bytewise(&input);
        assert_eq!(counts.counts, expected_counts, "{input:?}");
        assert_eq!(counts.lines, expected_lines, "{input:?}");
    }
}
