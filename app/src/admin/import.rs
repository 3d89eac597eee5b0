//! Importing a district's table from its spreadsheet (the case files,
//! the local trustees): the file is sent as it is and the server checks
//! every row with the domain's parsers; a file with bad rows imports
//! nothing, and every problem is listed with its line so the whole file is
//! fixed in one pass.

use domain::i18n::Lang;
use domain::import::{Column, ImportReport, RowProblem};
use domain::text::localize_digits;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::use_city;
use crate::api::{self, ApiError};
use crate::i18n::{tr, use_lang};
use crate::ui::district_field::{DistrictField, chosen_district};

/// The most problems listed on screen: a file wrong throughout says so
/// long before its 50,000th line.
const SHOWN_PROBLEMS: usize = 200;

/// What the last import came to.
#[derive(Clone)]
enum Outcome {
    Imported(ImportReport),
    /// Refused, with the server's reason and the file's problems.
    Refused(String, Vec<RowProblem>),
}

/// What one import is of.
pub struct Table {
    /// Its address under `/api/admin/`, and the prefix of its test ids.
    pub path: &'static str,
    pub columns: &'static [Column],
    /// What the report calls the rows it added ("۲ پروندهٔ تازه").
    pub added: (&'static str, &'static str),
}

/// The form that imports `table` into the district chosen in `district`;
/// `revision` moves on after each import that succeeded.
#[component]
pub fn SpreadsheetImport(
    table: &'static Table,
    district: RwSignal<String>,
    revision: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let city = use_city();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let missing = RwSignal::new(None::<(&'static str, &'static str)>);
    let outcome = RwSignal::new(None::<Outcome>);
    let working = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        outcome.set(None);
        let Some(district) = chosen_district(&district.get_untracked()) else {
            return missing.set(Some(("منطقه را انتخاب کنید.", "Choose the district.")));
        };
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            return missing.set(Some(("فایل CSV را انتخاب کنید.", "Choose the CSV file.")));
        };
        missing.set(None);
        working.set(true);
        let path = format!("/api/admin/{}/{}", table.path, district.number());
        leptos::task::spawn_local(async move {
            let sent = api::send_file::<ImportReport>("POST", &path, &file, "text/csv").await;
            let lang = lang.get_untracked();
            outcome.set(Some(match sent {
                Ok(report) => {
                    revision.update(|r| *r += 1);
                    Outcome::Imported(report)
                }
                Err(ApiError::Refused { body, .. }) => {
                    Outcome::Refused(body.message.get(lang).to_string(), body.rows)
                }
                Err(error) => Outcome::Refused(error.explain(lang), Vec::new()),
            }));
            working.set(false);
        });
    };
    let template = move || {
        let lang = lang.get();
        let header = table.columns.iter().map(|column| match lang {
            Lang::Fa => column.fa.to_string(),
            Lang::En => column.en.to_string(),
        });
        crate::ui::csv_href(&domain::csv::line(header))
    };
    let id = move |name: &str| format!("{}-{name}", table.path);
    view! {
        <p>
            <a class="button button-secondary button-small" href=template download=format!("{}-template.csv", table.path)
                data-testid=id("template")>
                {tr("دریافت نمونهٔ ستون‌ها", "Download the column template")}
            </a>
        </p>
        <form class="card form" novalidate on:submit=submit data-testid=id("form")>
            <DistrictField id=id("district") value=district districts=city.districts()/>
            <div class="field">
                <label for=id("file")>{tr("فایل CSV", "CSV file")}</label>
                <input id=id("file") type="file" accept=".csv,.txt,text/csv,text/plain"
                    node_ref=file_input data-testid=id("file")/>
            </div>
            <p class="error" role="alert">{move || missing.get().map(|(fa, en)| tr(fa, en)())}</p>
            <button class="button" type="submit" disabled=move || working.get() data-testid=id("import")>
                {move || if working.get() {
                    tr("در حال وارد کردن…", "Importing…")()
                } else {
                    tr("وارد کردن", "Import")()
                }}
            </button>
        </form>
        {move || outcome.get().map(|outcome| view! { <ImportOutcome table outcome/> })}
    }
}

#[component]
fn ImportOutcome(table: &'static Table, outcome: Outcome) -> impl IntoView {
    let lang = use_lang();
    match outcome {
        Outcome::Imported(report) => view! {
            <p class="notice" role="status" data-testid=format!("{}-report", table.path)>
                {move || report_text(report, table.added, lang.get())}
            </p>
        }
        .into_any(),
        Outcome::Refused(reason, problems) => {
            let total = problems.len();
            let shown: Vec<RowProblem> = problems.into_iter().take(SHOWN_PROBLEMS).collect();
            view! {
                <div class="alert-error" role="alert" data-testid=format!("{}-refused", table.path)>
                    <p>{reason}</p>
                    {(!shown.is_empty()).then(|| view! {
                        <ul class="problems" data-testid=format!("{}-problems", table.path)>
                            {shown.into_iter().map(|problem| {
                                let line = problem.line;
                                view! { <li data-line=line>{move || problem_text(&problem, lang.get())}</li> }
                            }).collect_view()}
                        </ul>
                    })}
                    {(total > SHOWN_PROBLEMS).then(|| view! {
                        <p>{move || match lang.get() {
                            Lang::Fa => format!("و {} مشکل دیگر.", localize_digits(&(total - SHOWN_PROBLEMS).to_string(), Lang::Fa)),
                            Lang::En => format!("And {} more problems.", total - SHOWN_PROBLEMS),
                        }}</p>
                    })}
                </div>
            }
            .into_any()
        }
    }
}

fn report_text(report: ImportReport, added_as: (&str, &str), lang: Lang) -> String {
    let ImportReport {
        added,
        updated,
        unchanged,
    } = report;
    let text = match lang {
        Lang::Fa => format!(
            "وارد شد: {added} {}، {updated} به‌روزشده، {unchanged} بی‌تغییر.",
            added_as.0
        ),
        Lang::En => format!(
            "Imported: {added} {}, {updated} updated, {unchanged} unchanged.",
            added_as.1
        ),
    };
    localize_digits(&text, lang)
}

/// "Line 4, column «Subject»: …".
fn problem_text(problem: &RowProblem, lang: Lang) -> String {
    let line = localize_digits(&problem.line.to_string(), lang);
    let column = problem.column.get(lang);
    let message = problem.message.get(lang);
    match (lang, column.is_empty()) {
        (Lang::Fa, true) => format!("سطر {line}: {message}"),
        (Lang::Fa, false) => format!("سطر {line}، ستون «{column}»: {message}"),
        (Lang::En, true) => format!("Line {line}: {message}"),
        (Lang::En, false) => format!("Line {line}, column “{column}”: {message}"),
    }
}
