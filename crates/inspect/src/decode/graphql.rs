//! GraphQL documents: the `query` member of a GraphQL request, or a body
//! of type `application/graphql`.
//!
//! Clients write arguments inline as often as they pass variables
//! (`customerCreate(input: {firstName: "Jane", phone: "030 1234567"})`).
//! Read as text, such a document shows no key in front of a name or a
//! national phone number, so only self-evident patterns such as e-mail
//! addresses would be found. [`literals`] reads the document's tokens and
//! returns each string and number with the argument, input-object field or
//! variable it is the value of. [`scan_graphql`] passes them on as values
//! under those keys, so the detectors judge them as they judge a JSON
//! member. Comments are passed on as text.
//!
//! Each argument list and each object in a list argument is a record of
//! its own, so that a mutation that creates several customers counts each
//! of them.
//!
//! A value that does not read as GraphQL (an unclosed bracket, a character
//! outside the language) is not one, and is scanned as text instead.

use crate::decode::json_string::{self, DecodedString};
use crate::segment::{Location, RecordId, Role, Segment, SegmentSink};

/// Words that open an executable or fragment definition.
const OPENING_KEYWORDS: [&[u8]; 4] = [b"query", b"mutation", b"subscription", b"fragment"];

/// The kind of a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LiteralKind {
    /// A string in double quotes, with JSON's escapes.
    String,
    /// A block string in triple quotes, whose content is taken as written.
    BlockString,
    /// An integer or a float.
    Number,
    /// The text of a `#` comment, up to the end of its line.
    Comment,
}

/// A string, number or comment of a document, with what it is the value of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Literal {
    pub kind: LiteralKind,
    /// The literal as written, quotes included.
    pub span: (usize, usize),
    /// The name of the argument, field or variable whose value it is, or
    /// of the list argument it is an item of.
    pub key: Option<(usize, usize)>,
    /// The record it belongs to: 0 for the document's own record, then
    /// one number per argument list and per object in a list argument, in
    /// order.
    pub group: usize,
}

impl Literal {
    /// Returns the value the literal stands for: a string unescaped into
    /// `scratch` when it has escapes, anything else as written.
    pub(crate) fn value<'t>(&self, text: &'t [u8], scratch: &'t mut Vec<u8>) -> &'t [u8] {
        let (start, end) = self.span;
        match self.kind {
            LiteralKind::String => {
                let mut position = start;
                // `literals` decoded the string once already, so the
                // fallback is never taken.
                decode_string(text, &mut position, scratch).unwrap_or(&text[start + 1..end - 1])
            }
            LiteralKind::BlockString => &text[start + 3..end - 3],
            LiteralKind::Number => &text[start..end],
            LiteralKind::Comment => &text[start + 1..end],
        }
    }
}

/// Returns whether `text` starts like a GraphQL document: with a selection
/// set or a definition keyword, after whitespace and comments.
///
/// Inlined, so that the test of the first byte, which rules out most
/// values, costs no call.
#[inline(always)]
pub(crate) fn looks_like_graphql(text: &[u8]) -> bool {
    matches!(
        text.first(),
        Some(b'{' | b'#' | b'q' | b'm' | b's' | b'f' | b' ' | b'\t' | b'\n' | b'\r')
    ) && starts_like_document(text)
}

fn starts_like_document(text: &[u8]) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_ascii_start();
        match rest.first() {
            Some(b'#') => {
                let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                rest = &rest[end..];
            }
            Some(b'{') => return true,
            _ => break,
        }
    }
    OPENING_KEYWORDS.iter().any(|keyword| {
        rest.strip_prefix(*keyword)
            .is_some_and(|after| after.first().is_none_or(|&byte| !is_name_byte(byte)))
    })
}

/// Returns the literals of a body of `content_type` whose text is `text`
/// when it is a GraphQL document: declared as `application/graphql`, or
/// starting like one.
pub(crate) fn document_literals(content_type: Option<&str>, text: &[u8]) -> Option<Vec<Literal>> {
    let declared = content_type.is_some_and(|content_type| {
        crate::decode::media_type::essence(content_type) == "application/graphql"
    });
    if declared {
        literals(text)
    } else {
        value_literals(text)
    }
}

/// Returns the literals of a value that starts like a GraphQL document and
/// reads as one, such as the `query` member of a GraphQL request.
#[inline(always)]
pub(crate) fn value_literals(text: &[u8]) -> Option<Vec<Literal>> {
    if looks_like_graphql(text) {
        literals(text)
    } else {
        None
    }
}

