//! Administration (DESIGN §3): staff accounts with their roles and
//! districts (`users`), the devices they use (`devices`), the meetings
//! (`meetings`), the districts' case files (`case_files`) and local
//! trustees (`trustees`), both imported from spreadsheets (`import`),
//! districts and deputy domains (`city`), the weekly registration window
//! (`window`), the text messages sent (`sms`), and the audit log (`audit`).

mod audit;
mod case_files;
mod city;
mod devices;
mod import;
mod meeting_staff;
mod meetings;
mod sms;
mod trustees;
mod users;
mod window;

use domain::auth::Profile;
use domain::district::District;
use domain::registration::RegistrationOptions;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{tr, use_lang};
use crate::nav::AreaPath;
use crate::ui::NotFound;

/// What the page shares: a revision the lists re-read on, and the outcome
/// of the last one-click action.
#[derive(Clone, Copy)]
struct Admin {
    revision: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
}

/// One administration section: its address under `/staff/admin/` and its
/// screen. The first is what `/staff/admin` shows.
struct Section {
    slug: &'static str,
    name: (&'static str, &'static str),
    screen: fn(Admin) -> AnyView,
}

const SECTIONS: [Section; 9] = [
    Section {
        slug: "users",
        name: ("کاربران", "Users"),
        screen: |admin| {
            let revision = admin.revision;
            view! { <users::NewUserForm revision/> <users::Users admin/> }.into_any()
        },
    },
    Section {
        slug: "devices",
        name: ("دستگاه‌ها", "Devices"),
        screen: |admin| view! { <devices::Devices admin/> }.into_any(),
    },
    Section {
        slug: "meetings",
        name: ("دیدارها", "Meetings"),
        screen: |_| view! { <meetings::Meetings/> }.into_any(),
    },
    Section {
        slug: "case-files",
        name: ("پرونده‌ها", "Case files"),
        screen: |_| view! { <case_files::CaseFiles/> }.into_any(),
    },
    Section {
        slug: "trustees",
        name: ("معتمدین", "Trustees"),
        screen: |_| view! { <trustees::Trustees/> }.into_any(),
    },
    Section {
        slug: "city",
        name: ("مناطق و معاونت‌ها", "Districts and deputies"),
        screen: |_| view! { <city::City/> }.into_any(),
    },
    Section {
        slug: "window",
        name: ("بازهٔ ثبت‌نام", "Registration window"),
        screen: |_| view! { <window::WindowSettings/> }.into_any(),
    },
    Section {
        slug: "sms",
        name: ("پیامک‌ها", "Text messages"),
        screen: |admin| {
            let revision = admin.revision;
            view! { <sms::SmsLog revision/> }.into_any()
        },
    },
    Section {
        slug: "audit",
        name: ("گزارش رویدادها", "Audit log"),
        screen: |admin| {
            let revision = admin.revision;
            view! { <audit::AuditLog revision/> }.into_any()
        },
    },
];

/// The area's screen (see `staff`): `/staff/admin/{section}`. No section
/// has detail pages yet.
pub fn area(_profile: Profile, path: AreaPath) -> AnyView {
    let section = match path.section.as_deref() {
        None => Some(&SECTIONS[0]),
        Some(slug) => SECTIONS.iter().find(|section| section.slug == slug),
    };
    match (section, path.id) {
        (Some(section), None) => view! { <AdminPage section/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}

#[component]
fn AdminPage(section: &'static Section) -> impl IntoView {
    let admin = Admin {
        revision: RwSignal::new(0),
        notice: RwSignal::new(None),
    };
    provide_context(City::load());
    view! {
        <h1>{tr("مدیریت سامانه", "Administration")}</h1>
        <nav class="section-nav" aria-label=tr("بخش‌های مدیریت", "Administration sections")>
            {SECTIONS.iter().map(|each| view! {
                <a
                    href=AreaPath::href("admin", each.slug)
                    aria-current=(each.slug == section.slug).then_some("page")
                >
                    {tr(each.name.0, each.name.1)}
                </a>
            }).collect_view()}
        </nav>
        <p class="notice" role="status" data-testid="admin-notice">{move || admin.notice.get()}</p>
        <CityProblem/>
        {(section.screen)(admin)}
    }
}

/// The city as the server holds it — districts and deputy domains, the
/// registration form's own lists — loaded once for every section that
/// offers a district, and re-read after a rename.
#[derive(Clone, Copy)]
struct City(LocalResource<Result<RegistrationOptions, ApiError>>);

impl City {
    fn load() -> City {
        City(LocalResource::new(|| {
            api::get::<RegistrationOptions>("/api/registrations/options")
        }))
    }

    fn districts(self) -> Signal<Vec<District>> {
        Signal::derive(move || {
            self.0
                .get()
                .and_then(Result::ok)
                .map(|options| options.districts)
                .unwrap_or_default()
        })
    }
}

fn use_city() -> City {
    expect_context::<City>()
}

/// Said above the section when the city could not be loaded: without it
/// no district can be chosen.
#[component]
fn CityProblem() -> impl IntoView {
    let city = use_city();
    let lang = use_lang();
    move || {
        let Some(Err(error)) = city.0.get() else {
            return None;
        };
        Some(view! {
            <p class="alert-error" role="alert" data-testid="city-error">
                {tr("فهرست مناطق دریافت نشد: ", "The districts could not be loaded: ")}
                {error.explain(lang.get())}
                " "
                <button class="button button-small button-secondary" type="button" on:click=move |_| city.0.refetch()>
                    {tr("دوباره تلاش کنید", "Try again")}
                </button>
            </p>
        })
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
        let outcome = api::post::<_, api::NoContent>(&path, &body).await;
        admin
            .notice
            .set(outcome.err().map(|error| error.explain(lang)));
        admin.revision.update(|r| *r += 1);
    });
}
