//! Header names of Tollgate's interface and the hop-by-hop rules of
//! RFC 9110 section 7.6.1.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The transfer record's id, on every response Tollgate produces or forwards.
pub const TRANSFER_ID: HeaderName = HeaderName::from_static("tollgate-transfer-id");
/// `allowed`, `blocked`, `held` or `masked`.
pub const DECISION: HeaderName = HeaderName::from_static("tollgate-decision");
/// Why a request was blocked or held, because most clients never show the
/// body of a refused `CONNECT`.
pub const REASON: HeaderName = HeaderName::from_static("tollgate-reason");
/// An approval token on a retried request; never forwarded, like every
/// `Tollgate-*` header.
pub const APPROVAL: HeaderName = HeaderName::from_static("tollgate-approval");

/// The `Via` value Tollgate adds to forwarded messages (RFC 9110 section
/// 7.6.3 requires a proxy to add one).
pub const VIA_VALUE: &str = "1.1 tollgate";

/// Longest `Tollgate-Reason` value sent; the full reason is in the body and
/// in the record.
const MAX_REASON_HEADER_BYTES: usize = 512;

/// Headers that describe one connection rather than the message, so a proxy
/// must not forward them.
const HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
];

/// Removes hop-by-hop headers, including every header that `Connection`
/// names, and `Upgrade`, which Tollgate never passes on.
pub fn remove_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|token| HeaderName::from_bytes(token.trim().as_bytes()).ok())
        .collect();
    for name in named.iter().chain(HOP_BY_HOP.iter()) {
        headers.remove(name);
    }
    headers.remove(header::UPGRADE);
}

/// Removes every `Tollgate-*` header. On requests these are Tollgate's own
/// interface (an approval token) and never go upstream; on responses a
/// destination could otherwise forge a reason next to Tollgate's decision.
pub fn remove_tollgate_headers(headers: &mut HeaderMap) {
    let names: Vec<HeaderName> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("tollgate-"))
        .cloned()
        .collect();
    for name in names {
        headers.remove(name);
    }
}

/// Appends Tollgate's `Via` entry.
pub fn append_via(headers: &mut HeaderMap) {
    headers.append(header::VIA, HeaderValue::from_static(VIA_VALUE));
}

/// Builds a `Tollgate-Reason` value: printable ASCII only (anything else
/// becomes `?`), cut at [`MAX_REASON_HEADER_BYTES`].
pub fn reason_value(reason: &str) -> HeaderValue {
    let mut text: String = reason
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    if text.len() > MAX_REASON_HEADER_BYTES {
        text.truncate(MAX_REASON_HEADER_BYTES - 3);
        text.push_str("...");
    }
    HeaderValue::from_str(&text).expect("printable ASCII is a valid header value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_headers_are_removed() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONNECTION,
            HeaderValue::from_static("keep-alive, x-secret"),
        );
        headers.insert("x-secret", HeaderValue::from_static("1"));
        headers.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        headers.insert(
            header::PROXY_AUTHORIZATION,
            HeaderValue::from_static("Basic eDp5"),
        );
        headers.insert(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("chunked"),
        );
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );

        remove_hop_by_hop(&mut headers);

        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key(header::CONTENT_TYPE));
    }

    #[test]
    fn tollgate_headers_are_removed() {
        let mut headers = HeaderMap::new();
        headers.insert(REASON, HeaderValue::from_static("spoofed"));
        headers.insert(APPROVAL, HeaderValue::from_static("token"));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        remove_tollgate_headers(&mut headers);
        assert_eq!(headers.len(), 1);
        assert!(headers.contains_key(header::CONTENT_TYPE));
    }

    #[test]
    fn reason_value_keeps_printable_ascii() {
        assert_eq!(
            reason_value("port 80 \"x\"").to_str().unwrap(),
            "port 80 \"x\""
        );
        assert_eq!(reason_value("über\nline").to_str().unwrap(), "?ber?line");
    }

    #[test]
    fn reason_value_is_bounded() {
        let value = reason_value(&"a".repeat(2000));
        assert_eq!(value.len(), MAX_REASON_HEADER_BYTES);
        assert!(value.to_str().unwrap().ends_with("..."));
    }
}
