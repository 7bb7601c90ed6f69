//! The header block of a multipart part (RFC 2046 §5.1, RFC 7578 §4).

use crate::InspectError;
use crate::decode::{media_type, percent};

/// The headers of a part that decoding needs.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PartHeaders {
    /// The `name` of `Content-Disposition`.
    pub name: Option<Vec<u8>>,
    /// The `filename*` (RFC 5987, preferred) or `filename` of
    /// `Content-Disposition`.
    pub filename: Option<Vec<u8>>,
    pub content_type: Option<String>,
    pub transfer_encoding: Option<String>,
    pub content_encoding: Option<String>,
}

/// Parses the header block at the start of `part`, which starts at
/// `offset` in the body. Returns the headers and the offset of the content
/// in the body. A part that starts with a blank line has no headers.
pub(crate) fn parse_part_headers(
    part: &[u8],
    offset: usize,
) -> Result<(PartHeaders, usize), InspectError> {
    let (block, content_start) = match part {
        [b'\r', b'\n', ..] => (&part[..0], 2),
        [b'\n', ..] => (&part[..0], 1),
        _ => split_block(part).ok_or_else(|| InspectError::InvalidMultipart {
            offset,
            message: "a part has no blank line after its headers".to_owned(),
        })?,
    };
    let mut headers = PartHeaders::default();
    let mut seen = [false; 4];
    let mut repeated = None;
    for_each_header(block, |field, value| {
        // Parsers differ on which of two such headers counts (Werkzeug
        // takes the first, undici the last), so the destination could read
        // another field name or coding than the one inspected.
        if std::mem::replace(&mut seen[field as usize], true) {
            repeated.get_or_insert(field);
        }
        let value = value.trim();
        match field {
            Field::Disposition => disposition(value, &mut headers),
            Field::ContentType => headers.content_type = Some(value.to_owned()),
            Field::TransferEncoding => headers.transfer_encoding = Some(value.to_owned()),
            Field::ContentEncoding => headers.content_encoding = Some(value.to_owned()),
        }
    });
    if let Some(field) = repeated {
        return Err(InspectError::InvalidMultipart {
            offset,
            message: format!("a part repeats its {} header; send it once", field.name()),
        });
    }
    Ok((headers, offset + content_start))
}

/// The headers of a part that decoding reads.
#[derive(Debug, Clone, Copy)]
enum Field {
    Disposition,
    ContentType,
    TransferEncoding,
    ContentEncoding,
}

impl Field {
    const ALL: [(&'static str, Field); 4] = [
        ("Content-Disposition", Field::Disposition),
        ("Content-Type", Field::ContentType),
        ("Content-Transfer-Encoding", Field::TransferEncoding),
        ("Content-Encoding", Field::ContentEncoding),
    ];

    fn of(name: &str) -> Option<Field> {
        let name = name.trim();
        Field::ALL
            .into_iter()
            .find(|(known, _)| name.eq_ignore_ascii_case(known))
            .map(|(_, field)| field)
    }

    fn name(self) -> &'static str {
        Field::ALL[self as usize].0
    }
}

