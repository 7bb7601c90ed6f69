//! PIPL volume thresholds: which mechanism a transfer abroad needs given
//! how many individuals the exporter has sent abroad since 1 January.
//!
//! The CAC provisions of 22 March 2024 (Order No. 16), for handlers that
//! are not critical information infrastructure operators:
//!
//! | individuals this year | non-sensitive | sensitive |
//! | --- | --- | --- |
//! | no mechanism needed | under 100,000 | none |
//! | standard contract or certification | 100,000 to under 1,000,000 | under 10,000 |
//! | CAC security assessment | 1,000,000 or more | 10,000 or more |
//!
//! The counts come from the store (`audit::PiplCounts`); the thresholds are
//! configurable so tests can cross them with small numbers.

use serde::Deserialize;
use whitelist::{Mechanism, MechanismKind};

/// Default individuals (any personal information) from which a standard
/// contract or certification is needed.
pub const DEFAULT_CONTRACT_FROM: u64 = 100_000;
/// Default individuals from which a CAC security assessment is needed.
pub const DEFAULT_ASSESSMENT_FROM: u64 = 1_000_000;
/// Default individuals with sensitive information from which a CAC security
/// assessment is needed; any sensitive information needs at least a
/// standard contract.
pub const DEFAULT_SENSITIVE_ASSESSMENT_FROM: u64 = 10_000;

/// Default file of the key that makes individuals' identifiers into keyed
/// hashes, relative to the configuration directory.
pub const DEFAULT_KEY_FILE: &str = "tollgate-data/pipl.key";

/// The `[pipl]` section of `tollgate.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PiplSection {
    #[serde(default = "default_contract_from")]
    contract_from: u64,
    #[serde(default = "default_assessment_from")]
    assessment_from: u64,
    #[serde(default = "default_sensitive_assessment_from")]
    sensitive_assessment_from: u64,
    /// The HMAC key file; created with mode 0600 on first start.
    #[serde(default = "default_key_file")]
    pub key_file: std::path::PathBuf,
}

impl PiplSection {
    pub(crate) fn thresholds(&self) -> Thresholds {
        Thresholds {
            contract_from: self.contract_from,
            assessment_from: self.assessment_from,
            sensitive_assessment_from: self.sensitive_assessment_from,
        }
    }
}

impl Default for PiplSection {
    fn default() -> Self {
        let thresholds = Thresholds::default();
        PiplSection {
            contract_from: thresholds.contract_from,
            assessment_from: thresholds.assessment_from,
            sensitive_assessment_from: thresholds.sensitive_assessment_from,
            key_file: default_key_file(),
        }
    }
}

fn default_key_file() -> std::path::PathBuf {
    std::path::PathBuf::from(DEFAULT_KEY_FILE)
}

/// Individuals per calendar year from which PIPL requires each mechanism.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub contract_from: u64,
    pub assessment_from: u64,
    pub sensitive_assessment_from: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            contract_from: DEFAULT_CONTRACT_FROM,
            assessment_from: DEFAULT_ASSESSMENT_FROM,
            sensitive_assessment_from: DEFAULT_SENSITIVE_ASSESSMENT_FROM,
        }
    }
}

fn default_contract_from() -> u64 {
    DEFAULT_CONTRACT_FROM
}

fn default_assessment_from() -> u64 {
    DEFAULT_ASSESSMENT_FROM
}

fn default_sensitive_assessment_from() -> u64 {
    DEFAULT_SENSITIVE_ASSESSMENT_FROM
}

/// The mechanism a yearly volume requires, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    /// Below every threshold: no mechanism is required.
    Exempt,
    /// A PIPL standard contract or certification (or an assessment).
    Contract,
    /// A CAC security assessment.
    Assessment,
}

impl Tier {
    /// The tier that `counts` individuals require.
    pub fn of(counts: audit::PiplCounts, thresholds: &Thresholds) -> Tier {
        if counts.individuals >= thresholds.assessment_from
            || counts.sensitive >= thresholds.sensitive_assessment_from
        {
            Tier::Assessment
        } else if counts.individuals >= thresholds.contract_from || counts.sensitive > 0 {
            Tier::Contract
        } else {
            Tier::Exempt
        }
    }

