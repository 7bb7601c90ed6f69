//! `tollgate ca init`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::Config;

/// Creates the CA, or reports the existing one, and prints the certificate
/// path that clients must trust.
pub fn init(config_path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let config = Config::load(config_path)?;
    let (authority, created) = certs::CertificateAuthority::load_or_create(&config.ca_dir)
        .with_context(|| format!("CA in {}", config.ca_dir.display()))?;
    let pem = authority.pem_path().map_or_else(
        || config.ca_dir.join(certs::CA_CERTIFICATE_FILE),
        Path::to_path_buf,
    );
    let state = if created {
        "created the Tollgate CA"
    } else {
        "the Tollgate CA already exists"
    };
    writeln!(
        std::io::stdout(),
        "{state}; clients must trust {}",
        pem.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
