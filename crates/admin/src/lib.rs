//! The admin listener: `/metrics` in the Prometheus text format,
//! `/healthz` for load balancers and service managers (503 while the
//! gateway cannot record transfers), and `POST /api/reload`.
//!
//! NOTE: the listener has no authentication yet, so it must stay on a
//! trusted interface (the default is 127.0.0.1). A reload only re-reads the
//! files administrators control, and a request that changes state is
//! rejected when a browser marks it as sent by a page of another origin.
//!
//! The crate knows nothing of the gateway's internals; the gateway hands it
//! an [`AdminBackend`] that renders the metrics. Holds, approvals and the
//! web UI will live here too.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

/// Time an admin client has to send a request head.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The running gateway, as the admin listener uses it.
pub trait AdminBackend: Send + Sync + 'static {
    /// The current metrics in the Prometheus text exposition format.
    fn render_metrics(&self) -> String;

    /// `Ok` while the gateway can decide and record requests; otherwise
    /// why it cannot, for `/healthz` to report with status 503.
    fn health(&self) -> Result<(), String>;

    /// Reloads the configuration: a summary of the new policy, or why it was
    /// rejected while the previous one keeps serving.
    fn reload(&self) -> BoxFuture<'_, Result<String, String>>;
}

/// A boxed future, as [`AdminBackend`] methods return them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Serves the admin API on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    backend: Arc<dyn AdminBackend>,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "accepting an admin connection failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let backend = Arc::clone(&backend);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let backend = Arc::clone(&backend);
                async move { Ok::<_, Infallible>(route(backend.as_ref(), request).await) }
            });
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "admin connection ended with an error");
            }
        });
    }
}

async fn route(backend: &dyn AdminBackend, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if !safe && let Some(problem) = cross_origin_problem(&request) {
        tracing::warn!(
            path = request.uri().path(),
            %problem,
            "admin request from another web origin rejected"
        );
        return text(
            StatusCode::FORBIDDEN,
            "text/plain; charset=utf-8",
            format!(
                "{problem}; send admin requests from a command-line client or this listener's own pages\n"
            ),
        );
    }
    match (request.method(), request.uri().path()) {
        (&Method::GET, "/metrics") => text(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            backend.render_metrics(),
        ),
        (&Method::GET, "/healthz") => match backend.health() {
            Ok(()) => text(StatusCode::OK, "text/plain; charset=utf-8", "ok\n".into()),
            Err(problem) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain; charset=utf-8",
                format!("unhealthy: {problem}\n"),
            ),
        },
        (&Method::POST, "/api/reload") => match backend.reload().await {
            Ok(summary) => text(
                StatusCode::OK,
                "text/plain; charset=utf-8",
                format!("reloaded: {summary}\n"),
            ),
            Err(error) => text(
                StatusCode::UNPROCESSABLE_ENTITY,
                "text/plain; charset=utf-8",
                format!("reload rejected; the previous configuration keeps serving: {error}\n"),
            ),
        },
        (_, "/api/reload") => text(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "use POST\n".into(),
        ),
        (_, "/metrics" | "/healthz") => text(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "use GET\n".into(),
        ),
        (_, path) => text(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            format!("no admin endpoint at {path}; try /metrics, /healthz or POST /api/reload\n"),
        ),
    }
}

