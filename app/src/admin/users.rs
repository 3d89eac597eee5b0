//! Staff accounts: creating them with a role in a district, resetting a
//! password, disabling an account.

use domain::auth::{Grant, NewUser, PasswordReset, Role, UserSummary};
use domain::i18n::Lang;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::{Admin, act, use_city};
use crate::api::{self, ApiError, ErrorBody};
use crate::i18n::{tr, use_lang};
use crate::ui::controls::{SelectField, TextField};
use crate::ui::district_field::{DistrictField, chosen_district};
use crate::ui::table::{Column, DataTable};

#[component]
pub fn Users(admin: Admin) -> impl IntoView {
    let revision = admin.revision;
    let rows = LocalResource::new(move || {
        revision.track();
        api::get::<Vec<UserSummary>>("/api/admin/users")
    });
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">{tr("کاربران", "Users")}</h2>
            <DataTable
                testid="users"
                columns=vec![
                    Column::new("نام کاربری", "Username"),
                    Column::new("نام", "Name"),
                    Column::new("نقش‌ها", "Roles"),
                    Column::new("حساب", "Account"),
                ]
                rows
                // A refresh of the list (after any action on the page)
                // keeps the rows that did not change, with a half-typed new
                // password in them.
                key=|user: &UserSummary| (user.id.clone(), user.disabled, user.display_name.clone())
                row=move |user| view! { <UserRow user admin/> }
                empty=("هنوز کاربری نیست.", "No users yet.")
            />
        </section>
    }
}

#[component]
fn UserRow(user: UserSummary, admin: Admin) -> impl IntoView {
    let lang = use_lang();
    // Nobody disables their own account (the server refuses it too).
    let is_me = crate::session::signed_in_user().is_some_and(|me| me.as_str() == user.id);
    let grants = user.grants.clone();
    let grants = move || {
        grants
            .iter()
            .map(|grant| grant_label(grant, lang.get()))
            .collect::<Vec<_>>()
            .join("، ")
    };
    let id = user.id.clone();
    let disable = move |_| act(format!("/api/admin/users/{id}/disable"), admin);
    let reset = (!user.disabled).then(|| {
        let (id, username) = (user.id.clone(), user.username.clone());
        view! { <PasswordResetForm id username/> }
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
                        <button class="button button-small button-secondary" type="button" on:click=disable>
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

/// A new password for someone who forgot theirs: checked by the same rule
/// as at account creation; their sessions end on every device.
#[component]
fn PasswordResetForm(id: String, username: String) -> impl IntoView {
    let lang = use_lang();
    let password = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<String>);
    let field = format!("reset-{id}");
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let path = format!("/api/admin/users/{id}/password");
        let body = PasswordReset {
            password: password.get_untracked(),
        };
        let lang = lang.get_untracked();
        leptos::task::spawn_local(async move {
            let said = match api::post::<_, api::NoContent>(&path, &body).await {
                Ok(_) => {
                    password.set(String::new());
                    match lang {
                        Lang::Fa => "گذرواژهٔ تازه ثبت شد و نشست‌های این کاربر بسته شد.",
                        Lang::En => "The new password is set; this user's sessions were ended.",
                    }
                    .to_string()
                }
                Err(error) => error.explain(lang),
            };
            outcome.set(Some(said));
        });
    };
    let label = move || match lang.get() {
        Lang::Fa => format!("گذرواژهٔ تازه برای {username}"),
        Lang::En => format!("New password for {username}"),
    };
    view! {
        <details class="action" data-testid="password-reset">
            <summary>{tr("گذرواژهٔ تازه", "New password")}</summary>
            <form class="form" novalidate on:submit=save>
                <TextField id=field label value=password kind="password" ltr=true autocomplete="new-password"/>
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

/// The fields of a new account as typed.
#[derive(Clone, Copy)]
struct Draft {
    username: RwSignal<String>,
    display_name: RwSignal<String>,
    password: RwSignal<String>,
    role: RwSignal<String>,
    district: RwSignal<String>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            username: RwSignal::new(String::new()),
            display_name: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            district: RwSignal::new(String::new()),
        }
    }

    fn role(self) -> Option<Role> {
        self.role.with(|code| Role::from_code(code))
    }

    /// The account to send, or the choice still to make before the server
    /// is asked.
    fn to_send(self) -> Result<NewUser, Unchosen> {
        let role = self.role().ok_or(Unchosen::Role)?;
        let district = chosen_district(&self.district.get_untracked());
        let district = match (role.spans_all_districts(), district) {
            (true, _) => None,
            (false, Some(district)) => Some(district),
            (false, None) => return Err(Unchosen::District),
        };
        Ok(NewUser {
            username: self.username.get_untracked(),
            display_name: self.display_name.get_untracked(),
            password: self.password.get_untracked(),
            grants: vec![Grant { role, district }],
        })
    }

    fn clear(self) {
        for field in [self.username, self.display_name, self.password] {
            field.set(String::new());
        }
    }
}

/// A choice the form needs before it can be sent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unchosen {
    Role,
    District,
}

