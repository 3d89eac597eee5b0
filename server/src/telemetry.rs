//! Structured logs through `tracing`. Personal data (national IDs, mobiles,
//! names) is never a field of a log event: handlers log ids and outcomes.

use tracing_subscriber::EnvFilter;

/// `RUST_LOG` chooses the level (default `info`); `DIDAR_LOG_FORMAT=json`
/// gives one JSON object per line for log collectors.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if std::env::var("DIDAR_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
