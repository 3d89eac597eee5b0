//! Photos of the documents a citizen brought, on their request form: taken
//! with the device's camera (or picked from its gallery), made smaller on
//! the device (`public/photo.js`), kept in its storage until uploaded
//! (`sync::photos`), and shown to staff only. Each device's photos are
//! kept; none is ever in conflict with another.

use domain::i18n::Lang;
use domain::ids::{AttendeeId, PhotoId};
use domain::sync::{Command, FormPhoto, MAX_FORM_PHOTOS, MAX_PHOTO_BYTES};
use domain::text::localize_digits;
use domain::time::format_clock;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{tr, use_lang};
use crate::sync::photos::{self, WaitingPhoto};
use crate::sync::{self, CommandSender};

#[wasm_bindgen(raw_module = "/photo.js")]
extern "C" {
    /// Resolves to a JPEG `Blob`, or null when the file is not a picture.
    #[wasm_bindgen(js_name = shrinkPhoto)]
    fn shrink_photo(file: &web_sys::File, max_side: u32, quality: f64) -> js_sys::Promise;
}

/// The long side of a photo as sent, in pixels: a page of text stays
/// legible.
const MAX_SIDE: u32 = 1600;
const QUALITY: f64 = 0.8;

/// Why a picked file was not added.
enum Problem {
    NotAPicture,
    TooLarge,
    SignedOut,
}

impl Problem {
    fn explain(&self, lang: Lang) -> String {
        let text = match (self, lang) {
            (Problem::NotAPicture, Lang::Fa) => {
                "این پرونده عکس نیست یا خوانده نشد؛ دوباره عکس بگیرید."
            }
            (Problem::NotAPicture, Lang::En) => {
                "This file is not a picture or could not be read; take the photo again."
            }
            (Problem::TooLarge, Lang::Fa) => {
                "این عکس حتی پس از کوچک شدن بزرگ است؛ از نزدیک‌تر و ساده‌تر عکس بگیرید."
            }
            (Problem::TooLarge, Lang::En) => {
                "This photo is too large even when made smaller; take it closer and plainer."
            }
            (Problem::SignedOut, Lang::Fa) => "برای افزودن عکس دوباره وارد شوید.",
            (Problem::SignedOut, Lang::En) => "Sign in again to add a photo.",
        };
        text.to_string()
    }
}

