//! Administration (DESIGN §3): staff accounts with their roles and
//! districts, the devices they use, the weekly registration window, and
//! the audit log. Districts, deputies and meetings follow.

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};
use domain::auth::{Grant, NewUser, Role, UserSummary};
use domain::district::DistrictId;
use domain::i18n::Lang;
use domain::jalali::JalaliDate;
use domain::meeting::{Meeting, MeetingPlan};
use domain::registration::{RegistrationOptions, WindowRule};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, ApiError, ErrorBody};
use crate::i18n::{tr, use_lang};

/// Isfahan's districts; the list becomes the server's when districts are
/// edited in this screen.
const DISTRICTS: u8 = 15;

#[component]
pub fn AdminPage() -> impl IntoView {
    let revision = RwSignal::new(0u32);
    view! {
        <h1>{tr("مدیریت سامانه", "Administration")}</h1>
        <NewUserForm revision/>
        <Users revision/>
        <Devices revision/>
        <Meetings/>
        <City/>
        <WindowSettings/>
        <AuditLog revision/>
    }
}

#[component]
fn Users(revision: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let users = LocalResource::new(move || async move {
        revision.track();
        api::get::<Vec<UserSummary>>("/api/admin/users").await.ok()
    });
    let disable = move |id: String| act(format!("/api/admin/users/{id}/disable"), revision);
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">{tr("کاربران", "Users")}</h2>
            <table class="table" data-testid="users">
                <thead>
                    <tr>
                        <th>{tr("نام کاربری", "Username")}</th>
                        <th>{tr("نام", "Name")}</th>
                        <th>{tr("نقش‌ها", "Roles")}</th>
                        <th>{tr("حساب", "Account")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || users.get().flatten().unwrap_or_default().into_iter().map(|user| {
                        let grants = user.grants.iter().map(|grant| grant_label(grant, lang.get())).collect::<Vec<_>>().join("، ");
                        view! {
                            <tr>
                                <td class="ltr">{user.username}</td>
                                <td>{user.display_name}</td>
                                <td>{grants}</td>
                                <td>
                                    {if user.disabled {
                                        tr("غیرفعال", "Disabled").into_any()
                                    } else {
                                        let id = user.id.clone();
                                        view! {
                                            <button class="button button-small button-secondary" type="button" on:click=move |_| disable(id.clone())>
                                                {tr("غیرفعال کردن", "Disable")}
                                            </button>
                                        }
                                        .into_any()
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

fn grant_label(grant: &Grant, lang: Lang) -> String {
    match grant.district {
        None => grant.role.name(lang).to_string(),
        Some(district) => {
            let number = domain::text::localize_digits(&district.number().to_string(), lang);
            format!("{} ({number})", grant.role.name(lang))
        }
    }
}

#[component]
fn NewUserForm(revision: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let user = RwSignal::new(NewUser::default());
    let role = RwSignal::new(Role::FieldStaff);
    let district = RwSignal::new(6u8);
    let problems = RwSignal::new(None::<ErrorBody>);
    let created = RwSignal::new(None::<String>);

    let field_error = move |name: &'static str| {
        move || {
            problems.with(|body| {
                body.as_ref()?
                    .fields
                    .iter()
                    .find(|field| field.field == name)
                    .map(|field| field.message.get(lang.get()).to_string())
            })
        }
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let role = role.get_untracked();
        let district = (!role.spans_all_districts())
            .then(|| DistrictId::new(district.get_untracked()).ok())
            .flatten();
        let mut sent = user.get_untracked();
        sent.grants = vec![Grant { role, district }];
        leptos::task::spawn_local(async move {
            match api::post::<_, UserSummary>("/api/admin/users", &sent).await {
                Ok(summary) => {
                    problems.set(None);
                    created.set(Some(summary.username));
                    user.set(NewUser::default());
                    revision.update(|r| *r += 1);
                }
                Err(ApiError::Refused { body, .. }) => {
                    created.set(None);
                    problems.set(Some(body));
                }
                Err(ApiError::Network) => created.set(None),
            }
        });
    };
    let text = move |id: &'static str,
                     label: (&'static str, &'static str),
                     kind: &'static str,
                     get: fn(&NewUser) -> String,
                     set: fn(&mut NewUser, String)| {
        view! {
            <div class="field">
                <label for=id>{tr(label.0, label.1)}</label>
                <input
                    id=id
                    type=kind
                    autocomplete="off"
                    prop:value=move || user.with(get)
                    on:input=move |event| user.update(|u| set(u, event_target_value(&event)))
                />
                <p class="error">{field_error(&id[5..])}</p>
            </div>
        }
    };
    view! {
        <form class="card form" novalidate on:submit=submit data-testid="new-user-form">
            <h2>{tr("کاربر تازه", "New user")}</h2>
            {text("user-username", ("نام کاربری", "Username"), "text", |u| u.username.clone(), |u, v| u.username = v)}
            {text("user-display_name", ("نام و نام خانوادگی", "Full name"), "text", |u| u.display_name.clone(), |u, v| u.display_name = v)}
            {text("user-password", ("گذرواژهٔ نخست (دست‌کم ۱۲ نویسه)", "First password (12 characters or more)"), "password", |u| u.password.clone(), |u, v| u.password = v)}
            <div class="field">
                <label for="user-role">{tr("نقش", "Role")}</label>
                <select id="user-role" on:change=move |event| {
                    if let Some(chosen) = Role::from_code(&event_target_value(&event)) {
                        role.set(chosen);
                    }
                }>
                    {Role::ALL.into_iter().map(|option| view! {
                        <option value=option.code() selected=move || role.get() == option>
                            {move || option.name(lang.get())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="user-district">{tr("منطقه", "District")}</label>
                <select
                    id="user-district"
                    disabled=move || role.get().spans_all_districts()
                    on:change=move |event| district.set(event_target_value(&event).parse().unwrap_or(1))
                >
                    {(1..=DISTRICTS).map(|number| view! {
                        <option value=number.to_string() selected=move || district.get() == number>
                            {move || domain::text::localize_digits(&number.to_string(), lang.get())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <p class="error" role="alert">{move || problems.with(|body| body.as_ref().filter(|b| b.fields.is_empty()).map(|b| b.message.get(lang.get()).to_string()))}</p>
            <p class="notice notice-open" role="status" data-testid="user-created">
                {move || created.get().map(|name| match lang.get() {
                    Lang::Fa => format!("حساب «{name}» ساخته شد."),
                    Lang::En => format!("The account \u{201c}{name}\u{201d} was created."),
                })}
            </p>
            <button class="button" type="submit">{tr("ساخت حساب", "Create account")}</button>
        </form>
    }
}

#[derive(Clone, Deserialize)]
struct DeviceSummary {
    id: String,
    username: String,
    name: String,
    revoked_at: Option<String>,
}

#[component]
fn Devices(revision: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let devices = LocalResource::new(move || async move {
        revision.track();
        api::get::<Vec<DeviceSummary>>("/api/admin/devices")
            .await
            .ok()
    });
    let revoke = move |id: String| act(format!("/api/admin/devices/{id}/revoke"), revision);
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

/// An administrator's one-click action (disable, revoke); the lists
/// re-read afterwards show its effect.
fn act(path: String, revision: RwSignal<u32>) {
    leptos::task::spawn_local(async move {
        let _ = api::post::<_, serde_json::Value>(&path, &()).await;
        revision.update(|r| *r += 1);
    });
}

#[derive(Clone, Deserialize)]
struct WindowSetting {
    rule: WindowRule,
    overridden: bool,
}

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Sat,
    Weekday::Sun,
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

#[component]
fn WindowSettings() -> impl IntoView {
    let lang = use_lang();
    let setting =
        LocalResource::new(|| api::get::<WindowSetting>("/api/admin/registration-window"));
    let rule = RwSignal::new(None::<WindowRule>);
    let overridden = RwSignal::new(false);
    let outcome = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(Ok(loaded)) = setting.get() {
            overridden.set(loaded.overridden);
            rule.set(Some(loaded.rule));
        }
    });
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(sent) = rule.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text =
                match api::put::<_, serde_json::Value>("/api/admin/registration-window", &sent)
                    .await
                {
                    Ok(_) => match lang.get_untracked() {
                        Lang::Fa => "بازهٔ ثبت‌نام ذخیره شد.".to_string(),
                        Lang::En => "The registration window was saved.".to_string(),
                    },
                    Err(ApiError::Refused { body, .. }) => body.first_message(lang.get_untracked()),
                    Err(ApiError::Network) => String::new(),
                };
            outcome.set(Some(text));
        });
    };
    let day = move |id: &'static str,
                    label: (&'static str, &'static str),
                    get: fn(&WindowRule) -> Weekday,
                    set: fn(&mut WindowRule, Weekday)| {
        view! {
            <div class="field">
                <label for=id>{tr(label.0, label.1)}</label>
                <select id=id on:change=move |event| {
                    let index: usize = event_target_value(&event).parse().unwrap_or(0);
                    rule.update(|r| if let Some(r) = r { set(r, WEEKDAYS[index % 7]) });
                }>
                    {WEEKDAYS.iter().enumerate().map(|(index, weekday)| {
                        let weekday = *weekday;
                        view! {
                            <option value=index.to_string() selected=move || rule.with(|r| r.as_ref().map(get) == Some(weekday))>
                                {move || domain::jalali::weekday_name(weekday, lang.get())}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let time = move |id: &'static str,
                     label: (&'static str, &'static str),
                     get: fn(&WindowRule) -> NaiveTime,
                     set: fn(&mut WindowRule, NaiveTime)| {
        view! {
            <div class="field">
                <label for=id>{tr(label.0, label.1)}</label>
                <input
                    id=id
                    type="time"
                    class="ltr"
                    prop:value=move || rule.with(|r| r.as_ref().map(|r| get(r).format("%H:%M").to_string()).unwrap_or_default())
                    on:change=move |event| {
                        if let Ok(chosen) = NaiveTime::parse_from_str(&event_target_value(&event), "%H:%M") {
                            rule.update(|r| if let Some(r) = r { set(r, chosen) });
                        }
                    }
                />
            </div>
        }
    };
    view! {
        <form class="card form" novalidate on:submit=save data-testid="window-settings">
            <h2>{tr("بازهٔ هفتگی ثبت‌نام", "Weekly registration window")}</h2>
            <Show when=move || overridden.get()>
                <p class="notice">{tr("پیکربندی سرور این بازه را جایگزین کرده است؛ تغییر اینجا تا برداشتن آن اثری ندارد.", "The server's configuration overrides this window; changes here apply once it is removed.")}</p>
            </Show>
            {day("window-opens-on", ("روز آغاز", "Opens on"), |r| r.opens_on, |r, d| r.opens_on = d)}
            {time("window-opens-at", ("ساعت آغاز", "Opens at"), |r| r.opens_at, |r, t| r.opens_at = t)}
            {day("window-closes-on", ("روز پایان", "Closes on"), |r| r.closes_on, |r, d| r.closes_on = d)}
            {time("window-closes-at", ("ساعت پایان (تا پایان همان دقیقه)", "Closes at (end of that minute)"), |r| r.closes_at, |r, t| r.closes_at = t)}
            <div class="field">
                <label for="window-grace">{tr("مهلت ارسال درخواست‌های آفلاین (ساعت)", "Grace for offline requests (hours)")}</label>
                <input
                    id="window-grace"
                    type="number"
                    min="0"
                    max="168"
                    class="ltr"
                    prop:value=move || rule.with(|r| r.as_ref().map(|r| r.grace_hours.to_string()).unwrap_or_default())
                    on:change=move |event| {
                        let hours = event_target_value(&event).parse().unwrap_or(0);
                        rule.update(|r| if let Some(r) = r { r.grace_hours = hours });
                    }
                />
            </div>
            <p role="status">{move || outcome.get()}</p>
            <button class="button" type="submit">{tr("ذخیره", "Save")}</button>
        </form>
    }
}

#[derive(Clone, Deserialize)]
struct AuditRow {
    at: String,
    user_id: Option<String>,
    action: String,
    target: Option<String>,
}

#[component]
fn AuditLog(revision: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let action = RwSignal::new(String::new());
    let rows = LocalResource::new(move || {
        revision.track();
        let path = format!(
            "/api/admin/audit?action={}",
            String::from(js_sys::encode_uri_component(&action.get()))
        );
        async move { api::get::<Vec<AuditRow>>(&path).await.ok() }
    });
    view! {
        <section aria-labelledby="audit-title">
            <h2 id="audit-title">{tr("گزارش رویدادها", "Audit log")}</h2>
            <div class="field">
                <label for="audit-action">{tr("فقط این کار (مثلاً sign_in)", "Only this action (e.g. sign_in)")}</label>
                <input id="audit-action" class="ltr" prop:value=move || action.get() on:change=move |event| action.set(event_target_value(&event))/>
            </div>
            <p><a href="/api/admin/audit?format=csv" download="didar-audit.csv">{tr("دریافت CSV", "Download CSV")}</a></p>
            <table class="table" data-testid="audit">
                <thead>
                    <tr>
                        <th>{tr("زمان", "Time")}</th>
                        <th>{tr("کار", "Action")}</th>
                        <th>{tr("کاربر", "User")}</th>
                        <th>{tr("مورد", "Target")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows.get().flatten().unwrap_or_default().into_iter().map(|row| view! {
                        <tr>
                            <td>{move || when(&row.at, lang.get())}</td>
                            <td class="ltr">{row.action}</td>
                            <td class="ltr">{row.user_id.unwrap_or_default()}</td>
                            <td class="ltr">{row.target.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// A stored RFC 3339 time in Tehran's Jalali calendar.
fn when(at: &str, lang: Lang) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|time| domain::time::format_datetime(time.with_timezone(&chrono::Utc), lang))
        .unwrap_or_else(|_| at.to_string())
}

#[component]
fn Meetings() -> impl IntoView {
    let lang = use_lang();
    let revision = RwSignal::new(0u32);
    let meetings = LocalResource::new(move || async move {
        revision.track();
        api::get::<Vec<Meeting>>("/api/admin/meetings").await.ok()
    });
    let district = RwSignal::new(6u8);
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("10:00".to_string());
    let venue = RwSignal::new(String::new());
    let numbers = RwSignal::new((150u16, 100u16, 30u16));
    let outcome = RwSignal::new(None::<String>);

    // The browser's date picker is Gregorian; the Jalali date is shown
    // beside it so nobody schedules the wrong day.
    let starts_at = move || {
        let day = NaiveDate::parse_from_str(&date.get(), "%Y-%m-%d").ok()?;
        let clock = NaiveTime::parse_from_str(&time.get(), "%H:%M").ok()?;
        let jalali = JalaliDate::from_gregorian(day).ok()?;
        domain::time::tehran_to_utc(jalali, clock.hour(), clock.minute())
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let lang = lang.get_untracked();
        let Some(starts_at) = starts_at() else {
            outcome.set(Some(match lang {
                Lang::Fa => "تاریخ و ساعت دیدار را انتخاب کنید.".into(),
                Lang::En => "Choose the meeting's date and time.".into(),
            }));
            return;
        };
        let (capacity, citizen_quota, trustee_quota) = numbers.get_untracked();
        let Ok(district) = DistrictId::new(district.get_untracked()) else {
            return;
        };
        let plan = MeetingPlan {
            district,
            starts_at,
            venue: venue.get_untracked(),
            capacity,
            citizen_quota,
            trustee_quota,
        };
        leptos::task::spawn_local(async move {
            let text = match api::post::<_, Meeting>("/api/admin/meetings", &plan).await {
                Ok(_) => {
                    revision.update(|r| *r += 1);
                    match lang {
                        Lang::Fa => "دیدار ثبت شد.".to_string(),
                        Lang::En => "The meeting was added.".to_string(),
                    }
                }
                Err(ApiError::Refused { body, .. }) => body.first_message(lang),
                Err(ApiError::Network) => String::new(),
            };
            outcome.set(Some(text));
        });
    };
    let number = move |id: &'static str,
                       label: (&'static str, &'static str),
                       get: fn(&(u16, u16, u16)) -> u16,
                       set: fn(&mut (u16, u16, u16), u16)| {
        view! {
            <div class="field">
                <label for=id>{tr(label.0, label.1)}</label>
                <input
                    id=id
                    type="number"
                    min="0"
                    class="ltr"
                    prop:value=move || numbers.with(|n| get(n).to_string())
                    on:change=move |event| numbers.update(|n| set(n, event_target_value(&event).parse().unwrap_or(0)))
                />
            </div>
        }
    };
    view! {
        <section aria-labelledby="meetings-title">
            <h2 id="meetings-title">{tr("دیدارها", "Meetings")}</h2>
            <form class="card form" novalidate on:submit=submit data-testid="meeting-form">
                <div class="field">
                    <label for="meeting-district">{tr("منطقه", "District")}</label>
                    <select id="meeting-district" on:change=move |event| district.set(event_target_value(&event).parse().unwrap_or(1))>
                        {(1..=DISTRICTS).map(|n| view! {
                            <option value=n.to_string() selected=move || district.get() == n>
                                {move || domain::text::localize_digits(&n.to_string(), lang.get())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="meeting-date">{tr("تاریخ", "Date")}</label>
                    <p class="hint" id="meeting-date-jalali">
                        {move || starts_at().map(|at| domain::time::format_datetime(at, lang.get()))}
                    </p>
                    <input id="meeting-date" type="date" class="ltr" aria-describedby="meeting-date-jalali"
                        prop:value=move || date.get() on:change=move |event| date.set(event_target_value(&event))/>
                </div>
                <div class="field">
                    <label for="meeting-time">{tr("ساعت (به وقت تهران)", "Time (Tehran)")}</label>
                    <input id="meeting-time" type="time" class="ltr"
                        prop:value=move || time.get() on:change=move |event| time.set(event_target_value(&event))/>
                </div>
                <div class="field">
                    <label for="meeting-venue">{tr("محل برگزاری", "Venue")}</label>
                    <input id="meeting-venue" prop:value=move || venue.get() on:input=move |event| venue.set(event_target_value(&event))/>
                </div>
                {number("meeting-capacity", ("ظرفیت محل", "Capacity"), |n| n.0, |n, v| n.0 = v)}
                {number("meeting-citizens", ("سهمیهٔ شهروندان", "Citizens' places"), |n| n.1, |n, v| n.1 = v)}
                {number("meeting-trustees", ("سهمیهٔ معتمدین", "Trustees' places"), |n| n.2, |n, v| n.2 = v)}
                <p role="status">{move || outcome.get()}</p>
                <button class="button" type="submit">{tr("افزودن دیدار", "Add meeting")}</button>
            </form>
            <table class="table" data-testid="meetings">
                <thead>
                    <tr>
                        <th>{tr("منطقه", "District")}</th>
                        <th>{tr("زمان", "When")}</th>
                        <th>{tr("محل", "Venue")}</th>
                        <th>{tr("شهروندان / معتمدین / ظرفیت", "Citizens / trustees / capacity")}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || meetings.get().flatten().unwrap_or_default().into_iter().map(|meeting| {
                        let plan = meeting.plan;
                        let counts = format!("{} / {} / {}", plan.citizen_quota, plan.trustee_quota, plan.capacity);
                        view! {
                            <tr>
                                <td>{move || domain::text::localize_digits(&plan.district.number().to_string(), lang.get())}</td>
                                <td title=domain::time::format_gregorian(plan.starts_at)>{move || domain::time::format_datetime(plan.starts_at, lang.get())}</td>
                                <td>{move || domain::text::localize_digits(&plan.venue, lang.get())}</td>
                                <td>{move || domain::text::localize_digits(&counts, lang.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// A name pair and where to save it: `PUT` with `{ name_fa, name_en }`.
#[derive(Clone)]
struct Named {
    path: String,
    label: String,
    name_fa: String,
    name_en: String,
}

/// Districts and deputy domains by name. The lists are the registration
/// form's own (`/api/registrations/options`), so what is saved here is what
/// citizens choose from.
#[component]
fn City() -> impl IntoView {
    let revision = RwSignal::new(0u32);
    let options = LocalResource::new(move || async move {
        revision.track();
        api::get::<RegistrationOptions>("/api/registrations/options")
            .await
            .ok()
    });
    let new_slug = RwSignal::new(String::new());
    let rows = move || {
        let options = options.get().flatten()?;
        let districts = options.districts.into_iter().map(|district| Named {
            path: format!("/api/admin/districts/{}", district.id.number()),
            label: district.id.number().to_string(),
            name_fa: district.name_fa,
            name_en: district.name_en,
        });
        let deputies = options.deputies.into_iter().map(|deputy| Named {
            path: format!("/api/admin/deputies/{}", deputy.slug),
            label: deputy.slug,
            name_fa: deputy.name_fa,
            name_en: deputy.name_en,
        });
        Some(districts.chain(deputies).collect::<Vec<_>>())
    };
    view! {
        <section aria-labelledby="city-title">
            <h2 id="city-title">{tr("مناطق و حوزه‌های معاونت", "Districts and deputy domains")}</h2>
            <table class="table" data-testid="city">
                <thead>
                    <tr>
                        <th>{tr("شماره / شناسه", "Number / id")}</th>
                        <th>{tr("نام فارسی", "Persian name")}</th>
                        <th>{tr("نام انگلیسی", "English name")}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows().unwrap_or_default().into_iter().map(|row| view! { <NamedRow row revision/> }).collect_view()}
                    <NamedRow
                        row=Named { path: String::new(), label: String::new(), name_fa: String::new(), name_en: String::new() }
                        revision
                        new_slug
                    />
                </tbody>
            </table>
        </section>
    }
}

/// One editable name pair; with `new_slug`, the row that adds a domain.
#[component]
fn NamedRow(
    row: Named,
    revision: RwSignal<u32>,
    #[prop(optional)] new_slug: Option<RwSignal<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let name_fa = RwSignal::new(row.name_fa.clone());
    let name_en = RwSignal::new(row.name_en.clone());
    let problem = RwSignal::new(None::<String>);
    let label = row.label.clone();
    let save = move |_| {
        let path = match new_slug {
            Some(slug) => format!("/api/admin/deputies/{}", slug.get_untracked().trim()),
            None => row.path.clone(),
        };
        let names = serde_json::json!({ "name_fa": name_fa.get_untracked(), "name_en": name_en.get_untracked() });
        leptos::task::spawn_local(async move {
            match api::put::<_, serde_json::Value>(&path, &names).await {
                Ok(_) => {
                    problem.set(None);
                    revision.update(|r| *r += 1);
                }
                Err(ApiError::Refused { body, .. }) => {
                    problem.set(Some(body.first_message(lang.get_untracked())))
                }
                Err(ApiError::Network) => {}
            }
        });
    };
    let id = format!(
        "name-{}",
        if row.label.is_empty() {
            "new"
        } else {
            &row.label
        }
    );
    view! {
        <tr>
            <td class="ltr">
                {match new_slug {
                    Some(slug) => view! {
                        <input aria-label=move || match lang.get() { Lang::Fa => "شناسهٔ حوزهٔ تازه (حروف کوچک انگلیسی)", Lang::En => "New domain id (lower-case letters)" }
                            prop:value=move || slug.get() on:input=move |event| slug.set(event_target_value(&event))/>
                    }.into_any(),
                    None => view! { {move || domain::text::localize_digits(&label, lang.get())} }.into_any(),
                }}
            </td>
            <td><input id=format!("{id}-fa") aria-label=move || match lang.get() { Lang::Fa => "نام فارسی", Lang::En => "Persian name" }
                prop:value=move || name_fa.get() on:input=move |event| name_fa.set(event_target_value(&event))/></td>
            <td><input id=format!("{id}-en") class="ltr" aria-label=move || match lang.get() { Lang::Fa => "نام انگلیسی", Lang::En => "English name" }
                prop:value=move || name_en.get() on:input=move |event| name_en.set(event_target_value(&event))/></td>
            <td>
                <button class="button button-small button-secondary" type="button" on:click=save>
                    {move || match (new_slug.is_some(), lang.get()) {
                        (true, Lang::Fa) => "افزودن",
                        (true, Lang::En) => "Add",
                        (false, Lang::Fa) => "ذخیره",
                        (false, Lang::En) => "Save",
                    }}
                </button>
                <span class="error" role="alert">{move || problem.get()}</span>
            </td>
        </tr>
    }
}
