//! Validation of the request line and framing before anything else is
//! read: which destination a request names, and whether its shape lets
//! Tollgate inspect it.

use http::Method;
use http::header::{self, HeaderMap};
use http::request::Parts;
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

/// Validates the request target: absolute-form `http://` on the proxy
/// listener, origin-form (or absolute-form naming the same host) inside a
/// tunnel, whose `Host` must equal the tunnel's host.
pub fn target_of(parts: &Parts, tunnel: Option<&Tunnel>) -> Result<Target, String> {
    let uri = &parts.uri;
    let path = uri.path().to_owned();
    let query = uri.query().map(str::to_owned);
    match tunnel {
        None => {
            let scheme = match uri.scheme_str() {
                Some("http") => Scheme::Http,
                Some("https") => {
                    return Err(format!(
                        "absolute-form https request for {uri}; send https through CONNECT \
                         (set HTTPS_PROXY) so the tunnel can be inspected"
                    ));
                }
                Some(other) => return Err(format!("unsupported scheme {other:?} in {uri}")),
                None => {
                    return Err(format!(
                        "request target {uri} is not absolute; Tollgate is a forward proxy: \
                         configure it as the client's HTTP proxy"
                    ));
                }
            };
            let authority = uri
                .authority()
                .ok_or_else(|| format!("{uri} has no host"))?;
            let host = HostName::parse(authority.host())
                .map_err(|error| format!("invalid host in {uri}: {error}"))?;
            let port = authority.port_u16().unwrap_or(scheme.default_port());
            Ok(Target {
                scheme,
                host,
                port,
                path,
                query,
            })
        }
        Some(tunnel) => {
            let named = match uri.authority() {
                Some(authority) => Some(authority.host().to_owned()),
                None => parts
                    .headers
                    .get(header::HOST)
                    .and_then(|value| value.to_str().ok())
                    .map(host_without_port),
            };
            let Some(named) = named else {
                return Err("request inside the tunnel has no Host header".into());
            };
            let host = HostName::parse(&named)
                .map_err(|error| format!("invalid Host {named:?}: {error}"))?;
            if host != tunnel.host {
                return Err(format!(
                    "Host {host} does not match the CONNECT host {}; a tunnel carries \
                     requests for its own host only",
                    tunnel.host
                ));
            }
            Ok(Target {
                scheme: tunnel.scheme,
                host,
                port: tunnel.port,
                path,
                query,
            })
        }
    }
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

/// The host as sent, for records of requests whose target is invalid.
pub fn host_hint(parts: &Parts) -> String {
    let named = parts.uri.host().map(str::to_owned).or_else(|| {
        parts
            .headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .map(host_without_port)
    });
    let mut host = named.unwrap_or_default();
    host.truncate(253);
    host
}

/// Rejects requests that would turn the connection into bytes Tollgate
/// cannot inspect: protocol upgrades and a `CONNECT` inside a tunnel.
///
/// Conflicting `Transfer-Encoding` and `Content-Length` never reach this
/// point: hyper drops the `Content-Length`, decodes the chunked body and
/// closes the connection afterwards (RFC 9112 section 6.3), and the body is
/// forwarded with a `Content-Length` of its own, so the destination cannot
/// read a smuggled second request out of it.
pub fn framing_problem(method: &Method, headers: &HeaderMap) -> Option<String> {
    if method == Method::CONNECT {
        return Some("CONNECT inside a CONNECT tunnel is not supported".into());
    }
    if let Some(upgrade) = headers.get(header::UPGRADE) {
        let protocol = String::from_utf8_lossy(upgrade.as_bytes()).into_owned();
        return Some(format!(
            "protocol upgrade to {protocol:?} is not supported, because its traffic \
             could not be inspected"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HeaderValue;

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
