//! Staff sign-in, the session's check with the server at start, and
//! sign-out that never throws away unsent work. The profile itself is kept
//! by `session`.

use domain::auth::{Profile, SignIn};
use domain::i18n::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{tr, use_lang};
use crate::session;

/// Who is signed in on this device, if anyone; and whether the server
/// revoked the device.
#[derive(Clone, Copy)]
pub struct Auth {
    pub profile: RwSignal<Option<Profile>>,
    pub revoked: RwSignal<bool>,
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

/// Loads the kept profile (if its offline allowance has not run out) and,
/// when online, asks the server whether the session still holds.
pub fn provide() {
    let kept = session::kept_profile();
    api::set_csrf_token(kept.as_ref().map(|profile| profile.csrf_token.clone()));
    let auth = Auth {
        profile: RwSignal::new(kept),
        revoked: RwSignal::new(false),
    };
    provide_context(auth);
    if auth.profile.get_untracked().is_some() {
        leptos::task::spawn_local(refresh(auth));
    }
}

async fn refresh(auth: Auth) {
    match api::get::<Profile>("/api/auth/me").await {
        Ok(profile) => keep(auth, Some(profile)),
        // Offline: work goes on with the kept profile.
        Err(ApiError::Network) => {}
        Err(ApiError::Refused { body, .. }) if body.code == "auth.device_revoked" => {
            auth.revoked.set(true);
            keep(auth, None);
        }
        // The session ended: sign in again. The outbox is untouched.
        Err(ApiError::Refused { status: 401, .. }) => keep(auth, None),
        Err(_) => {}
    }
}

fn keep(auth: Auth, profile: Option<Profile>) {
    api::set_csrf_token(profile.as_ref().map(|p| p.csrf_token.clone()));
    session::keep(profile.as_ref());
    auth.profile.set(profile);
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let sync = crate::sync::use_sync();
    let location = crate::nav::use_location();
    let device_id = session::device_id();
    let first_time = device_id.is_none();
    let request = RwSignal::new(SignIn {
        device_id,
        ..SignIn::default()
    });
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        let sent = request.get_untracked();
        leptos::task::spawn_local(async move {
            match api::post::<_, Profile>("/api/auth/sign-in", &sent).await {
                Ok(profile) => {
                    keep(auth, Some(profile));
                    auth.revoked.set(false);
                    error.set(None);
                    // Fetch this person's data, and send what waited for them.
                    crate::sync::sync_now(sync);
                    location.navigate("/staff");
                }
                Err(ApiError::Refused { body, .. }) => {
                    error.set(Some(body.message.get(lang.get_untracked()).to_string()))
                }
                Err(failure @ ApiError::Unavailable { .. }) => {
                    error.set(Some(failure.explain(lang.get_untracked())))
                }
                Err(ApiError::Network) => error.set(Some(
                    match lang.get_untracked() {
                        Lang::Fa => "برای ورود، اتصال به اینترنت لازم است.",
                        Lang::En => "Signing in needs the network.",
                    }
                    .to_string(),
                )),
            }
            busy.set(false);
        });
    };

