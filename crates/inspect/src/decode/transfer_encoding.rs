//! `Content-Transfer-Encoding` of multipart parts (RFC 2045 §6).

use std::borrow::Cow;

use crate::InspectError;
use crate::decode::base64;
use crate::error::{MAX_CHARSET_CHARS, sanitized};

/// Removes the transfer encoding named by `encoding` (none means `7bit`)
/// from `content`. `offset` is the content's offset in the body, for errors.
pub(crate) fn decode<'c>(
    content: &'c [u8],
    encoding: Option<&str>,
    offset: usize,
) -> Result<Cow<'c, [u8]>, InspectError> {
    let encoding = encoding.map(str::trim).unwrap_or("7bit");
    if ["7bit", "8bit", "binary"]
        .iter()
        .any(|identity| encoding.eq_ignore_ascii_case(identity))
    {
        Ok(Cow::Borrowed(content))
    } else if encoding.eq_ignore_ascii_case("base64") {
        let mut out = Vec::with_capacity(content.len() / 4 * 3);
        base64::decode_transfer(content, &mut out).map_err(|at| {
            InspectError::InvalidTransferEncoding {
                encoding: "base64",
                offset: offset + at,
            }
        })?;
        Ok(Cow::Owned(out))
    } else if encoding.eq_ignore_ascii_case("quoted-printable") {
        Ok(Cow::Owned(decode_quoted_printable(content)))
    } else {
        Err(InspectError::UnsupportedTransferEncoding {
            encoding: sanitized(encoding, MAX_CHARSET_CHARS),
        })
    }
}

/// Decodes quoted-printable: `=XX` is a byte and `=` at the end of a line
/// joins it to the next. A malformed `=` is kept literally, as RFC 2045
/// §6.7 advises, so nothing is lost from the scan.
fn decode_quoted_printable(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut index = 0;
    while index < content.len() {
        let byte = content[index];
        if byte != b'=' {
            out.push(byte);
            index += 1;
            continue;
        }
        let rest = &content[index + 1..];
        let soft_break = rest
            .iter()
            .position(|&byte| byte != b' ' && byte != b'\t')
            .map_or(Some(rest.len()), |at| match &rest[at..] {
                [b'\r', b'\n', ..] => Some(at + 2),
                [b'\n', ..] => Some(at + 1),
                _ => None,
            });
        if let Some(skip) = soft_break {
            index += 1 + skip;
            continue;
        }
        match (rest.first().and_then(hex), rest.get(1).and_then(hex)) {
            (Some(high), Some(low)) => {
                out.push(high << 4 | low);
                index += 3;
            }
            _ => {
                out.push(b'=');
                index += 1;
            }
        }
    }
    out
}

fn hex(byte: &u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_decodes_escapes_and_soft_breaks() {
        let cases: [(&[u8], &[u8]); 4] = [
            (b"jane=40example.com", b"jane@example.com"),
            (b"jane=\r\n@example.com", b"jane@example.com"),
            (b"a=  \nb", b"ab"),
            (b"100=zz=4", b"100=zz=4"),
        ];
        for (input, expected) in cases {
            assert_eq!(decode_quoted_printable(input), expected, "{input:?}");
        }
    }

    #[test]
    fn encodings_are_chosen_by_name() {
        assert_eq!(decode(b"abc", None, 0).unwrap().as_ref(), b"abc");
        assert_eq!(decode(b"abc", Some("8BIT"), 0).unwrap().as_ref(), b"abc");
        assert_eq!(
            decode(b"amFuZQ==", Some("Base64"), 0).unwrap().as_ref(),
            b"jane"
        );
        assert_eq!(
            decode(b"am*", Some("base64"), 10).unwrap_err(),
            InspectError::InvalidTransferEncoding {
                encoding: "base64",
                offset: 12
            }
        );
        assert_eq!(
            decode(b"x", Some("uuencode"), 0).unwrap_err(),
            InspectError::UnsupportedTransferEncoding {
                encoding: "uuencode".to_owned()
            }
        );
    }
}
