//! Kavenegar (کاوه‌نگار), an Iranian SMS provider, through its REST API:
//! `POST {url}/v1/{api-key}/sms/send.json` with the form fields
//! `receptor`, `message`, `sender` (the line; the account's default when
//! absent) and `localid`, which the provider keeps: a second send with the
//! same local id is not delivered again. It answers
//! `{"return": {"status": 200, "message": …}, "entries": [{"messageid": …}]}`,
//! the HTTP status mirroring `return.status` on refusals.

use std::time::Duration;

use domain::person::Mobile;
use serde::Deserialize;

use super::{GatewayError, Outgoing};

/// A send that takes longer is tried again later (with the same local id).
const TIMEOUT: Duration = Duration::from_secs(20);

/// The provider's refusals that sending again cannot cure: the request's
/// fields (400), the number (411), the text (422).
const PERMANENT: [u16; 3] = [400, 411, 422];

#[derive(Clone)]
pub struct Kavenegar {
    client: reqwest::Client,
    /// `{url}/v1/{api-key}/sms/send.json`: holds the key, so never logged.
    endpoint: String,
    sender: Option<String>,
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "return")]
    result: ReturnPart,
    #[serde(default)]
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct ReturnPart {
    status: u16,
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct Entry {
    messageid: i64,
}

impl Kavenegar {
    pub fn new(url: &str, api_key: &str, sender: Option<&str>) -> Kavenegar {
        Kavenegar {
            client: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .unwrap_or_default(),
            endpoint: format!("{}/v1/{api_key}/sms/send.json", url.trim_end_matches('/')),
            sender: sender.map(str::to_owned),
        }
    }

    pub async fn send(&self, message: &Outgoing) -> Result<String, GatewayError> {
        let receptor = Mobile::parse(&message.mobile)
            .map_err(|_| GatewayError::Permanent("the stored number is not a mobile".into()))?
            .local();
        let local_id = message.local_id.to_string();
        let mut form = vec![
            ("receptor", receptor.as_str()),
            ("message", message.body.as_str()),
            ("localid", local_id.as_str()),
        ];
        if let Some(sender) = &self.sender {
            form.push(("sender", sender.as_str()));
        }
        let response = self
            .client
            .post(&self.endpoint)
            .form(&form)
            .send()
            .await
            // Without the URL, which holds the key.
            .map_err(|error| GatewayError::Temporary(error.without_url().to_string()))?;
        let http_status = response.status().as_u16();
        let answer: Option<Answer> = response.json().await.ok();
        match answer {
            Some(answer) if answer.result.status == 200 => answer
                .entries
                .first()
                .map(|entry| entry.messageid.to_string())
                .ok_or_else(|| GatewayError::Temporary("an answer without the message".into())),
            Some(answer) => Err(refusal(answer.result.status, &answer.result.message)),
            None => Err(refusal(http_status, "an answer that is not the API's")),
        }
    }
}

fn refusal(status: u16, message: &str) -> GatewayError {
    let text = format!("{status}: {message}");
    if PERMANENT.contains(&status) {
        GatewayError::Permanent(text)
    } else {
        GatewayError::Temporary(text)
    }
}
