//! A request form at a deputy's table (`/staff/checkin/form/{attendee}`):
//! what was asked, the decision, the deputy it is referred to, an answer
//! given on the spot — offline like everything on meeting day.
//!
//! An edit names the versions its author had in front of them (`seen`,
//! taken when the editor was filled), so a version another device made
//! meanwhile is never overwritten: both stand, the screen shows them side
//! by side, and whoever sees both keeps one or writes a merged one.

use domain::i18n::Lang;
use domain::ids::AttendeeId;
use domain::sync::{
    Attendee, Command, CommandId, FormContent, FormVersion, Record, RecordKey, RequestForm,
};
use domain::text::localize_digits;
use domain::time::format_clock;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::store::StoreError;
use crate::sync::{self, CommandSender, SyncPanel, use_sync};
use crate::ui::controls::{SelectField, TextArea};

const FORM_UNREADABLE: (&str, &str) = (
    "این فرم از این دستگاه خوانده نشد: ",
    "This form could not be read from this device: ",
);

/// The attendee and their form as this device holds them.
#[derive(Clone, Debug, PartialEq)]
struct Held {
    attendee: Attendee,
    form: Option<RequestForm>,
}

async fn held(attendee: &AttendeeId) -> Result<Option<Held>, StoreError> {
    let keys = [
        RecordKey::attendee(attendee).text(),
        RecordKey::request_form(attendee).text(),
    ];
    let rows = sync::with_keys(&keys).await?;
    let mut place = None;
    let mut form = None;
    for row in &rows {
        match row.view() {
            Some(Record::Attendee(found)) => place = Some(found.clone()),
            Some(Record::RequestForm(found)) => form = Some(found.clone()),
            _ => {}
        }
    }
    Ok(place.map(|attendee| Held { attendee, form }))
}

/// What the editor holds: the fields as typed, and the versions the
/// person saw when it was filled.
#[derive(Clone, Copy)]
struct Editor {
    asked: RwSignal<String>,
    decision: RwSignal<String>,
    referral: RwSignal<String>,
    answer: RwSignal<String>,
    seen: RwSignal<Option<Vec<CommandId>>>,
}

impl Editor {
    fn new() -> Editor {
        Editor {
            asked: RwSignal::new(String::new()),
            decision: RwSignal::new(String::new()),
            referral: RwSignal::new(String::new()),
            answer: RwSignal::new(String::new()),
            seen: RwSignal::new(None),
        }
    }

