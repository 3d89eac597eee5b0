//! `GET /api/sync/pull?cursor=…&limit=…`: the records changed since the
//! device's cursor, in the scopes its user may read, a page at a time.
//!
//! The cursor carries a fingerprint of those scopes: when a user's grants
//! change, an old cursor would skip the records of a newly granted district,
//! so the pull starts again from the beginning instead.

use axum::Json;
use axum::extract::{Query, State};
use domain::ids::MeetingId;
use domain::sync::{MAX_PULL_PAGE, PullChange, PullPage, Reach, RecordKind};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::records::{self, Stored};
use crate::auth::guard::Staff;
use crate::checkin;
use crate::error::ApiError;
use crate::http::AppState;

/// A page's records in bytes at most (beside `MAX_PULL_PAGE` changes), so a
/// slow phone link gets pages it can finish and a device's memory holds one.
const MAX_PULL_BYTES: usize = 2 * 1024 * 1024;

#[derive(Deserialize)]
pub struct PullQuery {
    cursor: Option<String>,
    limit: Option<usize>,
}

pub async fn pull(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<PullQuery>,
) -> Result<Json<PullPage>, ApiError> {
    let reach: Vec<(RecordKind, Reach)> = RecordKind::ALL
        .into_iter()
        .map(|kind| (kind, Reach::of(&staff.grants, kind)))
        .collect();
    let mut conn = state.db.acquire().await?;
    let rosters = checkin::rosters_held(&mut conn, &staff, &state).await?;
    // A new assignment, or a roster that aged out, changes the scope: the
    // pull starts over and the device replaces its copy (unsent work kept).
    let scope = fingerprint(&scope_text(&reach, &rosters));
    let resumed = query
        .cursor
        .as_deref()
        .and_then(|cursor| position(cursor, &scope));
    let after = resumed.unwrap_or(0);
    let limit = query.limit.unwrap_or(MAX_PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    // One more than asked: whether more wait, without a second query.
    let scopes = records::Scopes {
        reach: &reach,
        rosters: &rosters,
    };
    let mut changes = records::changes_after(&mut conn, &scopes, after, limit + 1).await?;
    let mut more = changes.len() > limit;
    changes.truncate(limit);
    let within_bytes = page_length_within(&changes, MAX_PULL_BYTES);
    more |= within_bytes < changes.len();
    changes.truncate(within_bytes);
    let last = changes.last().map_or(after, |change| change.seq);
    Ok(Json(PullPage {
        changes: changes
            .into_iter()
            .filter_map(|change| match change.state {
                Stored::Present(record) => Some(PullChange {
                    key: change.key,
                    record: Some(*record),
                }),
                // A device starting from nothing has nothing to delete.
                Stored::Tombstone if after > 0 => Some(PullChange {
                    key: change.key,
                    record: None,
                }),
                Stored::Tombstone | Stored::Unreadable => None,
            })
            .collect(),
        cursor: format!("{last}.{scope}"),
        more,
        reset: resumed.is_none(),
        server_time: state.clock.now(),
    }))
}

/// How many of `changes` fit in `budget` bytes of records — at least one,
/// so a single large record still moves the cursor.
fn page_length_within(changes: &[records::Change], budget: usize) -> usize {
    let mut total = 0;
    changes
        .iter()
        .position(|change| {
            total += change.bytes;
            total > budget
        })
        .map_or(changes.len(), |over| over.max(1))
}

/// The position a cursor names, if it was made for these scopes.
fn position(cursor: &str, scope: &str) -> Option<i64> {
    let (seq, made_for) = cursor.split_once('.')?;
    (made_for == scope).then(|| seq.parse().ok()).flatten()
}

/// A short name for a set of scopes: the first 16 hex digits of the
/// SHA-256 of their [`scope_text`]. Both are pinned by a test, because a
/// cursor outlives a release: if either changed, every cursor issued before
/// would stop matching. That is safe — a mismatch starts the pull over, as
/// a changed grant does — but it makes every device download everything
/// again, so it should happen only on purpose. (The cursors made before
/// this encoding, from the `Debug` text, start over once, that way.)
fn fingerprint(scope_text: &str) -> String {
    let digest = Sha256::digest(scope_text.as_bytes());
    digest
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The scopes, spelled out: `kind:*` for every district, `kind:6,7` for
/// some (in ascending order), sorted by kind and joined by `;`; a kind the
/// user may not read is left out. The rosters of assigned meetings follow
/// as `rosters:m1,m2` (sorted), only when there are any, so the cursors
/// of everyone else stay as they were. Spelled by hand, not by `Debug`,
/// whose output no release promises to keep.
fn scope_text(reach: &[(RecordKind, Reach)], rosters: &[MeetingId]) -> String {
    let mut scopes: Vec<String> = reach
        .iter()
        .filter_map(|(kind, reach)| {
            let districts = match reach {
                Reach::Nowhere => return None,
                Reach::Everywhere => "*".to_string(),
                Reach::Districts(districts) => {
                    let mut numbers: Vec<u8> = districts.iter().map(|d| d.number()).collect();
                    numbers.sort_unstable();
                    numbers.dedup();
                    let numbers: Vec<String> = numbers.iter().map(u8::to_string).collect();
                    numbers.join(",")
                }
            };
            Some(format!("{}:{districts}", kind.code()))
        })
        .collect();
    scopes.sort_unstable();
    if !rosters.is_empty() {
        let mut ids: Vec<&str> = rosters.iter().map(MeetingId::as_str).collect();
        ids.sort_unstable();
        scopes.push(format!("rosters:{}", ids.join(",")));
    }
    scopes.join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(bytes: usize) -> records::Change {
        records::Change {
            seq: 1,
            key: domain::sync::RecordKey::meeting(&"m".parse().expect("an id")),
            state: Stored::Tombstone,
            bytes,
        }
    }

    #[test]
    fn a_page_stops_before_its_byte_budget_but_always_moves_on() {
        let changes: Vec<_> = [400, 400, 400, 400].map(change).into();
        assert_eq!(page_length_within(&changes, 1000), 2);
        assert_eq!(page_length_within(&changes, 1600), 4);
        assert_eq!(
            page_length_within(&[change(5000)], 1000),
            1,
            "one large record"
        );
        assert_eq!(page_length_within(&[], 1000), 0);
    }

    #[test]
    fn the_scope_fingerprint_is_pinned_so_changing_it_is_deliberate() {
        let district = |n| domain::district::DistrictId::new(n).expect("a district");
        let reach = [
            (
                RecordKind::Registration,
                Reach::Districts(vec![district(7), district(6)]),
            ),
            (RecordKind::Meeting, Reach::Everywhere),
            (RecordKind::Attendee, Reach::Nowhere),
        ];
        assert_eq!(scope_text(&reach, &[]), "meeting:*;registration:6,7");
        assert_eq!(fingerprint(&scope_text(&reach, &[])), "2a1af9186ba8c5bf");
        assert_eq!(scope_text(&[], &[]), "");
        let rosters = ["m2".parse().expect("an id"), "m1".parse().expect("an id")];
        assert_eq!(
            scope_text(&reach, &rosters),
            "meeting:*;registration:6,7;rosters:m1,m2"
        );
    }

    #[test]
    fn a_cursor_made_for_other_scopes_starts_over() {
        assert_eq!(position("42.abc", "abc"), Some(42));
        assert_eq!(position("42.abc", "abd"), None);
        assert_eq!(position("forty.abc", "abc"), None);
        assert_eq!(position("", "abc"), None);
    }
}
