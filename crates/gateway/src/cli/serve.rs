//! `tollgate serve`: starts the gateway and runs it until SIGTERM or
//! SIGINT; SIGHUP reloads the configuration.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};

use crate::client_tls::ClientTls;
use crate::config::Config;
use crate::gateway::Gateway;
use crate::pipl;
use crate::policy::Policy;
use crate::selfcheck;
use crate::server::{self, ShutdownController};
use crate::telemetry::{self, LogFormat};

/// Time in-flight requests get to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

pub async fn run(config_path: Option<&Path>, log_format: LogFormat) -> anyhow::Result<ExitCode> {
    let config = Config::load(config_path)?;
    telemetry::init_logging(log_format);
    match &config.source {
        Some(path) => tracing::info!(config = %path.display(), "configuration loaded"),
        None => tracing::info!("no --config given; running on built-in defaults"),
    }

    // Everything that can be rejected is checked before anything is
    // created on disk, so a broken configuration leaves no half-made CA.
    let policy = Policy::load(&config)?;
    let client_tls = match &config.proxy_client_ca {
        Some(path) => Some(Arc::new(ClientTls::load(path)?)),
        None => None,
    };
    let store = audit::Store::open(&config.store_url).context("cannot open the transfer store")?;
    let authority = open_authority(&config)?;
    let leaves = certs::LeafCache::new(Arc::new(authority), certs::DEFAULT_LEAF_CACHE_CAPACITY);
    report_policy(&policy);
    let metrics = telemetry::install_metrics()?;

    let proxy = TcpListener::bind(config.proxy_listen)
        .await
        .with_context(|| format!("cannot listen on [proxy] listen = {}", config.proxy_listen))?;
    let admin = TcpListener::bind(config.admin_listen)
        .await
        .with_context(|| format!("cannot listen on [admin] listen = {}", config.admin_listen))?;
    let identity_key = pipl::load_or_create_key(&config.pipl_key_file)
        .context("cannot load the key for PIPL counts")?;
    let gateway = Arc::new(Gateway::new(config, policy, store, leaves, identity_key));
    gateway.self_inspect();
    tracing::info!(
        proxy = %proxy.local_addr()?,
        admin = %admin.local_addr()?,
        proxy_tls = client_tls.is_some(),
        "tollgate listening"
    );
    let inspections = tokio::spawn(inspect_periodically(Arc::clone(&gateway)));
    let controller = ShutdownController::new();
    let proxy_task = tokio::spawn(server::serve_proxy(
        proxy,
        Arc::clone(&gateway),
        client_tls,
        controller.handle(),
    ));
    let mut admin_shutdown = controller.handle();
    let admin_task = tokio::spawn(admin::serve(
        admin,
        Arc::new(AdminState {
            metrics,
            gateway: Arc::clone(&gateway),
        }),
        async move { admin_shutdown.requested().await },
    ));

    wait_for_stop(&gateway).await?;
    tracing::info!(grace_seconds = SHUTDOWN_GRACE.as_secs(), "shutting down");
    let drained = controller.shutdown(SHUTDOWN_GRACE).await;
    if !drained {
        tracing::warn!("connections still open after the grace period were dropped");
    }
    proxy_task.abort();
    admin_task.abort();
    inspections.abort();
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

fn open_authority(config: &Config) -> anyhow::Result<certs::CertificateAuthority> {
    let (authority, created) = certs::CertificateAuthority::load_or_create(&config.ca_dir)
        .with_context(|| format!("CA in {}", config.ca_dir.display()))?;
    let pem = config.ca_dir.join(certs::CA_CERTIFICATE_FILE);
    if created {
        tracing::info!(path = %pem.display(), "created the Tollgate CA; clients must trust this certificate");
    } else {
        tracing::info!(path = %pem.display(), "using the Tollgate CA; clients must trust this certificate");
    }
    Ok(authority)
}

fn report_policy(policy: &Policy) {
    let today = Utc::now().date_naive();
    let destinations = policy.whitelist.destinations();
    tracing::info!(
        destinations = destinations.len(),
        mechanisms = policy.mechanisms.iter().count(),
        default_exporter = policy
            .exporters
            .default_exporter()
            .map(|exporter| exporter.country.as_str())
            .unwrap_or_default(),
        "policy loaded"
    );
    if destinations.is_empty() {
        tracing::warn!("the whitelist is empty; every request will be blocked");
    }
    for destination in destinations {
        if destination.review_overdue(today) {
            tracing::warn!(
                destination.id = %destination.id,
                due = %destination.review_due(),
                "whitelist review overdue; requests to this destination are blocked"
            );
        }
    }
}

/// Runs the self-inspection every [`selfcheck::INTERVAL`] after the one at
/// start; reloads run it too.
async fn inspect_periodically(gateway: Arc<Gateway>) {
    let start = tokio::time::Instant::now() + selfcheck::INTERVAL;
    let mut interval = tokio::time::interval_at(start, selfcheck::INTERVAL);
    loop {
        interval.tick().await;
        gateway.self_inspect();
    }
}

/// Waits for SIGTERM or SIGINT, reloading on every SIGHUP meanwhile.
async fn wait_for_stop(gateway: &Gateway) -> anyhow::Result<()> {
    let mut hangup = signal(SignalKind::hangup()).context("cannot install the SIGHUP handler")?;
    let mut terminate =
        signal(SignalKind::terminate()).context("cannot install the SIGTERM handler")?;
    let mut interrupt =
        signal(SignalKind::interrupt()).context("cannot install the SIGINT handler")?;
    loop {
        tokio::select! {
            _ = hangup.recv() => {
                if gateway.reload("signal").await.is_ok() {
                    report_policy(&gateway.policy());
                }
            }
            _ = terminate.recv() => return Ok(()),
            _ = interrupt.recv() => return Ok(()),
        }
    }
}

struct AdminState {
    metrics: PrometheusHandle,
    gateway: Arc<Gateway>,
}

impl admin::AdminBackend for AdminState {
    fn render_metrics(&self) -> String {
        self.metrics.render()
    }

    fn health(&self) -> Result<(), String> {
        self.gateway.health()
    }

    fn reload(&self) -> admin::BoxFuture<'_, Result<String, String>> {
        Box::pin(async move {
            self.gateway
                .reload("api")
                .await
                .map_err(|error| error.to_string())
        })
    }
}
