//! SMS (DESIGN §2 step 4, §8): in Iran the primary channel to citizens.
//! Messages are queued in `sms_outbox` in the transaction of what caused
//! them (`outbox::queue`, once per dedupe key) and sent by a background
//! sender (`outbox::Sender`) through a [`Gateway`]: the log gateway by
//! default — nothing leaves the machine, the messages are read on the
//! administrators' screen — or a provider's HTTP API (`kavenegar`), chosen
//! by configuration with its key from the environment.

mod kavenegar;
pub mod outbox;

use crate::config::SmsGatewayConfig;

/// One message to send.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The outbox row's id: the provider's local id, which it keeps once,
    /// so a message sent again after a crash is not delivered twice.
    pub local_id: i64,
    /// E.164, as stored (`+989131234567`).
    pub mobile: String,
    pub body: String,
}

/// Why a send did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Worth trying again later: the network, the provider's outage, its
    /// rate limit, the account's credit.
    #[error("temporary: {0}")]
    Temporary(String),
    /// Sending it again will not help (the number is refused).
    #[error("permanent: {0}")]
    Permanent(String),
}

/// Where messages go.
#[derive(Clone)]
pub enum Gateway {
    /// Nowhere: each message is marked sent and stays readable in the
    /// outbox (development, and a city without a provider yet).
    Log,
    Kavenegar(kavenegar::Kavenegar),
}

impl Gateway {
    pub fn from_config(config: &SmsGatewayConfig) -> Gateway {
        match config {
            SmsGatewayConfig::Log => Gateway::Log,
            SmsGatewayConfig::Kavenegar {
                url,
                api_key,
                sender,
            } => Gateway::Kavenegar(kavenegar::Kavenegar::new(url, api_key, sender.as_deref())),
        }
    }

    /// Sends `message`; the provider's reference for it.
    pub async fn send(&self, message: &Outgoing) -> Result<String, GatewayError> {
        match self {
            Gateway::Log => {
                // The id only: the body carries a tracking code, the
                // number is personal data (DESIGN §6).
                tracing::info!(sms = message.local_id, "sms logged, not sent (log gateway)");
                Ok(format!("log-{}", message.local_id))
            }
            Gateway::Kavenegar(provider) => provider.send(message).await,
        }
    }
}