/// Splits `part` at its first blank line; returns the header block and
/// the offset of the content.
pub(crate) fn split_block(part: &[u8]) -> Option<(&[u8], usize)> {
    let crlf = memchr::memmem::find(part, b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = memchr::memmem::find(part, b"\n\n").map(|at| (at, at + 2));
    let (end, content) = match (crlf, lf) {
        (Some(crlf), Some(lf)) => crlf.min(lf),
        (found, None) | (None, found) => found?,
    };
    Some((&part[..end], content))
}

/// Calls `header` with each header of a block that [`Field`] names and
/// its value as text; see [`each_header`].
fn for_each_header(block: &[u8], mut header: impl FnMut(Field, &str)) {
    each_header(block, |name, value| {
        if let Some(field) = Field::of(name) {
            header(field, value);
        }
    });
}

/// Calls `header` with the name and value of each header of a block that
/// [`Field`] does not name (`X-Contact`), which decoding does not read but
/// the destination receives.
pub(crate) fn for_each_other_header(block: &[u8], mut header: impl FnMut(&str, &str)) {
    each_header(block, |name, value| {
        if Field::of(name).is_none() {
            header(name.trim(), value.trim());
        }
    });
}

/// Calls `header` with the name and value of each header of a block, with
/// folded lines (starting with a space or tab) joined to the line before.
/// Headers are passed on as they are read, so that a block of a million
/// lines keeps one value at a time.
pub(crate) fn each_header(block: &[u8], mut header: impl FnMut(&str, &str)) {
    let text = String::from_utf8_lossy(block);
    let mut current: Option<(&str, String)> = None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = &mut current {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        // A line without a colon is no header and is skipped, so folded
        // lines after it still join the header before it.
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if let Some((name, value)) = current.take() {
            header(name, &value);
        }
        current = Some((name, value.to_owned()));
    }
    if let Some((name, value)) = current {
        header(name, &value);
    }
}

fn disposition(value: &str, headers: &mut PartHeaders) {
    let mut plain_filename = None;
    for (name, parameter) in media_type::parameters(value) {
        match name.as_str() {
            "name" => headers.name = Some(parameter.as_bytes().to_vec()),
            "filename" => plain_filename = Some(parameter.as_bytes().to_vec()),
            "filename*" => headers.filename = Some(extended_value(&parameter)),
            _ => {}
        }
    }
    if headers.filename.is_none() {
        headers.filename = plain_filename;
    }
}

/// Decodes an RFC 5987 extended value, `charset'language'percent-encoded`,
/// as UTF-8 whatever its charset says: it names a file, not data to scan.
fn extended_value(value: &str) -> Vec<u8> {
    let encoded = value.rsplit('\'').next().unwrap_or(value);
    let mut buffer = Vec::new();
    percent::decode(encoded.as_bytes(), false, &mut buffer).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_parsed_and_unfolded() {
        let part = b"Content-Disposition: form-data; name=\"upload\";\r\n\
                     \tfilename=\"a.csv\"\r\nContent-Type: text/csv\r\n\
                     Content-Transfer-Encoding: base64\r\n\r\nYQ==";
        let (headers, content) = parse_part_headers(part, 100).unwrap();
        assert_eq!(headers.name.as_deref(), Some(&b"upload"[..]));
        assert_eq!(headers.filename.as_deref(), Some(&b"a.csv"[..]));
        assert_eq!(headers.content_type.as_deref(), Some("text/csv"));
        assert_eq!(headers.transfer_encoding.as_deref(), Some("base64"));
        assert_eq!(&part[content - 100..], b"YQ==");
    }

    #[test]
    fn folded_lines_join_the_header_before_them() {
        // Folded lines after a skipped header join nothing, and a line
        // without a colon does not end the header before it.
        let part = b"X-Note: a\r\n ; name=\"wrong\"\r\n\
                     Content-Type: text/plain\r\ngarbage\r\n ; charset=gbk\r\n\
                     content-disposition: form-data;\r\n name=\"right\"\r\n\r\nx";
        let (headers, _) = parse_part_headers(part, 0).unwrap();
        assert_eq!(
            headers.content_type.as_deref(),
            Some("text/plain ; charset=gbk")
        );
        assert_eq!(headers.name.as_deref(), Some(&b"right"[..]));
    }

    #[test]
    fn long_header_blocks_are_read() {
        // A hundred thousand other headers, and as many parameters before
        // the name: each is read and dropped in turn.
        let mut part = "X-A: b\r\n".repeat(100_000);
        part.push_str("Content-Disposition: form-data");
        part.push_str(&"; a=b".repeat(100_000));
        part.push_str("; name=\"field\"\r\n\r\nvalue");
        let (headers, content) = parse_part_headers(part.as_bytes(), 0).unwrap();
        assert_eq!(headers.name.as_deref(), Some(&b"field"[..]));
        assert_eq!(&part[content..], "value");
    }

    #[test]
    fn extended_file_names_win() {
        let part = "Content-Disposition: attachment; filename=\"plain.txt\"; \
                    filename*=UTF-8''%E5%AE%A2%E6%88%B7.csv\n\nx";
        let (headers, _) = parse_part_headers(part.as_bytes(), 0).unwrap();
        assert_eq!(headers.filename.as_deref(), Some("客户.csv".as_bytes()));
    }

    #[test]
    fn a_part_without_headers_starts_with_a_blank_line() {
        let (headers, content) = parse_part_headers(b"\r\nvalue", 7).unwrap();
        assert_eq!(headers, PartHeaders::default());
        assert_eq!(content, 9);
    }

    #[test]
    fn a_part_without_a_blank_line_is_invalid() {
        assert!(matches!(
            parse_part_headers(b"Content-Type: text/plain\r\nvalue", 3),
            Err(InspectError::InvalidMultipart { offset: 3, .. })
        ));
    }
}
