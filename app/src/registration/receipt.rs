//! What the citizen keeps after sending: the tracking code with its QR
//! (made on the phone, so it exists offline), and the list of requests made
//! on this phone with the honest state of each.

use std::fmt::Write;

use domain::i18n::Lang;
use domain::registration::TrackingCode;
use leptos::prelude::*;
use qrcode::{Color, QrCode};
use wasm_bindgen::JsCast;

use super::{MyRequest, RequestState, Sent};
use crate::i18n::{tr, use_lang};
use crate::store;
use crate::sync::use_sync;

/// The requests on this phone, newest first, re-read after every change;
/// `None` when the phone's storage could not be read.
fn my_requests() -> LocalResource<Option<Vec<MyRequest>>> {
    let sync = use_sync();
    LocalResource::new(move || {
        sync.revision.track();
        async {
            let db = store::open().await.ok()?;
            let mut requests: Vec<MyRequest> = store::all(&db, store::REQUESTS).await.ok()?;
            // Newest first; the unique request id settles a tie, so the
            // unstable sort (smaller code) gives one order.
            requests.sort_unstable_by(|a, b| {
                (b.made_at, &b.request_id).cmp(&(a.made_at, &a.request_id))
            });
            Some(requests)
        }
    })
}

#[component]
pub fn ReceiptCard(sent: Sent) -> impl IntoView {
    let lang = use_lang();
    let requests = my_requests();
    move || {
        let (request, kept) = match &sent {
            Sent::Kept(request_id) => (
                requests
                    .get()
                    .flatten()
                    .and_then(|all| all.into_iter().find(|r| &r.request_id == request_id))?,
                true,
            ),
            Sent::Unkept(request) => (request.clone(), false),
        };
        let code = request.code();
        let replaced = matches!(&request.state, RequestState::Received { receipt } if receipt.replaced_earlier);
        Some(view! {
            <section class="card receipt" data-testid="receipt" aria-labelledby="receipt-title">
                <h2 id="receipt-title">{tr("کد رهگیری شما", "Your tracking code")}</h2>
                <p class="tracking-code ltr" data-testid="tracking-code">{code.display()}</p>
                <QrImage code/>
                <StateLine state=request.state.clone()/>
                {(!kept).then(|| view! {
                    <p class="notice" data-testid="not-kept">
                        {tr(
                            "این گوشی نتوانست درخواست را ذخیره کند (حافظه‌اش پر است یا مرورگر اجازه نداد)، پس مستقیم فرستاده شد و به سرور رسید؛ اما روی این گوشی نگه داشته نشد. کد رهگیری را یادداشت یا ذخیره کنید.",
                            "This phone could not save the request (its storage is full, or the browser refused), so it was sent directly and reached the server; but it is not kept on this phone. Write the code down or save it.",
                        )}
                    </p>
                })}
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
                <div class="actions">
                    <a
                        class="button button-secondary"
                        download=format!("didar-{}.svg", code.as_str())
                        href=qr_data_url(&code)
                    >
                        {move || match lang.get() { Lang::Fa => "ذخیرهٔ کد و QR", Lang::En => "Save the code and QR" }}
                    </a>
                    <ShareButton code/>
                </div>
            </section>
        })
    }
}

/// The phone's own share sheet (messaging apps, notes), where the browser
/// has one; elsewhere the button is not shown.
#[component]
fn ShareButton(code: TrackingCode) -> impl IntoView {
    let lang = use_lang();
    let share = js_sys::Reflect::get(&window().navigator(), &"share".into())
        .ok()
        .and_then(|share| share.dyn_into::<js_sys::Function>().ok())?;
    let on_click = move |_| {
        let text = match lang.get_untracked() {
            Lang::Fa => format!("کد رهگیری درخواست دیدار با شهردار: {}", code.display()),
            Lang::En => format!(
                "Tracking code of my request to meet the mayor: {}",
                code.display()
            ),
        };
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"text".into(), &text.into());
        // A dismissed share sheet rejects the promise; nothing to do then.
        let _ = share.call1(&window().navigator(), &data);
    };
    Some(view! {
        <button class="button button-secondary" type="button" on:click=on_click>
            {tr("هم‌رسانی", "Share")}
        </button>
    })
}

/// A request the server refused because it arrived after the window (or
/// its grace period) can be sent again as it is, in a later window.
#[component]
fn SendAgain(request: MyRequest) -> impl IntoView {
    let sync = use_sync();
    let RequestState::Refused { error } = &request.state else {
        return None;
    };
    error.window?;
    let failed = RwSignal::new(false);
    let on_click = move |_| {
        let old = request.request_id.clone();
        let submission = super::new_submission(request.form.clone(), crate::clock::now());
        leptos::task::spawn_local(async move {
            if super::queue(sync, &submission, Some(&old)).await.is_err() {
                failed.set(true);
            }
        });
    };
    Some(view! {
        <button class="button button-small" type="button" on:click=on_click data-testid="send-again">
            {tr("ارسال دوباره", "Send again")}
        </button>
        <Show when=move || failed.get()>
            <p class="error">{tr("ذخیره روی این دستگاه ممکن نشد.", "Could not save on this device.")}</p>
        </Show>
    })
}

#[component]
fn QrImage(code: TrackingCode) -> impl IntoView {
    let svg = qr_svg(&code);
    view! { <div class="qr" role="img" aria-label=code.display() inner_html=svg></div> }
}

/// The code's QR as one SVG path, a unit square per dark module, inside the
/// four-module quiet zone scanners need. Drawn here rather than with the
/// qrcode crate's generic renderer, which weighs three times as much.
fn qr_svg(code: &TrackingCode) -> String {
    const QUIET: usize = 4;
    let Ok(qr) = QrCode::new(code.as_str().as_bytes()) else {
        return String::new();
    };
    let width = qr.width();
    let side = width + 2 * QUIET;
    let mut modules = String::new();
    for (index, _) in qr
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == Color::Dark)
    {
        let (x, y) = (index % width + QUIET, index / width + QUIET);
        // Writing to a String cannot fail.
        let _ = write!(modules, "M{x} {y}h1v1h-1z");
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" width="176" height="176" shape-rendering="crispEdges"><path fill="#fff" d="M0 0h{side}v{side}H0z"/><path fill="#000" d="{modules}"/></svg>"##
    )
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
        let requests = match requests.get() {
            None => return None,
            Some(Some(requests)) => requests,
            Some(None) => {
                return Some(view! {
                    <p class="alert-error" role="alert" data-testid="my-requests-unreadable">
                        {tr(
                            "درخواست‌های ذخیره‌شده روی این گوشی خوانده نشد. آنچه فرستاده شده روی سرور هست و با کد رهگیری پیگیری می‌شود.",
                            "The requests kept on this phone could not be read. What was sent is on the server and can be tracked by its code.",
                        )}
                    </p>
                }
                .into_any());
            }
        };
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
                                    <SendAgain request=request.clone()/>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        })
    }
}
