//! Validation of the request line and framing before anything else is
//! read: which destination a request names, and whether its shape lets
//! Tollgate inspect it.

use http::Method;
use http::Uri;
use http::Version;
use http::header::{self, HeaderMap};
use http::request::Parts;
use http::uri::Authority;
use whitelist::HostName;

use crate::exchange::Tunnel;
use crate::upstream::Scheme;

/// The request line's target once validated.
#[derive(Debug, Clone)]
pub struct Target {
    pub scheme: Scheme,
    pub host: HostName,
    pub port: u16,
    /// Path without query, as sent.
    pub path: String,
    pub query: Option<String>,
}

/// Maximum length of a client-sent token (a scheme, a transfer coding)
/// repeated in an error message.
const MAX_SCHEME_ECHO: usize = 16;

/// Validates the request target. On the proxy listener it must be
/// absolute-form `http://`. Inside a tunnel it may be origin-form or
/// absolute-form, and both the target's host and the `Host` header must
/// equal the tunnel's host.
///
/// Messages never repeat the target or the `Host` value, because they are
/// client input and may carry personal data. The record keeps a masked copy.
pub fn target_of(parts: &Parts, tunnel: Option<&Tunnel>) -> Result<Target, String> {
    let hosts = parts.headers.get_all(header::HOST).iter().count();
    if hosts > 1 {
        return Err(format!(
            "request has {hosts} Host headers; send exactly one"
        ));
    }
    // RFC 9112 section 3.2: a server must reject an HTTP/1.1 request
    // without Host with 400.
    if hosts == 0 && parts.version == Version::HTTP_11 {
        return Err("HTTP/1.1 request has no Host header; send one".into());
    }
    let uri = &parts.uri;
    if uri
        .authority()
        .is_some_and(|authority| authority.as_str().contains('@'))
    {
        return Err("request target contains user information, which is not allowed".into());
    }
    let path = uri.path().to_owned();
    let query = uri.query().map(str::to_owned);
    match tunnel {
        None => {
            let scheme = match uri.scheme_str() {
                Some("http") => Scheme::Http,
                Some("https") => {
                    return Err("absolute-form https request; send https through CONNECT \
                         (set HTTPS_PROXY) so the tunnel can be inspected"
                        .into());
                }
                Some(other) => {
                    let scheme = inspect::sanitized(other, MAX_SCHEME_ECHO);
                    return Err(format!(
                        "unsupported scheme {scheme:?}; only http is proxied"
                    ));
                }
                None => {
                    return Err(
                        "request target is not absolute; Tollgate is a forward proxy: \
                         configure it as the client's HTTP proxy"
                            .into(),
                    );
                }
            };
            let authority = uri
                .authority()
                .ok_or_else(|| "request target has no host".to_owned())?;
            let host = HostName::parse(authority.host())
                .map_err(|error| format!("invalid host in the request target: {error}"))?;
            let port = port_of(authority)?.unwrap_or(scheme.default_port());
            Ok(Target {
                scheme,
                host,
                port,
                path,
                query,
            })
        }
        Some(tunnel) => {
            let from_target = uri.authority().map(|authority| authority.host().to_owned());
            let from_header = match parts.headers.get(header::HOST) {
                None => None,
                Some(value) => Some(
                    value
                        .to_str()
                        .map(host_without_port)
                        .map_err(|_| "Host header is not valid ASCII".to_owned())?,
                ),
            };
            if from_target.is_none() && from_header.is_none() {
                return Err("request inside the tunnel has no Host header".into());
            }
            for (source, named) in [
                ("request target", from_target),
                ("Host header", from_header),
            ] {
                let Some(named) = named else { continue };
                let host = HostName::parse(&named)
                    .map_err(|error| format!("invalid host in the {source}: {error}"))?;
                if host != tunnel.host {
                    return Err(format!(
                        "the {source} names {host}, not the CONNECT host {}; a tunnel carries \
                         requests for its own host only",
                        tunnel.host
                    ));
                }
            }
            Ok(Target {
                scheme: tunnel.scheme,
                host: tunnel.host.clone(),
                port: tunnel.port,
                path,
                query,
            })
        }
    }
}

