//! The devices staff use, and revoking one.

use leptos::prelude::*;
use serde::Deserialize;

use super::{Admin, act};
use crate::api::{self};
use crate::i18n::{tr, use_lang};

#[derive(Clone, Deserialize)]
struct DeviceSummary {
    id: String,
    username: String,
    name: String,
    revoked_at: Option<String>,
}

#[component]
pub fn Devices(admin: Admin) -> impl IntoView {
    let revision = admin.revision;
    let lang = use_lang();
    let devices = LocalResource::new(move || async move {
        revision.track();
        api::get::<Vec<DeviceSummary>>("/api/admin/devices")
            .await
            .ok()
    });
    let revoke = move |id: String| act(format!("/api/admin/devices/{id}/revoke"), admin);
    view! {
        <section aria-labelledby="devices-title">
            <h2 id="devices-title">{tr("دستگاه‌ها", "Devices")}</h2>
            <table class="table" data-testid="devices">
                <thead>
                    <tr>
                        <th>{tr("دستگاه", "Device")}</th>
                        <th>{tr("کاربر", "User")}</th>
                        <th>{tr("وضعیت", "State")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || devices.get().flatten().unwrap_or_default().into_iter().map(|device| {
                        let id = device.id.clone();
                        view! {
                            <tr>
                                <td>{move || domain::text::localize_digits(&device.name, lang.get())}</td>
                                <td class="ltr">{device.username}</td>
                                <td>
                                    {match device.revoked_at {
                                        Some(_) => tr("لغو شده", "Revoked").into_any(),
                                        None => view! {
                                            <button class="button button-small button-secondary" type="button" on:click=move |_| revoke(id.clone())>
                                                {tr("لغو دسترسی", "Revoke")}
                                            </button>
                                        }.into_any(),
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
