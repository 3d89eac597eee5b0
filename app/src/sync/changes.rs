//! Which of the device's records changed at each revision, so a screen
//! that holds many of them — the door's roster of thousands — re-reads
//! only those after a check-in or a sync instead of all of them (DESIGN
//! §7: a check-in on screen in the same frame). Every writer of the
//! records store says what it touches before the revision moves on; what
//! is not known in detail (another tab's work, a pull that started over)
//! is "everything".

use std::cell::RefCell;
use std::collections::BTreeSet;

/// What changed: these records (by `RecordKey::text()`), or maybe all.
#[derive(Clone, Debug, PartialEq)]
pub enum Touched {
    Keys(BTreeSet<String>),
    Everything,
}

impl Touched {
    fn nothing() -> Touched {
        Touched::Keys(BTreeSet::new())
    }

    fn add(&mut self, other: &Touched) {
        match (&mut *self, other) {
            (Touched::Everything, _) => {}
            (_, Touched::Everything) => *self = Touched::Everything,
            (Touched::Keys(mine), Touched::Keys(theirs)) => mine.extend(theirs.iter().cloned()),
        }
    }
}

/// How many revisions the log remembers; a screen further behind re-reads
/// everything.
const KEPT: usize = 64;

thread_local! {
    /// Touched since the last revision.
    static UNSEALED: RefCell<Touched> = RefCell::new(Touched::nothing());
    /// What each recent revision changed, oldest first.
    static LOG: RefCell<Vec<(u32, Touched)>> = const { RefCell::new(Vec::new()) };
}

/// These records are being written.
pub fn touch(keys: impl IntoIterator<Item = String>) {
    let keys = Touched::Keys(keys.into_iter().collect());
    UNSEALED.with(|unsealed| unsealed.borrow_mut().add(&keys));
}

/// Any record may have changed.
pub fn touch_everything() {
    UNSEALED.with(|unsealed| *unsealed.borrow_mut() = Touched::Everything);
}

/// The revision moved to `revision`: what was touched since the last one
/// belongs to it.
pub fn seal(revision: u32) {
    let touched = UNSEALED.with(|unsealed| unsealed.replace(Touched::nothing()));
    LOG.with(|log| {
        let mut log = log.borrow_mut();
        log.push((revision, touched));
        if log.len() > KEPT {
            log.remove(0);
        }
    });
}

/// What changed after revision `seen`.
pub fn since(seen: u32) -> Touched {
    LOG.with(|log| {
        let log = log.borrow();
        // Revisions count up by one; a gap means the log forgot some.
        let reaches_back = log
            .first()
            .is_some_and(|(first, _)| *first <= seen.saturating_add(1));
        if !reaches_back {
            return Touched::Everything;
        }
        let mut all = Touched::nothing();
        for (_, touched) in log.iter().filter(|(revision, _)| *revision > seen) {
            all.add(touched);
        }
        all
    })
}
