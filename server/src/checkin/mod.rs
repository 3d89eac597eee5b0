//! Meeting day on the server (DESIGN §2 step 5): which meetings each field
//! staff member works at. Administrators assign them (`admin::meetings`);
//! a field device pulls the rosters of its user's meetings and nothing
//! else (`sync::pull`), and its check-ins and walk-ins are accepted only
//! for those meetings (`sync::push`). The check-ins themselves are sync
//! commands, applied by `domain::sync::apply`; the photos on request forms
//! travel apart from them (`photos`).

mod photos;
pub mod queries;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::put;
use domain::ids::MeetingId;
use domain::sync::MAX_PHOTO_BYTES;

use crate::auth::guard::Staff;
use crate::db::Conn;
use crate::http::AppState;

pub fn router() -> Router<AppState> {
    // A photo's bytes, and a little room to say it is too large in the
    // API's own words rather than cut it off.
    let limit = usize::try_from(MAX_PHOTO_BYTES).unwrap_or(usize::MAX) + 1024;
    Router::new().route(
        "/photos/{id}",
        put(photos::upload)
            .get(photos::download)
            .layer(DefaultBodyLimit::max(limit)),
    )
}

/// The meetings whose rosters `staff` holds now: assigned, and not aged
/// out (`DIDAR_ROSTER_KEEP_HOURS` after the start).
pub async fn rosters_held(
    conn: &mut Conn,
    staff: &Staff,
    state: &AppState,
) -> Result<Vec<MeetingId>, sqlx::Error> {
    let keep = chrono::TimeDelta::from_std(state.config.roster_keep).unwrap_or_default();
    queries::rosters_of(conn, staff, state.clock.now() - keep).await
}
