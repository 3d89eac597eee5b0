//! The staff home: the areas of the signed-in person's roles (DESIGN §3),
//! and the table that maps each area's slug to its capability module's
//! screen (`review`, `screening`, `calls`, `checkin`, `followup`, `admin`), here or in the whole app's bundle. An area's screen gets the rest of the address
//! (`/staff/{area}/{section}/{id}`) and reads its sections itself. The
//! server refuses what a role may not do; this only hides it.

use leptos::prelude::*;

use domain::auth::{Grant, Profile, Role};
use domain::i18n::Lang;

use crate::auth::{SignOutButton, use_auth};
use crate::i18n::{tr, use_lang};
use crate::nav::AreaPath;
use crate::session;
use crate::ui::NotFound;

struct Area {
    slug: &'static str,
    /// Who works here; administrators see every area.
    roles: &'static [Role],
    name: (&'static str, &'static str),
    work: (&'static str, &'static str),
    screen: Screen,
}

/// Where an area's screen is.
#[derive(Clone, Copy)]
enum Screen {
    /// In this bundle: the screen, given the signed-in profile and the
    /// address.
    Here(fn(Profile, AreaPath) -> AnyView),
    /// In the whole app's bundle, which the server serves at the area's
    /// address: a field device's bundle leaves the committees' and the
    /// administrators' screens out (DESIGN §7 budgets it apart).
    #[cfg(not(feature = "staff"))]
    Elsewhere,
}

#[cfg(feature = "staff")]
const REVIEW: Screen = Screen::Here(crate::review::area);
#[cfg(not(feature = "staff"))]
const REVIEW: Screen = Screen::Elsewhere;
#[cfg(feature = "staff")]
const SCREENING: Screen = Screen::Here(crate::screening::area);
#[cfg(not(feature = "staff"))]
const SCREENING: Screen = Screen::Elsewhere;
#[cfg(feature = "staff")]
const CALLS: Screen = Screen::Here(crate::calls::area);
#[cfg(not(feature = "staff"))]
const CALLS: Screen = Screen::Elsewhere;
#[cfg(feature = "staff")]
const FOLLOWUP: Screen = Screen::Here(crate::followup::area);
#[cfg(not(feature = "staff"))]
const FOLLOWUP: Screen = Screen::Elsewhere;
#[cfg(feature = "staff")]
const ADMIN: Screen = Screen::Here(crate::admin::area);
#[cfg(not(feature = "staff"))]
const ADMIN: Screen = Screen::Elsewhere;

const AREAS: [Area; 6] = [
    Area {
        slug: "review",
        roles: &[Role::ReviewCommittee],
        name: ("کمیتهٔ اجرایی", "Executive committee"),
        work: (
            "بررسی درخواست‌های تازه و پیوند هر یک به پروندهٔ موجود منطقه.",
            "Review new requests and link each to the district's existing case file.",
        ),
        screen: REVIEW,
    },
    Area {
        slug: "screening",
        roles: &[Role::ScreeningCommittee],
        name: ("کمیتهٔ تشخیص", "Screening committee"),
        work: (
            "ارجاع هر درخواست به حوزهٔ معاونت مربوط و انتخاب شرکت‌کنندگان هر دیدار.",
            "Route each request to its deputy's domain and select each meeting's attendees.",
        ),
        screen: SCREENING,
    },
    Area {
        slug: "calls",
        roles: &[Role::CallCenter],
        name: ("سامانهٔ ۱۳۷", "137 call centre"),
        work: (
            "تماس با دعوت‌شدگان و ثبت نتیجهٔ هر تماس.",
            "Phone the invitees and record each call's outcome.",
        ),
        screen: CALLS,
    },
    Area {
        slug: "checkin",
        roles: &[Role::FieldStaff],
        name: ("پذیرش روز دیدار", "Meeting-day check-in"),
        work: (
            "پذیرش حاضران و ثبت فرم درخواست، حتی بدون اینترنت.",
            "Check attendees in and record request forms, even offline.",
        ),
        screen: Screen::Here(crate::checkin::area),
    },
    Area {
        slug: "followup",
        roles: &[Role::FollowupCommittee, Role::DistrictManager],
        name: ("کمیتهٔ پیگیری", "Follow-up committee"),
        work: (
            "پیگیری نتیجهٔ هر ارجاع تا یک ماه و گزارش به دفتر شهردار.",
            "Follow each referral's result within a month and report to the mayor's office.",
        ),
        screen: FOLLOWUP,
    },
    Area {
        slug: "admin",
        roles: &[Role::Administrator],
        name: ("مدیریت سامانه", "Administration"),
        work: (
            "مناطق، دیدارها، بازهٔ ثبت‌نام، کاربران، دستگاه‌ها و گزارش‌ها.",
            "Districts, meetings, the registration window, users, devices and reports.",
        ),
        screen: ADMIN,
    },
];

