//! Sync (DESIGN §5): everything made on this device waits in the outbox
//! (`outbox`) and is sent — at start, when the network returns, on a timer
//! that backs off after failures, right after new work, and when the user
//! asks; what others changed is pulled and this device's waiting work
//! re-applied on top (`records`, `engine`). One tab drives it (`lock`);
//! the others see the same IndexedDB. The state is always on screen
//! (`panel`).

#[cfg(feature = "field")]
pub mod changes;
#[cfg(feature = "field")]
mod command;
mod engine;
mod lock;
mod outbox;
#[cfg(feature = "field")]
mod panel;
#[cfg(feature = "field")]
pub mod photos;
#[cfg(feature = "field")]
mod records;
#[cfg(feature = "field")]
mod staff;
mod stop;

#[cfg(feature = "field")]
pub use command::{CommandSender, use_command};
#[cfg(not(feature = "field"))]
pub use outbox::{OutboxEntry, Queued};
#[cfg(feature = "field")]
pub use panel::{ClearDeviceButton, SyncPanel};
#[cfg(feature = "field")]
pub use records::{RunError, of_kind, with_keys};

use std::cell::{Cell, RefCell};

use chrono::{DateTime, Utc};
#[cfg(feature = "field")]
use domain::auth::Profile;
use domain::registration::{Receipt, Submission};
use domain::sync::NextCycle;
#[cfg(feature = "field")]
use domain::sync::{Command, CommandId, Envelope};
use leptos::prelude::*;

use crate::api::ErrorBody;
use crate::clock::now;
use crate::store::{self, StoreError, Write};
use stop::Stop;

const LAST_SUCCESS: &str = "sync.last_success";

/// The last successful sync as kept in `meta`, in the wire form of times.
#[derive(serde::Serialize, serde::Deserialize)]
struct LastSuccess(#[serde(with = "domain::time::wire::instant")] DateTime<Utc>);

/// Where sync stands, for the screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Idle,
    Syncing,
    Offline,
    SignInNeeded,
    DeviceRevoked,
    Failed(String),
}

/// What the rest of the app watches. `revision` is bumped after every
/// change to the device's data, so lists and counts re-read it.
#[derive(Clone, Copy)]
pub struct SyncState {
    pub revision: RwSignal<u32>,
    pub phase: RwSignal<Phase>,
    pub last_success: RwSignal<Option<DateTime<Utc>>>,
    settle_registration: SettleRegistration,
}

/// The server's decision on a citizen's registration: its receipt, or its
/// refusal in the API's shape.
pub type Answer = Result<Receipt, ErrorBody>;

/// What the registration module keeps of a decided submission: the write
/// that records `Answer`, joined to the transaction that takes the entry
/// out of the outbox. Sync carries submissions; what a citizen's phone
/// remembers of them is the registration module's.
pub type SettleRegistration = fn(&Submission, Answer) -> Result<Write<'static>, StoreError>;

pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

/// How many entries wait in the outbox, kept current; `None` while not
/// known (being counted, or the device's storage could not be read) —
/// never a 0 that could make someone clear a device with work on it.
pub fn use_pending() -> Signal<Option<u32>> {
    let sync = use_sync();
    let count = LocalResource::new(move || async move {
        sync.revision.track();
        let db = store::open().await.ok()?;
        store::outbox_len(&db).await.ok()
    });
    Signal::derive(move || count.get().flatten())
}

thread_local! {
    /// One cycle at a time in this tab.
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    /// Asked for while a cycle ran: one more follows at once, so work
    /// made meanwhile is not left for the timer.
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    /// Failures in a row, for the backoff.
    static FAILURES: Cell<u32> = const { Cell::new(0) };
    static NEXT: RefCell<Option<TimeoutHandle>> = const { RefCell::new(None) };
}

/// Starts sync: now, when the network returns, and on its timer.
pub fn provide(settle_registration: SettleRegistration) {
    let state = SyncState {
        revision: RwSignal::new(0),
        phase: RwSignal::new(Phase::Idle),
        last_success: RwSignal::new(None),
        settle_registration,
    };
    provide_context(state);
    // Staff screens: the device holds a district's work.
    #[cfg(feature = "field")]
    store::persist();
    leptos::task::spawn_local(async move {
        if let Ok(db) = store::open().await
            && let Ok(Some(LastSuccess(at))) = store::get_meta(&db, LAST_SUCCESS).await
        {
            state.last_success.set(Some(at));
        }
    });
    let _ = window_event_listener(leptos::ev::online, move |_| sync_now(state));
    lock::listen(move || {
        // Another tab's work: this one does not know which records.
        #[cfg(feature = "field")]
        changes::touch_everything();
        bump(state);
    });
    sync_now(state);
}

/// A command made by `profile` now, on this device.
#[cfg(feature = "field")]
fn envelope(profile: &Profile, command: Command) -> Envelope {
    let made_at = now();
    Envelope {
        id: CommandId::new_v7(made_at, crate::random::bytes()),
        device: profile.device_id.clone(),
        author: profile.user_id.clone(),
        made_at,
        clock_offset_ms: crate::clock::offset_ms(),
        command,
    }
}

