//! Time as an injected dependency, so that schedules, crisis mode and the
//! simulator's comment stream can run on simulated time in tests and in the
//! demo, and on the wall clock in production.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::watch;

/// A source of the current time that can also wait for a moment to arrive.
#[async_trait]
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;

    /// Returns once `now() >= at`.
    async fn sleep_until(&self, at: DateTime<Utc>);
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

#[async_trait]
impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    async fn sleep_until(&self, at: DateTime<Utc>) {
        // Sleep in bounded steps: a suspended machine or a changed system
        // clock then delays a slot by at most one step.
        const STEP: std::time::Duration = std::time::Duration::from_secs(30);
        loop {
            let remaining = at - Utc::now();
            let Ok(remaining) = remaining.to_std() else {
                return;
            };
            if remaining.is_zero() {
                return;
            }
            tokio::time::sleep(remaining.min(STEP)).await;
        }
    }
}

/// A clock that only moves when told to: tests and the demo advance it.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
    changed: watch::Sender<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock standing still at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        let (changed, _) = watch::channel(start);
        Self {
            now: Arc::new(Mutex::new(start)),
            changed,
        }
    }

    /// Moves the clock to `to` (never backwards) and wakes every sleeper.
    pub fn set(&self, to: DateTime<Utc>) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        if to > *now {
            *now = to;
            self.changed.send_replace(to);
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: chrono::Duration) {
        let target = self.now() + by;
        self.set(target);
    }
}

#[async_trait]
impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn sleep_until(&self, at: DateTime<Utc>) {
        let mut rx = self.changed.subscribe();
        while self.now() < at {
            if rx.changed().await.is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[tokio::test]
    async fn manual_clock_wakes_sleeper_when_advanced_past_deadline() {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 1, 5, 7, 0, 0).unwrap());
        let deadline = clock.now() + chrono::Duration::minutes(90);
        let sleeper = {
            let clock = clock.clone();
            tokio::spawn(async move { clock.sleep_until(deadline).await })
        };
        clock.advance(chrono::Duration::minutes(60));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished(), "woke before the deadline");
        clock.advance(chrono::Duration::minutes(31));
        tokio::time::timeout(std::time::Duration::from_secs(5), sleeper)
            .await
            .expect("sleeper did not wake")
            .unwrap();
    }
}
