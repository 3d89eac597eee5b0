//! Configuration from environment variables, each with a default that runs
//! on a developer's machine. Secrets come only from the environment and are
//! never printed.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use domain::i18n::Lang;
use domain::registration::WindowRule;

use crate::http::client::Network;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Whether demo accounts may be created and their passwords shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `DIDAR_LISTEN`, default `127.0.0.1:8080`. Port 0 picks a free port.
    pub listen: SocketAddr,
    /// `DIDAR_DATA_DIR`, default `./data`: the SQLite file lives here.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`, default `sqlite://<data dir>/didar.db`.
    pub database_url: String,
    /// `DIDAR_DIST_DIR`, default `./dist`: the client built by `cargo xtask dist`.
    pub dist_dir: PathBuf,
    /// `DIDAR_MODE`: `production` (default) or `development`, which seeds
    /// demo staff accounts and prints their passwords once.
    pub mode: Mode,
    /// `DIDAR_REQUEST_TIMEOUT_SECS`, default 30.
    pub request_timeout: Duration,
    /// `DIDAR_REGISTRATION_WINDOW`: a JSON window rule that overrides the
    /// one administrators keep in the database (for demos and tests), e.g.
    /// `{"opens_on":"Sat","opens_at":"00:00:00","closes_on":"Fri","closes_at":"23:59:00","grace_hours":24}`.
    pub registration_window: Option<WindowRule>,
    /// `DIDAR_REGISTRATIONS_PER_HOUR`, default 200: submissions per client
    /// address (an IPv6 /64) per hour. Generous, because a mobile carrier's
    /// NAT puts many phones behind one address; the per-person limit below
    /// is what stops a script.
    pub registrations_per_hour: u32,
    /// `DIDAR_REGISTRATIONS_PER_PERSON_PER_HOUR`, default 10: submissions
    /// per national ID and per mobile per hour (corrections included).
    pub registrations_per_person_per_hour: u32,
    /// `DIDAR_LOOKUPS_PER_HOUR`, default 60: status lookups per client
    /// address per hour; each tracking code also allows 10 per hour.
    pub lookups_per_hour: u32,
    /// `DIDAR_SIGN_INS_PER_QUARTER_HOUR`, default 60: sign-in attempts per
    /// client address per quarter hour (a district office, or a training
    /// room, shares one address).
    pub sign_ins_per_quarter_hour: u32,
    /// `DIDAR_SESSION_HOURS`, default 12: a staff session's longest life.
    pub session_lifetime: Duration,
    /// `DIDAR_SESSION_IDLE_MINUTES`, default 60: a session unused this long
    /// ends.
    pub session_idle: Duration,
    /// `DIDAR_OFFLINE_HOURS`, default 12: how long the app keeps working
    /// offline on a signed-in profile.
    pub offline_allowance: Duration,
    /// `DIDAR_TRUSTED_PROXIES`, default none: the proxies (addresses or
    /// networks, comma-separated: `127.0.0.1,10.0.0.0/8`) whose
    /// `Forwarded` / `X-Forwarded-For` names the client. Nobody else's is
    /// believed (see `http::client`).
    pub trusted_proxies: Vec<Network>,
    /// `DIDAR_HSTS_SECONDS`, default 0 (off): when set, every response
    /// carries `Strict-Transport-Security: max-age=…; includeSubDomains`.
    /// For a proxy that terminates TLS but does not add the header itself.
    pub hsts_seconds: u64,
    /// `DIDAR_ROSTER_KEEP_HOURS`, default 48: how long after a meeting's
    /// start its roster stays on field devices; then their next pull
    /// leaves it out and the devices drop it (their unsent work stays).
    pub roster_keep: Duration,
    /// `DIDAR_CALL_CLAIM_MINUTES`, default 10: how long an operator's
    /// claim on a person keeps the other operators off them, unless the
    /// call's outcome is recorded sooner.
    pub call_claim: Duration,
    /// `DIDAR_SMS_GATEWAY`, default `log`: where SMS go (see `sms`).
    /// `kavenegar` needs `DIDAR_KAVENEGAR_API_KEY`, and takes
    /// `DIDAR_KAVENEGAR_SENDER` (the line) and `DIDAR_KAVENEGAR_URL`
    /// (default `https://api.kavenegar.com`).
    pub sms_gateway: SmsGatewayConfig,
    /// `DIDAR_SMS_EVERY_SECS`, default 5: how often the sender looks for
    /// messages due.
    pub sms_every: Duration,
    /// `DIDAR_SMS_LANG`, default `fa`: the language of the messages.
    pub sms_lang: Lang,
    /// `DIDAR_DEMO_CITIZENS`, default 100: how many citizens development
    /// mode puts on the demo meeting's roster (10,000 tries the door at
    /// DESIGN §7's stress size).
    pub demo_citizens: usize,
    /// `DIDAR_DEMO_WAITING`, default 0: how many more routed requests
    /// development mode leaves waiting for a meeting (the E2E tests fill
    /// next week's meeting with them).
    pub demo_waiting: usize,
    /// `DIDAR_DEMO_REFERRALS`, default 12: how many citizens of last
    /// month's demo meeting were referred to a deputy (the follow-up
    /// screens' demo; 0 leaves the meeting out, as most E2E tests do).
    pub demo_referrals: usize,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, so tests can pass their own.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let listen = parse(&lookup, "DIDAR_LISTEN", "127.0.0.1:8080")?;
        let data_dir = PathBuf::from(lookup("DIDAR_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = lookup("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("didar.db").display()));
        let dist_dir = PathBuf::from(lookup("DIDAR_DIST_DIR").unwrap_or_else(|| "dist".into()));
        let mode = match lookup("DIDAR_MODE").as_deref() {
            None | Some("production") => Mode::Production,
            Some("development") => Mode::Development,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "DIDAR_MODE",
                    reason: format!("{other:?} is neither production nor development"),
                });
            }
        };
        let timeout_secs: u64 = parse(&lookup, "DIDAR_REQUEST_TIMEOUT_SECS", "30")?;
        let registration_window = match lookup("DIDAR_REGISTRATION_WINDOW") {
            None => None,
            Some(json) => Some(parse_window(&json)?),
        };
        Ok(Config {
            listen,
            data_dir,
            database_url,
            dist_dir,
            mode,
            request_timeout: Duration::from_secs(timeout_secs),
            registration_window,
            registrations_per_hour: parse(&lookup, "DIDAR_REGISTRATIONS_PER_HOUR", "200")?,
            registrations_per_person_per_hour: parse(
                &lookup,
                "DIDAR_REGISTRATIONS_PER_PERSON_PER_HOUR",
                "10",
            )?,
            lookups_per_hour: parse(&lookup, "DIDAR_LOOKUPS_PER_HOUR", "60")?,
            sign_ins_per_quarter_hour: parse(&lookup, "DIDAR_SIGN_INS_PER_QUARTER_HOUR", "60")?,
            session_lifetime: hours(parse(&lookup, "DIDAR_SESSION_HOURS", "12")?),
            session_idle: minutes(parse(&lookup, "DIDAR_SESSION_IDLE_MINUTES", "60")?),
            offline_allowance: hours(parse(&lookup, "DIDAR_OFFLINE_HOURS", "12")?),
            trusted_proxies: parse_networks(lookup("DIDAR_TRUSTED_PROXIES").as_deref())?,
            hsts_seconds: parse(&lookup, "DIDAR_HSTS_SECONDS", "0")?,
            roster_keep: hours(parse(&lookup, "DIDAR_ROSTER_KEEP_HOURS", "48")?),
            sms_gateway: parse_sms_gateway(&lookup)?,
            sms_every: Duration::from_secs(parse(&lookup, "DIDAR_SMS_EVERY_SECS", "5")?),
            sms_lang: match lookup("DIDAR_SMS_LANG").as_deref() {
                None | Some("fa") => Lang::Fa,
                Some("en") => Lang::En,
                Some(other) => {
                    return Err(ConfigError::Invalid {
                        name: "DIDAR_SMS_LANG",
                        reason: format!("{other:?} is neither fa nor en"),
                    });
                }
            },
            call_claim: minutes(parse(&lookup, "DIDAR_CALL_CLAIM_MINUTES", "10")?),
            demo_citizens: parse(&lookup, "DIDAR_DEMO_CITIZENS", "100")?,
            demo_waiting: parse(&lookup, "DIDAR_DEMO_WAITING", "0")?,
            demo_referrals: parse(&lookup, "DIDAR_DEMO_REFERRALS", "12")?,
        })
    }

    /// Plain-HTTP cookies are allowed only for a development server on this
    /// machine; everywhere else the session cookie is `Secure` and
    /// `__Host-` prefixed.
    pub fn insecure_cookies_allowed(&self) -> bool {
        self.mode == Mode::Development && self.listen.ip().is_loopback()
    }

    /// The settings as they may be logged: a database URL can carry a
    /// password, so only its scheme is shown.
    pub fn describe(&self) -> String {
        let scheme = self.database_url.split(':').next().unwrap_or("?");
        format!(
            "listen={} data_dir={} database={scheme}:… dist_dir={} mode={:?} request_timeout={}s trusted_proxies={} hsts={}s sms={}",
            self.listen,
            self.data_dir.display(),
            self.dist_dir.display(),
            self.mode,
            self.request_timeout.as_secs(),
            self.trusted_proxies.len(),
            self.hsts_seconds,
            // The gateway's name, never its key.
            match self.sms_gateway {
                SmsGatewayConfig::Log => "log",
                SmsGatewayConfig::Kavenegar { .. } => "kavenegar",
            },
        )
    }
}