/// Validates a `CONNECT` target, which must be authority-form
/// `host:port` (RFC 9110 section 9.3.6): no scheme, no user information,
/// no path, and a port.
pub fn connect_target(uri: &Uri) -> Result<(HostName, u16), String> {
    let Some(authority) = uri.authority() else {
        return Err("CONNECT target is not host:port".into());
    };
    if uri.scheme().is_some() || uri.path_and_query().is_some_and(|p| !p.as_str().is_empty()) {
        return Err("CONNECT target must be host:port, without a scheme or a path".into());
    }
    if authority.as_str().contains('@') {
        return Err("CONNECT target contains user information, which is not allowed".into());
    }
    let port = port_of(authority)
        .map_err(|problem| format!("invalid CONNECT target: {problem}"))?
        .ok_or_else(|| "CONNECT target has no port; send host:port".to_owned())?;
    let host = HostName::parse(authority.host())
        .map_err(|error| format!("invalid CONNECT host: {error}"))?;
    Ok((host, port))
}

/// The port of an authority: `None` when it names none, an error when it
/// is not a number from 0 to 65535.
pub fn port_of(authority: &Authority) -> Result<Option<u16>, String> {
    let text = authority.as_str();
    let after_host = text.rfind(']').map_or(text, |end| &text[end + 1..]);
    let Some((_, digits)) = after_host.rsplit_once(':') else {
        return Ok(None);
    };
    if digits.is_empty() {
        return Ok(None);
    }
    digits
        .parse::<u16>()
        .map(Some)
        .map_err(|_| "the port is not a number from 0 to 65535".to_owned())
}

/// Strips the port from a `Host` value, keeping IPv6 brackets' content.
fn host_without_port(value: &str) -> String {
    let value = value.trim();
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest).to_owned();
    }
    match value.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host.to_owned(),
        _ => value.to_owned(),
    }
}

/// The host of a `CONNECT` target as sent, for the record when the target
/// is invalid.
pub fn host_hint_of_uri(uri: &Uri) -> String {
    uri.host()
        .unwrap_or_default()
        .chars()
        .take(whitelist::host::MAX_NAME_LEN)
        .collect()
}

/// The host as sent, for records of requests whose target is invalid.
pub fn host_hint(parts: &Parts) -> String {
    let named = parts.uri.host().map(str::to_owned).or_else(|| {
        parts
            .headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .map(host_without_port)
    });
    named
        .unwrap_or_default()
        .chars()
        .take(whitelist::host::MAX_NAME_LEN)
        .collect()
}

/// Rejects requests whose framing Tollgate cannot inspect or pass on
/// faithfully: protocol upgrades, a `CONNECT` inside a tunnel, transfer
/// codings other than `chunked`, and `Content-Type` or `Content-Encoding`
/// headers that are repeated or not ASCII.
///
/// Conflicting `Transfer-Encoding` and `Content-Length` never reach this
/// point. hyper drops the `Content-Length`, decodes the chunked body and
/// closes the connection afterwards (RFC 9112 section 6.3). The body is then
/// forwarded with a `Content-Length` of its own, so the destination cannot
/// read a smuggled second request out of it.
pub fn framing_problem(method: &Method, headers: &HeaderMap) -> Option<String> {
    if method == Method::CONNECT {
        return Some("CONNECT inside a CONNECT tunnel is not supported".into());
    }
    if headers.contains_key(header::UPGRADE) {
        return Some(
            "protocol upgrades (such as WebSocket) are not supported, because their \
             traffic could not be inspected"
                .into(),
        );
    }
    for value in headers.get_all(header::TRANSFER_ENCODING) {
        let Ok(value) = value.to_str() else {
            return Some("Transfer-Encoding header is not valid ASCII".into());
        };
        for coding in value.split(',').map(str::trim) {
            if !coding.eq_ignore_ascii_case("chunked") {
                return Some(format!(
                    "Transfer-Encoding {:?} is not supported; compress with Content-Encoding \
                     instead",
                    inspect::sanitized(coding, MAX_SCHEME_ECHO)
                ));
            }
        }
    }
    let content_types = headers.get_all(header::CONTENT_TYPE).iter().count();
    if content_types > 1 {
        return Some(format!(
            "request has {content_types} Content-Type headers; send exactly one"
        ));
    }
    for name in [header::CONTENT_TYPE, header::CONTENT_ENCODING] {
        if headers
            .get_all(&name)
            .iter()
            .any(|value| value.to_str().is_err())
        {
            return Some(format!("{name} header is not valid ASCII"));
        }
    }
    // A header named in Connection is removed before forwarding (RFC 9110
    // section 7.6.1), so the destination would read the body differently
    // from how it was inspected.
    let options = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim);
    for option in options {
        let representation = [
            header::CONTENT_TYPE,
            header::CONTENT_ENCODING,
            header::CONTENT_LENGTH,
            header::HOST,
        ];
        if let Some(name) = representation
            .iter()
            .find(|name| option.eq_ignore_ascii_case(name.as_str()))
        {
            return Some(format!(
                "Connection header names {name}, which must reach the destination as it was \
                 inspected; remove {name} from Connection"
            ));
        }
    }
    None
}

