//! Tollgate's egress gateway: the proxy listener, `CONNECT` and TLS
//! interception, the decision for each request, forwarding to destinations,
//! and the `tollgate` command line.
//!
//! A request flows through [`server`] (accept, HTTP/1.1), [`connect`] (for
//! tunnels), [`exchange`] (body, inspection, decision, record, forwarding)
//! and [`upstream`] (connections to destinations). [`decide`] holds the
//! decision itself as pure functions over a [`policy::Policy`] snapshot.

pub mod cli;
pub mod client_tls;
pub mod config;
pub mod connect;
pub mod cpu_work;
pub mod decide;
pub mod exchange;
pub mod exporter;
pub mod gateway;
pub mod headers;
pub mod notice;
pub mod outcome;
pub mod pipl;
pub mod policy;
pub mod record;
pub mod respond;
pub mod selfcheck;
pub mod server;
pub mod target;
pub mod telemetry;
pub mod upstream;
