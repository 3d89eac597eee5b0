//! Administration (DESIGN §3): staff accounts with their roles and
//! districts (`users`), the devices they use (`devices`), the meetings
//! (`meetings`), districts and deputy domains (`city`), the weekly
//! registration window (`window`), and the audit log (`audit`).

mod audit;
mod city;
mod devices;
mod meetings;
mod users;
mod window;

use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};

/// Isfahan's districts; the list becomes the server's when districts are
/// edited in this screen.
const DISTRICTS: u8 = 15;

/// What the page shares: a revision the lists re-read on, and the outcome
/// of the last one-click action.
#[derive(Clone, Copy)]
struct Admin {
    revision: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let admin = Admin {
        revision: RwSignal::new(0),
        notice: RwSignal::new(None),
    };
    let revision = admin.revision;
    view! {
        <h1>{tr("مدیریت سامانه", "Administration")}</h1>
        <p class="notice" role="status" data-testid="admin-notice">{move || admin.notice.get()}</p>
        <users::NewUserForm revision/>
        <users::Users admin/>
        <devices::Devices admin/>
        <meetings::Meetings/>
        <city::City/>
        <window::WindowSettings/>
        <audit::AuditLog revision/>
    }
}

/// The city's districts to choose from, numbered in the reader's digits.
#[component]
fn DistrictSelect(
    id: &'static str,
    district: RwSignal<u8>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select
            id=id
            disabled=move || disabled.get()
            on:change=move |event| district.set(event_target_value(&event).parse().unwrap_or(1))
        >
            {(1..=DISTRICTS).map(|number| view! {
                <option value=number.to_string() selected=move || district.get() == number>
                    {move || domain::text::localize_digits(&number.to_string(), lang.get())}
                </option>
            }).collect_view()}
        </select>
    }
}

/// An administrator's one-click action (disable): the lists re-read
/// afterwards show its effect, and a refusal is said in words.
fn act(path: String, admin: Admin) {
    act_with(path, (), admin);
}

/// The same, with a body saying how (revoke, and what else).
fn act_with(path: String, body: impl serde::Serialize + 'static, admin: Admin) {
    let lang = use_lang().get_untracked();
    leptos::task::spawn_local(async move {
        let outcome = api::post::<_, serde_json::Value>(&path, &body).await;
        admin
            .notice
            .set(outcome.err().map(|error| error.explain(lang)));
        admin.revision.update(|r| *r += 1);
    });
}