/// The form's photos and the button that adds one.
#[component]
pub fn FormPhotos(
    attendee: StoredValue<AttendeeId>,
    photos: Memo<Vec<FormPhoto>>,
) -> impl IntoView {
    let sender = sync::use_command();
    let lang = use_lang();
    let working = RwSignal::new(false);
    let full = move || photos.with(|photos| photos.len() >= MAX_FORM_PHOTOS);
    let pick = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // The same file may be picked again after a refusal.
        input.set_value("");
        working.set(true);
        leptos::task::spawn_local(async move {
            if let Err(problem) = add(file, attendee.get_value(), sender).await {
                sender.refuse(problem.explain(lang.get_untracked()));
            }
            working.try_set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="form-photos-title" data-testid="form-photos">
            <h2 id="form-photos-title">{tr("عکس مدارک", "Photos of documents")}</h2>
            <p class="hint">{tr(
                "عکس مدارکی که شهروند همراه دارد؛ فقط کارکنان آن را می‌بینند.",
                "Photos of the documents the citizen brought; only staff see them.",
            )}</p>
            <ul class="photo-list">
                // Keyed: a photo keeps its drawn picture when another is
                // added or taken off.
                <For each=move || photos.get().into_iter().enumerate()
                    key=|(index, photo)| (*index, photo.id.clone())
                    children=move |(index, photo)| view! { <PhotoItem photo index attendee sender/> }/>
            </ul>
            {move || if full() {
                view! {
                    <p class="hint" data-testid="form-photos-full">{move || match lang.get() {
                        Lang::Fa => format!("این فرم {} عکس دارد که بیشترین شمار است.", localize_digits(&MAX_FORM_PHOTOS.to_string(), Lang::Fa)),
                        Lang::En => format!("This form has {MAX_FORM_PHOTOS} photos, the most it may."),
                    }}</p>
                }.into_any()
            } else {
                view! {
                    <label class="button button-secondary" for="form-photo-input">
                        {move || if working.get() {
                            tr("در حال آماده کردن عکس…", "Preparing the photo…").into_any()
                        } else {
                            tr("افزودن عکس مدرک", "Add a photo of a document").into_any()
                        }}
                    </label>
                    <input id="form-photo-input" class="visually-hidden" type="file" accept="image/*"
                        capture="environment" data-testid="form-photo-input" on:change=pick/>
                }.into_any()
            }}
            <p class="error" role="alert" data-testid="form-photo-error">{sender.error()}</p>
        </section>
    }
}

/// Makes `file` smaller, keeps it on the device and attaches it to the
/// form, in one transaction.
async fn add(
    file: web_sys::File,
    attendee: AttendeeId,
    sender: CommandSender,
) -> Result<(), Problem> {
    let shrunk = JsFuture::from(shrink_photo(&file, MAX_SIDE, QUALITY))
        .await
        .map_err(|_| Problem::NotAPicture)?;
    let picture: web_sys::Blob = shrunk.dyn_into().map_err(|_| Problem::NotAPicture)?;
    // A picture's size in bytes is a whole number well below 2^32.
    let bytes = picture.size() as u32;
    if bytes > MAX_PHOTO_BYTES {
        return Err(Problem::TooLarge);
    }
    let author = crate::session::signed_in_user().ok_or(Problem::SignedOut)?;
    let id = PhotoId::new_v7(crate::clock::now(), crate::random::bytes());
    let waiting = WaitingPhoto {
        id: id.to_string(),
        attendee: attendee.to_string(),
        author: author.to_string(),
    };
    // Not kept: the sender says why on the screen.
    let Ok(keep) = photos::keep(&waiting, &picture) else {
        return Err(Problem::NotAPicture);
    };
    let command = Command::AttachPhoto {
        attendee,
        photo: id,
        bytes,
    };
    sender.run(command, vec![keep]).await;
    Ok(())
}

#[component]
fn PhotoItem(
    photo: FormPhoto,
    index: usize,
    attendee: StoredValue<AttendeeId>,
    sender: CommandSender,
) -> impl IntoView {
    let lang = use_lang();
    let id = photo.id.clone();
    // While it waits to be sent, the picture is on this device; after,
    // the server has it (and shows it while the network allows).
    let local = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move {
                let picture = photos::picture(id.as_str()).await?;
                web_sys::Url::create_object_url_with_blob(&picture).ok()
            }
        }
    });
    on_cleanup(move || {
        if let Some(url) = local.try_get_untracked().flatten().flatten() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    let unavailable = RwSignal::new(false);
    let source = {
        let id = id.clone();
        move || {
            local
                .get()
                .map(|local| local.unwrap_or_else(|| format!("/api/photos/{id}")))
        }
    };
    let remove = move |_| {
        sender.send(Command::DetachPhoto {
            attendee: attendee.get_value(),
            photo: id.clone(),
        });
    };
    let alt = move || match lang.get() {
        Lang::Fa => format!(
            "عکس مدرک {}",
            localize_digits(&(index + 1).to_string(), Lang::Fa)
        ),
        Lang::En => format!("Document photo {}", index + 1),
    };
    view! {
        <li class="photo" data-testid="form-photo">
            {move || source().map(|src| view! {
                <img src=src alt=alt loading="lazy" data-testid="form-photo-image"
                    hidden=move || unavailable.get() on:error=move |_| unavailable.set(true)/>
            })}
            <Show when=move || unavailable.get()>
                <p class="hint" data-testid="form-photo-offline">{tr(
                    "این عکس در سامانه است و با اتصال به اینترنت دیده می‌شود.",
                    "This photo is on the server and shows when the network allows.",
                )}</p>
            </Show>
            <p class="meta">
                {move || format_clock(photo.at, lang.get())} " · " {tr("دستگاه", "device")} " "
                <span class="ltr">{super::device_tail(&photo.device)}</span>
            </p>
            <button class="button button-secondary" type="button" data-testid="form-photo-remove" on:click=remove>
                {tr("حذف عکس", "Remove the photo")}
            </button>
        </li>
    }
}
