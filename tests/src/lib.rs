//! Support for Tollgate's end-to-end tests: the real `tollgate` binary,
//! test destinations on 127.0.0.1 with certificates from the `certs`
//! crate, and HTTP clients configured to go through the gateway.

mod process;
mod upstream;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use process::{Tollgate, binary};
pub use upstream::{ReceivedRequest, Upstream};

/// The ERP sample payloads kept in `tests/samples`.
pub fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// A reqwest client that sends every request through `proxy` and trusts
/// only `ca_pem` (the gateway's CA).
pub fn client(proxy: SocketAddr, ca_pem: &str) -> reqwest::Client {
    client_as(proxy, ca_pem, None)
}

/// Like [`client`], authenticating to the proxy as `user` when given.
pub fn client_as(proxy: SocketAddr, ca_pem: &str, user: Option<&str>) -> reqwest::Client {
    let tls = tls_config(ca_pem).with_no_client_auth();
    let proxy = reqwest::Proxy::all(format!("http://{proxy}")).unwrap();
    let proxy = match user {
        Some(user) => proxy.basic_auth(user, "unused"),
        None => proxy,
    };
    build_client(tls, proxy)
}

/// Returns a client that reaches `proxy` over TLS (an HTTPS proxy) and
/// presents `certificate` as its client certificate, to the proxy and to
/// the destinations it intercepts.
pub fn client_with_certificate(
    proxy: SocketAddr,
    ca_pem: &str,
    certificate: &certs::LeafCertificate,
) -> reqwest::Client {
    let tls = tls_config(ca_pem)
        .with_client_auth_cert(certificate.chain.clone(), certificate.key.clone_key())
        .unwrap();
    build_client(
        tls,
        reqwest::Proxy::all(format!("https://{proxy}")).unwrap(),
    )
}

fn tls_config(
    ca_pem: &str,
) -> rustls::ConfigBuilder<rustls::ClientConfig, rustls::client::WantsClientCert> {
    let mut roots = rustls::RootCertStore::empty();
    for certificate in certs::pem_to_der_certs(ca_pem).unwrap() {
        roots.add(certificate).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
}

fn build_client(mut tls: rustls::ClientConfig, proxy: reqwest::Proxy) -> reqwest::Client {
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .proxy(proxy)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// Returns the value of the response header `name`, or an empty string.
pub fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Fetches `path` from the admin listener and returns the body, failing on
/// any status but 2xx.
pub async fn admin_get(admin: SocketAddr, path: &str) -> String {
    let (status, body) = admin_status(admin, path).await;
    assert!((200..300).contains(&status), "GET {path}: {status} {body}");
    body
}

/// Fetches `path` from the admin listener and returns status and body.
pub async fn admin_status(admin: SocketAddr, path: &str) -> (u16, String) {
    admin_request(admin, reqwest::Method::GET, path).await
}

/// Sends `method` to `path` on the admin listener and returns status and
/// body.
pub async fn admin_request(
    admin: SocketAddr,
    method: reqwest::Method,
    path: &str,
) -> (u16, String) {
    admin_request_with_headers(admin, method, path, &[]).await
}

/// Sends `method` to `path` on the admin listener with extra `headers`
/// and returns status and body.
pub async fn admin_request_with_headers(
    admin: SocketAddr,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .build()
        .unwrap();
    let mut request = client.request(method, format!("http://{admin}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Today's date in UTC as `YYYY-MM-DD`, for `reviewed_on` dates that must
/// not be overdue.
pub fn today_utc() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// Every file below `dir` whose content contains `needle`.
pub fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                pending.push(entry.unwrap().path());
            }
        } else if let Ok(content) = std::fs::read(&path) {
            if contains(&content, needle) {
                found.push(path);
            }
        }
    }
    found
}