    /// The tier a mechanism satisfies.
    pub fn provided_by(mechanism: &Mechanism) -> Tier {
        match mechanism.kind {
            MechanismKind::CacAssessment => Tier::Assessment,
            MechanismKind::PiplStandardContract | MechanismKind::PiplCertification => {
                Tier::Contract
            }
            _ => Tier::Exempt,
        }
    }

    /// What the tier requires, for reasons.
    pub fn requirement(self) -> &'static str {
        match self {
            Tier::Exempt => "no transfer mechanism",
            Tier::Contract => "a PIPL standard contract or certification",
            Tier::Assessment => "a CAC security assessment",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use audit::PiplCounts;

    fn counts(individuals: u64, sensitive: u64) -> PiplCounts {
        PiplCounts {
            individuals,
            sensitive,
        }
    }

    #[test]
    fn tiers_follow_the_2024_thresholds() {
        let thresholds = Thresholds::default();
        let cases = [
            (counts(0, 0), Tier::Exempt),
            (counts(99_999, 0), Tier::Exempt),
            (counts(100_000, 0), Tier::Contract),
            (counts(999_999, 0), Tier::Contract),
            (counts(1_000_000, 0), Tier::Assessment),
            (counts(5, 1), Tier::Contract),
            (counts(20_000, 9_999), Tier::Contract),
            (counts(20_000, 10_000), Tier::Assessment),
        ];
        for (counts, tier) in cases {
            assert_eq!(Tier::of(counts, &thresholds), tier, "{counts:?}");
        }
    }
}

/// The key file's length: 32 random bytes, written as 64 hex digits.
const KEY_BYTES: usize = 32;

/// Why the PIPL key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot create {path}: {source}")]
    Create {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{path} does not hold a key of {KEY_BYTES} bytes as hex; restore it from a backup")]
    Invalid { path: std::path::PathBuf },
    #[error(
        "{path} has mode {mode:04o}; it must be readable by its owner only: run chmod 600 {path}"
    )]
    Permissions { path: std::path::PathBuf, mode: u32 },
}

/// Loads the key that turns identifiers into keyed hashes, creating it with
/// mode 0600 when the file is missing.
///
/// Losing the key makes earlier counts unmatchable (every individual would
/// count again), so it lives next to the store and belongs in its backups;
/// replicas sharing a store must share the key.
pub fn load_or_create_key(path: &std::path::Path) -> Result<[u8; KEY_BYTES], KeyError> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

    let read_error = |source| KeyError::Read {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::metadata(path) {
        Ok(metadata) => {
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(KeyError::Permissions {
                    path: path.to_path_buf(),
                    mode,
                });
            }
            let text = std::fs::read_to_string(path).map_err(read_error)?;
            let bytes = hex::decode(text.trim()).map_err(|_| KeyError::Invalid {
                path: path.to_path_buf(),
            })?;
            bytes.try_into().map_err(|_| KeyError::Invalid {
                path: path.to_path_buf(),
            })
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let create_error = |source| KeyError::Create {
                path: path.to_path_buf(),
                source,
            };
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(parent)
                    .map_err(create_error)?;
            }
            let mut key = [0; KEY_BYTES];
            ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut key)
                .map_err(|_| create_error(std::io::Error::other("no system randomness")))?;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(create_error)?;
            writeln!(file, "{}", hex::encode(key)).map_err(create_error)?;
            file.sync_all().map_err(create_error)?;
            Ok(key)
        }
        Err(error) => Err(read_error(error)),
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn key_is_created_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/pipl.key");
        let created = load_or_create_key(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(load_or_create_key(&path).unwrap(), created);

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = load_or_create_key(&path).unwrap_err();
        assert!(error.to_string().contains("has mode 0644"), "{error}");
    }
}
