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

use crate::api::{self, ApiError};
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

/// An administrator's one-click action (disable, revoke): the lists
/// re-read afterwards show its effect, and a refusal is said in words.
fn act(path: String, admin: Admin) {
    let lang = use_lang().get_untracked();
    leptos::task::spawn_local(async move {
        let outcome = api::post::<_, serde_json::Value>(&path, &()).await;
        admin.notice.set(match outcome {
            Ok(_) => None,
            Err(ApiError::Refused { body, .. }) => Some(body.first_message(lang)),
            Err(ApiError::Network) => Some(
                match lang {
                    domain::i18n::Lang::Fa => "برای این کار اتصال به اینترنت لازم است.",
                    domain::i18n::Lang::En => "This needs the network.",
                }
                .to_string(),
            ),
        });
        admin.revision.update(|r| *r += 1);
    });
}
