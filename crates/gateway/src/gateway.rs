//! The state shared by every connection: configuration, the current
//! policy, the inspector, the store and the leaf-certificate cache.

use std::path::Path;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use audit::{AdminEvent, EventKind, Store};
use certs::LeafCache;
use inspect::Inspector;
use tokio::sync::Semaphore;

use crate::config::Config;
use crate::cpu_work::CpuWork;
use crate::policy::{Policy, PolicyError};

#[derive(Debug)]
pub struct Gateway {
    config: Config,
    policy: ArcSwap<Policy>,
    inspector: Inspector,
    store: Store,
    leaves: LeafCache,
    /// The key of the keyed hashes that identify individuals in PIPL counts.
    identity_key: [u8; 32],
    /// The error of the last failed record write, cleared by the next
    /// success. While set, `/healthz` reports the gateway as unhealthy,
    /// because every request is being blocked.
    store_failure: Mutex<Option<String>>,
    /// Permits for buffering request bodies, one per [`BODY_BUDGET_UNIT`]
    /// bytes of `[proxy] max_buffered_bytes`.
    body_budget: Arc<Semaphore>,
    /// Runs the inspections of large bodies off the async workers.
    cpu_work: CpuWork,
}

/// Bytes of buffered request body per permit of the body budget.
pub const BODY_BUDGET_UNIT: u64 = 1024;

impl Gateway {
    pub fn new(
        config: Config,
        policy: Policy,
        store: Store,
        leaves: LeafCache,
        identity_key: [u8; 32],
    ) -> Gateway {
        let limits = inspect::Limits {
            // The decoded body may be larger than the buffered one, but not
            // without bound: four times the body limit, as the expansion
            // ratio check catches bombs long before that.
            max_decoded_bytes: usize::try_from(config.max_body_bytes.saturating_mul(4))
                .unwrap_or(usize::MAX),
            ..inspect::Limits::default()
        };
        let units = config.max_buffered_bytes.div_ceil(BODY_BUDGET_UNIT);
        let units = usize::try_from(units)
            .unwrap_or(usize::MAX)
            .min(Semaphore::MAX_PERMITS);
        Gateway {
            body_budget: Arc::new(Semaphore::new(units)),
            cpu_work: CpuWork::for_this_machine(),
            config,
            policy: ArcSwap::from_pointee(policy),
            inspector: Inspector::new(limits),
            store,
            leaves,
            identity_key,
            store_failure: Mutex::new(None),
        }
    }

    /// Notes the result of a record write for the health check.
    pub fn note_store_result(&self, failure: Option<String>) {
        let mut current = self.store_failure.lock().unwrap_or_else(|e| e.into_inner());
        *current = failure;
    }

    /// `Ok` unless the last record write failed.
    pub fn health(&self) -> Result<(), String> {
        let current = self.store_failure.lock().unwrap_or_else(|e| e.into_inner());
        match current.as_ref() {
            None => Ok(()),
            Some(error) => Err(format!("transfer records cannot be written: {error}")),
        }
    }

    /// The policy in force now. Callers keep the returned snapshot for the
    /// whole request, so a reload never changes the rules mid-decision.
    pub fn policy(&self) -> Arc<Policy> {
        self.policy.load_full()
    }

    pub fn inspector(&self) -> &Inspector {
        &self.inspector
    }

    /// Returns what runs inspections of large bodies off the async workers.
    pub fn cpu_work(&self) -> &CpuWork {
        &self.cpu_work
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn leaves(&self) -> &LeafCache {
        &self.leaves
    }

    pub fn identity_key(&self) -> &[u8; 32] {
        &self.identity_key
    }

    pub fn max_body_bytes(&self) -> u64 {
        self.config.max_body_bytes
    }

    /// Returns the budget that every buffered request body draws from.
    pub fn body_budget(&self) -> &Arc<Semaphore> {
        &self.body_budget
    }

    pub fn max_buffered_bytes(&self) -> u64 {
        self.config.max_buffered_bytes
    }

    pub fn max_connections(&self) -> usize {
        self.config.max_connections
    }

    /// Re-reads the configuration file and swaps in the new policy. On any
    /// error the old policy keeps serving and the error is returned.
    ///
    /// Listeners, the store and the CA are fixed at start; a change to them
    /// is reported in the log and takes effect at the next restart.
    ///
    /// Every attempt is written to the event log with `actor` (`signal` or
    /// `api`), and logged.
    pub async fn reload(&self, actor: &str) -> Result<String, PolicyError> {
        let loaded = Config::load(self.config.source.as_deref())
            .map_err(PolicyError::from)
            .and_then(|config| Policy::load(&config).map(|policy| (config, policy)));
        let subject = self.config.source.as_ref().map_or_else(
            || "built-in defaults".to_owned(),
            |path| path.display().to_string(),
        );
        let (kind, detail, result) = match loaded {
            Ok((config, policy)) => {
                let fixed = changed_fixed_settings(&self.config, &config);
                let mut summary = format!(
                    "{} destination(s), {} mechanism(s)",
                    policy.whitelist.destinations().len(),
                    policy.mechanisms.iter().count()
                );
                if !fixed.is_empty() {
                    summary.push_str(&format!(
                        "; changed settings that take effect only after a restart: {}",
                        fixed.join(", ")
                    ));
                }
                self.policy.store(Arc::new(policy));
                tracing::info!(%actor, %summary, "configuration reloaded");
                self.self_inspect();
                (EventKind::ConfigReload, summary.clone(), Ok(summary))
            }
            Err(error) => {
                tracing::error!(
                    %actor,
                    %error,
                    "configuration reload rejected; the previous configuration keeps serving"
                );
                (
                    EventKind::ConfigReloadRejected,
                    error.to_string(),
                    Err(error),
                )
            }
        };
        let event = AdminEvent::now(kind, actor, &subject, &detail);
        if let Err(error) = self.store.append_event(event).await {
            tracing::error!(%error, "the reload could not be written to the event log");
        }
        result
    }

    pub fn config_path(&self) -> Option<&Path> {
        self.config.source.as_deref()
    }

    /// Runs the self-inspection against the configuration and policy in
    /// force.
    pub fn self_inspect(&self) {
        let policy = self.policy();
        crate::selfcheck::run_and_report(&self.config, &policy, chrono::Utc::now().date_naive());
    }
}

/// Returns the settings fixed at start that differ in `loaded`, each logged
/// as a warning.
fn changed_fixed_settings(running: &Config, loaded: &Config) -> Vec<&'static str> {
    let changed = [
        (
            "[proxy] listen",
            running.proxy_listen != loaded.proxy_listen,
        ),
        (
            "[proxy] max_body_bytes",
            running.max_body_bytes != loaded.max_body_bytes,
        ),
        (
            "[proxy] max_buffered_bytes",
            running.max_buffered_bytes != loaded.max_buffered_bytes,
        ),
        (
            "[proxy] max_connections",
            running.max_connections != loaded.max_connections,
        ),
        (
            "[proxy] client_ca",
            running.proxy_client_ca != loaded.proxy_client_ca,
        ),
        (
            "[admin] listen",
            running.admin_listen != loaded.admin_listen,
        ),
        ("[store] url", running.store_url != loaded.store_url),
        ("[ca] dir", running.ca_dir != loaded.ca_dir),
    ];
    let mut fixed = Vec::new();
    for (setting, differs) in changed {
        if differs {
            tracing::warn!(setting, "setting changed; it takes effect after a restart");
            fixed.push(setting);
        }
    }
    fixed
}
