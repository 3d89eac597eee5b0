//! One error type for the whole API, and one JSON shape for it:
//!
//! ```json
//! { "error": { "code": "invalid_input",
//!              "message": { "fa": "…", "en": "…" },
//!              "fields": [ { "field": "national_id", "code": "national_id.bad_checksum",
//!                            "message": { "fa": "…", "en": "…" } } ] } }
//! ```
//!
//! An imported file's problems come as `rows` instead of `fields`, each
//! with its line (`domain::import::RowProblem`).
//!
//! Messages travel in both languages so the app shows the one its user
//! chose. Internal details (database text, paths) are logged, never sent.

use std::time::Duration;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::i18n::{Bilingual, Lang, Localized};
use domain::import::RowProblem;
use domain::registration::WindowError;
use serde::Serialize;

use crate::db::Unique;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("sign-in needed: {0:?}")]
    Unauthorized(SignInNeeded),
    #[error("forbidden: {0:?}")]
    Forbidden(Refusal),
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// An imported file's rows that do not read, each with its line.
    #[error("invalid rows in an imported file")]
    InvalidRows(Vec<RowProblem>),
    #[error("the request body is not valid JSON for this endpoint: {0}")]
    BadRequest(String),
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// An upload that is not a JPEG photo.
    #[error("not a photo")]
    NotAPhoto,
    #[error("refused by the registration window: {0}")]
    Window(WindowError),
    #[error("too many requests")]
    TooManyRequests { retry_after: Duration },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Why a request needs a (new) sign-in: 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInNeeded {
    /// No session cookie, or one the server does not know (signed out).
    NoSession,
    /// The session outlived its lifetime or sat idle too long.
    Expired,
    WrongCredentials,
    AccountDisabled,
}

/// Why a request clashes with what exists: 409.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    UsernameTaken,
    /// An administrator may not disable their own account (and so lock
    /// the city out of its administration by mistake).
    OwnAccount,
    /// The citizen's own request of this week has left `submitted`: the
    /// committee has begun with it, so it can no longer be edited.
    AlreadyWithCommittee,
    /// A photo's id names another photo (the device should make a new one).
    PhotoIdTaken,
    /// Another operator is calling this person now.
    CallClaimed,
}

/// Why a signed-in request is refused: 403.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role, or the role in this district, is not granted.
    NotPermitted,
    /// An unsafe method without the session's CSRF token.
    Csrf,
    /// An administrator revoked this device: it must clear its data.
    DeviceRevoked,
}

/// A problem with one input field, in both languages.
#[derive(Debug, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub message: Bilingual,
}

