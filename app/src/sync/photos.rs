//! Photos of documents waiting to be uploaded: the outbox of their bytes.
//! A picture travels apart from the commands (a push stays a few
//! kilobytes): it is kept on the device in the same transaction as the
//! `AttachPhoto` command that puts it on a form, uploaded before that
//! command is pushed — the server refuses the command without it — and
//! removed from the device once the server has it.

use domain::ids::UserId;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

use super::stop::Stop;
use crate::api::{self, ApiError};
use crate::store::{self, StoreError, Write};

/// A row of the `photos` store; the picture itself is beside these fields,
/// under `PICTURE`, as a `Blob`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WaitingPhoto {
    pub id: String,
    pub attendee: String,
    /// Uploaded only in its author's session, like their commands.
    pub author: String,
}

const PICTURE: &str = "picture";

/// The write that keeps `picture` on the device until it is uploaded;
/// joined to the transaction that queues the command attaching it.
pub fn keep(photo: &WaitingPhoto, picture: &web_sys::Blob) -> Result<Write<'static>, StoreError> {
    let row = store::to_js(photo)?;
    js_sys::Reflect::set(&row, &PICTURE.into(), picture)
        .map_err(|_| StoreError::Format("a photo's picture".into()))?;
    Ok(Write::Put(store::PHOTOS, row))
}

/// The picture of a photo still on this device, if it is.
pub async fn picture(id: &str) -> Option<web_sys::Blob> {
    let db = store::open().await.ok()?;
    let row = store::value(&db, store::PHOTOS, id).await.ok()??;
    picture_of(&row)
}

fn picture_of(row: &JsValue) -> Option<web_sys::Blob> {
    js_sys::Reflect::get(row, &PICTURE.into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Uploads `user`'s waiting photos, each removed from the device once the
/// server has it — or has refused it for good (then the push of the
/// command that attaches it is refused too, and says why).
pub async fn upload(user: &UserId) -> Result<(), Stop> {
    let db = store::open().await?;
    for row in store::all_values(&db, store::PHOTOS).await? {
        let photo: WaitingPhoto = store::from_js(&row)?;
        if photo.author != user.as_str() {
            continue;
        }
        let Some(picture) = picture_of(&row) else {
            continue;
        };
        let path = format!("/api/photos/{}?attendee={}", photo.id, photo.attendee);
        match api::send_file::<api::NoContent>("PUT", &path, &picture, "image/jpeg").await {
            Ok(_) => {}
            Err(ApiError::Refused { status, body })
                if status != 401 && body.code != "auth.device_revoked" =>
            {
                log_refusal(status, &body.code);
            }
            Err(error) => return Err(error.into()),
        }
        store::write_all(vec![Write::Delete(
            store::PHOTOS,
            JsValue::from_str(&photo.id),
        )])
        .await?;
    }
    Ok(())
}

/// A refused upload leaves a trace in the console for whoever debugs the
/// device; the person sees the refused command in the sync panel.
fn log_refusal(status: u16, code: &str) {
    web_sys::console::warn_1(&format!("a photo was refused: {status} {code}").into());
}
