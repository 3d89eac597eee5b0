//! A table of rows loaded from the server, with the three states a list
//! has besides its rows: loading, empty, and failed — said in words, with
//! a way to try again, never shown as an empty table.

use leptos::prelude::*;
use std::hash::Hash;

use crate::api::ApiError;
use crate::i18n::{tr, use_lang};

/// A list the server gives, as a screen loads it: re-read with `refetch`.
pub type Rows<T> = LocalResource<Result<Vec<T>, ApiError>>;

/// A column's title; a hidden one is read by screen readers only (a
/// column of buttons that say what they do).
#[derive(Clone, Copy)]
pub struct Column {
    pub title: (&'static str, &'static str),
    pub hidden: bool,
}

impl Column {
    pub const fn new(fa: &'static str, en: &'static str) -> Column {
        Column {
            title: (fa, en),
            hidden: false,
        }
    }

    pub const fn hidden(fa: &'static str, en: &'static str) -> Column {
        Column {
            title: (fa, en),
            hidden: true,
        }
    }
}

/// `key` keeps a row that did not change across a refresh (with what was
/// half typed in it); `row` draws one `<tr>`.
#[component]
pub fn DataTable<T, K, KeyFn, RowFn, RowView>(
    testid: &'static str,
    columns: Vec<Column>,
    rows: Rows<T>,
    key: KeyFn,
    row: RowFn,
    empty: (&'static str, &'static str),
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    K: Eq + Hash + 'static,
    KeyFn: Fn(&T) -> K + Clone + Send + Sync + 'static,
    RowFn: Fn(T) -> RowView + Clone + Send + Sync + 'static,
    RowView: IntoView + 'static,
{
    let lang = use_lang();
    let span = columns.len().to_string();
    let state = move || match rows.get() {
        None => Some(Err(None)),
        Some(Err(error)) => Some(Err(Some(error))),
        Some(Ok(items)) if items.is_empty() => None,
        Some(Ok(_)) => Some(Ok(())),
    };
    let message =
        move || {
            let span = span.clone();
            match state() {
            Some(Ok(())) => None,
            Some(Err(None)) => Some(view! {
                <tr><td colspan=span role="status">{tr("در حال دریافت…", "Loading…")}</td></tr>
            }.into_any()),
            Some(Err(Some(error))) => Some(view! {
                <tr><td colspan=span>
                    <p class="error" role="alert" data-testid="table-error">
                        {tr("فهرست دریافت نشد: ", "The list could not be loaded: ")}
                        {move || error.explain(lang.get())}
                    </p>
                    <button class="button button-small button-secondary" type="button"
                        data-testid="table-retry" on:click=move |_| rows.refetch()>
                        {tr("دوباره تلاش کنید", "Try again")}
                    </button>
                </td></tr>
            }.into_any()),
            None => Some(view! {
                <tr><td colspan=span data-testid="table-empty">{tr(empty.0, empty.1)}</td></tr>
            }.into_any()),
        }
        };
    view! {
        // aria-busy while the rows are on their way: screen readers wait,
        // and so can a test before it counts rows.
        <table class="table" data-testid=testid aria-busy=move || matches!(state(), Some(Err(None))).to_string()>
            <thead>
                <tr>
                    {columns.into_iter().map(|column| view! {
                        <th><span class:visually-hidden=column.hidden>{tr(column.title.0, column.title.1)}</span></th>
                    }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {message}
                <For
                    each=move || rows.get().and_then(Result::ok).unwrap_or_default()
                    key=key
                    children=row
                />
            </tbody>
        </table>
    }
}
