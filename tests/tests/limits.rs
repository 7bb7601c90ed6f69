//! Limits that protect the gateway's memory from many or slow clients: the
//! budget shared by all buffered request bodies, and the number of client
//! connections served at once.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use tollgate_e2e::{Tollgate, Upstream, today_utc};

fn start(plain: &Upstream, proxy_settings: &str) -> Tollgate {
    let tollgate = format!(
        r#"
[proxy]
listen = "127.0.0.1:0"
{proxy_settings}
[admin]
listen = "127.0.0.1:0"
[exporter]
country = "DE"
[upstream]
resolve = {{ "plain.partner.example" = "{}" }}
[whitelist]
file = "whitelist.toml"
"#,
        plain.address
    );
    let whitelist = format!(
        r#"
[[destination]]
id = "partner"
hosts = ["plain.partner.example"]
ports = [80]
country = "DE"
recipient = "Partner GmbH"
purpose = "order fulfilment"
reviewed_on = {}
reviewed_by = "dpo"
allow_addresses = ["127.0.0.1/32"]
"#,
        today_utc()
    );
    Tollgate::start(&[("tollgate.toml", &tollgate), ("whitelist.toml", &whitelist)])
}

fn post_head(length: usize) -> Vec<u8> {
    format!(
        "POST http://plain.partner.example/upload HTTP/1.1\r\nHost: plain.partner.example\r\n\
         Content-Type: text/plain\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes()
}

/// Reads from `stream` until the head of a response has arrived, or the
/// timeout passes, and returns what was read.
fn read_head(stream: &mut TcpStream, timeout: Duration) -> String {
    stream.set_read_timeout(Some(timeout)).unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !received.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => received.extend_from_slice(&buffer[..read]),
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_beyond_the_shared_budget_get_503() {
    let plain = Upstream::start_plain().await;
    let gateway = start(&plain, "max_body_bytes = 4096\nmax_buffered_bytes = 6144");

    // A slow client sends 3 KiB of its 4 KiB body, which takes 3 KiB of
    // the 6 KiB budget: the budget counts bytes received, not announced.
    let mut slow = TcpStream::connect(gateway.proxy).unwrap();
    slow.write_all(&post_head(4096)).unwrap();
    slow.write_all(&[b'a'; 3072]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    // Another 4 KiB body does not fit beside it.
    let mut second = TcpStream::connect(gateway.proxy).unwrap();
    second.write_all(&post_head(4096)).unwrap();
    second.write_all(&[b'b'; 4096]).unwrap();
    let answer = read_head(&mut second, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("tollgate-decision: blocked"), "{answer}");
    assert!(
        answer.contains("already buffering max_buffered_bytes (6144 bytes)"),
        "{answer}"
    );

    // Once the slow client finishes, its share is free again.
    slow.write_all(&[b'a'; 1024]).unwrap();
    let answer = read_head(&mut slow, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let mut third = TcpStream::connect(gateway.proxy).unwrap();
    third.write_all(&post_head(4096)).unwrap();
    third.write_all(&[b'c'; 4096]).unwrap();
    let answer = read_head(&mut third, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(plain.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn clients_beyond_max_connections_wait() {
    let plain = Upstream::start_plain().await;
    let gateway = start(&plain, "max_connections = 1");

    let idle = TcpStream::connect(gateway.proxy).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let mut waiting = TcpStream::connect(gateway.proxy).unwrap();
    waiting.write_all(&post_head(2)).unwrap();
    waiting.write_all(b"hi").unwrap();
    let early = read_head(&mut waiting, Duration::from_millis(500));
    assert_eq!(early, "", "served beside the idle connection");

    drop(idle);
    let answer = read_head(&mut waiting, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
