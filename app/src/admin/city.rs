//! Districts and deputy domains, by name.

use domain::district::Names;
use domain::i18n::{Lang, Localized};
use leptos::prelude::*;

use super::use_city;
use crate::api;
use crate::i18n::{tr, use_lang};

/// A name pair and where to save it (`PUT` with [`Names`]).
#[derive(Clone)]
struct Named {
    path: String,
    label: String,
    names: Names,
}

/// Districts and deputy domains by name. The lists are the registration
/// form's own (`/api/registrations/options`), so what is saved here is what
/// citizens choose from.
#[component]
pub fn City() -> impl IntoView {
    let city = use_city();
    let new_slug = RwSignal::new(String::new());
    let rows = move || {
        let options = city.0.get()?.ok()?;
        let districts = options.districts.into_iter().map(|district| Named {
            path: format!("/api/admin/districts/{}", district.id.number()),
            label: district.id.number().to_string(),
            names: Names {
                name_fa: district.name_fa,
                name_en: district.name_en,
            },
        });
        let deputies = options.deputies.into_iter().map(|deputy| Named {
            path: format!("/api/admin/deputies/{}", deputy.slug),
            label: deputy.slug,
            names: Names {
                name_fa: deputy.name_fa,
                name_en: deputy.name_en,
            },
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
                    {move || rows().unwrap_or_default().into_iter().map(|row| view! { <NamedRow row/> }).collect_view()}
                    <NamedRow
                        row=Named { path: String::new(), label: String::new(), names: Names::default() }
                        new_slug
                    />
                </tbody>
            </table>
        </section>
    }
}

/// One editable name pair; with `new_slug`, the row that adds a domain.
#[component]
fn NamedRow(row: Named, #[prop(optional)] new_slug: Option<RwSignal<String>>) -> impl IntoView {
    let lang = use_lang();
    let city = use_city();
    let name_fa = RwSignal::new(row.names.name_fa.clone());
    let name_en = RwSignal::new(row.names.name_en.clone());
    let problem = RwSignal::new(None::<String>);
    let label = row.label.clone();
    let save = move |_| {
        let path = match new_slug {
            Some(slug) => format!("/api/admin/deputies/{}", slug.get_untracked().trim()),
            None => row.path.clone(),
        };
        let typed = Names {
            name_fa: name_fa.get_untracked(),
            name_en: name_en.get_untracked(),
        };
        // The server's own rule, checked here first.
        let names = match typed.checked() {
            Ok(names) => names,
            Err(problem_here) => {
                return problem.set(Some(problem_here.message(lang.get_untracked()).to_string()));
            }
        };
        leptos::task::spawn_local(async move {
            match api::put::<_, api::NoContent>(&path, &names).await {
                Ok(_) => {
                    problem.set(None);
                    // Every district list on the page re-reads the names.
                    city.0.refetch();
                }
                Err(failure) => problem.set(Some(failure.explain(lang.get_untracked()))),
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