impl Unchosen {
    fn field(self) -> &'static str {
        match self {
            Unchosen::Role => "role",
            Unchosen::District => "district",
        }
    }

    fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Unchosen::Role, Lang::Fa) => "نقش این کاربر را انتخاب کنید.",
            (Unchosen::Role, Lang::En) => "Choose this user's role.",
            (Unchosen::District, Lang::Fa) => "منطقهٔ این کاربر را انتخاب کنید.",
            (Unchosen::District, Lang::En) => "Choose this user's district.",
        }
    }
}

#[component]
pub fn NewUserForm(revision: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let city = use_city();
    let draft = Draft::new();
    // What the server refused, and what the form found missing itself.
    let problems = RwSignal::new(None::<ErrorBody>);
    let unchosen = RwSignal::new(None::<Unchosen>);
    let failed = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<String>);

    // The server names a bad grant `grants`: it is the district's field.
    let error_of = move |names: &'static [&'static str]| {
        Signal::derive(move || {
            let lang = lang.get();
            if let Some(missing) = unchosen.get().filter(|m| names.contains(&m.field())) {
                return Some(missing.message(lang).to_string());
            }
            problems.with(|body| {
                body.as_ref()?
                    .fields
                    .iter()
                    .find(|field| names.contains(&field.field.as_str()))
                    .map(|field| field.message.get(lang).to_string())
            })
        })
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        created.set(None);
        failed.set(None);
        problems.set(None);
        let sent = match draft.to_send() {
            Ok(sent) => sent,
            Err(missing) => return unchosen.set(Some(missing)),
        };
        unchosen.set(None);
        leptos::task::spawn_local(async move {
            match api::post::<_, UserSummary>("/api/admin/users", &sent).await {
                Ok(summary) => {
                    problems.set(None);
                    created.set(Some(summary.username));
                    draft.clear();
                    revision.update(|r| *r += 1);
                }
                Err(
                    ApiError::Refused { body, .. }
                    | ApiError::Unavailable {
                        body: Some(body), ..
                    },
                ) => problems.set(Some(body)),
                Err(failure) => failed.set(Some(failure.explain(lang.get_untracked()))),
            }
        });
    };
    let roles = Signal::derive(move || {
        Role::ALL
            .into_iter()
            .map(|role| (role.code().to_string(), role.name(lang.get()).to_string()))
            .collect()
    });
    let all_districts = Signal::derive(move || draft.role().is_some_and(Role::spans_all_districts));
    view! {
        <form class="card form" novalidate on:submit=submit data-testid="new-user-form">
            <h2>{tr("کاربر تازه", "New user")}</h2>
            <TextField id="user-username" label=tr("نام کاربری", "Username") value=draft.username ltr=true error=error_of(&["username"])/>
            <TextField id="user-display_name" label=tr("نام و نام خانوادگی", "Full name") value=draft.display_name error=error_of(&["display_name"])/>
            <TextField id="user-password" label=tr("گذرواژهٔ نخست (دست‌کم ۱۲ نویسه)", "First password (12 characters or more)")
                value=draft.password kind="password" ltr=true autocomplete="new-password" error=error_of(&["password"])/>
            <SelectField id="user-role" label=tr("نقش", "Role") value=draft.role options=roles error=error_of(&["role"])/>
            <DistrictField id="user-district" value=draft.district districts=city.districts()
                error=error_of(&["district", "grants"]) disabled=all_districts/>
            <p class="error" role="alert">
                {move || failed.get().or_else(|| problems.with(|body| body.as_ref().filter(|b| b.fields.is_empty()).map(|b| b.message.get(lang.get()).to_string())))}
            </p>
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
