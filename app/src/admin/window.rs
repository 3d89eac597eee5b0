//! The weekly registration window and its grace period.

use chrono::{NaiveTime, Weekday};
use domain::i18n::Lang;
use domain::registration::{WindowRule, WindowSetting};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::ui::controls::TextField;

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
pub fn WindowSettings() -> impl IntoView {
    let lang = use_lang();
    let setting =
        LocalResource::new(|| api::get::<WindowSetting>("/api/admin/registration-window"));
    let rule = RwSignal::new(None::<WindowRule>);
    let overridden = RwSignal::new(false);
    // Typed as text, read when saved.
    let grace = RwSignal::new(String::new());
    let grace_error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(Ok(loaded)) = setting.get() {
            overridden.set(loaded.overridden);
            grace.set(loaded.rule.grace_hours.to_string());
            rule.set(Some(loaded.rule));
        }
    });
    let save = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(mut sent) = rule.get_untracked() else {
            return;
        };
        match domain::text::normalize_input(&grace.get_untracked()).parse() {
            Ok(hours) => {
                sent.grace_hours = hours;
                grace_error.set(None);
            }
            Err(_) => {
                let said = match lang.get_untracked() {
                    Lang::Fa => "شمار ساعت‌ها را با عدد بنویسید.",
                    Lang::En => "Write the number of hours.",
                };
                return grace_error.set(Some(said.to_string()));
            }
        }
        leptos::task::spawn_local(async move {
            let text = match api::put::<_, api::NoContent>("/api/admin/registration-window", &sent)
                .await
            {
                Ok(_) => match lang.get_untracked() {
                    Lang::Fa => "بازهٔ ثبت‌نام ذخیره شد.".to_string(),
                    Lang::En => "The registration window was saved.".to_string(),
                },
                Err(error) => error.explain(lang.get_untracked()),
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
            {move || match setting.get() {
                Some(Err(error)) => Some(view! {
                    <p class="alert-error" role="alert" data-testid="window-error">
                        {tr("بازهٔ ذخیره‌شده دریافت نشد: ", "The saved window could not be loaded: ")}
                        {error.explain(lang.get())}
                        " "
                        <button class="button button-small button-secondary" type="button" on:click=move |_| setting.refetch()>
                            {tr("دوباره تلاش کنید", "Try again")}
                        </button>
                    </p>
                }),
                _ => None,
            }}
            <Show when=move || overridden.get()>
                <p class="notice">{tr("پیکربندی سرور این بازه را جایگزین کرده است؛ تغییر اینجا تا برداشتن آن اثری ندارد.", "The server's configuration overrides this window; changes here apply once it is removed.")}</p>
            </Show>
            {day("window-opens-on", ("روز آغاز", "Opens on"), |r| r.opens_on, |r, d| r.opens_on = d)}
            {time("window-opens-at", ("ساعت آغاز", "Opens at"), |r| r.opens_at, |r, t| r.opens_at = t)}
            {day("window-closes-on", ("روز پایان", "Closes on"), |r| r.closes_on, |r, d| r.closes_on = d)}
            {time("window-closes-at", ("ساعت پایان (تا پایان همان دقیقه)", "Closes at (end of that minute)"), |r| r.closes_at, |r, t| r.closes_at = t)}
            <TextField id="window-grace" label=tr("مهلت ارسال درخواست‌های آفلاین (ساعت)", "Grace for offline requests (hours)")
                kind="number" ltr=true value=grace error=grace_error/>
            <p role="status">{move || outcome.get()}</p>
            <button class="button" type="submit">{tr("ذخیره", "Save")}</button>
        </form>
    }
}