/// Applies a command on this device and queues it (see `records::run`;
/// `also` joins its transaction), then announces the new work. Screens go
/// through [`use_command`].
#[cfg(feature = "field")]
async fn run(
    state: SyncState,
    envelope: Envelope,
    also: Vec<Write<'static>>,
) -> Result<(), RunError> {
    records::run(envelope, also).await?;
    // Once the screen has said it is recorded: every screen re-reading and
    // the push starting would otherwise hold that up (at the door, the
    // person waits for it).
    set_timeout(move || new_work(state), std::time::Duration::ZERO);
    Ok(())
}

/// Queues an entry with its effect on the device (one transaction), then
/// announces the new work: how a citizen's registration is sent.
#[cfg(not(feature = "field"))]
pub async fn queue(
    state: SyncState,
    entry: &OutboxEntry,
    effect: Vec<Write<'_>>,
) -> Result<(), StoreError> {
    outbox::enqueue(entry, effect).await?;
    new_work(state);
    Ok(())
}

/// Work was queued: every tab re-reads, and sending starts at once.
fn new_work(state: SyncState) {
    changed(state);
    sync_now(state);
}

/// Removes what was pulled for the signed-in person (at sign-out: the next
/// person on this device must not see it). Unsent work is kept.
#[cfg(feature = "field")]
pub async fn forget_pulled_data(state: SyncState) {
    if store::write_all(staff::forget_pulled_data()).await.is_ok() {
        changed(state);
    }
}

#[cfg(feature = "field")]
/// Empties the app's data on this device: every store of its database
/// (unsent work included — the caller asks first) and its small settings.
pub async fn clear_device(state: SyncState) -> Result<(), StoreError> {
    changes::touch_everything();
    store::write_all(
        [
            store::OUTBOX,
            store::META,
            store::REQUESTS,
            store::RECORDS,
            store::REJECTED,
            store::PHOTOS,
        ]
        .into_iter()
        .map(store::Write::Clear)
        .collect(),
    )
    .await?;
    <gloo_storage::LocalStorage as gloo_storage::Storage>::clear();
    changed(state);
    Ok(())
}

/// Starts a cycle now (the "sync now" button, new work, the network back).
pub fn sync_now(state: SyncState) {
    leptos::task::spawn_local(cycle(state));
}

/// The device's data changed: this tab re-reads it, and so do the others.
fn changed(state: SyncState) {
    bump(state);
    lock::announce();
}

/// The device's data changed: lists re-read it (a screen holding many
/// records asks `changes::since` which).
fn bump(state: SyncState) {
    state.revision.update(|revision| *revision += 1);
    #[cfg(feature = "field")]
    changes::seal(state.revision.get_untracked());
}

async fn cycle(state: SyncState) {
    if RUNNING.with(|running| running.replace(true)) {
        AGAIN.with(|again| again.set(true));
        return;
    }
    state.phase.set(Phase::Syncing);
    #[cfg(feature = "field")]
    let user = crate::session::signed_in_user();
    // The citizens' bundle has nobody signed in.
    #[cfg(not(feature = "field"))]
    let user = None::<domain::ids::UserId>;
    let outcome = std::rc::Rc::new(RefCell::new(None));
    let ran = {
        let outcome = outcome.clone();
        lock::if_free(async move {
            let result = engine::run(user.as_ref(), state.settle_registration).await;
            *outcome.borrow_mut() = Some(result);
        })
        .await
    };
    RUNNING.with(|running| running.set(false));
    let result = outcome.borrow_mut().take();
    let failures = match result {
        // Another tab is syncing; this one looks again soon.
        None if !ran => {
            state.phase.set(Phase::Idle);
            0
        }
        None => 1,
        Some(Ok(any_change)) => {
            let at = now();
            let _ = store::put_meta(LAST_SUCCESS, LastSuccess(at)).await;
            state.last_success.set(Some(at));
            state.phase.set(Phase::Idle);
            if any_change {
                changed(state);
            }
            0
        }
        Some(Err(Stop::DeviceRevoked)) => {
            // Revoked: the district's data must not stay on this device.
            #[cfg(feature = "field")]
            forget_pulled_data(state).await;
            state.phase.set(Phase::DeviceRevoked);
            0
        }
        Some(Err(stop)) => {
            // A failed push may still have pulled others' changes: the
            // other tabs re-read too.
            lock::announce();
            let failures = FAILURES.with(Cell::get) + 1;
            state.phase.set(match stop {
                Stop::Offline => Phase::Offline,
                Stop::SignInNeeded => Phase::SignInNeeded,
                Stop::DeviceRevoked => Phase::DeviceRevoked,
                Stop::Failed(detail) => Phase::Failed(detail),
            });
            failures
        }
    };
    FAILURES.with(|cell| cell.set(failures));
    bump(state);
    if state.phase.get_untracked() == Phase::DeviceRevoked {
        return;
    }
    let asked_meanwhile = AGAIN.with(|again| again.replace(false));
    match domain::sync::next_cycle(failures, asked_meanwhile, js_sys::Math::random()) {
        NextCycle::Now => sync_now(state),
        NextCycle::After(delay) => schedule(state, delay),
    }
}

fn schedule(state: SyncState, delay: chrono::TimeDelta) {
    let delay = delay.to_std().unwrap_or_default();
    let handle = set_timeout_with_handle(move || sync_now(state), delay).ok();
    NEXT.with(|next| {
        if let Some(previous) = next.replace(handle) {
            previous.clear();
        }
    });
}
