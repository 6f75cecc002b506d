//! The connector side of rate budgets: what a platform counts against its
//! limits ([`Costs`]), and what a connector has learnt of them ([`Usage`]):
//! the units or calls it spent and the platform's own usage headers as last
//! read. The pipeline plans each run with these (`src/pipeline/budget.rs`)
//! and keeps them in the store across restarts; connectors only count and
//! read headers, so a platform's limits live beside its wire format.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use reqwest::header::HeaderMap;

use crate::clock::Clock;
use crate::platforms::youtube::QuotaSpent;

/// Whom a usage reading concerns: Graph's `X-App-Usage` counts the whole
/// app, its `X-Business-Use-Case-Usage` and X's headers one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UsageScope {
    /// This account (its Page, its user token).
    Account,
    /// Every account the app serves.
    App,
}

/// One reading of the platform's usage headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageReading {
    /// Whom it concerns.
    pub scope: UsageScope,
    /// The highest share of a limit used, in percent (Graph).
    pub percent: Option<u32>,
    /// Calls left in the window (X `x-rate-limit-remaining`).
    pub remaining: Option<u64>,
    /// When the window resets (X `x-rate-limit-reset`).
    pub reset_at: Option<DateTime<Utc>>,
    /// How long until access is regained (Graph
    /// `estimated_time_to_regain_access`), counted from the reading.
    pub regain_in: Option<Duration>,
    /// The headers verbatim, for operators.
    pub raw: String,
    /// When the answer carrying the headers arrived, on the connector's
    /// clock (the service's): what the reading says holds for the
    /// platform's window from then on, and a reading older than that
    /// window says nothing about now.
    pub read_at: DateTime<Utc>,
}

impl UsageReading {
    /// Whether the reading says no call may be made now.
    pub fn exhausted(&self) -> bool {
        self.percent.is_some_and(|p| p >= 100) || self.remaining == Some(0)
    }

    /// Whether the reading still describes the window the platform counts
    /// in at `now`: X's until the reset it names, Graph's percentages for
    /// the rolling hour after they were read.
    pub fn is_current(&self, now: DateTime<Utc>) -> bool {
        match self.reset_at {
            Some(reset) => reset > now,
            None => now - self.read_at < GRAPH_USAGE_WINDOW,
        }
    }

    /// Until when the reading forbids calls: the reset it names, or the
    /// wait it names counted from when it was read; `None` when it does
    /// not forbid any.
    pub fn exhausted_until(&self) -> Option<DateTime<Utc>> {
        if !self.exhausted() {
            return None;
        }
        self.reset_at.or_else(|| {
            let wait = chrono::Duration::from_std(self.regain_in?).ok()?;
            Some(self.read_at + wait)
        })
    }
}

/// How long a Graph usage reading describes: its percentages are of the
/// platform's rolling one-hour window.
const GRAPH_USAGE_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// What a connector has spent and read, reported after calls and handed
/// back to a new connector after a restart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// YouTube: the units this account spent on the current Pacific day.
    pub quota: Option<QuotaSpent>,
    /// X: when the hide and unhide calls still in X's window were made.
    pub hide_calls: Vec<DateTime<Utc>>,
    /// The latest reading of the platform's usage headers, per scope.
    pub readings: Vec<UsageReading>,
}

/// What a platform counts against the limits the service plans with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Costs {
    /// Units of a daily quota one listing call takes (YouTube: 1).
    pub list_units: u64,
    /// Units one hide or delete takes (YouTube `setModerationStatus`: 50).
    pub moderate_units: u64,
    /// At most this many moderation calls in this window (X: 50 in 15
    /// minutes), counted per account.
    pub moderation_window: Option<(usize, Duration)>,
}

impl Costs {
    /// A platform that counts nothing the service must plan for beyond its
    /// usage headers.
    pub const UNCOUNTED: Costs = Costs {
        list_units: 0,
        moderate_units: 0,
        moderation_window: None,
    };
}

/// The latest usage reading per scope, kept by a connector as answers
/// arrive (every answer carries the headers, failures too), each stamped
/// with the time it was read on the connector's clock.
pub struct UsageMeter {
    clock: Arc<dyn Clock>,
    readings: Mutex<BTreeMap<UsageScope, UsageReading>>,
}

