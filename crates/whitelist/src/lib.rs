//! Tollgate's destination whitelist, its registry of legal transfer
//! mechanisms, and the jurisdiction rules that connect them.
//!
//! The crate is pure: it reads `whitelist.toml` and `mechanisms.toml` when
//! asked to load them and does no other I/O. It has no clock either, so
//! every check that depends on the date takes `today` as an argument and
//! tests can pin it.
//!
//! - [`host`] normalises host names and matches whitelist patterns.
//! - [`address`] decides whether a resolved IP address is globally reachable.
//! - [`destination`] loads the whitelist and finds the destination of a host.
//! - [`mechanism`] loads the mechanism registry and checks one mechanism
//!   against one transfer.
//! - [`jurisdiction`] maps an exporter's country to its regime.
//! - [`error`] turns parser and validation failures into `path:line:column`
//!   messages.

pub mod address;
pub mod country;
pub mod destination;
pub mod error;
pub mod host;
mod id;
pub mod jurisdiction;
pub mod mechanism;
pub mod review;
mod text_value;
mod toml_date;

pub use country::{CountryCode, UnknownCountry};
pub use destination::{
    AddressError, Approval, DataPolicy, Destination, HoldCause, PiplExemption, Whitelist,
};
pub use error::{ConfigError, Location};
pub use host::{HostError, HostName, HostPattern, HostPatternError};
pub use id::MAX_ID_LEN;
pub use jurisdiction::{AdequacyDecision, RecipientAttribute, Regime, is_cross_border};
pub use mechanism::{
    DerogationGround, Found, Mechanism, MechanismKind, MechanismProblem, MechanismRegistry,
    Transfer, check_mechanism,
};
