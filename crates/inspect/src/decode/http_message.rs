//! HTTP messages carried as the content of a multipart part
//! (`application/http`, RFC 9112 §10.2), as OData `$batch` requests and
//! responses (SAP Gateway, Dynamics 365, Business Central) send them.
//!
//! Such a part contains a request line or status line, headers, a blank line
//! and a body in the format that its own `Content-Type` names. The inspector
//! scans the start line and the header values as values, and decodes the
//! body by its type, so a JSON body is read under its keys.

use crate::InspectError;
use crate::decode::{media_type, multipart_headers};

/// The parts of an HTTP message, as ranges of the part's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpMessage {
    /// The request line or status line, without its line break.
    pub start_line: (usize, usize),
    /// The header lines, without the blank line after them.
    pub header_block: (usize, usize),
    /// Everything after the blank line.
    pub body: (usize, usize),
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
}

/// Returns whether a part of `content_type` contains HTTP messages:
/// `application/http` or `message/http`. The `msgtype` parameter
/// (`request` or `response`) needs no check, because both start with one
/// line and are read alike.
pub(crate) fn is_http_message(content_type: &str) -> bool {
    matches!(
        media_type::essence(content_type).as_str(),
        "application/http" | "message/http"
    )
}

/// Splits the HTTP message `content` into its start line, header block
/// and body. Blank lines before the start line are skipped. A message
/// without a blank line after its headers has no body. `offset` is where
/// `content` starts in the request body, for errors.
///
/// Parsers differ on which of two `Content-Type` or `Content-Encoding`
/// headers counts, so a message that repeats one is an error. A
/// `Transfer-Encoding` other than `identity` is an error too, because a
/// receiver that removes `chunked` joins text that the chunk sizes split.
/// `Content-Length` is not read, because the whole rest of the part, which
/// is every byte that a receiver may read, is scanned as the body.
pub(crate) fn parse(content: &[u8], offset: usize) -> Result<HttpMessage, InspectError> {
    let line_start = content
        .iter()
        .position(|&byte| byte != b'\r' && byte != b'\n')
        .unwrap_or(content.len());
    let line_end =
        memchr::memchr(b'\n', &content[line_start..]).map_or(content.len(), |end| line_start + end);
    let start_line = (line_start, trim_cr(content, line_start, line_end));

    let headers_start = (line_end + 1).min(content.len());
    let rest = &content[headers_start..];
    let (header_end, body_start) = match rest {
        [b'\r', b'\n', ..] => (0, 2),
        [b'\n', ..] => (0, 1),
        _ => multipart_headers::split_block(rest)
            .map_or((rest.len(), rest.len()), |(block, body)| {
                (block.len(), body)
            }),
    };
    let mut message = HttpMessage {
        start_line,
        header_block: (headers_start, headers_start + header_end),
        body: (headers_start + body_start, content.len()),
        content_type: None,
        content_encoding: None,
    };

    let block = &content[message.header_block.0..message.header_block.1];
    let mut repeated = None;
    let mut transfer_coding = None;
    multipart_headers::each_header(block, |name, value| {
        if name.trim().eq_ignore_ascii_case("transfer-encoding")
            && !value.trim().eq_ignore_ascii_case("identity")
        {
            transfer_coding.get_or_insert_with(|| value.trim().to_owned());
        }
        let field = if name.trim().eq_ignore_ascii_case("content-type") {
            &mut message.content_type
        } else if name.trim().eq_ignore_ascii_case("content-encoding") {
            &mut message.content_encoding
        } else {
            return;
        };
        if field.replace(value.trim().to_owned()).is_some() {
            repeated.get_or_insert_with(|| name.trim().to_owned());
        }
    });

    if let Some(coding) = transfer_coding {
        return Err(InspectError::InvalidMultipart {
            offset,
            message: format!(
                "an application/http part has Transfer-Encoding: {coding}, which the \
                 inspector does not decode; send the body with a Content-Length"
            ),
        });
    }
    if let Some(name) = repeated {
        return Err(InspectError::InvalidMultipart {
            offset,
            message: format!("an application/http part repeats its {name} header; send it once"),
        });
    }
    Ok(message)
}

/// Returns `end`, moved before a carriage return that ends the line.
fn trim_cr(content: &[u8], start: usize, end: usize) -> usize {
    if end > start && content[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(content: &[u8], range: (usize, usize)) -> &str {
        std::str::from_utf8(&content[range.0..range.1]).unwrap()
    }

    #[test]
    fn request_parts_are_split() {
        let content = b"\r\nPOST A_BusinessPartner HTTP/1.1\r\nContent-Type: application/json\r\n\
                        Accept: application/json\r\n\r\n{\"a\":1}";
        let message = parse(content, 0).unwrap();
        assert_eq!(
            text(content, message.start_line),
            "POST A_BusinessPartner HTTP/1.1"
        );
        assert_eq!(
            text(content, message.header_block),
            "Content-Type: application/json\r\nAccept: application/json"
        );
        assert_eq!(text(content, message.body), "{\"a\":1}");
        assert_eq!(message.content_type.as_deref(), Some("application/json"));
        assert_eq!(message.content_encoding, None);
    }

    #[test]
    fn messages_without_headers_or_body_are_read() {
        let content = b"GET People HTTP/1.1\n\n";
        let message = parse(content, 0).unwrap();
        assert_eq!(text(content, message.start_line), "GET People HTTP/1.1");
        assert_eq!(text(content, message.header_block), "");
        assert_eq!(text(content, message.body), "");

        let content = b"HTTP/1.1 204 No Content\r\nDataServiceVersion: 2.0";
        let message = parse(content, 0).unwrap();
        assert_eq!(text(content, message.start_line), "HTTP/1.1 204 No Content");
        assert_eq!(
            text(content, message.header_block),
            "DataServiceVersion: 2.0"
        );
        assert_eq!(text(content, message.body), "");
    }

    #[test]
    fn repeated_content_type_is_invalid() {
        let content =
            b"POST x HTTP/1.1\nContent-Type: text/plain\ncontent-type: application/json\n\n{}";
        assert!(matches!(
            parse(content, 7),
            Err(InspectError::InvalidMultipart { offset: 7, .. })
        ));
    }

    #[test]
    fn only_application_http_is_a_message() {
        assert!(is_http_message("application/http"));
        assert!(is_http_message("Application/HTTP; msgtype=response"));
        assert!(!is_http_message("application/http-json"));
        assert!(is_http_message("message/http"));
        assert!(!is_http_message("text/plain"));
    }
}
