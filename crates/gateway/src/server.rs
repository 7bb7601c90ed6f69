//! The proxy listener: accepting client connections, serving HTTP/1.1 on
//! them, routing `CONNECT` to the tunnel code and everything else to the
//! exchange, and draining connections on shutdown.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use certs::CertificateSubject;
use http::{Method, Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc, watch};

use crate::client_tls::ClientTls;
use crate::connect;
use crate::exchange::{self, ClientContext};
use crate::gateway::Gateway;
use crate::respond::ResponseBody;
use crate::telemetry;
use crate::upstream::UpstreamSlot;

/// Time a client has to send a complete request head, so idle or slow
/// connections cannot hold a task forever.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Pause after a failed `accept` (for example when out of file
/// descriptors) before trying again, so the loop does not spin.
const ACCEPT_ERROR_BACKOFF: Duration = Duration::from_millis(100);

/// A shutdown signal that every connection holds. Dropping the last clone
/// tells [`Shutdown::drained`] that all connections have finished.
#[derive(Debug, Clone)]
pub struct Shutdown {
    signal: watch::Receiver<bool>,
    _active: mpsc::Sender<()>,
}

/// The controlling side of [`Shutdown`].
#[derive(Debug)]
pub struct ShutdownController {
    signal: watch::Sender<bool>,
    active: mpsc::Receiver<()>,
    handle: Option<Shutdown>,
}

impl ShutdownController {
    pub fn new() -> ShutdownController {
        let (signal, receiver) = watch::channel(false);
        let (sender, active) = mpsc::channel(1);
        ShutdownController {
            signal,
            active,
            handle: Some(Shutdown {
                signal: receiver,
                _active: sender,
            }),
        }
    }

    pub fn handle(&self) -> Shutdown {
        self.handle.clone().expect("handle taken before shutdown")
    }

    /// Signals shutdown and waits until every connection finished or
    /// `grace` passed; returns whether all finished.
    pub async fn shutdown(mut self, grace: Duration) -> bool {
        let _ = self.signal.send(true);
        drop(self.handle.take());
        tokio::time::timeout(grace, self.active.recv())
            .await
            .is_ok()
    }
}

impl Default for ShutdownController {
    fn default() -> Self {
        ShutdownController::new()
    }
}

impl Shutdown {
    /// Resolves once shutdown was signalled.
    pub async fn requested(&mut self) {
        let _ = self.signal.wait_for(|stopping| *stopping).await;
    }
}

/// Accepts proxy clients until shutdown is signalled. With `tls`, every
/// client must complete a TLS handshake with a client certificate first.
pub async fn serve_proxy(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    tls: Option<Arc<ClientTls>>,
    mut shutdown: Shutdown,
) {
    // One permit per open client connection: at the limit, new clients wait
    // in the listen queue instead of taking memory.
    let connections = Arc::new(Semaphore::new(gateway.max_connections()));
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&connections).acquire_owned() => slot,
            () = shutdown.requested() => break,
        };
        let Ok(slot) = slot else {
            break;
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.requested() => break,
        };
        match accepted {
            Ok((stream, client)) => {
                let _ = stream.set_nodelay(true);
                let gateway = Arc::clone(&gateway);
                let shutdown = shutdown.clone();
                match &tls {
                    Some(tls) => {
                        let tls = Arc::clone(tls);
                        tokio::spawn(async move {
                            let _slot = slot;
                            let accepted = tls.accept(gateway.leaves(), stream).await;
                            let (stream, certificate) = match accepted {
                                Ok(accepted) => accepted,
                                Err(error) => {
                                    telemetry::client_rejected(client, &error);
                                    return;
                                }
                            };
                            let context = client_context(client, certificate.map(Arc::new));
                            serve_http(gateway, context, shutdown, TokioIo::new(stream)).await;
                        });
                    }
                    None => {
                        let context = client_context(client, None);
                        tokio::spawn(async move {
                            let _slot = slot;
                            serve_http(gateway, context, shutdown, TokioIo::new(stream)).await;
                        });
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%error, "accepting a proxy connection failed");
                tokio::time::sleep(ACCEPT_ERROR_BACKOFF).await;
            }
        }
    }
}

fn client_context(
    client: SocketAddr,
    certificate: Option<Arc<CertificateSubject>>,
) -> Arc<ClientContext> {
    Arc::new(ClientContext {
        client,
        certificate,
        tunnel: None,
        upstream: UpstreamSlot::default(),
    })
}

/// Serves HTTP/1.1 on one client connection, plain or inside a tunnel,
/// until it closes or shutdown lets its current request finish.
pub async fn serve_http<I>(
    gateway: Arc<Gateway>,
    context: Arc<ClientContext>,
    mut shutdown: Shutdown,
    io: I,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let client = context.client;
    let service = {
        let shutdown = shutdown.clone();
        service_fn(move |request| {
            let gateway = Arc::clone(&gateway);
            let context = Arc::clone(&context);
            let shutdown = shutdown.clone();
            async move { Ok::<_, Infallible>(route(gateway, context, shutdown, request).await) }
        })
    };
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(io, service)
        .with_upgrades();
    tokio::pin!(connection);

    let result = tokio::select! {
        result = connection.as_mut() => result,
        () = shutdown.requested() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::debug!(%client, %error, "client connection ended with an error");
    }
}

async fn route(
    gateway: Arc<Gateway>,
    context: Arc<ClientContext>,
    shutdown: Shutdown,
    request: Request<Incoming>,
) -> Response<ResponseBody> {
    if request.method() == Method::CONNECT && context.tunnel.is_none() {
        return connect::handle(gateway, &context, shutdown, request).await;
    }
    exchange::handle(gateway, context, request).await
}
