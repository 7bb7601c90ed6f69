//! Integration tests for the whitelist crate, in one binary to keep link
//! time low.

mod addresses;
mod config_errors;
mod examples;
mod hosts;
mod jurisdiction;
mod lookup;
mod mechanism_checks;
mod review;