fn may_enter(profile: &Profile, area: &Area) -> bool {
    area.roles.iter().any(|role| session::holds(profile, *role))
        || session::holds(profile, Role::Administrator)
}

#[component]
pub fn StaffHome() -> impl IntoView {
    let auth = use_auth();
    move || match auth.profile.get() {
        None => view! { <SignInFirst/> }.into_any(),
        Some(profile) => view! { <Home profile/> }.into_any(),
    }
}

#[component]
fn SignInFirst() -> impl IntoView {
    view! {
        <h1>{tr("بخش کارکنان", "Staff")}</h1>
        <p class="lead">
            <a href="/staff/sign-in">{tr("ابتدا وارد شوید.", "Sign in first.")}</a>
            " "
            {tr(
                "هر کس فقط بخش‌ها و مناطقی را می‌بیند که به او سپرده شده است.",
                "Each person sees only the areas and districts assigned to them.",
            )}
        </p>
    }
}

#[component]
fn Home(profile: Profile) -> impl IntoView {
    let lang = use_lang();
    let pending = crate::sync::use_pending();
    let grants = profile.grants.clone();
    let areas: Vec<&'static Area> = AREAS
        .iter()
        .filter(|area| may_enter(&profile, area))
        .collect();
    view! {
        <h1 data-testid="staff-home">{profile.display_name.clone()}</h1>
        <p class="lead" data-testid="grants">
            {move || grants.iter().map(|grant| grant_text(grant, lang.get())).collect::<Vec<_>>().join("، ")}
        </p>
        <div class="cards">
            {areas.into_iter().map(|area| view! {
                <a href=format!("/staff/{}", area.slug) class="card card-link">
                    <h2>{tr(area.name.0, area.name.1)}</h2>
                    <p>{tr(area.work.0, area.work.1)}</p>
                </a>
            }).collect_view()}
        </div>
        <crate::sync::SyncPanel/>
        <p class="actions"><SignOutButton pending/></p>
        <details class="action">
            <summary>{tr("این دستگاه", "This device")}</summary>
            <p>{tr(
                "اگر این دستگاه دیگر برای کار استفاده نمی‌شود یا به دیگری سپرده می‌شود، داده‌های برنامه را از آن پاک کنید.",
                "If this device is no longer used for this work or is handed to someone else, clear the app's data from it.",
            )}</p>
            <crate::sync::ClearDeviceButton/>
        </details>
    }
}

fn grant_text(grant: &Grant, lang: Lang) -> String {
    let role = grant.role.name(lang);
    match (grant.district, lang) {
        (None, Lang::Fa) => format!("{role}، همهٔ مناطق"),
        (None, Lang::En) => format!("{role}, all districts"),
        (Some(district), Lang::Fa) => {
            format!(
                "{role}، منطقهٔ {}",
                domain::text::to_persian_digits(&district.number().to_string())
            )
        }
        (Some(district), Lang::En) => format!("{role}, district {}", district.number()),
    }
}

#[component]
pub fn AreaPage(path: AreaPath) -> impl IntoView {
    let auth = use_auth();
    move || {
        let Some(area) = AREAS.iter().find(|area| area.slug == path.area) else {
            return view! { <NotFound/> }.into_any();
        };
        match (auth.profile.get(), area.screen) {
            (None, _) => view! { <SignInFirst/> }.into_any(),
            (Some(profile), _) if !may_enter(&profile, area) => view! {
                <section class="card">
                    <h1>{tr(area.name.0, area.name.1)}</h1>
                    <p>{tr("این بخش به شما سپرده نشده است.", "This area is not assigned to you.")}</p>
                </section>
            }
            .into_any(),
            (Some(profile), Screen::Here(screen)) => screen(profile, path.clone()),
            #[cfg(not(feature = "staff"))]
            (Some(_), Screen::Elsewhere) => view! { <crate::ui::Elsewhere/> }.into_any(),
        }
    }
}
