//! The devices staff use, and revoking one.

use domain::auth::{AlsoOnRevoke, DeviceSummary, RevokeDevice};
use leptos::prelude::*;

use super::{Admin, act_with};
use crate::api;
use crate::i18n::{tr, use_lang};
use crate::ui::table::{Column, DataTable};

#[component]
pub fn Devices(admin: Admin) -> impl IntoView {
    let revision = admin.revision;
    let lang = use_lang();
    let rows = LocalResource::new(move || {
        revision.track();
        api::get::<Vec<DeviceSummary>>("/api/admin/devices")
    });
    // The device whose revocation is being decided: revoking says what it
    // does, and asks in the same step what happens to its user.
    let deciding = RwSignal::new(None::<String>);
    let revoke = move |id: &str, also: AlsoOnRevoke| {
        deciding.set(None);
        act_with(
            format!("/api/admin/devices/{id}/revoke"),
            RevokeDevice { also },
            admin,
        );
    };
    view! {
        <section aria-labelledby="devices-title">
            <h2 id="devices-title">{tr("دستگاه‌ها", "Devices")}</h2>
            <DataTable
                testid="devices"
                columns=vec![
                    Column::new("دستگاه", "Device"),
                    Column::new("کاربر", "User"),
                    Column::new("وضعیت", "State"),
                ]
                rows
                key=|device: &DeviceSummary| (device.id.clone(), device.revoked_at)
                row=move |device: DeviceSummary| {
                    let id = device.id.clone();
                    view! {
                        <tr>
                            <td>{move || domain::text::localize_digits(&device.name, lang.get())}</td>
                            <td class="ltr">{device.username}</td>
                            <td>
                                {match device.revoked_at {
                                    Some(_) => tr("لغو شده", "Revoked").into_any(),
                                    None => view! { <RevokeChoice id deciding revoke/> }.into_any(),
                                }}
                            </td>
                        </tr>
                    }
                }
                empty=("هنوز دستگاهی وارد نشده است.", "No device has signed in yet.")
            />
        </section>
    }
}

/// "Revoke" for one device: first what it does, then the three choices.
#[component]
fn RevokeChoice(
    id: String,
    deciding: RwSignal<Option<String>>,
    revoke: impl Fn(&str, AlsoOnRevoke) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let open = {
        let id = id.clone();
        move || deciding.get().as_deref() == Some(id.as_str())
    };
    let ask = {
        let id = id.clone();
        move |_| deciding.set(Some(id.clone()))
    };
    let choice = move |also: AlsoOnRevoke, fa: &'static str, en: &'static str, danger: bool| {
        let id = id.clone();
        let class = if danger {
            "button button-small button-danger"
        } else {
            "button button-small button-secondary"
        };
        view! {
            <button class=class type="button" on:click=move |_| revoke(&id, also)>{tr(fa, en)}</button>
        }
    };
    view! {
        <Show
            when=open
            fallback=move || view! {
                <button class="button button-small button-secondary" type="button" on:click=ask.clone()>
                    {tr("لغو دسترسی", "Revoke")}
                </button>
            }
        >
            <div class="revoke-choice" role="group" aria-label=move || tr("لغو دسترسی دستگاه", "Revoke the device")()>
                <p>{tr(
                    "این دستگاه دیگر چیزی دریافت نمی‌کند و باید پاک شود. کاربر آن هنوز می‌تواند با دستگاه دیگری وارد شود؛ با او چه شود؟",
                    "This device gets nothing more and must be cleared. Its user can still sign in on another device; what about them?",
                )}</p>
                <div class="actions">
                    {choice(AlsoOnRevoke::Nothing, "فقط این دستگاه", "Only this device", false)}
                    {choice(AlsoOnRevoke::EndSessions, "خروج کاربر از همهٔ دستگاه‌ها", "Sign the user out everywhere", false)}
                    {choice(AlsoOnRevoke::DisableAccount, "غیرفعال کردن حساب کاربر", "Disable the user's account", true)}
                    <button class="button button-small button-secondary" type="button" on:click=move |_| deciding.set(None)>
                        {tr("انصراف", "Cancel")}
                    </button>
                </div>
            </div>
        </Show>
    }
}
