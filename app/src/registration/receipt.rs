//! What the citizen keeps after sending: the tracking code with its QR
//! (made on the phone, so it exists offline), and the list of requests made
//! on this phone with the honest state of each.

use domain::i18n::Lang;
use domain::registration::TrackingCode;
use leptos::prelude::*;
use qrcode::QrCode;
use qrcode::render::svg;

use super::{MyRequest, RequestState};
use crate::i18n::{tr, use_lang};
use crate::store;
use crate::sync::use_sync;

/// The requests on this phone, newest first, re-read after every change.
fn my_requests() -> LocalResource<Vec<MyRequest>> {
    let sync = use_sync();
    LocalResource::new(move || {
        sync.revision.track();
        async {
            let Ok(db) = store::open().await else {
                return Vec::new();
            };
            let mut requests: Vec<MyRequest> =
                store::all(&db, store::REQUESTS).await.unwrap_or_default();
            requests.sort_by_key(|request| std::cmp::Reverse(request.made_at));
            requests
        }
    })
}

#[component]
pub fn ReceiptCard(request_id: String) -> impl IntoView {
    let lang = use_lang();
    let requests = my_requests();
    move || {
        let request = requests.get().and_then(|all| {
            all.into_iter()
                .find(|request| request.request_id == request_id)
        })?;
        let code = request.code();
        let replaced = matches!(&request.state, RequestState::Received { receipt } if receipt.replaced_earlier);
        Some(view! {
            <section class="card receipt" data-testid="receipt" aria-labelledby="receipt-title">
                <h2 id="receipt-title">{tr("کد رهگیری شما", "Your tracking code")}</h2>
                <p class="tracking-code ltr" data-testid="tracking-code">{code.display()}</p>
                <QrImage code/>
                <StateLine state=request.state.clone()/>
                {replaced.then(|| view! {
                    <p class="notice" data-testid="replaced-earlier">
                        {tr(
                            "شما این هفته پیش‌تر هم درخواست داده بودید؛ همان درخواست با اطلاعات تازه به‌روز شد و کد رهگیری آن همین است.",
                            "You had already registered this week: that request was updated with what you sent, and this is its tracking code.",
                        )}
                    </p>
                })}
                <p class="hint">
                    {tr(
                        "این کد را نگه دارید؛ با آن و شمارهٔ همراهتان می‌توانید وضعیت درخواست را از هر دستگاهی پیگیری کنید.",
                        "Keep this code: with it and your mobile number you can follow your request from any device.",
                    )}
                </p>
                <a
                    class="button button-secondary"
                    download=format!("didar-{}.svg", code.as_str())
                    href=qr_data_url(&code)
                >
                    {move || match lang.get() { Lang::Fa => "ذخیرهٔ کد و QR", Lang::En => "Save the code and QR" }}
                </a>
            </section>
        })
    }
}

#[component]
fn QrImage(code: TrackingCode) -> impl IntoView {
    let svg = qr_svg(&code);
    view! { <div class="qr" role="img" aria-label=code.display() inner_html=svg></div> }
}

fn qr_svg(code: &TrackingCode) -> String {
    QrCode::new(code.as_str().as_bytes())
        .map(|qr| {
            qr.render::<svg::Color>()
                .min_dimensions(176, 176)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

fn qr_data_url(code: &TrackingCode) -> String {
    let svg = qr_svg(code);
    format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&svg))
    )
}

/// One honest sentence about where a request stands on this phone.
#[component]
fn StateLine(state: RequestState) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let (class, text): (&str, String) = match &state {
            RequestState::Waiting => (
                "state state-waiting",
                match lang {
                    Lang::Fa => "در انتظار ارسال: روی همین گوشی نگه داشته شده و با برگشتن اینترنت خودکار فرستاده می‌شود.".into(),
                    Lang::En => "Waiting to be sent: kept on this phone and sent automatically when the network returns.".into(),
                },
            ),
            RequestState::Received { receipt } => (
                "state state-received",
                format!("{} {}", receipt.status.label(lang), receipt.status.explanation(lang)),
            ),
            RequestState::Refused { error } => ("state state-refused", error.message.get(lang).to_string()),
        };
        view! { <p class=class data-testid="request-state">{text}</p> }
    }
}

#[component]
pub fn MyRequests() -> impl IntoView {
    let lang = use_lang();
    let requests = my_requests();
    move || {
        let requests = requests.get().unwrap_or_default();
        (!requests.is_empty()).then(|| {
            view! {
                <section class="my-requests" aria-labelledby="my-requests-title">
                    <h2 id="my-requests-title">{tr("درخواست‌های من روی این گوشی", "My requests on this phone")}</h2>
                    <ul class="request-list" data-testid="my-requests">
                        {requests.into_iter().map(|request| {
                            let made = domain::time::format_datetime(request.made_at, lang.get());
                            let title = domain::time::format_gregorian(request.made_at);
                            view! {
                                <li class="card" data-testid="my-request">
                                    <p class="tracking-code-small ltr">{request.code().display()}</p>
                                    <p class="hint"><time title=title>{made}</time></p>
                                    <StateLine state=request.state.clone()/>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
