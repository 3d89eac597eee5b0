//! Who works at a meeting (issue 12): the district's active field staff,
//! ticked on or off. Their devices download the meeting's roster at their
//! next sync; a device of someone taken off drops it.

use domain::auth::{Role, UserSummary};
use domain::i18n::Lang;
use domain::ids::UserId;
use domain::meeting::{Meeting, MeetingStaff};
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};

#[component]
pub fn MeetingStaffForm(meeting: Meeting, on_close: impl Fn() + Copy + 'static) -> impl IntoView {
    let lang = use_lang();
    let district = meeting.plan.district;
    let path = format!("/api/admin/meetings/{}/staff", meeting.id);
    let loaded = LocalResource::new({
        let path = path.clone();
        move || {
            let path = path.clone();
            async move {
                let users = api::get::<Vec<UserSummary>>("/api/admin/users").await?;
                let assigned = api::get::<MeetingStaff>(&path).await?;
                Ok::<_, api::ApiError>((users, assigned))
            }
        }
    });
    let chosen = RwSignal::new(Vec::<UserId>::new());
    let outcome = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(Ok((_, assigned))) = loaded.get() {
            chosen.set(assigned.users);
        }
    });
    let path = StoredValue::new(path);
    let save = move |_| {
        let body = MeetingStaff {
            users: chosen.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let lang = lang.get_untracked();
            let said = match api::put::<_, MeetingStaff>(&path.get_value(), &body).await {
                Ok(_) => match lang {
                    Lang::Fa => "کارشناسان این دیدار ثبت شدند؛ دستگاه‌هایشان در همگام‌سازی بعدی فهرست را دریافت می‌کنند.".to_string(),
                    Lang::En => "Saved; their devices get the roster at their next sync.".to_string(),
                },
                Err(error) => error.explain(lang),
            };
            outcome.set(Some(said));
        });
    };
    view! {
        <section class="card" aria-labelledby="meeting-staff-title" data-testid="meeting-staff">
            <h3 id="meeting-staff-title">
                {tr("کارشناسان پذیرش این دیدار: ", "Field staff of this meeting: ")}
                {meeting.plan.venue.clone()}
            </h3>
            {move || match loaded.get() {
                None => view! { <p>{tr("در حال خواندن…", "Reading…")}</p> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="alert-error" role="alert">{error.explain(lang.get())}
                        " "
                        <button class="button button-small button-secondary" type="button" on:click=move |_| loaded.refetch()>
                            {tr("دوباره تلاش کنید", "Try again")}
                        </button>
                    </p>
                }.into_any(),
                Some(Ok((users, _))) => {
                    let field_staff: Vec<UserSummary> = users
                        .into_iter()
                        .filter(|user| !user.disabled && user.grants.iter().any(|g| g.allows(Role::FieldStaff, district)))
                        .collect();
                    if field_staff.is_empty() {
                        return view! { <p>{tr(
                            "این منطقه کارشناس پذیرش فعالی ندارد؛ نخست در بخش کاربران یکی بسازید.",
                            "This district has no active field staff; add one under Users first.",
                        )}</p> }.into_any();
                    }
                    view! {
                        <fieldset>
                            <legend>{tr("چه کسانی در این دیدار کار می‌کنند؟", "Who works at this meeting?")}</legend>
                            {field_staff.into_iter().filter_map(|user| {
                                let id = UserId::parse(&user.id).ok()?;
                                let field = format!("meeting-staff-{}", user.id);
                                let toggled = id.clone();
                                let checked = id.clone();
                                Some(view! {
                                    <div class="field-check">
                                        <input type="checkbox" id=field.clone() data-testid="meeting-staff-user"
                                            prop:checked=move || chosen.with(|c| c.contains(&checked))
                                            on:change=move |event| {
                                                let on = event_target_checked(&event);
                                                chosen.update(|c| {
                                                    c.retain(|u| *u != toggled);
                                                    if on {
                                                        c.push(toggled.clone());
                                                    }
                                                });
                                            }/>
                                        <label for=field>{user.display_name.clone()} " (" <span class="ltr">{user.username.clone()}</span> ")"</label>
                                    </div>
                                })
                            }).collect_view()}
                        </fieldset>
                    }.into_any()
                }
            }}
            <p role="status" data-testid="meeting-staff-outcome">{move || outcome.get()}</p>
            <button class="button" type="button" data-testid="meeting-staff-save" on:click=save>{tr("ثبت", "Save")}</button>
            " "
            <button class="button button-secondary" type="button" on:click=move |_| on_close()>{tr("بستن", "Close")}</button>
        </section>
    }
}
