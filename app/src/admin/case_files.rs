//! Importing a district's case files from its spreadsheet: the file is
//! sent as it is and the server checks every row with the domain's
//! parsers; a file with bad rows imports nothing, and every problem is
//! listed with its line so the whole file is fixed in one pass.

use domain::case_files::COLUMNS;
use domain::i18n::Lang;
use domain::import::{ImportReport, RowProblem};
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

#[component]
pub fn CaseFiles() -> impl IntoView {
    let lang = use_lang();
    let city = use_city();
    let district = RwSignal::new(String::new());
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
        let path = format!("/api/admin/case-files/{}", district.number());
        leptos::task::spawn_local(async move {
            let sent = api::send_file::<ImportReport>("POST", &path, &file, "text/csv").await;
            let lang = lang.get_untracked();
            outcome.set(Some(match sent {
                Ok(report) => Outcome::Imported(report),
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
        let header = COLUMNS.iter().map(|column| match lang {
            Lang::Fa => column.fa.to_string(),
            Lang::En => column.en.to_string(),
        });
        crate::ui::csv_href(&domain::csv::line(header))
    };
    view! {
        <section aria-labelledby="case-files-title">
            <h2 id="case-files-title">{tr("پرونده‌های منطقه", "The district's case files")}</h2>
            <p class="hint">{tr(
                "پرونده‌های موجود منطقه را از صفحه‌گستردهٔ آن (فایل CSV) وارد کنید تا کمیتهٔ اجرایی هر درخواست را به پروندهٔ قدیمی‌اش پیوند دهد. ستون‌ها با عنوانشان شناخته می‌شوند؛ رقم‌ها فارسی یا لاتین. اگر سطری نادرست باشد هیچ سطری وارد نمی‌شود و همهٔ سطرهای نادرست با شماره‌شان فهرست می‌شوند. وارد کردن دوبارهٔ همان فایل، پرونده‌های موجود را به‌روز می‌کند و تکراری نمی‌سازد.",
                "Import the district's existing case files from its spreadsheet (CSV) so the executive committee can link each request to its old case. Columns are found by their headers; digits may be Persian or Latin. If any row is wrong nothing is imported and every wrong row is listed with its line. Importing the same file again updates the files it has and adds no duplicates.",
            )}</p>
            <p>
                <a class="button button-secondary button-small" href=template download="case-files-template.csv"
                    data-testid="case-files-template">
                    {tr("دریافت نمونهٔ ستون‌ها", "Download the column template")}
                </a>
            </p>
            <form class="card form" novalidate on:submit=submit data-testid="case-files-form">
                <DistrictField id="case-files-district" value=district districts=city.districts()/>
                <div class="field">
                    <label for="case-files-file">{tr("فایل CSV", "CSV file")}</label>
                    <input id="case-files-file" type="file" accept=".csv,.txt,text/csv,text/plain"
                        node_ref=file_input data-testid="case-files-file"/>
                </div>
                <p class="error" role="alert">{move || missing.get().map(|(fa, en)| tr(fa, en)())}</p>
                <button class="button" type="submit" disabled=move || working.get() data-testid="case-files-import">
                    {move || if working.get() {
                        tr("در حال وارد کردن…", "Importing…")()
                    } else {
                        tr("وارد کردن", "Import")()
                    }}
                </button>
            </form>
            {move || outcome.get().map(|outcome| view! { <ImportOutcome outcome/> })}
        </section>
    }
}

#[component]
fn ImportOutcome(outcome: Outcome) -> impl IntoView {
    let lang = use_lang();
    match outcome {
        Outcome::Imported(report) => view! {
            <p class="notice" role="status" data-testid="case-files-report">
                {move || report_text(report, lang.get())}
            </p>
        }
        .into_any(),
        Outcome::Refused(reason, problems) => {
            let total = problems.len();
            let shown: Vec<RowProblem> = problems.into_iter().take(SHOWN_PROBLEMS).collect();
            view! {
                <div class="alert-error" role="alert" data-testid="case-files-refused">
                    <p>{reason}</p>
                    {(!shown.is_empty()).then(|| view! {
                        <ul class="problems" data-testid="case-files-problems">
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

fn report_text(report: ImportReport, lang: Lang) -> String {
    let ImportReport {
        added,
        updated,
        unchanged,
    } = report;
    let text = match lang {
        Lang::Fa => format!(
            "پرونده‌ها وارد شد: {added} پروندهٔ تازه، {updated} به‌روزشده، {unchanged} بی‌تغییر."
        ),
        Lang::En => {
            format!("Case files imported: {added} new, {updated} updated, {unchanged} unchanged.")
        }
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
