//! The staff home: one area per role (DESIGN §3). Each area becomes its own
//! capability module (`review`, `screening`, `calls`, `checkin`,
//! `followup`, `admin`) as it is built; until then it stands here.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::i18n::tr;
use crate::shell::{Coming, NotFound};

struct Area {
    slug: &'static str,
    name: (&'static str, &'static str),
    work: (&'static str, &'static str),
}

const AREAS: [Area; 6] = [
    Area {
        slug: "review",
        name: ("کمیتهٔ اجرایی", "Executive committee"),
        work: (
            "بررسی درخواست‌های تازه و پیوند هر یک به پروندهٔ موجود منطقه.",
            "Review new requests and link each to the district's existing case file.",
        ),
    },
    Area {
        slug: "screening",
        name: ("کمیتهٔ تشخیص", "Screening committee"),
        work: (
            "ارجاع هر درخواست به حوزهٔ معاونت مربوط و انتخاب شرکت‌کنندگان هر دیدار.",
            "Route each request to its deputy's domain and select each meeting's attendees.",
        ),
    },
    Area {
        slug: "calls",
        name: ("سامانهٔ ۱۳۷", "137 call centre"),
        work: (
            "تماس با دعوت‌شدگان و ثبت نتیجهٔ هر تماس.",
            "Phone the invitees and record each call's outcome.",
        ),
    },
    Area {
        slug: "checkin",
        name: ("پذیرش روز دیدار", "Meeting-day check-in"),
        work: (
            "پذیرش حاضران و ثبت فرم درخواست، حتی بدون اینترنت.",
            "Check attendees in and record request forms, even offline.",
        ),
    },
    Area {
        slug: "followup",
        name: ("کمیتهٔ پیگیری", "Follow-up committee"),
        work: (
            "پیگیری نتیجهٔ هر ارجاع تا یک ماه و گزارش به دفتر شهردار.",
            "Follow each referral's result within a month and report to the mayor's office.",
        ),
    },
    Area {
        slug: "admin",
        name: ("مدیریت سامانه", "Administration"),
        work: (
            "مناطق، دیدارها، بازهٔ ثبت‌نام، کاربران، دستگاه‌ها و گزارش‌ها.",
            "Districts, meetings, the registration window, users, devices and reports.",
        ),
    },
];

#[component]
pub fn StaffHome() -> impl IntoView {
    view! {
        <h1>{tr("بخش کارکنان", "Staff")}</h1>
        <p class="lead">
            <A href="/staff/sign-in">{tr("ابتدا وارد شوید.", "Sign in first.")}</A>
            " "
            {tr(
                "هر کس فقط بخش‌ها و مناطقی را می‌بیند که به او سپرده شده است.",
                "Each person sees only the areas and districts assigned to them.",
            )}
        </p>
        <div class="cards">
            {AREAS
                .iter()
                .map(|area| {
                    view! {
                        <A href=format!("/staff/{}", area.slug) attr:class="card card-link">
                            <h2>{tr(area.name.0, area.name.1)}</h2>
                            <p>{tr(area.work.0, area.work.1)}</p>
                        </A>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn AreaPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.read().get("area").unwrap_or_default();
        match AREAS.iter().find(|area| area.slug == slug) {
            Some(area) => view! { <Coming title=area.name body=area.work/> }.into_any(),
            None => view! { <NotFound/> }.into_any(),
        }
    }
}
