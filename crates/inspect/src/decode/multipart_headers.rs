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
    for (name, value) in unfolded_lines(block) {
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => disposition(value, &mut headers),
            "content-type" => headers.content_type = Some(value.to_owned()),
            "content-transfer-encoding" => headers.transfer_encoding = Some(value.to_owned()),
            "content-encoding" => headers.content_encoding = Some(value.to_owned()),
            _ => {}
        }
    }
    Ok((headers, offset + content_start))
}

/// Splits `part` at its first blank line; returns the header block and
/// the offset of the content.
fn split_block(part: &[u8]) -> Option<(&[u8], usize)> {
    let crlf = memchr::memmem::find(part, b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = memchr::memmem::find(part, b"\n\n").map(|at| (at, at + 2));
    let (end, content) = match (crlf, lf) {
        (Some(crlf), Some(lf)) => crlf.min(lf),
        (found, None) | (None, found) => found?,
    };
    Some((&part[..end], content))
}

/// Returns the `name: value` lines of a header block as text, with folded
/// lines (starting with a space or tab) joined to the line before.
fn unfolded_lines(block: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(block);
    let mut lines: Vec<(String, String)> = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = lines.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            lines.push((name.to_owned(), value.to_owned()));
        }
    }
    lines
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