/// The bracket that the reader is inside.
#[derive(Debug, Clone, Copy)]
enum Frame {
    /// A selection set or a block of definitions, whose fields have no
    /// values.
    Selection,
    /// Arguments or variable definitions in `(…)`.
    Arguments { group: usize },
    /// An input object in `{…}` that is a value.
    Object { group: usize },
    /// A list value in `[…]` that is the value of `key`. The objects of
    /// a list that is an argument are records of their own (`contacts:
    /// [{…}, {…}]`), while those of a list inside an object belong to it
    /// (a customer's `addresses`).
    List {
        key: Option<(usize, usize)>,
        group: usize,
        records: bool,
    },
}

impl Frame {
    fn group(self) -> usize {
        match self {
            Frame::Selection => 0,
            Frame::Arguments { group } | Frame::Object { group } | Frame::List { group, .. } => {
                group
            }
        }
    }

    fn closed_by(self, byte: u8) -> bool {
        matches!(
            (self, byte),
            (Frame::Selection | Frame::Object { .. }, b'}')
                | (Frame::Arguments { .. }, b')')
                | (Frame::List { .. }, b']')
        )
    }
}

/// Deepest nesting of brackets that [`literals`] reads. A deeper document
/// is not read as GraphQL, but scanned as text.
const MAX_DEPTH: usize = 128;

/// Returns the literals of the GraphQL document `text` in order.
///
/// Returns `None` when `text` is not such a document: a byte outside the
/// language, an unclosed string or bracket, a closing bracket of the wrong
/// kind, brackets nested deeper than [`MAX_DEPTH`], or no selection set at
/// all. Prose that starts with `query` lexes as names and numbers, but has
/// no braces. A document without arguments is not read either, because
/// only arguments have literals. It is scanned as text, as a value such as
/// `{Jane Doe}` must be.
pub(crate) fn literals(text: &[u8]) -> Option<Vec<Literal>> {
    let mut found = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut groups = 0;
    // The name read last, which a `:` makes the key of the next value.
    let mut last_name: Option<(usize, usize)> = None;
    // The variable defined last, whose default value follows a `=`.
    let mut last_variable: Option<(usize, usize)> = None;
    // The key of the value that comes next, when one is expected.
    let mut value_key: Option<Option<(usize, usize)>> = None;
    let mut scratch = Vec::new();
    let mut selections = false;
    let mut position = usize::from(text.starts_with(b"\xEF\xBB\xBF")) * 3;

    while let Some(&byte) = text.get(position) {
        let start = position;
        let group = frames.last().map_or(0, |frame| frame.group());
        // The key of a literal here: the pending value's, or the list's.
        let key_here = value_key.unwrap_or(match frames.last() {
            Some(&Frame::List { key, .. }) => key,
            _ => None,
        });
        let kind = match byte {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                position += 1;
                continue;
            }
            // The language ignores a byte-order mark between tokens.
            0xEF if text[start..].starts_with(b"\xEF\xBB\xBF") => {
                position += 3;
                continue;
            }
            b'#' => {
                let end = memchr::memchr2(b'\n', b'\r', &text[start..])
                    .map_or(text.len(), |end| start + end);
                found.push(Literal {
                    kind: LiteralKind::Comment,
                    span: (start, end),
                    key: None,
                    group,
                });
                position = end;
                continue;
            }
            b'"' if text[start..].starts_with(b"\"\"\"") => {
                position = block_string_end(text, start + 3)?;
                LiteralKind::BlockString
            }
            b'"' => {
                decode_string(text, &mut position, &mut scratch)?;
                LiteralKind::String
            }
            b'-' | b'0'..=b'9' => {
                position = number_end(text, start)?;
                LiteralKind::Number
            }
            _ if is_name_start(byte) => {
                position += text[start..]
                    .iter()
                    .take_while(|&&byte| is_name_byte(byte))
                    .count();
                last_name = Some((start, position));
                // An enum value, a variable's name or a type ends the
                // value without a literal.
                value_key = None;
                continue;
            }
            b':' => {
                value_key = Some(last_name.take());
                position += 1;
                continue;
            }
            // A default value of a variable takes the variable's name.
            b'=' => {
                value_key = Some(last_variable);
                position += 1;
                continue;
            }
            b'$' => {
                // A variable in a value's place carries no literal. A
                // variable being defined keys its default value after `=`.
                position += 1;
                let length = text[position..]
                    .iter()
                    .take_while(|&&byte| is_name_byte(byte))
                    .count();
                if length == 0 {
                    return None;
                }
                last_name = Some((position, position + length));
                last_variable = last_name;
                position += length;
                value_key = None;
                continue;
            }
            b'(' | b'[' | b'{' => {
                if frames.len() >= MAX_DEPTH {
                    return None;
                }
                let is_value =
                    value_key.is_some() || matches!(frames.last(), Some(Frame::List { .. }));
                let frame = match byte {
                    b'(' => {
                        groups += 1;
                        Frame::Arguments { group: groups }
                    }
                    b'[' => Frame::List {
                        key: key_here,
                        group,
                        records: matches!(frames.last(), Some(Frame::Arguments { .. })),
                    },
                    _ if !is_value => {
                        selections = true;
                        Frame::Selection
                    }
                    _ if matches!(frames.last(), Some(Frame::List { records: true, .. })) => {
                        groups += 1;
                        Frame::Object { group: groups }
                    }
                    _ => Frame::Object { group },
                };
                frames.push(frame);
                position += 1;
                value_key = None;
                last_name = None;
                continue;
            }
            b')' | b']' | b'}' => {
                if !frames.pop()?.closed_by(byte) {
                    return None;
                }
                position += 1;
                value_key = None;
                last_name = None;
                continue;
            }
            b'!' | b'&' | b'|' | b'@' => {
                position += 1;
                continue;
            }
            b'.' if text[start..].starts_with(b"...") => {
                position += 3;
                continue;
            }
            _ => return None,
        };
        found.push(Literal {
            kind,
            span: (start, position),
            key: key_here,
            group,
        });
        // A literal ended the value it was expected as.
        value_key = None;
    }

    (frames.is_empty() && selections && groups > 0).then_some(found)
}

