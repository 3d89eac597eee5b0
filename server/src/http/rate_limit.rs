//! Token-bucket rate limits, per key (a client address, a tracking code).
//! Public endpoints need them so tracking codes cannot be enumerated and a
//! script cannot flood registrations (DESIGN §6).
//!
//! The buckets live in this process. Behind a load balancer with several
//! servers each enforces its own share; a shared store is the step after.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many tracked keys, buckets that have refilled are dropped, so
/// a flood of distinct addresses cannot grow memory without bound.
const PRUNE_ABOVE: usize = 100_000;

pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    /// `limit` requests per `period`, allowed in a burst.
    pub fn new(limit: u32, period: Duration) -> Self {
        let capacity = f64::from(limit.max(1));
        RateLimiter {
            capacity,
            per_second: capacity / period.as_secs_f64().max(f64::EPSILON),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key` and says how many whole tokens are left,
    /// or says how long until one is available.
    pub fn check(&self, key: &str) -> Result<u32, Duration> {
        self.check_at(key, Instant::now())
    }

    /// How long until `key` has a token, without taking one: for limits
    /// that count only failures (wrong passwords), checked before trying.
    pub fn blocked(&self, key: &str) -> Option<Duration> {
        let buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let bucket = buckets.get(key)?;
        let elapsed = Instant::now()
            .saturating_duration_since(bucket.updated)
            .as_secs_f64();
        let tokens = (bucket.tokens + elapsed * self.per_second).min(self.capacity);
        (tokens < 1.0).then(|| Duration::from_secs_f64((1.0 - tokens) / self.per_second))
    }

    /// Gives back a token taken by `check`: an attempt is counted before
    /// the work it guards (so parallel attempts cannot all slip through)
    /// and refunded when it turns out not to count (a right password).
    pub fn refund(&self, key: &str) {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(bucket) = buckets.get_mut(key) {
            bucket.tokens = (bucket.tokens + 1.0).min(self.capacity);
        }
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<u32, Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            self.prune(&mut buckets, now);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: self.capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            // Whole tokens only; truncation is the point.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(bucket.tokens as u32)
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }

    fn prune(&self, buckets: &mut HashMap<String, Bucket>, now: Instant) {
        buckets.retain(|_, bucket| {
            let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
            bucket.tokens + elapsed * self.per_second < self.capacity
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_up_to_the_limit_passes_and_the_next_request_waits() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at("10.0.0.1", start).is_ok());
        }
        let wait = limiter.check_at("10.0.0.1", start).unwrap_err();
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20));
        assert!(
            limiter.check_at("10.0.0.2", start).is_ok(),
            "keys are separate"
        );
        assert!(
            limiter
                .check_at("10.0.0.1", start + Duration::from_secs(20))
                .is_ok()
        );
    }

    #[test]
    fn a_refunded_attempt_does_not_count() {
        let limiter = RateLimiter::new(2, Duration::from_secs(3600));
        let start = Instant::now();
        for _ in 0..5 {
            assert!(limiter.check_at("account", start).is_ok());
            limiter.refund("account");
        }
        assert!(limiter.check_at("account", start).is_ok());
        assert!(limiter.check_at("account", start).is_ok());
        assert!(limiter.check_at("account", start).is_err());
    }
}
