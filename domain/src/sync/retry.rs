//! When a device runs its next sync cycle. Its own rule, in the domain
//! crate, because getting it wrong strands a district office's work on
//! its devices: after a long offline spell the backoff is minutes long, and
//! the moment the network returns must not wait for it.

use chrono::TimeDelta;

/// What follows a finished cycle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NextCycle {
    /// Another cycle, at once.
    Now,
    /// Another cycle after this long.
    After(TimeDelta),
}

/// The next cycle after one that ended with `failures` failed cycles in a
/// row (0: it succeeded). `asked_meanwhile`: something asked for a cycle
/// while this one ran (new work, the network back, the user's «sync now»)
/// — that gets a cycle of its own at once, even after a failure: it may be
/// the very news that the failure is over, and it is one cycle per ask, so
/// a failing server is not hammered. `random` in 0..=1 spreads retries.
pub fn next_cycle(failures: u32, asked_meanwhile: bool, random: f64) -> NextCycle {
    if asked_meanwhile {
        NextCycle::Now
    } else {
        NextCycle::After(backoff(failures, random))
    }
}

/// How long to wait when nothing asks: regularly when all is well, to
/// fetch others' changes; after failures, exponentially longer, with
/// jitter so a district office's devices do not all retry at once.
fn backoff(failures: u32, random: f64) -> TimeDelta {
    const REGULAR_SECONDS: i64 = 30;
    const FIRST_RETRY_SECONDS: f64 = 2.0;
    const LONGEST_SECONDS: f64 = 300.0;
    if failures == 0 {
        return TimeDelta::seconds(REGULAR_SECONDS);
    }
    let exponent = i32::try_from(failures.min(16) - 1).unwrap_or(15);
    let ceiling = (FIRST_RETRY_SECONDS * 2f64.powi(exponent)).min(LONGEST_SECONDS);
    let seconds = ceiling * (0.5 + 0.5 * random.clamp(0.0, 1.0));
    TimeDelta::milliseconds((seconds * 1000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(failures: u32, random: f64) -> TimeDelta {
        match next_cycle(failures, false, random) {
            NextCycle::After(delay) => delay,
            NextCycle::Now => panic!("nothing asked, yet a cycle at once"),
        }
    }

    #[test]
    fn all_well_means_the_regular_pull() {
        assert_eq!(after(0, 0.7), TimeDelta::seconds(30));
    }

    #[test]
    fn failures_back_off_exponentially_up_to_five_minutes() {
        assert_eq!(after(1, 1.0), TimeDelta::seconds(2));
        assert_eq!(after(2, 1.0), TimeDelta::seconds(4));
        assert_eq!(after(5, 1.0), TimeDelta::seconds(32));
        assert_eq!(after(40, 1.0), TimeDelta::seconds(300));
        assert_eq!(
            after(40, 0.0),
            TimeDelta::seconds(150),
            "jitter halves at most"
        );
    }

    #[test]
    fn an_ask_during_a_failing_cycle_is_not_left_for_the_backoff() {
        // A device offline all morning has failed dozens of times; the
        // network returns while its last offline cycle still runs.
        assert_eq!(next_cycle(37, true, 0.5), NextCycle::Now);
        assert_eq!(next_cycle(0, true, 0.5), NextCycle::Now);
    }
}
