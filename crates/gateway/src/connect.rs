//! `CONNECT` tunnels: authorising the tunnel before any TLS, then
//! terminating the client's TLS with a leaf minted for the authorised host
//! so that every request inside can be inspected and decided.
//!
//! A refused `CONNECT` gets a 403 and one record. An accepted tunnel makes
//! no record of its own; each request inside it makes one. Bytes inside the
//! tunnel that are not a TLS handshake for the authorised name are never
//! passed on.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use audit::Decision;
use certs::CertificateSubject;
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use rustls::server::{Acceptor, ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio_rustls::LazyConfigAcceptor;
use whitelist::HostName;

use crate::decide::{self, Verdict};
use crate::exchange::{self, ClientContext, Outcome, Tunnel};
use crate::exporter;
use crate::gateway::Gateway;
use crate::record::{self, Facts};
use crate::respond::{self, ResponseBody};
use crate::server::{self, Shutdown};
use crate::target;
use crate::upstream::{self, Scheme, UpstreamSlot};

/// Time a client has, after the tunnel opens, to send its first byte.
const FIRST_BYTE_TIMEOUT: Duration = Duration::from_secs(30);
/// Time a client has to complete the TLS handshake with Tollgate.
const CLIENT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// The first byte of a TLS record carrying a handshake message.
const TLS_HANDSHAKE_RECORD: u8 = 0x16;

/// Decides a `CONNECT` request and, when the destination passes, opens the
/// tunnel.
///
/// The future is boxed as `dyn Future + Send` because serving a tunnel
/// leads back through the server's router to this function, and the
/// compiler cannot prove `Send` for a future type that contains itself.
pub fn handle(
    gateway: Arc<Gateway>,
    context: &ClientContext,
    shutdown: Shutdown,
    request: Request<Incoming>,
) -> Pin<Box<dyn Future<Output = Response<ResponseBody>> + Send>> {
    let client = context.client;
    let certificate = context.certificate.clone();
    Box::pin(open_tunnel(gateway, client, certificate, shutdown, request))
}

async fn open_tunnel(
    gateway: Arc<Gateway>,
    client: SocketAddr,
    certificate: Option<Arc<CertificateSubject>>,
    shutdown: Shutdown,
    request: Request<Incoming>,
) -> Response<ResponseBody> {
    let mut facts = Facts::new(client, &Method::CONNECT, Scheme::Https);
    let policy = gateway.policy();
    let proxy_user = exporter::proxy_user(request.headers());
    facts.exporter = policy
        .exporters
        .select_for(client.ip(), certificate.as_deref(), proxy_user.as_deref())
        .cloned();

    facts.host = target::host_hint_of_uri(request.uri());
    let (host, port) = match target::connect_target(request.uri()) {
        Ok(target) => target,
        Err(reason) => {
            let outcome = Outcome::blocked(reason, StatusCode::BAD_REQUEST);
            return exchange::refuse(&gateway, &policy, facts, outcome).await;
        }
    };
    facts.host = host.to_string();
    facts.port = port;

    let today = facts.time.date_naive();
    let destination = match decide::check_destination(&policy, &host, port, today) {
        Ok(destination) => destination,
        Err(verdict) => {
            let outcome = Outcome::refuse(verdict, StatusCode::FORBIDDEN);
            return exchange::refuse(&gateway, &policy, facts, outcome).await;
        }
    };
    let addresses = match upstream::resolve(&policy, &host, port).await {
        Ok(addresses) => addresses,
        Err(error) => {
            let outcome = Outcome::blocked(error.to_string(), StatusCode::BAD_GATEWAY)
                .for_destination(destination);
            return exchange::refuse(&gateway, &policy, facts, outcome).await;
        }
    };
    if let Err(verdict) = decide::check_addresses(destination, &addresses) {
        let outcome = Outcome::refuse(verdict, StatusCode::FORBIDDEN).for_destination(destination);
        return exchange::refuse(&gateway, &policy, facts, outcome).await;
    }

    let tunnel = Tunnel {
        scheme: Scheme::Https,
        host,
        port,
        addresses,
        proxy_user,
        certificate,
    };
    tokio::spawn(async move {
        match hyper::upgrade::on(request).await {
            Ok(upgraded) => {
                run_tunnel(gateway, client, tunnel, shutdown, TokioIo::new(upgraded)).await
            }
            Err(error) => tracing::debug!(%client, %error, "CONNECT upgrade failed"),
        }
    });
    respond::tunnel_established()
}

/// Looks at the first bytes in the tunnel and intercepts a TLS handshake;
/// anything else is recorded and refused.
async fn run_tunnel<S>(
    gateway: Arc<Gateway>,
    client: SocketAddr,
    tunnel: Tunnel,
    shutdown: Shutdown,
    mut stream: S,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut first = vec![0; 16];
    let read = match tokio::time::timeout(FIRST_BYTE_TIMEOUT, stream.read(&mut first)).await {
        Ok(Ok(0)) | Err(_) => return,
        Ok(Ok(read)) => read,
        Ok(Err(error)) => {
            tracing::debug!(%client, %error, "tunnel closed before its first byte");
            return;
        }
    };
    first.truncate(read);

    if first[0] == TLS_HANDSHAKE_RECORD {
        let stream = Prefixed::new(first, stream);
        intercept(gateway, client, tunnel, shutdown, stream).await;
        return;
    }

    let plain_http = first[0].is_ascii_uppercase();
    let reason = if plain_http {
        format!(
            "plain HTTP inside a CONNECT tunnel to {} is not supported; send http:// \
             requests to the proxy directly",
            tunnel.host
        )
    } else {
        format!(
            "the tunnel to {} carried bytes that are neither TLS nor HTTP; they were \
             not forwarded",
            tunnel.host
        )
    };
    let Some(transfer_id) = record_tunnel_refusal(&gateway, client, &tunnel, reason.clone()).await
    else {
        return;
    };
    if plain_http {
        let response = format!(
            "HTTP/1.1 403 Forbidden\r\nTollgate-Transfer-Id: {transfer_id}\r\n\
             Tollgate-Decision: blocked\r\nTollgate-Reason: {}\r\nContent-Length: 0\r\n\
             Connection: close\r\n\r\n",
            crate::headers::reason_value(&reason)
                .to_str()
                .unwrap_or("blocked")
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}

/// Terminates the client's TLS with a leaf for the tunnel's host and serves
/// the requests inside through the normal exchange.
async fn intercept<S>(
    gateway: Arc<Gateway>,
    client: SocketAddr,
    tunnel: Tunnel,
    shutdown: Shutdown,
    stream: S,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let accepted = tokio::time::timeout(
        CLIENT_HANDSHAKE_TIMEOUT,
        LazyConfigAcceptor::new(Acceptor::default(), stream),
    )
    .await;
    let start = match accepted {
        Ok(Ok(start)) => start,
        Ok(Err(error)) => {
            let reason = format!(
                "invalid TLS ClientHello in the tunnel to {}: {error}",
                tunnel.host
            );
            record_tunnel_refusal(&gateway, client, &tunnel, reason).await;
            return;
        }
        Err(_) => return,
    };

    if let Some(problem) = server_name_problem(&start.client_hello(), &tunnel.host) {
        record_tunnel_refusal(&gateway, client, &tunnel, problem).await;
        return;
    }
    let key = match gateway.leaves().certified_key(tunnel.host.as_str()) {
        Ok(key) => key,
        Err(error) => {
            let reason = format!(
                "no certificate could be minted for {}: {error}",
                tunnel.host
            );
            record_tunnel_refusal(&gateway, client, &tunnel, reason).await;
            return;
        }
    };
    let handshake = tokio::time::timeout(
        CLIENT_HANDSHAKE_TIMEOUT,
        start.into_stream(Arc::new(server_config(key))),
    )
    .await;
    let tls = match handshake {
        Ok(Ok(tls)) => tls,
        Ok(Err(error)) => {
            let reason = format!(
                "TLS handshake with the client failed for {}: {error}; the client may not \
                 trust the Tollgate CA, or it pins certificates",
                tunnel.host
            );
            record_tunnel_refusal(&gateway, client, &tunnel, reason).await;
            return;
        }
        Err(_) => return,
    };

    let context = Arc::new(ClientContext {
        client,
        certificate: tunnel.certificate.clone(),
        tunnel: Some(tunnel),
        upstream: UpstreamSlot::default(),
    });
    server::serve_http(gateway, context, shutdown, TokioIo::new(tls)).await;
}

/// Checks that the ClientHello's server name, when present, is the host the
/// `CONNECT` authorised, so a client cannot open a tunnel for one name and
/// speak to another.
fn server_name_problem(hello: &ClientHello<'_>, host: &HostName) -> Option<String> {
    let sni = hello.server_name()?;
    match HostName::parse(sni) {
        Ok(name) if &name == host => None,
        _ => Some(format!(
            "TLS server name {sni:?} does not match the CONNECT host {host}"
        )),
    }
}

fn server_config(key: Arc<CertifiedKey>) -> rustls::ServerConfig {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(FixedCertificate(key)));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

/// Presents the one leaf minted for the tunnel's host, whatever server name
/// the ClientHello carries, because that name was checked before.
#[derive(Debug)]
pub(crate) struct FixedCertificate(pub(crate) Arc<CertifiedKey>);

impl ResolvesServerCert for FixedCertificate {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(Arc::clone(&self.0))
    }
}

/// Writes the record of a tunnel refused after the `CONNECT` was accepted.
/// Returns the transfer id, or `None` when the record could not be written.
async fn record_tunnel_refusal(
    gateway: &Gateway,
    client: SocketAddr,
    tunnel: &Tunnel,
    reason: String,
) -> Option<uuid::Uuid> {
    let policy = gateway.policy();
    let mut facts = Facts::new(client, &Method::CONNECT, tunnel.scheme);
    facts.host = tunnel.host.to_string();
    facts.port = tunnel.port;
    facts.exporter = policy
        .exporters
        .select_for(
            client.ip(),
            tunnel.certificate.as_deref(),
            tunnel.proxy_user.as_deref(),
        )
        .cloned();
    let destination = policy.whitelist.find(&tunnel.host);
    let verdict = Verdict {
        decision: Decision::Blocked,
        reason,
        mechanism_id: None,
    };
    let transfer_id = facts.transfer_id;
    let record = record::build_record(gateway, &facts, destination, &verdict, None, None);
    record::commit(gateway, record)
        .await
        .ok()
        .map(|()| transfer_id)
}

/// A stream that first yields bytes already read from it.
#[derive(Debug)]
struct Prefixed<S> {
    prefix: Vec<u8>,
    position: usize,
    inner: S,
}

impl<S> Prefixed<S> {
    fn new(prefix: Vec<u8>, inner: S) -> Self {
        Prefixed {
            prefix,
            position: 0,
            inner,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.position < this.prefix.len() {
            let remaining = &this.prefix[this.position..];
            let count = remaining.len().min(buffer.remaining());
            buffer.put_slice(&remaining[..count]);
            this.position += count;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(context, buffer)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(context, data)
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(context)
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn prefixed_stream_yields_prefix_first() {
        let (mut near, far) = tokio::io::duplex(64);
        near.write_all(b" world").await.unwrap();
        drop(near);
        let mut stream = Prefixed::new(b"hello".to_vec(), far);
        let mut text = String::new();
        stream.read_to_string(&mut text).await.unwrap();
        assert_eq!(text, "hello world");
    }
}