/// Decodes the string literal whose opening quote is at `*position` and
/// leaves `*position` after its closing quote.
///
/// A GraphQL string takes JSON's escapes, and since the 2021 edition of
/// the language also `\u{…}`, a code point of any width in braces, and
/// raw control characters other than line breaks, such as a tab. A string
/// with either is rewritten into JSON's form and decoded from that copy.
/// A string with an invalid escape (`\q`, `\u{D800}`) is taken as
/// written: a server rejects it, but its bytes have left by then, so its
/// value is still judged under its key. Returns `None` only when the
/// string is not closed on its line.
fn decode_string<'t>(
    text: &'t [u8],
    position: &mut usize,
    scratch: &'t mut Vec<u8>,
) -> Option<&'t [u8]> {
    let start = *position;
    match json_string::decode_string(text, position, scratch) {
        Ok(DecodedString::Borrowed(value)) => return Some(value),
        Ok(DecodedString::Scratch) => return Some(scratch),
        Err(_) => {}
    }
    let end = string_end(text, start)?;
    *position = end;
    let raw = &text[start + 1..end - 1];
    let Some(json) = as_json_string(&text[start..end]) else {
        return Some(raw);
    };
    let mut inner = 0;
    match json_string::decode_string(&json, &mut inner, scratch) {
        Ok(DecodedString::Scratch) if inner == json.len() => Some(scratch),
        // The copy has an escape, so it never decodes as borrowed.
        _ => Some(raw),
    }
}

/// Returns the offset after the closing quote of the string whose opening
/// quote is at `start`. A string ends on its line.
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut position = start + 1;
    loop {
        match *text.get(position)? {
            b'"' => return Some(position + 1),
            b'\\' => position += 2,
            b'\n' | b'\r' => return None,
            _ => position += 1,
        }
    }
}

/// Rewrites the string literal `literal`, quotes included, into JSON's
/// form: every `\u{…}` escape as `\uXXXX`, or as a pair of them for a
/// code point above U+FFFF, and every raw control character as `\u00XX`.
/// Returns `None` for a braced escape without hex digits or closing
/// brace, or whose code point is a surrogate or above U+10FFFF, which the
/// language rejects.
fn as_json_string(literal: &[u8]) -> Option<Vec<u8>> {
    let mut json = Vec::with_capacity(literal.len() + 8);
    let mut position = 0;
    while let Some(&byte) = literal.get(position) {
        if byte < 0x20 {
            json.extend_from_slice(format!("\\u{byte:04x}").as_bytes());
            position += 1;
            continue;
        }
        if byte != b'\\' {
            json.push(byte);
            position += 1;
            continue;
        }
        if !literal[position..].starts_with(b"\\u{") {
            json.extend_from_slice(literal.get(position..position + 2)?);
            position += 2;
            continue;
        }
        let digits_start = position + 3;
        let digits = literal[digits_start..]
            .iter()
            .take_while(|byte| byte.is_ascii_hexdigit())
            .count();
        if digits == 0 || literal.get(digits_start + digits) != Some(&b'}') {
            return None;
        }
        let code_point = literal[digits_start..digits_start + digits]
            .iter()
            .try_fold(0u32, |value, &digit| {
                let digit = char::from(digit).to_digit(16)?;
                value.checked_mul(16)?.checked_add(digit)
            })?;
        let character = char::from_u32(code_point)?;
        let mut units = [0u16; 2];
        for unit in character.encode_utf16(&mut units) {
            json.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
        }
        position = digits_start + digits + 1;
    }
    Some(json)
}