/// All `Content-Encoding` values in order, as one list: repeated headers
/// are one comma-separated list (RFC 9110 section 5.3), and a destination
/// decodes them all, so the inspector must too.
pub fn content_encoding(headers: &HeaderMap) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HeaderValue;

    #[test]
    fn connect_target_accepts_authority_form_only() {
        let target = |text: &str| connect_target(&text.parse::<Uri>().unwrap());
        let (host, port) = target("API.Partner.Example.:443").unwrap();
        assert_eq!(host.as_str(), "api.partner.example");
        assert_eq!(port, 443);
        assert_eq!(target("[::1]:8443").unwrap().1, 8443);

        let cases = [
            ("api.example", "has no port"),
            ("api.example:99999", "not a number from 0 to 65535"),
            ("http://api.example:443", "without a scheme"),
            ("user@api.example:443", "user information"),
        ];
        for (text, expected) in cases {
            let error = target(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn port_of_handles_forms() {
        let port = |text: &str| port_of(&text.parse::<Authority>().unwrap());
        assert_eq!(port("api.example"), Ok(None));
        assert_eq!(port("api.example:8443"), Ok(Some(8443)));
        assert_eq!(port("[::1]:443"), Ok(Some(443)));
        assert_eq!(port("[::1]"), Ok(None));
        assert!(port("api.example:99999").is_err());
    }

    #[test]
    fn framing_problem_rejects_transfer_codings_and_repeats() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::TRANSFER_ENCODING,
            HeaderValue::from_static("gzip, chunked"),
        );
        let problem = framing_problem(&Method::POST, &headers).unwrap();
        assert!(problem.contains("Transfer-Encoding \"gzip\""), "{problem}");

        let mut headers = HeaderMap::new();
        headers.append(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        headers.append(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let problem = framing_problem(&Method::POST, &headers).unwrap();
        assert!(problem.contains("2 Content-Type headers"), "{problem}");

        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_ENCODING,
            HeaderValue::from_bytes(b"gzip\xe9").unwrap(),
        );
        let problem = framing_problem(&Method::POST, &headers).unwrap();
        assert!(
            problem.contains("content-encoding header is not valid ASCII"),
            "{problem}"
        );
    }

    #[test]
    fn repeated_content_encodings_form_one_list() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::CONTENT_ENCODING,
            HeaderValue::from_static("identity"),
        );
        headers.append(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        assert_eq!(
            content_encoding(&headers).as_deref(),
            Some("identity, gzip")
        );
        assert_eq!(content_encoding(&HeaderMap::new()), None);
    }

    #[test]
    fn target_requires_host_in_http11() {
        let parts = |version: Version, host: Option<&str>| {
            let mut builder = http::Request::builder()
                .uri("http://api.example/v1/customers")
                .version(version);
            if let Some(host) = host {
                builder = builder.header(header::HOST, host);
            }
            builder.body(()).unwrap().into_parts().0
        };
        let error = target_of(&parts(Version::HTTP_11, None), None).unwrap_err();
        assert!(error.contains("no Host header"), "{error}");
        let target = target_of(&parts(Version::HTTP_10, None), None).unwrap();
        assert_eq!(target.host.as_str(), "api.example");
        assert!(target_of(&parts(Version::HTTP_11, Some("api.example")), None).is_ok());
    }

    #[test]
    fn host_without_port_handles_forms() {
        assert_eq!(host_without_port("api.example:8443"), "api.example");
        assert_eq!(host_without_port("api.example"), "api.example");
        assert_eq!(host_without_port("[::1]:443"), "::1");
        assert_eq!(host_without_port("[::1]"), "::1");
    }

    #[test]
    fn framing_problem_rejects_upgrades() {
        let mut headers = HeaderMap::new();
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        assert!(
            framing_problem(&Method::POST, &headers)
                .unwrap()
                .contains("protocol upgrade")
        );

        assert!(framing_problem(&Method::POST, &HeaderMap::new()).is_none());
        assert!(framing_problem(&Method::CONNECT, &HeaderMap::new()).is_some());
    }
}