    /// Fills the fields from `content` (or empties them), having seen
    /// `standing`.
    fn fill(self, content: Option<&FormContent>, standing: Vec<CommandId>) {
        let text = |value: Option<&String>| value.cloned().unwrap_or_default();
        self.asked.set(text(content.map(|c| &c.asked)));
        self.decision.set(text(content.map(|c| &c.decision)));
        self.referral.set(
            content
                .and_then(|c| c.referral.as_ref())
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
        self.answer.set(text(content.map(|c| &c.answer)));
        self.seen.set(Some(standing));
    }

    /// Sends the form as the fields hold it. Once it is queued, the next
    /// edit has seen this version — and only it: a version another device
    /// made meanwhile is still unseen, and stands beside it.
    fn save(self, attendee: AttendeeId, sender: CommandSender, saved: RwSignal<bool>) {
        let command = self.command(attendee);
        leptos::task::spawn_local(async move {
            if let Some(id) = sender.run(command, Vec::new()).await {
                saved.try_set(true);
                self.seen.try_set(Some(vec![id]));
            }
        });
    }

    fn command(self, attendee: AttendeeId) -> Command {
        Command::RecordRequestForm {
            attendee,
            seen: self.seen.get_untracked().unwrap_or_default(),
            asked: self.asked.get_untracked(),
            decision: self.decision.get_untracked(),
            referral: self.referral.get_untracked(),
            answer: self.answer.get_untracked(),
        }
    }
}

#[component]
pub fn FormScreen(attendee: AttendeeId) -> impl IntoView {
    let sync = use_sync();
    let attendee = StoredValue::new(attendee);
    let read = LocalResource::new(move || async move {
        sync.revision.track();
        held(&attendee.get_value()).await
    });
    let editor = Editor::new();
    let sender = sync::use_command();
    let saved = RwSignal::new(false);
    // The editor is filled once, from the form as first read; later
    // changes (another device's version, synced in) are shown beside it,
    // never typed over what the person is writing.
    Effect::new(move || {
        if editor.seen.with_untracked(Option::is_some) {
            return;
        }
        if let Some(Ok(Some(held))) = read.get() {
            let form = held.form.as_ref();
            let first = form.and_then(|f| f.versions.first()).map(|v| &v.content);
            editor.fill(first, form.map(RequestForm::standing).unwrap_or_default());
        }
    });
    let save = move |_| editor.save(attendee.get_value(), sender, saved);
    // A memo: the form is read again at every sync revision, and a list
    // that did not change must not draw its pictures again.
    let photos = Memo::new(move |_| match read.get() {
        Some(Ok(Some(Held {
            form: Some(form), ..
        }))) => form.photos,
        _ => Vec::new(),
    });
    view! {
        {move || super::once_read(read.get(), FORM_UNREADABLE, |held| match held {
            None => view! {
                <h1>{tr("فرم درخواست", "Request form")}</h1>
                <p class="warning">{tr(
                    "این نفر در فهرست این دستگاه نیست؛ شاید فهرست هنوز دریافت نشده یا دیدار به شما سپرده نشده است.",
                    "This person is not on this device's roster; the roster may not be downloaded yet, or the meeting is not assigned to you.",
                )}</p>
            }.into_any(),
            Some(held) => view! { <Header held=held.clone()/> <Versions held editor sender saved/> }.into_any(),
        })}
        <section class="card" aria-labelledby="form-editor-title">
            <h2 id="form-editor-title">{tr("فرم", "The form")}</h2>
            <TextArea id="form-asked" label=tr("درخواست شهروند", "What the citizen asked") value=editor.asked/>
            <TextArea id="form-decision" label=tr("تصمیم شهردار یا معاون", "The mayor's or deputy's decision") value=editor.decision/>
            <SelectField id="form-referral" label=tr("ارجاع به معاونت", "Referred to the deputy")
                value=editor.referral options=Signal::derive(move || crate::registration::deputy_choices(use_lang().get()))
                none=tr("بدون ارجاع", "Not referred")/>
            <TextArea id="form-answer" label=tr("پاسخ در محل (اگر داده شد)", "Answer given on the spot (if any)") value=editor.answer/>
            <p class="error" role="alert" data-testid="form-error">{sender.error()}</p>
            <OutOfDate read editor/>
            <button class="button" type="button" data-testid="form-save" disabled=sender.busy() on:click=save>
                {tr("ثبت فرم", "Save the form")}
            </button>
            {move || saved.get().then(|| view! {
                <p class="notice notice-open" role="status" data-testid="form-saved">{tr(
                    "روی این دستگاه ثبت شد و با اتصال به اینترنت فرستاده می‌شود.",
                    "Saved on this device; it is sent when the network allows.",
                )}</p>
            })}
        </section>
        <super::photos::FormPhotos attendee photos/>
        <SyncPanel/>
    }
}

#[component]
fn Header(held: Held) -> impl IntoView {
    let lang = use_lang();
    let attendee = StoredValue::new(held.attendee.clone());
    let meeting = held.attendee.meeting.clone();
    let code = held.attendee.tracking_code.map(|code| code.display());
    let files: Vec<String> = held
        .attendee
        .case_files
        .iter()
        .map(ToString::to_string)
        .collect();
    let referral = held.form.clone();
    view! {
        <h1>{tr("فرم درخواست", "Request form")}</h1>
        <p><a href=format!("/staff/checkin/tables/{meeting}")>{tr("بازگشت به میزها", "Back to the tables")}</a></p>
        <section class="card" aria-labelledby="form-person">
            <h2 id="form-person" class="door-feedback-name" data-testid="form-person">{held.attendee.full_name.clone()}</h2>
            <p class="meta">
                {move || attendee.with_value(|a| a.attendee_kind.name(lang.get()))}
                {code.map(|code| view! { " · " <span class="ltr">{code}</span> })}
                " · "
                {move || attendee.with_value(|a| super::door::where_to(a, lang.get()))}
            </p>
            {(!held.attendee.summary.is_empty()).then(|| view! {
                <p>{tr("خلاصهٔ کمیتهٔ تشخیص: ", "The screening committee's summary: ")}{held.attendee.summary.clone()}</p>
            })}
            {(!files.is_empty()).then(|| view! {
                <p>{tr("پرونده‌ها: ", "Case files: ")}<span class="ltr">{files.join(", ")}</span></p>
            })}
            {move || referral.as_ref().and_then(|form| super::tables::referral_text(form, lang.get())).map(|text| view! {
                <p class="state state-received" data-testid="form-referral">{text}</p>
            })}
        </section>
    }
}

/// The standing versions when more than one stands: each with who wrote
/// it where and when, and a button to keep it.
#[component]
fn Versions(
    held: Held,
    editor: Editor,
    sender: CommandSender,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let Some(form) = held.form.filter(RequestForm::is_conflicted) else {
        return ().into_any();
    };
    let standing = StoredValue::new(form.standing());
    let attendee = StoredValue::new(form.id.clone());
    let count = form.versions.len();
    view! {
        <section class="card conflict" aria-labelledby="form-conflict" data-testid="form-conflict">
            <h2 id="form-conflict">{move || match lang.get() {
                Lang::Fa => format!("{} نسخهٔ ناهمخوان", localize_digits(&count.to_string(), Lang::Fa)),
                Lang::En => format!("{count} conflicting versions"),
            }}</h2>
            <p>{tr(
                "این فرم روی چند دستگاه جداگانه پر شده است. هیچ‌کدام کنار گذاشته نشده: یکی را نگه دارید، یا نسخهٔ یکی‌شده را در فرم پایین بنویسید و ثبت کنید.",
                "This form was filled on several devices apart. Neither was dropped: keep one, or write a merged version in the form below and save it.",
            )}</p>
            <ol class="request-list">
                {form.versions.into_iter().map(|version| {
                    let content = StoredValue::new(version.content.clone());
                    let keep = move |_| {
                        editor.fill(Some(&content.get_value()), standing.get_value());
                        editor.save(attendee.get_value(), sender, saved);
                    };
                    view! {
                        <li class="card request" data-testid="form-version">
                            <VersionText version/>
                            <button class="button" type="button" data-testid="form-keep" on:click=keep>
                                {tr("نگه‌داشتن همین نسخه", "Keep this version")}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn VersionText(version: FormVersion) -> impl IntoView {
    let lang = use_lang();
    let device = super::device_tail(&version.device);
    let at = version.at;
    let content = version.content;
    let referral = content.referral.map(|slug| slug.to_string());
    view! {
        <p class="meta">
            {move || format_clock(at, lang.get())} " · " {tr("دستگاه", "device")} " "
            <span class="ltr">{device}</span>
        </p>
        <dl>
            <dt>{tr("درخواست", "Asked")}</dt><dd data-testid="version-asked">{content.asked}</dd>
            <dt>{tr("تصمیم", "Decision")}</dt><dd>{content.decision}</dd>
            <dt>{tr("ارجاع", "Referral")}</dt>
            <dd>{move || match &referral {
                Some(slug) => crate::registration::topic_name(slug, lang.get()),
                None => tr("بدون ارجاع", "Not referred")().to_string(),
            }}</dd>
            <dt>{tr("پاسخ در محل", "On-site answer")}</dt><dd>{content.answer}</dd>
        </dl>
    }
}

/// Says when a version arrived that the editor was not filled from: saving
/// keeps both, and the person should know before they press the button.
#[component]
fn OutOfDate(
    read: LocalResource<Result<Option<Held>, StoreError>>,
    editor: Editor,
) -> impl IntoView {
    move || {
        let standing = match read.get() {
            Some(Ok(Some(held))) => held.form.map(|f| f.standing()).unwrap_or_default(),
            _ => return None,
        };
        let seen = editor.seen.get()?;
        standing.iter().any(|id| !seen.contains(id)).then(|| view! {
            <p class="warning" data-testid="form-out-of-date">{tr(
                "نسخهٔ دیگری از این فرم (از دستگاه دیگر) رسیده که این ویرایش آن را ندیده است؛ اگر ثبت کنید، هر دو نگه داشته می‌شوند تا کسی یکی را برگزیند.",
                "Another version of this form (from another device) arrived that this edit has not seen; saving keeps both until someone chooses.",
            )}</p>
        })
    }
}