/// Returns the offset after the `"""` that closes a block string whose
/// content starts at `start`. `\"""` inside it is an escaped delimiter.
fn block_string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut position = start;
    loop {
        let quotes = memchr::memmem::find(&text[position..], b"\"\"\"")? + position;
        if quotes > 0 && text[quotes - 1] == b'\\' {
            position = quotes + 3;
            continue;
        }
        return Some(quotes + 3);
    }
}

/// Returns the offset after the number that starts at `start`: an optional
/// `-`, digits, then an optional fraction and exponent. A number directly
/// followed by a name character or a `.` is no token of the language.
fn number_end(text: &[u8], start: usize) -> Option<usize> {
    let digits = |from: usize| {
        text[from..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count()
    };
    let mut position = start + usize::from(text[start] == b'-');
    let integer = digits(position);
    if integer == 0 {
        return None;
    }
    position += integer;
    if text.get(position) == Some(&b'.') {
        let fraction = digits(position + 1);
        if fraction == 0 {
            return None;
        }
        position += 1 + fraction;
    }
    if matches!(text.get(position), Some(b'e' | b'E')) {
        position += 1;
        if matches!(text.get(position), Some(b'+' | b'-')) {
            position += 1;
        }
        let exponent = digits(position);
        if exponent == 0 {
            return None;
        }
        position += exponent;
    }
    match text.get(position) {
        Some(&byte) if is_name_start(byte) || byte == b'.' => None,
        _ => Some(position),
    }
}

fn is_name_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Passes the literals of the document `text`, which [`literals`] read as
/// `found`, to `sink` as values under their keys. Group 0 is `record`,
/// and every other group is a new record.
///
/// The rest of the document, with every literal blanked out, follows as one
/// name segment. Field names, aliases and directives carry no personal
/// data in a real document, but a client could hide a number in one
/// (`_4111111111111111: id`), and the scan as text used to find it.
pub(crate) fn scan_graphql(
    text: &[u8],
    found: &[Literal],
    record: RecordId,
    sink: &mut impl SegmentSink,
) {
    let mut records: Vec<RecordId> = vec![record];
    let mut scratch = Vec::new();
    let mut rest = text.to_vec();
    for literal in found {
        while records.len() <= literal.group {
            records.push(sink.begin_record());
        }
        let key = literal.key.map(|(start, end)| &text[start..end]);
        let value = literal.value(text, &mut scratch);
        sink.segment(&Segment {
            text: value,
            key,
            location: Location::Argument {
                key: key.unwrap_or_default(),
            },
            record: records[literal.group],
            role: Role::Value,
        });
        let (start, end) = literal.span;
        rest[start..end].fill(b' ');
    }
    // A name is not searched for nested layers, so the blanked document,
    // which is still GraphQL, is not read as a document again.
    sink.segment(&Segment {
        text: &rest,
        key: None,
        location: Location::Argument { key: b"" },
        record,
        role: Role::Name,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Returns each literal of `text` as (key, value, group).
    fn read(text: &str) -> Option<Vec<(String, String, usize)>> {
        let text = text.as_bytes();
        let mut scratch = Vec::new();
        let found = literals(text)?;
        Some(
            found
                .iter()
                .map(|literal| {
                    let key = literal.key.map_or(String::new(), |(start, end)| {
                        String::from_utf8_lossy(&text[start..end]).into_owned()
                    });
                    let value = String::from_utf8_lossy(literal.value(text, &mut scratch));
                    (key, value.into_owned(), literal.group)
                })
                .collect(),
        )
    }

    fn entry(key: &str, value: &str, group: usize) -> (String, String, usize) {
        (key.to_owned(), value.to_owned(), group)
    }

    #[test]
    fn arguments_and_input_fields_key_their_values() {
        let found =
            read(r#"{ user(id: 7, filter: {email: "a@b.de", tags: ["x", "y"]}) { name } }"#);
        assert_eq!(
            found.unwrap(),
            [
                entry("id", "7", 1),
                entry("email", "a@b.de", 1),
                entry("tags", "x", 1),
                entry("tags", "y", 1),
            ]
        );
    }

    #[test]
    fn objects_of_a_list_argument_are_records() {
        let found = read(r#"mutation { add(rows: [{n: "a"}, {n: "b"}], note: "c") { ok } }"#);
        assert_eq!(
            found.unwrap(),
            [
                entry("n", "a", 2),
                entry("n", "b", 3),
                entry("note", "c", 1)
            ]
        );
    }

    #[test]
    fn variables_and_enums_carry_no_literal() {
        let found =
            read(r#"query Q($id: ID!, $v: String = "d") { f(a: $id, b: OPEN, c: true) { g } }"#);
        assert_eq!(found.unwrap(), [entry("v", "d", 1)]);
    }

    #[test]
    fn strings_comments_and_numbers_are_decoded() {
        let found = read(
            "{ f(a: \"x\\u0041\\n\", b: \"\"\"say \\\"\"\" hi\"\"\", c: -1.5e3) { g } } # end",
        );
        assert_eq!(
            found.unwrap(),
            [
                entry("a", "xA\n", 1),
                entry("b", "say \\\"\"\" hi", 1),
                entry("c", "-1.5e3", 1),
                entry("", " end", 0),
            ]
        );
    }

    #[test]
    fn braced_unicode_escapes_decode_like_json_ones() {
        let found = read(
            "{ f(a: \"M\\u{fc}ller\", b: \"\\u{1F600}\\u{000041}\\n\", c: \"\\u00fc\") { g } }",
        );
        assert_eq!(
            found.unwrap(),
            [
                entry("a", "M\u{fc}ller", 1),
                entry("b", "\u{1F600}A\n", 1),
                entry("c", "\u{fc}", 1),
            ]
        );
    }

    #[test]
    fn invalid_escapes_keep_their_text() {
        for escape in [
            "\\u{}",
            "\\u{41",
            "\\u{D800}",
            "\\u{DFFF}",
            "\\u{110000}",
            "\\u{100000000000000041}",
            "\\u{4G}",
            "\\q",
            "\\uD800",
            "\\uD83D\\u{DE00}",
        ] {
            let text = format!("{{ f(a: \"x{escape}y\", phone: \"030 1234567\") {{ g }} }}");
            let found = read(&text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(found[0], entry("a", &format!("x{escape}y"), 1), "{text}");
            assert_eq!(found[1], entry("phone", "030 1234567", 1), "{text}");
        }
    }

    #[test]
    fn control_characters_and_byte_order_marks_are_read() {
        let found = read("{ f(a: \"x\ty\u{1}\", \u{feff}phone: \"030 1234567\") { g } }");
        assert_eq!(
            found.unwrap(),
            [entry("a", "x\ty\u{1}", 1), entry("phone", "030 1234567", 1)]
        );
    }

    #[test]
    fn text_outside_the_language_is_no_document() {
        for text in [
            "{ f(a: 1) ",
            "{ f(a: 1] }",
            "{ f(a: \"open) }",
            "{ f(a: jane@example.com) }",
            "{ f(a: 1x) }",
            "{ f(a: +49) }",
            "query for customers born 1985",
            "{ f(a: $) }",
            "{ f(a: \"\"\"never closed) }",
            "{Brigitte Hoffmann}",
        ] {
            assert!(literals(text.as_bytes()).is_none(), "{text}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!(
            "{{ f(a: {}1{}) }}",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert!(literals(deep.as_bytes()).is_none());
        let shallow = format!("{{ f(a: {}1{}) }}", "[".repeat(8), "]".repeat(8));
        assert!(literals(shallow.as_bytes()).is_some());
    }

    #[test]
    fn documents_start_with_a_selection_or_a_keyword() {
        assert!(looks_like_graphql(b"  # note\n{ a }"));
        assert!(looks_like_graphql(b"mutation{ a }"));
        assert!(looks_like_graphql(b"fragment F on User { a }"));
        assert!(!looks_like_graphql(b"queryset"));
        assert!(!looks_like_graphql(b"[1, 2]"));
    }
}
