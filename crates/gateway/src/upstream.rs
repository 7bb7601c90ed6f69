//! Connections to destinations: name resolution with `resolve` overrides,
//! connecting only to addresses the decision checked, TLS with certificate
//! verification, and reuse of one connection per client connection.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use rustls_pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::sync::Mutex;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use whitelist::HostName;

use crate::policy::Policy;

/// Time allowed for name resolution, so a dead resolver fails the request
/// instead of hanging it.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for one TCP connect attempt; each resolved address gets its
/// own attempt.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed for the TLS handshake with a destination.
const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Time allowed from sending a request to the destination's response head.
/// Generous because ERP imports can take minutes to acknowledge.
const RESPONSE_HEAD_TIMEOUT: Duration = Duration::from_secs(300);

/// A failure to deliver a request to its destination.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error("cannot resolve {host}: {reason}")]
    Resolve { host: String, reason: String },

    #[error("cannot connect to {host} at {addresses}: {reason}")]
    Connect {
        host: String,
        addresses: String,
        reason: String,
    },

    #[error("TLS handshake with {host} failed: {reason}")]
    Tls { host: String, reason: String },

    #[error("{host} timed out after {seconds} s without a response")]
    ResponseTimeout { host: String, seconds: u64 },

    #[error("request to {host} failed: {reason}")]
    Exchange { host: String, reason: String },
}

/// `http` or `https` towards the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// The destination of one request: the checked addresses and the name to
/// verify.
#[derive(Debug, Clone)]
pub struct Route {
    pub scheme: Scheme,
    pub host: HostName,
    pub port: u16,
    /// The addresses the decision checked; no other address is dialled.
    pub addresses: Vec<SocketAddr>,
}

/// Resolves `host`, honouring the policy's `resolve` overrides. An override
/// replaces both the address and the port.
pub async fn resolve(
    policy: &Policy,
    host: &HostName,
    port: u16,
) -> Result<Vec<SocketAddr>, UpstreamError> {
    if let Some(address) = policy.resolve.get(host) {
        return Ok(vec![*address]);
    }
    if let Some(ip) = host.ip() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let error = |reason: String| UpstreamError::Resolve {
        host: host.to_string(),
        reason,
    };
    let lookup = tokio::net::lookup_host((host.as_str(), port));
    let addresses = timeout(RESOLVE_TIMEOUT, lookup)
        .await
        .map_err(|_| error(format!("timed out after {} s", RESOLVE_TIMEOUT.as_secs())))?
        .map_err(|io| error(io.to_string()))?;
    Ok(addresses.collect())
}

/// The destination connection of one client connection.
///
/// HTTP/1.1 serves one request at a time on a client connection, so the
/// upstream connection it opened is idle again when the next request comes
/// and can be reused when that request goes to the same route.
#[derive(Debug, Default)]
pub struct UpstreamSlot {
    connection: Mutex<Option<Pooled>>,
}

#[derive(Debug)]
struct Pooled {
    key: (Scheme, HostName, u16, Vec<SocketAddr>),
    sender: SendRequest<Full<Bytes>>,
}

impl UpstreamSlot {
    /// Sends `request` on this slot's connection when it still fits `route`,
    /// or on a new one. A request that a stale connection never took is sent
    /// once more on a fresh connection.
    pub async fn send(
        &self,
        tls: &Arc<rustls::ClientConfig>,
        route: &Route,
        request: Request<Full<Bytes>>,
    ) -> Result<Response<Incoming>, UpstreamError> {
        let key = (
            route.scheme,
            route.host.clone(),
            route.port,
            route.addresses.clone(),
        );
        let mut slot = self.connection.lock().await;
        let reusable = slot
            .take()
            .filter(|pooled| pooled.key == key && !pooled.sender.is_closed());

        let request = match reusable {
            Some(mut pooled) => match pooled.sender.ready().await {
                Ok(()) => match send_on(&mut pooled.sender, route, request).await {
                    Ok(response) => {
                        *slot = Some(pooled);
                        return Ok(response);
                    }
                    Err(Retry::Unsent(request)) => request,
                    Err(Retry::Failed(error)) => return Err(error),
                },
                Err(_) => request,
            },
            None => request,
        };

        let mut sender = connect(tls, route).await?;
        match send_on(&mut sender, route, request).await {
            Ok(response) => {
                *slot = Some(Pooled { key, sender });
                Ok(response)
            }
            Err(Retry::Unsent(_)) => Err(UpstreamError::Exchange {
                host: route.host.to_string(),
                reason: "the new connection closed before the request was sent".into(),
            }),
            Err(Retry::Failed(error)) => Err(error),
        }
    }
}

