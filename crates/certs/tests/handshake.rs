//! Real TLS handshakes in memory: a rustls server presents a leaf from
//! `LeafCache`, and a rustls client trusts only the authority's certificate.

use std::io::{Read, Write};
use std::sync::Arc;

use certs::{CertificateAuthority, DEFAULT_LEAF_CACHE_CAPACITY, LeafCache};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::ServerName;
use rustls::sign::{CertifiedKey, SingleCertAndKey};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, Connection, RootCertStore, ServerConfig,
    ServerConnection,
};

/// Maximum number of round trips per handshake. TLS 1.2 and 1.3 need at most
/// three.
const MAX_ROUNDS: usize = 10;

const MESSAGE: &[u8] = b"GET / HTTP/1.1\r\nHost: api.partner.example\r\n\r\n";

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn server_config(key: Arc<CertifiedKey>) -> Arc<ServerConfig> {
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(SingleCertAndKey::from(key)));
    Arc::new(config)
}

fn client_config(authority: &CertificateAuthority) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    roots.add(authority.certificate_der()).unwrap();
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// Moves all pending TLS records from `from` to `to` and lets `to` process
/// them.
fn transfer(from: &mut Connection, to: &mut Connection) -> Result<(), rustls::Error> {
    let mut records = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut records).unwrap();
    }
    let mut pending = records.as_slice();
    while !pending.is_empty() {
        to.read_tls(&mut pending).unwrap();
        to.process_new_packets()?;
    }
    Ok(())
}

/// Runs a handshake for `server_name`, then sends [`MESSAGE`] from client to
/// server. Returns the first error either side raises.
fn connect(
    client_config: Arc<ClientConfig>,
    server_config: Arc<ServerConfig>,
    server_name: &str,
) -> Result<(), rustls::Error> {
    let name = ServerName::try_from(server_name.to_owned()).unwrap();
    let mut client = Connection::Client(ClientConnection::new(client_config, name)?);
    let mut server = Connection::Server(ServerConnection::new(server_config)?);

    for _ in 0..MAX_ROUNDS {
        if !client.is_handshaking() && !server.is_handshaking() {
            break;
        }
        transfer(&mut client, &mut server)?;
        transfer(&mut server, &mut client)?;
    }
    assert!(!client.is_handshaking(), "handshake did not finish");

    client.writer().write_all(MESSAGE).unwrap();
    transfer(&mut client, &mut server)?;
    let mut received = vec![0; MESSAGE.len()];
    server.reader().read_exact(&mut received).unwrap();
    assert_eq!(received, MESSAGE);
    Ok(())
}

fn is_name_mismatch(error: &rustls::Error) -> bool {
    matches!(
        error,
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
        )
    )
}

#[test]
fn client_accepts_leaf_for_its_server_name() {
    // (host the leaf is minted for, name the client connects with)
    let cases = [
        ("api.partner.example", "api.partner.example"),
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::1"),
    ];
    let authority = Arc::new(CertificateAuthority::generate("Test CA").unwrap());
    let cache = LeafCache::new(Arc::clone(&authority), DEFAULT_LEAF_CACHE_CAPACITY);
    for (leaf_host, server_name) in cases {
        let key = cache.certified_key(leaf_host).unwrap();

        let result = connect(client_config(&authority), server_config(key), server_name);

        assert!(result.is_ok(), "{leaf_host} as {server_name}: {result:?}");
    }
}

#[test]
fn client_rejects_leaf_for_other_name() {
    // (host the leaf is minted for, name the client connects with)
    let cases = [
        ("api.partner.example", "other.example"),
        ("api.partner.example", "sub.api.partner.example"),
        ("127.0.0.1", "127.0.0.2"),
        ("127.0.0.1", "localhost"),
    ];
    let authority = Arc::new(CertificateAuthority::generate("Test CA").unwrap());
    let cache = LeafCache::new(Arc::clone(&authority), DEFAULT_LEAF_CACHE_CAPACITY);
    for (leaf_host, server_name) in cases {
        let key = cache.certified_key(leaf_host).unwrap();

        let error = connect(client_config(&authority), server_config(key), server_name)
            .expect_err("handshake should fail");

        assert!(
            is_name_mismatch(&error),
            "{leaf_host} as {server_name}: {error:?}"
        );
    }
}

#[test]
fn client_rejects_leaf_from_untrusted_authority() {
    let trusted = CertificateAuthority::generate("Trusted CA").unwrap();
    let untrusted = Arc::new(CertificateAuthority::generate("Untrusted CA").unwrap());
    let cache = LeafCache::new(untrusted, DEFAULT_LEAF_CACHE_CAPACITY);
    let key = cache.certified_key("api.partner.example").unwrap();

    let error = connect(
        client_config(&trusted),
        server_config(key),
        "api.partner.example",
    )
    .expect_err("handshake should fail");

    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{error:?}"
    );
}

#[test]
fn loaded_authority_leaf_passes_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let created = CertificateAuthority::create(dir.path()).unwrap();
    let loaded = Arc::new(CertificateAuthority::load(dir.path()).unwrap());
    let cache = LeafCache::new(loaded, DEFAULT_LEAF_CACHE_CAPACITY);
    let key = cache.certified_key("api.partner.example").unwrap();

    let result = connect(
        client_config(&created),
        server_config(key),
        "api.partner.example",
    );

    assert!(result.is_ok(), "{result:?}");
}
