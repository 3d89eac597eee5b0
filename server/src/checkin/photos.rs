//! Photos of documents on request forms. A field device uploads each
//! picture (`PUT /api/photos/{id}?attendee=…`, the JPEG it made) before it
//! pushes the `AttachPhoto` command that puts it on the form; the push is
//! refused if the picture did not arrive (`sync::push`). Staff who read
//! the form read its photos (`GET /api/photos/{id}`); nobody else does.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::auth::Role;
use domain::ids::{AttendeeId, PhotoId};
use domain::sync::{MAX_PHOTO_BYTES, Reach, Record, RecordKey, RecordKind};
use serde::Deserialize;

use super::queries::{self, NewPhoto};
use crate::audit::{self, Action, Actor, Entry};
use crate::auth::guard::Staff;
use crate::db;
use crate::error::{ApiError, Conflict, Refusal};
use crate::http::AppState;
use crate::sync::records;

/// Every JPEG starts with a start-of-image marker and another marker.
const JPEG_START: [u8; 3] = [0xFF, 0xD8, 0xFF];

#[derive(Deserialize)]
pub struct UploadQuery {
    attendee: String,
}

/// Stores a photo for an attendee the uploader works with. Sending the
/// same photo again (a retry after a lost answer) succeeds again.
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(query): Query<UploadQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let id = PhotoId::parse(&id).map_err(|_| ApiError::NotFound)?;
    let attendee = AttendeeId::parse(&query.attendee).map_err(|_| ApiError::NotFound)?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge)?;
    let bytes = u32::try_from(body.len()).map_err(|_| ApiError::PayloadTooLarge)?;
    if bytes > MAX_PHOTO_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    if !body.starts_with(&JPEG_START) {
        return Err(ApiError::NotAPhoto);
    }
    let now = state.clock.now();
    let mut tx = db::begin_write(&state.db).await?;
    let loaded = records::load(&mut tx, &[RecordKey::attendee(&attendee)]).await?;
    let Some(place) = loaded.into_values().next() else {
        return Err(ApiError::NotFound);
    };
    let Record::Attendee(entry) = &place else {
        return Err(ApiError::NotFound);
    };
    if !crate::sync::may_make(&mut tx, &staff, &[Role::FieldStaff], &place, now).await? {
        return Err(ApiError::Forbidden(Refusal::NotPermitted));
    }
    let photo = NewPhoto {
        id: &id,
        attendee: &attendee,
        meeting: &entry.meeting,
        district: entry.district,
        uploaded_by: &staff.user_id,
        device: &staff.device_id,
        at: now,
        body: &body,
    };
    if !queries::insert_photo(&mut tx, &photo).await? {
        return if queries::photo_uploaded(&mut tx, &id, &attendee, bytes).await? {
            Ok(StatusCode::NO_CONTENT)
        } else {
            Err(ApiError::Conflict(Conflict::PhotoIdTaken))
        };
    }
    let target = RecordKey::request_form(&attendee).text();
    let entry = Entry {
        at: now,
        actor: Actor::Staff(&staff),
        action: Action::PhotoUpload,
        target: Some(&target),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    tracing::info!(device = %staff.device_id, bytes, "photo uploaded");
    Ok(StatusCode::NO_CONTENT)
}

/// A photo, to staff who may read its form: the district's readers of
/// request forms, and field staff holding the meeting's roster. Anyone
/// else is told it does not exist.
pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = PhotoId::parse(&id).map_err(|_| ApiError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let photo = queries::photo(&mut conn, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let readable = Reach::of(&staff.grants, RecordKind::RequestForm).includes(photo.district_id.0)
        || super::rosters_held(&mut conn, &staff, &state)
            .await?
            .contains(&photo.meeting_id);
    if !readable {
        return Err(ApiError::NotFound);
    }
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], photo.body).into_response())
}
