//! Didar's server as a library: `Application::build` turns a `Config` into a
//! bound, migrated, seeded server, so `main.rs` and the tests start exactly
//! the same thing (tests on port 0 with a fresh database).

pub mod admin;
pub mod audit;
pub mod auth;
pub mod calls;
pub mod case_files;
pub mod checkin;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod followup;
pub mod http;
pub mod people;
pub mod registration;
pub mod seed;
pub mod sms;
pub mod sync;
pub mod telemetry;
pub mod trustees;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::Config;
use crate::http::{AppState, Limits};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("seeding: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("cannot listen on the configured address: {0}")]
    Listen(#[source] std::io::Error),
    #[error("the server failed: {0}")]
    Serve(#[source] std::io::Error),
}

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    address: SocketAddr,
    registrations: Arc<registration::Registrations>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        Self::build_with_clock(config, Clock::system()).await
    }

    /// As `build`, on a given clock (tests stand it at chosen instants).
    pub async fn build_with_clock(config: Config, clock: Clock) -> Result<Self, StartupError> {
        tracing::info!(config = %config.describe(), "starting");
        if config.database_url.starts_with("sqlite:") {
            std::fs::create_dir_all(&config.data_dir).map_err(db::DbError::DataDir)?;
        }
        let db = db::connect(&config.database_url).await?;
        db::migrate(&db).await?;
        let demo = seed::seed(&db, &config).await?;
        seed::print_demo_accounts(&demo);

        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(StartupError::Listen)?;
        let address = listener.local_addr().map_err(StartupError::Listen)?;
        let registrations = registration::Registrations::start(db.clone());
        sms::outbox::start(
            db.clone(),
            sms::Gateway::from_config(&config.sms_gateway),
            clock.clone(),
            config.sms_every,
        );
        let state = AppState {
            registration: registrations.clone(),
            db,
            limits: Arc::new(Limits::from_config(&config)),
            config: Arc::new(config),
            clock,
        };
        Ok(Application {
            listener,
            router: http::router(state),
            address,
            registrations,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The registration service (the tests reach its writer through it).
    pub fn registrations(&self) -> Arc<registration::Registrations> {
        self.registrations.clone()
    }

    /// Serves until SIGINT or SIGTERM, then lets in-flight requests finish.
    pub async fn run_until_stopped(self) -> Result<(), StartupError> {
        println!("Didar is running at http://{}/", self.address);
        // The peer address feeds the per-address rate limits.
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(StartupError::Serve)
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