enum Retry {
    /// The connection closed before taking the request; it can go elsewhere.
    Unsent(Request<Full<Bytes>>),
    Failed(UpstreamError),
}

async fn send_on(
    sender: &mut SendRequest<Full<Bytes>>,
    route: &Route,
    request: Request<Full<Bytes>>,
) -> Result<Response<Incoming>, Retry> {
    let exchange = sender.try_send_request(request);
    match timeout(RESPONSE_HEAD_TIMEOUT, exchange).await {
        Err(_) => Err(Retry::Failed(UpstreamError::ResponseTimeout {
            host: route.host.to_string(),
            seconds: RESPONSE_HEAD_TIMEOUT.as_secs(),
        })),
        Ok(Ok(response)) => Ok(response),
        Ok(Err(mut error)) => match error.take_message() {
            Some(request) => Err(Retry::Unsent(request)),
            None => Err(Retry::Failed(UpstreamError::Exchange {
                host: route.host.to_string(),
                reason: error.into_error().to_string(),
            })),
        },
    }
}

/// Opens a connection to the first of the route's addresses that accepts,
/// with TLS for `https`, and starts its HTTP/1.1 client task.
async fn connect(
    tls: &Arc<rustls::ClientConfig>,
    route: &Route,
) -> Result<SendRequest<Full<Bytes>>, UpstreamError> {
    let stream = connect_tcp(route).await?;
    match route.scheme {
        Scheme::Http => handshake(stream, route).await,
        Scheme::Https => {
            let tls_error = |reason: String| UpstreamError::Tls {
                host: route.host.to_string(),
                reason,
            };
            let server_name = ServerName::try_from(route.host.as_str().to_owned())
                .map_err(|error| tls_error(error.to_string()))?;
            let connector = TlsConnector::from(Arc::clone(tls));
            let stream = timeout(
                TLS_HANDSHAKE_TIMEOUT,
                connector.connect(server_name, stream),
            )
            .await
            .map_err(|_| {
                tls_error(format!(
                    "timed out after {} s",
                    TLS_HANDSHAKE_TIMEOUT.as_secs()
                ))
            })?
            .map_err(|error| tls_error(describe_tls_error(&error, &route.host)))?;
            handshake(stream, route).await
        }
    }
}

/// Explains a failed TLS handshake with a destination in an operator's
/// terms, with the fix where there is one.
fn describe_tls_error(error: &std::io::Error, host: &HostName) -> String {
    use rustls::{CertificateError, Error, OtherError};

    let Some(tls) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Error>())
    else {
        return error.to_string();
    };
    match tls {
        Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "the destination's certificate is signed by a CA that Tollgate does not trust; \
             if the destination is genuine, add its root CA to [upstream] extra_roots"
                .into()
        }
        Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => format!("the destination's certificate is not valid for {host}"),
        Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => "the destination's certificate has expired".into(),
        Error::InvalidCertificate(CertificateError::Other(OtherError(inner)))
            if inner.to_string().contains("CaUsedAsEndEntity") =>
        {
            "the destination presented a CA certificate as its own certificate".into()
        }
        other => format!("the TLS handshake was rejected: {other}"),
    }
}

async fn connect_tcp(route: &Route) -> Result<TcpStream, UpstreamError> {
    let mut failures = Vec::new();
    for address in &route.addresses {
        match timeout(CONNECT_TIMEOUT, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Ok(Err(error)) => failures.push(format!("{address}: {error}")),
            Err(_) => failures.push(format!(
                "{address}: timed out after {} s",
                CONNECT_TIMEOUT.as_secs()
            )),
        }
    }
    let addresses: Vec<String> = route.addresses.iter().map(ToString::to_string).collect();
    Err(UpstreamError::Connect {
        host: route.host.to_string(),
        addresses: addresses.join(", "),
        reason: failures.join("; "),
    })
}

async fn handshake<S>(stream: S, route: &Route) -> Result<SendRequest<Full<Bytes>>, UpstreamError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static,
{
    let (sender, connection) = http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| UpstreamError::Exchange {
            host: route.host.to_string(),
            reason: error.to_string(),
        })?;
    let host = route.host.to_string();
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(destination.host = %host, %error, "destination connection ended");
        }
    });
    Ok(sender)
}