impl FieldError {
    pub fn new(field: &'static str, problem: &impl Localized) -> Self {
        FieldError {
            field,
            code: problem.key(),
            message: Bilingual::of(problem),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'static str,
    message: Bilingual,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    fields: &'a [FieldError],
    #[serde(skip_serializing_if = "<[RowProblem]>::is_empty")]
    rows: &'a [RowProblem],
    /// Why a registration window refused, with when the next one opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    window: Option<WindowError>,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) | ApiError::InvalidRows(_) | ApiError::Window(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotAPhoto => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Database(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl Localized for ApiError {
    fn key(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Unauthorized(SignInNeeded::NoSession) => "auth.no_session",
            ApiError::Unauthorized(SignInNeeded::Expired) => "auth.expired",
            ApiError::Unauthorized(SignInNeeded::WrongCredentials) => "auth.wrong_credentials",
            ApiError::Unauthorized(SignInNeeded::AccountDisabled) => "auth.account_disabled",
            ApiError::Forbidden(Refusal::NotPermitted) => "auth.not_permitted",
            ApiError::Forbidden(Refusal::Csrf) => "auth.csrf",
            ApiError::Forbidden(Refusal::DeviceRevoked) => "auth.device_revoked",
            ApiError::Conflict(Conflict::UsernameTaken) => "username.taken",
            ApiError::Conflict(Conflict::OwnAccount) => "user.own_account",
            ApiError::Conflict(Conflict::AlreadyWithCommittee) => {
                "registration.already_with_committee"
            }
            ApiError::Invalid(_) => "invalid_input",
            ApiError::InvalidRows(_) => "invalid_rows",
            ApiError::Window(error) => error.key(),
            ApiError::BadRequest(_) => "bad_request",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::NotAPhoto => "not_a_photo",
            ApiError::Conflict(Conflict::PhotoIdTaken) => "photo.id_taken",
            ApiError::Conflict(Conflict::CallClaimed) => "call.claimed",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Database(_) | ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ApiError::NotFound, Lang::Fa) => "چیزی که خواستید پیدا نشد.",
            (ApiError::NotFound, Lang::En) => "What you asked for was not found.",
            (ApiError::Invalid(_), Lang::Fa) => {
                "برخی از اطلاعات وارد شده درست نیست. لطفاً موارد مشخص‌شده را اصلاح کنید."
            }
            (ApiError::Invalid(_), Lang::En) => {
                "Some of the information is not valid. Please correct the marked fields."
            }
            (ApiError::InvalidRows(_), Lang::Fa) => {
                "برخی از سطرهای فایل درست نیست و هیچ سطری وارد نشد. سطرهای نشان‌داده‌شده را اصلاح و فایل را دوباره بفرستید."
            }
            (ApiError::InvalidRows(_), Lang::En) => {
                "Some rows of the file are not valid, so none was imported. Correct the rows listed and send the file again."
            }
            (ApiError::Window(error), lang) => error.message(lang),
            (ApiError::Unauthorized(problem), lang) => sign_in_message(*problem, lang),
            (ApiError::Forbidden(refusal), lang) => refusal_message(*refusal, lang),
            (ApiError::Conflict(Conflict::UsernameTaken), Lang::Fa) => {
                "این نام کاربری پیش از این گرفته شده است."
            }
            (ApiError::Conflict(Conflict::UsernameTaken), Lang::En) => {
                "This username is already taken."
            }
            (ApiError::Conflict(Conflict::OwnAccount), Lang::Fa) => {
                "نمی‌توانید حساب خودتان را غیرفعال کنید."
            }
            (ApiError::Conflict(Conflict::OwnAccount), Lang::En) => {
                "You cannot disable your own account."
            }
            (ApiError::Conflict(Conflict::AlreadyWithCommittee), Lang::Fa) => {
                "درخواست این هفتهٔ شما پیش از این ثبت شده و اکنون در دست بررسی کمیته است، پس دیگر تغییر نمی‌کند. وضعیت آن را با کد رهگیری‌اش ببینید."
            }
            (ApiError::Conflict(Conflict::AlreadyWithCommittee), Lang::En) => {
                "Your request of this week is already with the committee, so it can no longer be changed. Follow it with its tracking code."
            }
            (ApiError::PayloadTooLarge, Lang::Fa) => {
                "متن ارسالی بیش از اندازهٔ مجاز است. لطفاً آن را کوتاه‌تر کنید."
            }
            (ApiError::PayloadTooLarge, Lang::En) => {
                "What you sent is too large. Please shorten it."
            }
            (ApiError::NotAPhoto, Lang::Fa) => "فقط عکس (JPEG) پذیرفته می‌شود.",
            (ApiError::NotAPhoto, Lang::En) => "Only a photo (JPEG) is accepted.",
            (ApiError::Conflict(Conflict::PhotoIdTaken), Lang::Fa) => {
                "شناسهٔ این عکس از آنِ عکس دیگری است؛ عکس را دوباره بگیرید."
            }
            (ApiError::Conflict(Conflict::PhotoIdTaken), Lang::En) => {
                "This photo's id belongs to another photo; take the photo again."
            }
            (ApiError::Conflict(Conflict::CallClaimed), Lang::Fa) => {
                "همکار دیگری هم‌اکنون با این شهروند تماس می‌گیرد؛ سراغ نفر بعدی بروید."
            }
            (ApiError::Conflict(Conflict::CallClaimed), Lang::En) => {
                "Another operator is calling this citizen right now; go on to the next one."
            }
            (ApiError::BadRequest(_), Lang::Fa) => {
                "درخواست ناقص یا نادرست بود. لطفاً برنامه را به‌روز کنید و دوباره تلاش کنید."
            }
            (ApiError::BadRequest(_), Lang::En) => {
                "The request was malformed. Please update the app and try again."
            }
            (ApiError::TooManyRequests { .. }, Lang::Fa) => {
                "تعداد درخواست‌ها زیاد بود. لطفاً کمی بعد دوباره تلاش کنید."
            }
            (ApiError::TooManyRequests { .. }, Lang::En) => {
                "Too many requests. Please try again in a little while."
            }
            (ApiError::Database(_) | ApiError::Internal(_), Lang::Fa) => {
                "خطایی در سامانه رخ داد. اطلاعات شما از بین نرفته است؛ لطفاً دوباره تلاش کنید."
            }
            (ApiError::Database(_) | ApiError::Internal(_), Lang::En) => {
                "Something went wrong on our side. Nothing you entered was lost; please try again."
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Database(_) | ApiError::Internal(_) = &self {
            // The detail goes to the log for operators, not to the client.
            tracing::error!(error = %self, "request failed");
        }
        let fields = match &self {
            ApiError::Invalid(fields) => fields.as_slice(),
            _ => &[],
        };
        let rows = match &self {
            ApiError::InvalidRows(rows) => rows.as_slice(),
            _ => &[],
        };
        let body = Body {
            error: ErrorBody {
                code: self.key(),
                message: Bilingual::of(&self),
                fields,
                rows,
                window: match &self {
                    ApiError::Window(error) => Some(*error),
                    _ => None,
                },
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::TooManyRequests { retry_after } = self {
            let seconds = retry_after.as_secs().max(1).to_string();
            if let Ok(value) = HeaderValue::from_str(&seconds) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

fn sign_in_message(problem: SignInNeeded, lang: Lang) -> &'static str {
    match (problem, lang) {
        (SignInNeeded::NoSession, Lang::Fa) => "لطفاً وارد شوید.",
        (SignInNeeded::NoSession, Lang::En) => "Please sign in.",
        (SignInNeeded::Expired, Lang::Fa) => {
            "نشست شما به پایان رسیده است. لطفاً دوباره وارد شوید؛ کارهای ثبت‌شده روی این دستگاه از بین نمی‌رود."
        }
        (SignInNeeded::Expired, Lang::En) => {
            "Your session has ended. Please sign in again; work saved on this device is not lost."
        }
        (SignInNeeded::WrongCredentials, Lang::Fa) => "نام کاربری یا گذرواژه درست نیست.",
        (SignInNeeded::WrongCredentials, Lang::En) => "The username or password is not right.",
        (SignInNeeded::AccountDisabled, Lang::Fa) => {
            "این حساب غیرفعال شده است. لطفاً با مدیر سامانه تماس بگیرید."
        }
        (SignInNeeded::AccountDisabled, Lang::En) => {
            "This account has been disabled. Please contact the administrator."
        }
    }
}

fn refusal_message(refusal: Refusal, lang: Lang) -> &'static str {
    match (refusal, lang) {
        (Refusal::NotPermitted, Lang::Fa) => "شما اجازهٔ این کار را در این منطقه ندارید.",
        (Refusal::NotPermitted, Lang::En) => "You are not permitted to do this in this district.",
        (Refusal::Csrf, Lang::Fa) => {
            "درخواست تأیید نشد. لطفاً صفحه را دوباره باز کنید و دوباره تلاش کنید."
        }
        (Refusal::Csrf, Lang::En) => {
            "The request could not be verified. Please reload the page and try again."
        }
        (Refusal::DeviceRevoked, Lang::Fa) => {
            "دسترسی این دستگاه را مدیر سامانه لغو کرده است. لطفاً اطلاعات برنامه را روی این دستگاه پاک کنید."
        }
        (Refusal::DeviceRevoked, Lang::En) => {
            "An administrator revoked this device. Please clear the app's data on it."
        }
    }
}

/// Turns the violation of one unique constraint into the answer that says
/// so (a 409 or a 422), at the insert that broke it: checking with a
/// `SELECT` first would leave a race between the check and the insert, and
/// a second query on every write. Any other error passes unchanged.
pub trait ResultExt<T> {
    fn on_constraint(
        self,
        unique: Unique,
        answer: impl FnOnce() -> ApiError,
    ) -> Result<T, ApiError>;
}

impl<T, E: Into<ApiError>> ResultExt<T> for Result<T, E> {
    fn on_constraint(
        self,
        unique: Unique,
        answer: impl FnOnce() -> ApiError,
    ) -> Result<T, ApiError> {
        self.map_err(|error| match error.into() {
            ApiError::Database(error) if unique.is_violated_by(&error) => answer(),
            other => other,
        })
    }
}