fn hours(count: u64) -> Duration {
    Duration::from_secs(count * 3600)
}

/// Fractions allowed ("0.05" is 3 seconds), so browser tests can let a
/// session go idle without waiting an hour.
fn minutes(count: f64) -> Duration {
    Duration::from_secs_f64((count * 60.0).max(0.0))
}

/// Where SMS go; a provider's key only from the environment, and never
/// shown (`Debug` leaves it out).
#[derive(Clone)]
pub enum SmsGatewayConfig {
    Log,
    Kavenegar {
        url: String,
        api_key: String,
        sender: Option<String>,
    },
}

impl std::fmt::Debug for SmsGatewayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmsGatewayConfig::Log => f.write_str("Log"),
            SmsGatewayConfig::Kavenegar { url, sender, .. } => f
                .debug_struct("Kavenegar")
                .field("url", url)
                .field("sender", sender)
                .finish_non_exhaustive(),
        }
    }
}

fn parse_sms_gateway(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<SmsGatewayConfig, ConfigError> {
    match lookup("DIDAR_SMS_GATEWAY").as_deref() {
        None | Some("log") => Ok(SmsGatewayConfig::Log),
        Some("kavenegar") => Ok(SmsGatewayConfig::Kavenegar {
            url: lookup("DIDAR_KAVENEGAR_URL")
                .unwrap_or_else(|| "https://api.kavenegar.com".into()),
            api_key: lookup("DIDAR_KAVENEGAR_API_KEY")
                .filter(|key| !key.trim().is_empty())
                .ok_or(ConfigError::Invalid {
                    name: "DIDAR_KAVENEGAR_API_KEY",
                    reason: "the kavenegar gateway needs the account's API key".into(),
                })?,
            sender: lookup("DIDAR_KAVENEGAR_SENDER").filter(|line| !line.trim().is_empty()),
        }),
        Some(other) => Err(ConfigError::Invalid {
            name: "DIDAR_SMS_GATEWAY",
            reason: format!("{other:?} is neither log nor kavenegar"),
        }),
    }
}

fn parse_networks(list: Option<&str>) -> Result<Vec<Network>, ConfigError> {
    list.unwrap_or_default()
        .split(',')
        .filter(|item| !item.trim().is_empty())
        .map(|item| {
            item.parse().map_err(
                |error: crate::http::client::NetworkError| ConfigError::Invalid {
                    name: "DIDAR_TRUSTED_PROXIES",
                    reason: error.to_string(),
                },
            )
        })
        .collect()
}

fn parse_window(json: &str) -> Result<WindowRule, ConfigError> {
    let invalid = |reason: String| ConfigError::Invalid {
        name: "DIDAR_REGISTRATION_WINDOW",
        reason,
    };
    let rule: WindowRule = serde_json::from_str(json).map_err(|e| invalid(e.to_string()))?;
    rule.validate().map_err(|e| invalid(e.to_string()))?;
    Ok(rule)
}

fn parse<T: std::str::FromStr>(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &str,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    let raw = lookup(name).unwrap_or_else(|| default.to_string());
    raw.parse().map_err(|error: T::Err| ConfigError::Invalid {
        name,
        reason: format!("{raw:?}: {error}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(settings: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            settings
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_string())
        })
    }

    #[test]
    fn sms_go_to_the_log_unless_a_provider_is_configured_with_its_key() {
        let default = config(&[]).expect("the defaults");
        assert!(matches!(default.sms_gateway, SmsGatewayConfig::Log));
        assert_eq!(default.sms_lang, Lang::Fa);
        let keyless = config(&[("DIDAR_SMS_GATEWAY", "kavenegar")]);
        assert!(
            matches!(
                keyless,
                Err(ConfigError::Invalid {
                    name: "DIDAR_KAVENEGAR_API_KEY",
                    ..
                })
            ),
            "a provider without its key is refused at start"
        );
        let provider = config(&[
            ("DIDAR_SMS_GATEWAY", "kavenegar"),
            ("DIDAR_KAVENEGAR_API_KEY", "secret-key"),
        ])
        .expect("configured");
        assert!(matches!(
            &provider.sms_gateway,
            SmsGatewayConfig::Kavenegar { url, sender: None, .. } if url == "https://api.kavenegar.com"
        ));
        assert!(
            !provider.describe().contains("secret-key"),
            "the key is never logged"
        );
        assert!(!format!("{provider:?}").contains("secret-key"));
        assert!(config(&[("DIDAR_SMS_GATEWAY", "pigeon")]).is_err());
    }
}
