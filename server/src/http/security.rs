//! Security headers on every response (OWASP Secure Headers Project). The
//! Content-Security-Policy allows scripts only from our own origin, plus
//! `'wasm-unsafe-eval'` which compiling the app's WebAssembly needs; there
//! is no inline script or style anywhere in the app.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Config;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; \
    img-src 'self' data: blob:; \
    font-src 'self'; \
    connect-src 'self'; \
    worker-src 'self'; \
    manifest-src 'self'; \
    object-src 'none'; \
    base-uri 'none'; \
    form-action 'self'; \
    frame-ancestors 'none'";

const HEADERS: [(HeaderName, &str); 7] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
    // The camera stays available to our own pages: meeting-day QR scanning.
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
    ),
];

/// The headers as configured: the fixed set, and HSTS when the server is
/// told it is reached over HTTPS only (`DIDAR_HSTS_SECONDS`).
#[derive(Clone)]
pub struct Headers {
    hsts: Option<HeaderValue>,
}

impl Headers {
    pub fn from_config(config: &Config) -> Headers {
        let hsts = (config.hsts_seconds > 0)
            .then(|| format!("max-age={}; includeSubDomains", config.hsts_seconds))
            .and_then(|value| HeaderValue::from_str(&value).ok());
        Headers { hsts }
    }
}

pub async fn headers(State(config): State<Headers>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if let Some(hsts) = config.hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, hsts);
    }
    response
}