impl std::fmt::Debug for UsageMeter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsageMeter")
            .field("readings", &*self.lock())
            .finish_non_exhaustive()
    }
}

impl UsageMeter {
    /// A meter that stamps readings with `clock`'s time: the service's, so
    /// readings age on the same time the pipeline plans with.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            readings: Mutex::new(BTreeMap::new()),
        }
    }

    /// Keeps `reading` as the latest of its scope.
    pub fn record(&self, reading: UsageReading) {
        self.lock().insert(reading.scope, reading);
    }

    /// The latest reading of each scope.
    pub fn readings(&self) -> Vec<UsageReading> {
        self.lock().values().cloned().collect()
    }

    /// Reads Graph's `X-Business-Use-Case-Usage` (this Page) and
    /// `X-App-Usage` (the app) headers, where the answer has them.
    pub fn record_graph(&self, headers: &HeaderMap) {
        let now = self.clock.now();
        if let Some(reading) = graph_buc_reading(headers, now) {
            self.record(reading);
        }
        if let Some(reading) = graph_app_reading(headers, now) {
            self.record(reading);
        }
    }

    /// Reads X's `x-rate-limit-remaining` and `x-rate-limit-reset`.
    pub fn record_x(&self, headers: &HeaderMap) {
        let number =
            |name: &str| -> Option<i64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        let Some(remaining) = number("x-rate-limit-remaining") else {
            return;
        };
        let reset_at = number("x-rate-limit-reset").and_then(|s| Utc.timestamp_opt(s, 0).single());
        let raw = header_text(
            headers,
            &[
                "x-rate-limit-limit",
                "x-rate-limit-remaining",
                "x-rate-limit-reset",
            ],
        );
        self.record(UsageReading {
            scope: UsageScope::Account,
            percent: None,
            remaining: Some(u64::try_from(remaining).unwrap_or(0)),
            reset_at,
            regain_in: None,
            raw,
            read_at: self.clock.now(),
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<UsageScope, UsageReading>> {
        self.readings.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `name: value; …` of the named headers present.
fn header_text(headers: &HeaderMap, names: &[&str]) -> String {
    names
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?;
            Some(format!(
                "{name}: {}",
                String::from_utf8_lossy(value.as_bytes())
            ))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The highest of Graph's `call_count`, `total_cputime` and `total_time`.
fn highest_percent(entry: &serde_json::Value) -> Option<u32> {
    ["call_count", "total_cputime", "total_time"]
        .iter()
        .filter_map(|key| entry.get(*key)?.as_f64())
        .map(|p| p.clamp(0.0, 10_000.0).round() as u32)
        .max()
}

/// `{"<business id>":[{"type":"pages","call_count":N,…,
/// "estimated_time_to_regain_access":minutes}]}`: the highest share over
/// every entry, and the longest wait.
fn graph_buc_reading(headers: &HeaderMap, read_at: DateTime<Utc>) -> Option<UsageReading> {
    let value = headers.get("x-business-use-case-usage")?;
    let usage: serde_json::Value = serde_json::from_slice(value.as_bytes()).ok()?;
    let entries: Vec<&serde_json::Value> = usage
        .as_object()?
        .values()
        .filter_map(serde_json::Value::as_array)
        .flatten()
        .collect();
    let regain_in = entries
        .iter()
        .filter_map(|e| e.get("estimated_time_to_regain_access")?.as_f64())
        .filter(|minutes| *minutes > 0.0)
        .filter_map(|minutes| Duration::try_from_secs_f64(minutes * 60.0).ok())
        .max();
    Some(UsageReading {
        scope: UsageScope::Account,
        percent: entries.iter().filter_map(|e| highest_percent(e)).max(),
        remaining: None,
        reset_at: None,
        regain_in,
        raw: header_text(headers, &["x-business-use-case-usage"]),
        read_at,
    })
}

/// `{"call_count":N,"total_cputime":N,"total_time":N}` for the whole app.
fn graph_app_reading(headers: &HeaderMap, read_at: DateTime<Utc>) -> Option<UsageReading> {
    let value = headers.get("x-app-usage")?;
    let usage: serde_json::Value = serde_json::from_slice(value.as_bytes()).ok()?;
    Some(UsageReading {
        scope: UsageScope::App,
        percent: highest_percent(&usage),
        remaining: None,
        reset_at: None,
        regain_in: None,
        raw: header_text(headers, &["x-app-usage"]),
        read_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platforms::test_support::clock_at;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).expect("header value"));
        }
        map
    }

    #[test]
    fn graph_headers_give_the_page_and_the_app_their_highest_share_and_the_wait() {
        let meter = UsageMeter::new(clock_at("2026-11-23T10:00:00Z"));
        meter.record_graph(&headers(&[
            (
                "x-business-use-case-usage",
                r#"{"112233":[{"type":"pages","call_count":28,"total_cputime":101,"total_time":25,"estimated_time_to_regain_access":7}]}"#,
            ),
            ("x-app-usage", r#"{"call_count":62,"total_cputime":9,"total_time":14}"#),
        ]));
        let readings = meter.readings();
        assert_eq!(readings.len(), 2);
        let page = &readings[0];
        assert_eq!(page.scope, UsageScope::Account);
        assert_eq!(page.percent, Some(101));
        assert_eq!(page.regain_in, Some(Duration::from_secs(7 * 60)));
        assert!(page.exhausted());
        let app = &readings[1];
        assert_eq!((app.scope, app.percent), (UsageScope::App, Some(62)));
        assert!(!app.exhausted());
    }

    #[test]
    fn malformed_graph_headers_are_no_reading_at_all() {
        let meter = UsageMeter::new(clock_at("2026-11-23T10:00:00Z"));
        meter.record_graph(&headers(&[("x-app-usage", "{not json")]));
        assert!(meter.readings().is_empty());
    }

    #[test]
    fn x_headers_give_the_calls_left_and_the_reset() {
        let meter = UsageMeter::new(clock_at("2026-11-23T10:00:00Z"));
        meter.record_x(&headers(&[
            ("x-rate-limit-limit", "50"),
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", "1795000000"),
        ]));
        let reading = &meter.readings()[0];
        assert_eq!(reading.remaining, Some(0));
        assert_eq!(
            reading.reset_at,
            Utc.timestamp_opt(1_795_000_000, 0).single()
        );
        assert!(reading.exhausted());
        assert!(reading.raw.contains("x-rate-limit-remaining: 0"));
    }

    #[test]
    fn a_graph_reading_counts_for_the_hour_after_the_connectors_clock_read_it() {
        let clock = clock_at("2026-11-23T10:00:00Z");
        let meter = UsageMeter::new(clock.clone());
        meter.record_graph(&headers(&[(
            "x-business-use-case-usage",
            r#"{"112233":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":7}]}"#,
        )]));
        let reading = meter.readings()[0].clone();
        assert_eq!(
            reading.read_at,
            clock.now(),
            "stamped on the service's clock"
        );
        assert_eq!(
            reading.exhausted_until(),
            Some(clock.now() + chrono::Duration::minutes(7)),
            "the wait counts from the reading, not from when it is looked at"
        );

        clock.advance(chrono::Duration::minutes(59));
        assert!(reading.is_current(clock.now()));
        clock.advance(chrono::Duration::minutes(2));
        assert!(
            !reading.is_current(clock.now()),
            "older than Graph's hour, the reading says nothing about now"
        );
    }

    #[test]
    fn an_x_reading_counts_until_the_reset_it_names() {
        let clock = clock_at("2026-11-23T10:00:00Z");
        let meter = UsageMeter::new(clock.clone());
        let reset = clock.now() + chrono::Duration::minutes(15);
        meter.record_x(&headers(&[
            ("x-rate-limit-remaining", "0"),
            ("x-rate-limit-reset", &reset.timestamp().to_string()),
        ]));
        let reading = meter.readings()[0].clone();
        assert_eq!(reading.exhausted_until(), Some(reset));

        clock.advance(chrono::Duration::minutes(14));
        assert!(reading.is_current(clock.now()));
        clock.advance(chrono::Duration::minutes(1));
        assert!(!reading.is_current(clock.now()), "the window has reset");
    }
}
