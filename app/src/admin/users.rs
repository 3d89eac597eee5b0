//! Staff accounts: creating them with a role in a district, resetting a
//! password, disabling an account.

use domain::auth::{Grant, NewUser, Role, UserSummary};
use domain::district::DistrictId;
use domain::i18n::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::{Admin, DistrictSelect, act};
use crate::api::{self, ApiError, ErrorBody};
use crate::i18n::{tr, use_lang};

#[component]
pub fn Users(admin: Admin) -> impl IntoView {
    let lang = use_lang();
    let revision = admin.revision;
    let me = crate::session::signed_in_user();
    let users = LocalResource::new(move || async move {
        revision.track();
        api::get::<Vec<UserSummary>>("/api/admin/users").await.ok()
    });
    let disable = move |id: String| act(format!("/api/admin/users/{id}/disable"), admin);
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
                    // Keyed rows: a refresh of the list (after any action on
                    // the page) keeps the rows that did not change, with a
                    // half-typed new password in them.
                    <For
                        each=move || users.get().flatten().unwrap_or_default()
                        key=|user| (user.id.clone(), user.disabled, user.display_name.clone())
                        let(user)
                    >
                    {
                        let grants = {
                            let grants = user.grants.clone();
                            move || grants.iter().map(|grant| grant_label(grant, lang.get())).collect::<Vec<_>>().join("، ")
                        };
                        // Nobody disables their own account (the server
                        // refuses it too).
                        let is_me = me.as_deref() == Some(user.id.as_str());
                        let id = user.id.clone();
                        let reset = (!user.disabled).then(|| {
                            let (id, username) = (user.id.clone(), user.username.clone());
                            view! { <PasswordReset id username/> }
                        });
                        view! {
                            <tr data-testid="user-row" data-username=user.username.clone()>
                                <td class="ltr">{user.username.clone()}</td>
                                <td>{user.display_name}</td>
                                <td>{grants}</td>
                                <td>
                                    {match (user.disabled, is_me) {
                                        (true, _) => tr("غیرفعال", "Disabled").into_any(),
                                        (false, true) => tr("حساب شما", "Your account").into_any(),
                                        (false, false) => view! {
                                            <button class="button button-small button-secondary" type="button" on:click=move |_| disable(id.clone())>
                                                {tr("غیرفعال کردن", "Disable")}
                                            </button>
                                        }
                                        .into_any(),
                                    }}
                                    {reset}
                                </td>
                            </tr>
                        }
                    }
                    </For>
                </tbody>
            </table>
        </section>
    }
}

/// A new password for someone who forgot theirs: checked by the same rule
/// as at account creation; their sessions end on every device.
#[component]
fn PasswordReset(id: String, username: String) -> impl IntoView {
    let lang = use_lang();
    let password = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<String>);
    let field = format!("reset-{id}");
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let path = format!("/api/admin/users/{id}/password");
        let body = serde_json::json!({ "password": password.get_untracked() });
        let lang = lang.get_untracked();
        leptos::task::spawn_local(async move {
            outcome.set(Some(
                match api::post::<_, serde_json::Value>(&path, &body).await {
                    Ok(_) => {
                        password.set(String::new());
                        match lang {
                            Lang::Fa => {
                                "گذرواژهٔ تازه ثبت شد و نشست‌های این کاربر بسته شد.".to_string()
                            }
                            Lang::En => "The new password is set; this user's sessions were ended."
                                .to_string(),
                        }
                    }
                    Err(error) => error.explain(lang),
                },
            ));
        });
    };
    view! {
        <details class="action" data-testid="password-reset">
            <summary>{tr("گذرواژهٔ تازه", "New password")}</summary>
            <form class="form" novalidate on:submit=save>
                <div class="field">
                    <label for=field.clone()>
                        {move || match lang.get() {
                            Lang::Fa => format!("گذرواژهٔ تازه برای {username}"),
                            Lang::En => format!("New password for {username}"),
                        }}
                    </label>
                    <input id=field type="password" class="ltr" autocomplete="new-password"
                        prop:value=move || password.get()
                        on:input=move |event| password.set(event_target_value(&event))/>
                </div>
                <p role="status">{move || outcome.get()}</p>
                <button class="button button-small" type="submit">{tr("ثبت گذرواژه", "Set password")}</button>
            </form>
        </details>
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
pub fn NewUserForm(revision: RwSignal<u32>) -> impl IntoView {
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
                Err(
                    ApiError::Refused { body, .. }
                    | ApiError::Unavailable {
                        body: Some(body), ..
                    },
                ) => {
                    created.set(None);
                    problems.set(Some(body));
                }
                Err(_) => created.set(None),
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
                <DistrictSelect id="user-district" district disabled=Signal::derive(move || role.get().spans_all_districts())/>
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
