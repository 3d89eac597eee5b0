//! Talking to the server: JSON over `fetch`, answers and errors typed with
//! the shared wire types, and the one error shape of the API read back into
//! messages in both languages.

use domain::i18n::Bilingual;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, Response};

/// Why a call did not give an answer.
#[derive(Clone, Debug)]
pub enum ApiError {
    /// No answer at all: offline, or the connection dropped. Try later.
    Network,
    /// The server answered without deciding: a timeout (408, which the
    /// timeout layer sends with no body, while the work may still commit
    /// after it; or the device's own, when nothing came back in time),
    /// too many requests (429), a server failure (5xx), or any error not
    /// in the API's shape (a proxy's page). Try again later: the same
    /// request id makes a retry safe.
    Unavailable {
        status: u16,
        body: Option<ErrorBody>,
    },
    /// The server decided no: a 4xx in the API's JSON error shape. Final
    /// for this request as sent.
    Refused { status: u16, body: ErrorBody },
}

impl ApiError {
    /// One sentence for the person: the server's reason, or that the
    /// action needs the network or a moment (said, never left blank).
    pub fn explain(&self, lang: domain::i18n::Lang) -> String {
        match self {
            ApiError::Refused { body, .. }
            | ApiError::Unavailable {
                body: Some(body), ..
            } => body.first_message(lang),
            ApiError::Unavailable { status, body: None } => match (*status == 408, lang) {
                (true, domain::i18n::Lang::Fa) => "سرور به‌موقع پاسخ نداد؛ کمی بعد دوباره تلاش کنید.",
                (true, domain::i18n::Lang::En) => {
                    "The server did not answer in time; try again shortly."
                }
                (false, domain::i18n::Lang::Fa) => {
                    "سرور اکنون در دسترس نیست؛ کمی بعد دوباره تلاش کنید."
                }
                (false, domain::i18n::Lang::En) => {
                    "The server is not available right now; try again shortly."
                }
            }
            .to_string(),
            ApiError::Network => match lang {
                domain::i18n::Lang::Fa => "برای این کار اتصال به اینترنت لازم است.",
                domain::i18n::Lang::En => "This needs the network.",
            }
            .to_string(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: Bilingual,
    #[serde(default)]
    pub fields: Vec<FieldProblem>,
    #[serde(default)]
    pub window: Option<domain::registration::WindowError>,
    /// An imported file's problems, each with its line (administrators'
    /// screens only: the citizens' bundle skips the field).
    #[cfg(feature = "staff")]
    #[serde(default)]
    pub rows: Vec<domain::import::RowProblem>,
}

impl ErrorBody {
    /// What to show for a refusal in one line: the first field's problem
    /// when there is one, else the general message.
    pub fn first_message(&self, lang: domain::i18n::Lang) -> String {
        self.fields
            .first()
            .map_or(&self.message, |field| &field.message)
            .get(lang)
            .to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: Bilingual,
}

#[derive(Deserialize)]
struct Envelope {
    error: ErrorBody,
}

thread_local! {
    /// The signed-in session's CSRF token, sent on every unsafe request.
    static CSRF_TOKEN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

#[cfg(feature = "field")]
pub fn set_csrf_token(token: Option<String>) {
    CSRF_TOKEN.with(|cell| *cell.borrow_mut() = token);
}

/// An answer whose body is not read (`204 No Content`, or an
/// acknowledgement the screen does not need).
#[cfg(feature = "field")]
pub type NoContent = serde::de::IgnoredAny;

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send("GET", path, None).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send("POST", path, Some(json(body)?)).await
}

#[cfg(feature = "staff")]
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send("PUT", path, Some(json(body)?)).await
}

#[cfg(feature = "staff")]
pub async fn delete(path: &str) -> Result<NoContent, ApiError> {
    send("DELETE", path, None).await
}

/// Sends a file (a photo, a spreadsheet) as the body, with its type.
#[cfg(feature = "field")]
pub async fn send_file<T: DeserializeOwned>(
    method: &str,
    path: &str,
    file: &web_sys::Blob,
    content_type: &str,
) -> Result<T, ApiError> {
    send(method, path, Some((file.into(), content_type))).await
}

fn json<B: Serialize>(body: &B) -> Result<(JsValue, &'static str), ApiError> {
    let text = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
    Ok((JsValue::from_str(&text), "application/json"))
}

/// How long a request may go unanswered before the device gives up on it:
/// longer than the server's own limit (`DIDAR_REQUEST_TIMEOUT_SECS`, 30 s,
/// past which it answers 408), for a connection that hangs instead — a
/// district office's network dropping packets, a captive portal. A sync
/// cycle waiting on such a request would hold all the device's work.
const NO_ANSWER_AFTER: std::time::Duration = std::time::Duration::from_secs(45);

/// Fetches `request` and reads its body, aborted (as a 408 the device
/// says itself) when the two take longer than [`NO_ANSWER_AFTER`]. A
/// page timer rather than `AbortSignal.timeout`: it is cleared once the
/// answer is in, and a test's fake clock can run it.
async fn exchange(
    request: &Request,
    abort: AbortController,
) -> Result<(Response, String), ApiError> {
    let timer = {
        let abort = abort.clone();
        leptos::prelude::set_timeout_with_handle(move || abort.abort(), NO_ANSWER_AFTER).ok()
    };
    let answer = fetch_and_read(request).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    answer.map_err(|error| {
        if abort.signal().aborted() {
            ApiError::Unavailable {
                status: 408,
                body: None,
            }
        } else {
            error
        }
    })
}

async fn fetch_and_read(request: &Request) -> Result<(Response, String), ApiError> {
    let response: Response = JsFuture::from(
        web_sys::window()
            .ok_or(ApiError::Network)?
            .fetch_with_request(request),
    )
    .await
    .map_err(|_| ApiError::Network)?
    .dyn_into()
    .map_err(|_| ApiError::Network)?;
    let text = JsFuture::from(response.text().map_err(|_| ApiError::Network)?)
        .await
        .map_err(|_| ApiError::Network)?
        .as_string()
        .unwrap_or_default();
    Ok((response, text))
}

/// Sends a request with an optional body and its content type.
async fn send<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<(JsValue, &str)>,
) -> Result<T, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    let abort = AbortController::new().map_err(|_| ApiError::Network)?;
    init.set_signal(Some(&abort.signal()));
    if let Some((body, _)) = &body {
        init.set_body(body);
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| ApiError::Network)?;
    let headers = request.headers();
    let _ = headers.set("accept", "application/json");
    if let Some((_, content_type)) = &body {
        let _ = headers.set("content-type", content_type);
    }
    if method != "GET" {
        CSRF_TOKEN.with(|cell| {
            if let Some(token) = cell.borrow().as_deref() {
                let _ = headers.set("x-csrf-token", token);
            }
        });
    }
    let (response, text) = exchange(&request, abort).await?;
    if response.ok() {
        // "No content" answers read as JSON null.
        let text = if text.is_empty() {
            "null"
        } else {
            text.as_str()
        };
        return serde_json::from_str(text).map_err(|_| ApiError::Network);
    }
    let status = response.status();
    let body = serde_json::from_str::<Envelope>(&text)
        .ok()
        .map(|envelope| envelope.error);
    match body {
        Some(body) if status < 500 && status != 408 && status != 429 => {
            Err(ApiError::Refused { status, body })
        }
        body => Err(ApiError::Unavailable { status, body }),
    }
}
