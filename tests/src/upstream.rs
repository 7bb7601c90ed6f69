//! A destination server for tests: HTTPS with its own test CA (or plain
//! HTTP) on 127.0.0.1, recording every byte and every request it receives.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// One request as the destination received it.
#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    pub method: String,
    pub path: String,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

#[derive(Debug, Default)]
struct Recorder {
    bytes: Mutex<Vec<u8>>,
    requests: Mutex<Vec<ReceivedRequest>>,
    connections: AtomicUsize,
}

/// A running test destination; it stops when dropped.
#[derive(Debug)]
pub struct Upstream {
    pub address: SocketAddr,
    /// PEM of the CA that signed the server's certificates (HTTPS only).
    pub ca_pem: Option<String>,
    recorder: Arc<Recorder>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Upstream {
    /// Starts an HTTPS server with a certificate for each of `hosts`, all
    /// signed by a fresh test CA.
    pub async fn start_tls(hosts: &[&str]) -> Upstream {
        let authority = certs::CertificateAuthority::generate("Tollgate Test Upstream CA").unwrap();
        let mut keys = HashMap::new();
        for host in hosts {
            let leaf = authority
                .issue_leaf(host, std::time::Duration::from_secs(3600))
                .unwrap();
            keys.insert(host.to_string(), leaf.certified_key().unwrap());
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(BySni(keys)));
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = TlsAcceptor::from(Arc::new(config));
        Upstream::start(Some(acceptor), Some(authority.certificate_pem().to_owned())).await
    }

    /// Starts a plain HTTP server.
    pub async fn start_plain() -> Upstream {
        Upstream::start(None, None).await
    }

    async fn start(acceptor: Option<TlsAcceptor>, ca_pem: Option<String>) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let recorder = Arc::new(Recorder::default());
        let task_recorder = Arc::clone(&recorder);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                task_recorder.connections.fetch_add(1, Ordering::SeqCst);
                let recorder = Arc::clone(&task_recorder);
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(tls) = acceptor.accept(stream).await {
                                serve(recorder, tls).await;
                            }
                        }
                        None => serve(recorder, stream).await,
                    }
                });
            }
        });
        Upstream {
            address,
            ca_pem,
            recorder,
            task,
        }
    }

    /// Every byte received after TLS decryption, across all connections.
    pub fn received_bytes(&self) -> Vec<u8> {
        self.recorder.bytes.lock().unwrap().clone()
    }

    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.recorder.requests.lock().unwrap().clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.recorder.connections.load(Ordering::SeqCst)
    }
}

async fn serve<S>(recorder: Arc<Recorder>, stream: S)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let recording = Recording {
        inner: stream,
        recorder: Arc::clone(&recorder),
    };
    let service = service_fn(move |request: Request<Incoming>| {
        let recorder = Arc::clone(&recorder);
        async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let length = body.len();
            recorder.requests.lock().unwrap().push(ReceivedRequest {
                method: parts.method.to_string(),
                path: parts.uri.to_string(),
                headers: parts.headers,
                body,
            });
            let mut response = Response::new(Full::new(Bytes::from(format!(
                "{{\"received_bytes\":{length}}}"
            ))));
            let headers = response.headers_mut();
            headers.insert("x-test-upstream", http::HeaderValue::from_static("yes"));
            // A destination must not be able to forge Tollgate's headers.
            headers.insert("tollgate-reason", http::HeaderValue::from_static("forged"));
            headers.insert(
                "tollgate-decision",
                http::HeaderValue::from_static("forged"),
            );
            Ok::<_, Infallible>(response)
        }
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(recording), service)
        .await;
}

/// Selects the leaf for the server name in the ClientHello.
#[derive(Debug)]
struct BySni(HashMap<String, Arc<CertifiedKey>>);

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.0.get(hello.server_name()?).cloned()
    }
}

/// A stream that appends everything read from it to the recorder.
struct Recording<S> {
    inner: S,
    recorder: Arc<Recorder>,
}

impl<S: AsyncRead + Unpin> AsyncRead for Recording<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        buffer: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buffer.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(context, buffer);
        if result.is_ready() {
            let new = &buffer.filled()[before..];
            this.recorder.bytes.lock().unwrap().extend_from_slice(new);
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Recording<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(context, data)
    }

    fn poll_flush(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(context)
    }

    fn poll_shutdown(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(context)
    }
}
