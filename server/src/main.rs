//! Starts Didar's server from environment variables (see `config`).

use server::config::Config;
use server::{Application, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    telemetry::init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("didar: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    let result = async {
        let app = Application::build(config).await?;
        app.run_until_stopped().await
    }
    .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the server stopped with an error");
            std::process::ExitCode::FAILURE
        }
    }
}