    view! {
        <h1>{tr("ورود کارکنان", "Staff sign-in")}</h1>
        <Show when=move || auth.revoked.get()>
            <p class="alert-error" role="alert" data-testid="device-revoked">
                {tr(
                    "دسترسی این دستگاه لغو شده است. لطفاً داده‌های برنامه را روی این دستگاه پاک کنید.",
                    "This device's access was revoked. Please clear the app's data on it.",
                )}
            </p>
            <p><crate::sync::ClearDeviceButton/></p>
        </Show>
        <form class="card form" novalidate on:submit=submit data-testid="sign-in-form">
            <div class="field">
                <label for="sign-in-username">{tr("نام کاربری", "Username")}</label>
                <input
                    id="sign-in-username"
                    class="ltr"
                    autocomplete="username"
                    autocapitalize="none"
                    prop:value=move || request.with(|r| r.username.clone())
                    on:input=move |event| request.update(|r| r.username = event_target_value(&event))
                />
            </div>
            <div class="field">
                <label for="sign-in-password">{tr("گذرواژه", "Password")}</label>
                <input
                    id="sign-in-password"
                    type="password"
                    class="ltr"
                    autocomplete="current-password"
                    prop:value=move || request.with(|r| r.password.clone())
                    on:input=move |event| request.update(|r| r.password = event_target_value(&event))
                />
            </div>
            {first_time.then(|| view! {
                <div class="field">
                    <label for="sign-in-device">{tr("نام این دستگاه", "Name of this device")}</label>
                    <p class="hint" id="sign-in-device-hint">
                        {tr("مثلاً «درِ ۲، منطقهٔ ۶». مدیر سامانه دستگاه‌ها را با این نام می‌شناسد.", "For example \u{201c}door 2, district 6\u{201d}. Administrators know devices by this name.")}
                    </p>
                    <input
                        id="sign-in-device"
                        aria-describedby="sign-in-device-hint"
                        prop:value=move || request.with(|r| r.device_name.clone().unwrap_or_default())
                        on:input=move |event| request.update(|r| r.device_name = Some(event_target_value(&event)))
                    />
                </div>
            })}
            <p class="error" role="alert" data-testid="sign-in-error">{move || error.get()}</p>
            <button class="button" type="submit" disabled=move || busy.get()>{tr("ورود", "Sign in")}</button>
        </form>
    }
}

/// Signs out on the server and forgets the profile. Unsent work stays in
/// the outbox and is sent after the next sign-in; the person is told first.
#[component]
pub fn SignOutButton(pending: Signal<Option<u32>>) -> impl IntoView {
    let auth = use_auth();
    let sync = crate::sync::use_sync();
    let lang = use_lang();
    let location = crate::nav::use_location();
    let sign_out = move |_| {
        // Unsent work is never lost by signing out; the person is told
        // what waits, or that it could not be counted.
        let question = match (pending.get_untracked(), lang.get_untracked()) {
            (Some(0), _) => None,
            (None, Lang::Fa) => Some("معلوم نشد کاری در انتظار ارسال هست یا نه. هر چه باشد روی همین دستگاه می‌ماند و پس از ورود بعدی فرستاده می‌شود. خارج می‌شوید؟".to_string()),
            (None, Lang::En) => Some("Whether work waits unsent could not be read. Whatever waits stays on this device and is sent after the next sign-in. Sign out?".to_string()),
            (Some(count), Lang::Fa) => Some(format!(
                    "{} مورد هنوز ارسال نشده است. این موارد روی همین دستگاه می‌ماند و پس از ورود بعدی فرستاده می‌شود. خارج می‌شوید؟",
                domain::text::to_persian_digits(&count.to_string())
            )),
            (Some(count), Lang::En) => Some(format!(
                "{count} items are not sent yet. They stay on this device and are sent after the next sign-in. Sign out?"
            )),
        };
        if let Some(question) = question
            && !window().confirm_with_message(&question).unwrap_or(false)
        {
            return;
        }
        leptos::task::spawn_local(async move {
            // Offline, the server session simply times out.
            let _ = api::post::<_, api::NoContent>("/api/auth/sign-out", &()).await;
            crate::sync::forget_pulled_data(sync).await;
            keep(auth, None);
            location.navigate("/staff/sign-in");
        });
    };
    let others_done = RwSignal::new(false);
    let sign_out_others = move |_| {
        leptos::task::spawn_local(async move {
            if api::post::<_, api::NoContent>("/api/auth/sign-out-others", &())
                .await
                .is_ok()
            {
                others_done.set(true);
            }
        });
    };
    view! {
        <button class="button button-secondary" type="button" on:click=sign_out data-testid="sign-out">
            {tr("خروج", "Sign out")}
        </button>
        <button class="button button-secondary" type="button" on:click=sign_out_others>
            {tr("خروج از دستگاه‌های دیگر", "Sign out my other sessions")}
        </button>
        <Show when=move || others_done.get()>
            <p role="status">{tr("نشست‌های دیگر شما بسته شد.", "Your other sessions were ended.")}</p>
        </Show>
    }
}