/// Returns why a request that changes state comes from a page of another
/// web origin, which a browser signals with `Sec-Fetch-Site` or `Origin`.
///
/// A page that an administrator merely visits can make the browser POST to
/// a listener on 127.0.0.1, and the listener has no authentication yet.
/// A page on a name that the attacker rebinds to 127.0.0.1 is same-origin
/// to the browser, so a request with either header must also name the
/// listener by an IP address or `localhost` in `Host`. Command-line
/// clients send neither header and pass, by any host name.
fn cross_origin_problem<B>(request: &Request<B>) -> Option<String> {
    let headers = request.headers();
    let text = |value: &HeaderValue| value.to_str().unwrap_or("(not ASCII)").to_owned();
    for site in headers.get_all("sec-fetch-site") {
        let site = text(site);
        if !site.eq_ignore_ascii_case("same-origin") && !site.eq_ignore_ascii_case("none") {
            return Some(format!("Sec-Fetch-Site is {site:?}"));
        }
    }
    let origins: Vec<String> = headers.get_all(header::ORIGIN).iter().map(text).collect();
    if origins.is_empty() && !headers.contains_key("sec-fetch-site") {
        return None;
    }

    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Some("a browser request must carry exactly one Host header".to_owned());
    };
    let host = text(host);
    if let Some(authority) = request.uri().authority()
        && !authority.as_str().eq_ignore_ascii_case(&host)
    {
        return Some(format!(
            "the request target names {authority:?} but Host is {host:?}"
        ));
    }
    if !names_this_machine(&host) {
        return Some(format!(
            "Host {host:?} is no IP address or localhost, as a page on a rebound name would send"
        ));
    }
    let expected = format!("http://{host}");
    origins
        .iter()
        .find(|origin| !origin.eq_ignore_ascii_case(&expected))
        .map(|origin| format!("Origin {origin:?} is not this listener"))
}

/// Returns whether the `Host` value `host` names the listener by an IP
/// address or as `localhost`, with or without a port.
fn names_this_machine(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => {
            return rest
                .split_once(']')
                .is_some_and(|(address, _)| address.parse::<std::net::Ipv6Addr>().is_ok());
        }
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request<()> {
        let mut builder = Request::post("/api/reload").header("host", "127.0.0.1:9090");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn command_line_and_same_origin_requests_pass() {
        assert_eq!(cross_origin_problem(&post(&[])), None);
        let same = post(&[
            ("origin", "http://127.0.0.1:9090"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(cross_origin_problem(&same), None);
        assert_eq!(
            cross_origin_problem(&post(&[("sec-fetch-site", "none")])),
            None
        );
    }

    #[test]
    fn other_origins_are_rejected() {
        for headers in [
            &[("origin", "http://evil.example")][..],
            &[("origin", "http://127.0.0.1:8080")],
            &[("origin", "https://127.0.0.1:9090")],
            &[("origin", "null")],
            &[("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "same-site")],
            &[
                ("origin", "http://127.0.0.1:9090"),
                ("sec-fetch-site", "cross-site"),
            ],
            &[
                ("origin", "http://127.0.0.1:9090"),
                ("origin", "http://evil.example"),
            ],
            &[
                ("sec-fetch-site", "same-origin"),
                ("sec-fetch-site", "cross-site"),
            ],
        ] {
            let problem = cross_origin_problem(&post(headers));
            assert!(problem.is_some(), "{headers:?}");
        }
    }

    #[test]
    fn rebound_host_names_are_rejected() {
        let rebound = Request::post("/api/reload")
            .header("host", "evil.example:9090")
            .header("origin", "http://evil.example:9090")
            .header("sec-fetch-site", "same-origin")
            .body(())
            .unwrap();
        assert!(cross_origin_problem(&rebound).is_some());

        let two_hosts = post(&[
            ("host", "evil.example"),
            ("origin", "http://127.0.0.1:9090"),
        ]);
        assert!(cross_origin_problem(&two_hosts).is_some());

        let absolute = Request::post("http://127.0.0.1:9090/api/reload")
            .header("host", "evil.example")
            .header("origin", "http://evil.example")
            .body(())
            .unwrap();
        assert!(cross_origin_problem(&absolute).is_some());

        // A command-line client may use any name.
        let by_name = Request::post("/api/reload")
            .header("host", "gateway.internal:9090")
            .body(())
            .unwrap();
        assert_eq!(cross_origin_problem(&by_name), None);
    }

    #[test]
    fn local_hosts_name_this_machine() {
        for host in [
            "127.0.0.1:9090",
            "localhost:9090",
            "LOCALHOST",
            "[::1]:9090",
            "10.0.0.5",
        ] {
            assert!(names_this_machine(host), "{host}");
        }
        for host in [
            "evil.example:9090",
            "127.0.0.1.nip.io",
            "[::1",
            "[evil]:80",
            "",
        ] {
            assert!(!names_this_machine(host), "{host}");
        }
    }
}
