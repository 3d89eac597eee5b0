//! The weekly registration window (DESIGN §2 step 1) and the grace period
//! for requests made offline.
//!
//! By default citizens may register from Saturday 00:00 to Tuesday 23:59,
//! Tehran time; an administrator can move both ends. A request made on a
//! phone without network waits in the outbox, so the server accepts it after
//! the window closed as long as it was made inside the window and arrives
//! within the grace period (24 hours by default).
//!
//! Weekdays and times are Tehran wall-clock time, converted with the tz
//! database: Iran kept daylight saving time until 2022, and a window of that
//! time still opened at local midnight. Instants are UTC. Nothing here reads
//! the clock; callers pass the instants.

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Timelike, Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};
use crate::time::TEHRAN;

/// When registration is open each week, and how long requests made offline
/// may take to arrive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRule {
    pub opens_on: Weekday,
    /// Tehran time, whole minutes.
    #[serde(with = "crate::time::wire::time_of_day")]
    pub opens_at: NaiveTime,
    pub closes_on: Weekday,
    /// Tehran time, whole minutes, inclusive: 23:59 keeps the window open
    /// until 23:59:59.999, so people reading "until 23:59" are not cut off
    /// at the start of that minute.
    #[serde(with = "crate::time::wire::time_of_day")]
    pub closes_at: NaiveTime,
    /// How long after the close a request made inside the window may still
    /// arrive.
    pub grace_hours: u32,
}

impl Default for WindowRule {
    /// Saturday 00:00 to Tuesday 23:59 with 24 hours' grace, Isfahan's
    /// week as DESIGN §2 describes it.
    fn default() -> Self {
        WindowRule {
            opens_on: Weekday::Sat,
            opens_at: NaiveTime::MIN,
            closes_on: Weekday::Tue,
            closes_at: NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN),
            grace_hours: 24,
        }
    }
}

/// One week's window, named by the Tehran date on which it opens. Two
/// requests by the same national ID with the same `WindowId` are one request
/// (DESIGN §2), so this is what the server compares.
///
/// Serialized as the date, "2026-11-21".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WindowId(#[serde(with = "crate::time::wire::date")] NaiveDate);

impl WindowId {
    /// The window that opens on `date` (Tehran). Any date is accepted: the
    /// rule may have opened on another weekday when the window was stored.
    pub fn new(date: NaiveDate) -> WindowId {
        WindowId(date)
    }

    /// The Tehran date on which the window opens.
    pub fn opens_on_date(self) -> NaiveDate {
        self.0
    }
}

impl std::fmt::Display for WindowId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Whether registration is open at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WindowState {
    /// Open; `closes` is the first instant at which it is closed again
    /// (Wednesday 00:00 for a window "until Tuesday 23:59"), so show the
    /// rule's `closes_at` rather than formatting `closes`.
    Open {
        window: WindowId,
        #[serde(with = "crate::time::wire::instant")]
        closes: DateTime<Utc>,
    },
    /// Closed until `next_opens`; `last` is the most recent window, whose
    /// offline requests may still arrive within the grace period.
    Closed {
        #[serde(with = "crate::time::wire::instant")]
        next_opens: DateTime<Utc>,
        last: Option<WindowId>,
    },
}

/// Why a registration is not accepted.
///
/// Written as `{"kind": "closed", "next_opens": "…"}`. Read through the flat
/// [`WindowErrorWire`]: serde reads an internally tagged enum by buffering
/// the whole object in its generic `Content` type first, several kilobytes
/// of code on a citizen's phone for one small error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "WindowErrorWire")]
pub enum WindowError {
    #[error("registration is closed; the next window opens at {next_opens}")]
    Closed {
        #[serde(with = "crate::time::wire::instant")]
        next_opens: DateTime<Utc>,
    },
    #[error(
        "the request was made in time but arrived after the grace period; the next window opens at {next_opens}"
    )]
    TooLate {
        #[serde(with = "crate::time::wire::instant")]
        next_opens: DateTime<Utc>,
    },
    #[error("the request claims to be made after it was received: the device's clock is ahead")]
    ClockAhead,
}

/// [`WindowError`] as read: the tag and every variant's fields side by side.
#[derive(Deserialize)]
struct WindowErrorWire {
    kind: WindowErrorKind,
    #[serde(
        default,
        deserialize_with = "crate::time::wire::instant::deserialize_option"
    )]
    next_opens: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum WindowErrorKind {
    Closed,
    TooLate,
    ClockAhead,
}

impl TryFrom<WindowErrorWire> for WindowError {
    type Error = &'static str;

    fn try_from(wire: WindowErrorWire) -> Result<Self, Self::Error> {
        match (wire.kind, wire.next_opens) {
            (WindowErrorKind::Closed, Some(next_opens)) => Ok(WindowError::Closed { next_opens }),
            (WindowErrorKind::TooLate, Some(next_opens)) => Ok(WindowError::TooLate { next_opens }),
            (WindowErrorKind::ClockAhead, _) => Ok(WindowError::ClockAhead),
            (_, None) => Err("missing field `next_opens`"),
        }
    }
}

impl Localized for WindowError {
    fn key(&self) -> &'static str {
        match self {
            WindowError::Closed { .. } => "window.closed",
            WindowError::TooLate { .. } => "window.too_late",
            WindowError::ClockAhead => "window.clock_ahead",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (WindowError::Closed { .. }, Lang::Fa) => {
                "ثبت‌نام این هفته بسته است. لطفاً در نوبت بعدی ثبت‌نام، درخواست خود را ثبت کنید."
            }
            (WindowError::Closed { .. }, Lang::En) => {
                "Registration for this week is closed. Please submit your request when registration opens again."
            }
            (WindowError::TooLate { .. }, Lang::Fa) => {
                "درخواست شما پس از پایان مهلت ارسال به دست ما رسید و ثبت نشد. لطفاً در نوبت بعدی ثبت‌نام آن را دوباره ارسال کنید."
            }
            (WindowError::TooLate { .. }, Lang::En) => {
                "Your request reached us after the sending deadline and could not be registered. Please send it again when registration opens again."
            }
            (WindowError::ClockAhead, Lang::Fa) => {
                "تاریخ یا ساعت گوشی شما درست تنظیم نشده است. لطفاً آن را درست کنید و درخواست را دوباره ارسال کنید."
            }
            (WindowError::ClockAhead, Lang::En) => {
                "The date or time on your phone is wrong. Please correct it and send the request again."
            }
        }
    }
}

/// Why an administrator's window rule cannot be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowRuleError {
    #[error("the grace period may be at most 168 hours (one week)")]
    GraceTooLong,
    #[error("the window closes on the same weekday and minute it opens")]
    ClosesWhenItOpens,
    #[error("opening and closing times are whole minutes")]
    NotWholeMinute,
}

impl Localized for WindowRuleError {
    fn key(&self) -> &'static str {
        match self {
            WindowRuleError::GraceTooLong => "window_rule.grace_too_long",
            WindowRuleError::ClosesWhenItOpens => "window_rule.closes_when_it_opens",
            WindowRuleError::NotWholeMinute => "window_rule.not_whole_minute",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (WindowRuleError::GraceTooLong, Lang::Fa) => {
                "مهلت ارسال درخواست‌های آفلاین حداکثر ۱۶۸ ساعت (یک هفته) است."
            }
            (WindowRuleError::GraceTooLong, Lang::En) => {
                "The grace period for offline requests may be at most 168 hours (one week)."
            }
            (WindowRuleError::ClosesWhenItOpens, Lang::Fa) => {
                "زمان پایان ثبت‌نام با زمان آغاز آن یکی است. لطفاً روز یا ساعت پایان را تغییر دهید."
            }
            (WindowRuleError::ClosesWhenItOpens, Lang::En) => {
                "Registration would close at the same time it opens. Please change the closing day or time."
            }
            (WindowRuleError::NotWholeMinute, Lang::Fa) => {
                "ساعت آغاز و پایان ثبت‌نام باید بدون ثانیه، به ساعت و دقیقه وارد شود."
            }
            (WindowRuleError::NotWholeMinute, Lang::En) => {
                "Opening and closing times are given in hours and minutes, without seconds."
            }
        }
    }
}

/// `time` with seconds and fractions dropped.
fn whole_minute(time: NaiveTime) -> NaiveTime {
    NaiveTime::from_hms_opt(time.hour(), time.minute(), 0).unwrap_or(time)
}

/// Days from the last `from` to `to`, 0 to 6: Saturday to Tuesday is 3,
/// Thursday to Sunday is 3.
fn days_from(from: Weekday, to: Weekday) -> u32 {
    (to.num_days_from_monday() + 7 - from.num_days_from_monday()) % 7
}

/// The instant at which Tehran clocks show `local`.
///
/// A time skipped when clocks went forward (00:00–00:59 on the spring day of
/// the daylight-saving years) is read with the offset in force before the
/// jump, i.e. moved later by the length of the gap; a time that happened
/// twice when clocks went back is the earlier one. This is the "compatible"
/// rule of JavaScript's Temporal and of java.time, so the browser and any
/// other tool agree. `None` only at the ends of chrono's range.
fn tehran_instant(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match TEHRAN.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
        LocalResult::None => {
            // A day earlier is well before the gap and after any previous
            // one; that is the offset clocks had when they jumped.
            let day_before = local.checked_sub_days(Days::new(1))?;
            let offset = TEHRAN.offset_from_utc_datetime(&day_before).fix();
            let utc = local
                .checked_sub_signed(TimeDelta::seconds(i64::from(offset.local_minus_utc())))?;
            Some(Utc.from_utc_datetime(&utc))
        }
    }
}

impl WindowRule {
    /// The longest grace period an administrator may set: a week, after
    /// which the next window has long been open.
    pub const MAX_GRACE_HOURS: u32 = 168;

    /// How far a request's time may lie after its arrival before the
    /// device's clock is taken to be wrong. Corrected device clocks still
    /// drift by seconds; minutes mean a clock set wrongly.
    pub const CLOCK_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

    /// The grace period as a duration.
    pub fn grace(&self) -> TimeDelta {
        TimeDelta::hours(i64::from(self.grace_hours))
    }

    /// Checks a rule an administrator entered. A window may run across the
    /// end of the week (Wednesday to Saturday) and may last up to the whole
    /// week, closing the minute before it opens again.
    pub fn validate(&self) -> Result<(), WindowRuleError> {
        if self.grace_hours > Self::MAX_GRACE_HOURS {
            return Err(WindowRuleError::GraceTooLong);
        }
        if whole_minute(self.opens_at) != self.opens_at
            || whole_minute(self.closes_at) != self.closes_at
        {
            return Err(WindowRuleError::NotWholeMinute);
        }
        // Opening and closing in the same minute could mean one minute or
        // a whole week; neither is likely what was meant.
        if self.opens_on == self.closes_on && self.opens_at == self.closes_at {
            return Err(WindowRuleError::ClosesWhenItOpens);
        }
        Ok(())
    }

    /// The opening and closing instants of the window that opens on the
    /// Tehran date of `window`. The closing instant is the first one at
    /// which the window is closed. `None` only at the ends of chrono's range.
    pub fn bounds(&self, window: WindowId) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let date = window.opens_on_date();
        let opens_local = date.and_time(whole_minute(self.opens_at));
        let days = days_from(self.opens_on, self.closes_on);
        let mut closes_local = date
            .checked_add_days(Days::new(u64::from(days)))?
            .and_time(whole_minute(self.closes_at))
            .checked_add_signed(TimeDelta::minutes(1))?;
        // A close that is not after the opening belongs to the next week:
        // opening Saturday 12:00 and closing Saturday 11:59 is a week.
        if closes_local <= opens_local {
            closes_local = closes_local.checked_add_days(Days::new(7))?;
        }
        Some((tehran_instant(opens_local)?, tehran_instant(closes_local)?))
    }

    /// The window open at `at`, or when the next one opens.
    ///
    /// An instant too far from today for chrono to compute its week (beyond
    /// ±262,000 years) is reported closed until the end of time, which keeps
    /// this function total without an error no real clock can produce.
    pub fn window_at(&self, at: DateTime<Utc>) -> WindowState {
        self.locate(at).unwrap_or(WindowState::Closed {
            next_opens: DateTime::<Utc>::MAX_UTC,
            last: None,
        })
    }

    fn locate(&self, at: DateTime<Utc>) -> Option<WindowState> {
        // Not `tehran_local(at).date_naive()`, which panics when the local
        // time would pass the end of chrono's range.
        let offset = TEHRAN.offset_from_utc_datetime(&at.naive_utc()).fix();
        let today = at.naive_utc().checked_add_offset(offset)?.date();
        let since_opening_day = days_from(self.opens_on, today.weekday());
        // The latest opening day on or before today. A window lasts at most
        // a week, so `at` lies in this week's window, in last week's, or in
        // neither; and the next opening is this week's or next week's.
        let this_week = WindowId(today.checked_sub_days(Days::new(u64::from(since_opening_day)))?);
        let last_week = WindowId(this_week.0.checked_sub_days(Days::new(7))?);
        let next_week = WindowId(this_week.0.checked_add_days(Days::new(7))?);

        let mut last = None;
        for window in [last_week, this_week] {
            let (opens, closes) = self.bounds(window)?;
            if opens <= at && at < closes {
                return Some(WindowState::Open { window, closes });
            }
            if closes <= at {
                last = Some(window);
            }
        }
        let (this_opens, _) = self.bounds(this_week)?;
        let next_opens = if this_opens > at {
            this_opens
        } else {
            self.bounds(next_week)?.0
        };
        Some(WindowState::Closed { next_opens, last })
    }

    /// Decides whether a registration belongs to a window, and to which.
    ///
    /// `made_at` is when the citizen pressed "submit", by the device's clock
    /// corrected with the server-clock offset it last saw; `received_at` is
    /// the server's own time. The request is accepted:
    ///
    /// 1. in the window containing `made_at`, if it arrived before that
    ///    window's close plus the grace period — a request made offline on
    ///    Tuesday evening and sent on Wednesday still counts;
    /// 2. otherwise in the window open at `received_at`, if one is — a phone
    ///    whose clock is wrong must not lose a request the server receives
    ///    while registration is open.
    ///
    /// Otherwise it is refused: [`WindowError::ClockAhead`] when `made_at`
    /// lies more than [`WindowRule::CLOCK_TOLERANCE`] after `received_at`
    /// (the device's time cannot be trusted, so rule 1 is not tried),
    /// [`WindowError::TooLate`] when it was made in a window but arrived
    /// after the grace period, and [`WindowError::Closed`] when it was made
    /// outside any window.
    pub fn accept(
        &self,
        made_at: DateTime<Utc>,
        received_at: DateTime<Utc>,
    ) -> Result<WindowId, WindowError> {
        let clock_ahead = received_at
            .checked_add_signed(Self::CLOCK_TOLERANCE)
            .is_some_and(|latest| made_at > latest);
        let made_in = match self.window_at(made_at) {
            WindowState::Open { window, closes } if !clock_ahead => Some((window, closes)),
            _ => None,
        };
        if let Some((window, closes)) = made_in {
            let deadline = closes
                .checked_add_signed(self.grace())
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            if received_at < deadline {
                return Ok(window);
            }
        }
        let next_opens = match self.window_at(received_at) {
            WindowState::Open { window, .. } => return Ok(window),
            WindowState::Closed { next_opens, .. } => next_opens,
        };
        Err(if clock_ahead {
            WindowError::ClockAhead
        } else if made_in.is_some() {
            WindowError::TooLate { next_opens }
        } else {
            WindowError::Closed { next_opens }
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn window(y: i32, m: u32, d: u32) -> WindowId {
        WindowId::new(date(y, m, d))
    }

    // In November 2026 Tehran is UTC+03:30: Saturday 21 November 00:00
    // Tehran is Friday 20 November 20:30 UTC, and the default window closes
    // at Wednesday 25 November 00:00 Tehran, Tuesday 24 November 20:30 UTC.
    const SAT_OPEN: (i32, u32, u32, u32, u32, u32) = (2026, 11, 20, 20, 30, 0);

    fn sat_open() -> DateTime<Utc> {
        let (y, mo, d, h, mi, s) = SAT_OPEN;
        utc(y, mo, d, h, mi, s)
    }

    fn open_state(rule: &WindowRule, at: DateTime<Utc>) -> Option<(WindowId, DateTime<Utc>)> {
        match rule.window_at(at) {
            WindowState::Open { window, closes } => Some((window, closes)),
            WindowState::Closed { .. } => None,
        }
    }

    #[test]
    fn the_default_window_is_saturday_midnight_to_tuesday_2359_with_a_day_of_grace() {
        let rule = WindowRule::default();
        assert_eq!(rule.opens_on, Weekday::Sat);
        assert_eq!(rule.opens_at, time(0, 0));
        assert_eq!(rule.closes_on, Weekday::Tue);
        assert_eq!(rule.closes_at, time(23, 59));
        assert_eq!(rule.grace_hours, 24);
        assert_eq!(rule.validate(), Ok(()));
        assert_eq!(date(2026, 11, 21).weekday(), Weekday::Sat);
    }

    #[test]
    fn the_window_opens_at_saturday_midnight_tehran_time() {
        let rule = WindowRule::default();
        assert_eq!(
            rule.window_at(sat_open()),
            WindowState::Open {
                window: window(2026, 11, 21),
                closes: utc(2026, 11, 24, 20, 30, 0),
            }
        );
    }

    #[test]
    fn one_second_before_saturday_midnight_the_window_is_closed() {
        let rule = WindowRule::default();
        assert_eq!(
            rule.window_at(utc(2026, 11, 20, 20, 29, 59)),
            WindowState::Closed {
                next_opens: sat_open(),
                last: Some(window(2026, 11, 14)),
            }
        );
    }

    #[test]
    fn the_last_second_of_tuesday_is_open_and_wednesday_midnight_is_closed() {
        let rule = WindowRule::default();
        assert_eq!(
            open_state(&rule, utc(2026, 11, 24, 20, 29, 59)).map(|(w, _)| w),
            Some(window(2026, 11, 21))
        );
        assert_eq!(
            rule.window_at(utc(2026, 11, 24, 20, 30, 0)),
            WindowState::Closed {
                next_opens: utc(2026, 11, 27, 20, 30, 0),
                last: Some(window(2026, 11, 21)),
            }
        );
    }

    #[test]
    fn the_bounds_of_a_window_are_its_opening_and_first_closed_instant() {
        let rule = WindowRule::default();
        assert_eq!(
            rule.bounds(window(2026, 11, 21)),
            Some((sat_open(), utc(2026, 11, 24, 20, 30, 0)))
        );
    }

    #[test]
    fn a_request_made_in_the_window_is_accepted_within_the_grace_period() {
        let rule = WindowRule::default();
        let made = utc(2026, 11, 24, 19, 30, 0); // Tuesday 23:00 Tehran
        let received = utc(2026, 11, 25, 19, 29, 0); // Wednesday 22:59 Tehran
        assert_eq!(rule.accept(made, received), Ok(window(2026, 11, 21)));
        // The last second of the grace period, Wednesday 23:59:59.
        let last = utc(2026, 11, 25, 20, 29, 59);
        assert_eq!(rule.accept(made, last), Ok(window(2026, 11, 21)));
    }

    #[test]
    fn a_request_arriving_after_the_grace_period_is_too_late() {
        let rule = WindowRule::default();
        let made = utc(2026, 11, 24, 19, 30, 0); // Tuesday 23:00 Tehran
        let next_opens = utc(2026, 11, 27, 20, 30, 0);
        for received in [
            utc(2026, 11, 25, 20, 30, 1), // Thursday 00:00:01 Tehran
            utc(2026, 11, 25, 20, 30, 0), // Thursday 00:00:00
        ] {
            assert_eq!(
                rule.accept(made, received),
                Err(WindowError::TooLate { next_opens })
            );
        }
    }

    #[test]
    fn a_request_made_and_received_while_open_is_accepted() {
        let rule = WindowRule::default();
        let at = utc(2026, 11, 22, 8, 0, 0);
        assert_eq!(rule.accept(at, at), Ok(window(2026, 11, 21)));
    }

    #[test]
    fn a_request_made_while_closed_is_refused_with_the_next_opening() {
        let rule = WindowRule::default();
        let thursday = utc(2026, 11, 26, 8, 0, 0);
        assert_eq!(
            rule.accept(thursday, thursday),
            Err(WindowError::Closed {
                next_opens: utc(2026, 11, 27, 20, 30, 0)
            })
        );
    }

    #[test]
    fn a_device_clock_more_than_five_minutes_ahead_is_refused_while_closed() {
        let rule = WindowRule::default();
        // Received on Thursday, claims to be made six minutes later.
        let received = utc(2026, 11, 26, 8, 0, 0);
        assert_eq!(
            rule.accept(received + TimeDelta::minutes(6), received),
            Err(WindowError::ClockAhead)
        );
        // Even a claimed time inside the window does not help: it cannot be
        // trusted. Received during the grace period, "made" on Tuesday a
        // week later.
        let in_grace = utc(2026, 11, 25, 8, 0, 0);
        assert_eq!(
            rule.accept(utc(2026, 12, 1, 8, 0, 0), in_grace),
            Err(WindowError::ClockAhead)
        );
    }

    #[test]
    fn a_device_clock_a_few_minutes_ahead_is_tolerated() {
        let rule = WindowRule::default();
        // Made "at 00:04 Wednesday" by a clock four minutes fast, received
        // at 23:59 Tuesday: in time, and inside the window by the server's
        // clock anyway.
        let received = utc(2026, 11, 24, 20, 29, 0);
        assert_eq!(
            rule.accept(received + TimeDelta::minutes(4), received),
            Ok(window(2026, 11, 21))
        );
        // Made at "Saturday 00:03" by a fast clock and received at Friday
        // 23:59: the request's own time is in the window.
        let early = utc(2026, 11, 20, 20, 29, 0);
        assert_eq!(
            rule.accept(early + TimeDelta::minutes(4), early),
            Ok(window(2026, 11, 21))
        );
    }

    #[test]
    fn a_wrong_device_clock_does_not_lose_a_request_received_while_open() {
        let rule = WindowRule::default();
        let received = utc(2026, 11, 23, 8, 0, 0); // Monday, open
        // A clock set a month back, and one set a day ahead.
        for made in [utc(2026, 10, 22, 8, 0, 0), utc(2026, 11, 24, 8, 0, 0)] {
            assert_eq!(rule.accept(made, received), Ok(window(2026, 11, 21)));
        }
    }

    #[test]
    fn a_request_made_in_a_window_belongs_to_it_even_if_it_arrives_in_the_next() {
        // A week-long grace period (the maximum) overlaps the next window.
        let rule = WindowRule {
            grace_hours: 168,
            ..WindowRule::default()
        };
        let made = utc(2026, 11, 24, 19, 30, 0); // Tuesday 23:00
        let received = utc(2026, 11, 28, 8, 0, 0); // next Saturday
        assert_eq!(rule.accept(made, received), Ok(window(2026, 11, 21)));
    }

    #[test]
    fn a_window_may_run_across_the_end_of_the_week() {
        // Thursday 00:00 to Sunday 23:59.
        let rule = WindowRule {
            opens_on: Weekday::Thu,
            opens_at: time(0, 0),
            closes_on: Weekday::Sun,
            closes_at: time(23, 59),
            grace_hours: 0,
        };
        assert_eq!(rule.validate(), Ok(()));
        let thursday = window(2026, 11, 26);
        // Friday and Saturday (the new week) belong to Thursday's window.
        for at in [
            utc(2026, 11, 25, 20, 30, 0),  // Thursday 00:00 Tehran
            utc(2026, 11, 27, 12, 0, 0),   // Friday
            utc(2026, 11, 28, 12, 0, 0),   // Saturday
            utc(2026, 11, 29, 20, 29, 59), // Sunday 23:59:59
        ] {
            assert_eq!(
                rule.window_at(at),
                WindowState::Open {
                    window: thursday,
                    closes: utc(2026, 11, 29, 20, 30, 0),
                },
                "{at}"
            );
        }
        assert_eq!(
            rule.window_at(utc(2026, 11, 30, 8, 0, 0)),
            WindowState::Closed {
                next_opens: utc(2026, 12, 2, 20, 30, 0),
                last: Some(thursday),
            }
        );
        // Wednesday before it: last week's Thursday window was the last.
        assert_eq!(
            rule.window_at(utc(2026, 11, 25, 8, 0, 0)),
            WindowState::Closed {
                next_opens: utc(2026, 11, 25, 20, 30, 0),
                last: Some(window(2026, 11, 19)),
            }
        );
    }

    #[test]
    fn a_window_may_open_and_close_on_the_same_day() {
        // Saturday 08:00 to Saturday 13:59.
        let rule = WindowRule {
            opens_on: Weekday::Sat,
            opens_at: time(8, 0),
            closes_on: Weekday::Sat,
            closes_at: time(13, 59),
            grace_hours: 24,
        };
        assert_eq!(
            rule.bounds(window(2026, 11, 21)),
            Some((utc(2026, 11, 21, 4, 30, 0), utc(2026, 11, 21, 10, 30, 0)))
        );
        assert_eq!(
            rule.window_at(utc(2026, 11, 21, 4, 0, 0)),
            WindowState::Closed {
                next_opens: utc(2026, 11, 21, 4, 30, 0),
                last: Some(window(2026, 11, 14)),
            }
        );
    }

    #[test]
    fn a_window_of_a_whole_week_is_always_open() {
        // Opens Saturday 00:00 and closes the minute before the next one.
        let rule = WindowRule {
            closes_on: Weekday::Fri,
            ..WindowRule::default()
        };
        assert_eq!(rule.validate(), Ok(()));
        for hours in 0..(24 * 7) {
            let at = sat_open() + TimeDelta::hours(hours);
            assert_eq!(
                open_state(&rule, at).map(|(w, _)| w),
                Some(window(2026, 11, 21))
            );
        }
        assert_eq!(
            open_state(&rule, sat_open() + TimeDelta::days(7)).map(|(w, _)| w),
            Some(window(2026, 11, 28))
        );
    }

    #[test]
    fn in_the_daylight_saving_summer_of_2022_the_window_still_opened_at_local_midnight() {
        // Saturday 25 June 2022, 00:00 at UTC+04:30 = Friday 19:30 UTC.
        assert_eq!(date(2022, 6, 25).weekday(), Weekday::Sat);
        let rule = WindowRule::default();
        assert_eq!(
            rule.window_at(utc(2022, 6, 24, 19, 30, 0)),
            WindowState::Open {
                window: window(2022, 6, 25),
                // Wednesday 29 June 00:00 at UTC+04:30.
                closes: utc(2022, 6, 28, 19, 30, 0),
            }
        );
        assert!(open_state(&rule, utc(2022, 6, 24, 19, 29, 59)).is_none());
    }

    #[test]
    fn an_opening_time_skipped_by_the_spring_clock_change_opens_when_clocks_jump() {
        // On Tuesday 22 March 2022 Tehran clocks jumped from 00:00 to 01:00,
        // so "Tuesday 00:00" never happened; the window opens at the jump,
        // 20:30 UTC the evening before.
        assert_eq!(date(2022, 3, 22).weekday(), Weekday::Tue);
        let rule = WindowRule {
            opens_on: Weekday::Tue,
            opens_at: time(0, 0),
            closes_on: Weekday::Tue,
            closes_at: time(23, 59),
            grace_hours: 24,
        };
        assert_eq!(
            rule.bounds(window(2022, 3, 22)),
            // The close, Wednesday 00:00, is already at UTC+04:30.
            Some((utc(2022, 3, 21, 20, 30, 0), utc(2022, 3, 22, 19, 30, 0)))
        );
    }

    #[test]
    fn an_opening_time_repeated_by_the_autumn_clock_change_opens_the_first_time() {
        // At the end of Wednesday 21 September 2022 clocks went back from
        // 24:00 to 23:00, so 23:30 happened at 19:00 and at 20:00 UTC.
        let rule = WindowRule {
            opens_on: Weekday::Wed,
            opens_at: time(23, 30),
            closes_on: Weekday::Thu,
            closes_at: time(23, 59),
            grace_hours: 24,
        };
        assert_eq!(
            rule.bounds(window(2022, 9, 21)).map(|(opens, _)| opens),
            Some(utc(2022, 9, 21, 19, 0, 0))
        );
    }

    #[test]
    fn rules_with_a_long_grace_seconds_or_no_length_are_refused() {
        let rule = WindowRule {
            grace_hours: 169,
            ..WindowRule::default()
        };
        assert_eq!(rule.validate(), Err(WindowRuleError::GraceTooLong));
        let week = WindowRule {
            grace_hours: 168,
            ..WindowRule::default()
        };
        assert_eq!(week.validate(), Ok(()));
        let seconds = WindowRule {
            closes_at: NaiveTime::from_hms_opt(23, 59, 30).unwrap(),
            ..WindowRule::default()
        };
        assert_eq!(seconds.validate(), Err(WindowRuleError::NotWholeMinute));
        let same = WindowRule {
            closes_on: Weekday::Sat,
            closes_at: time(0, 0),
            ..WindowRule::default()
        };
        assert_eq!(same.validate(), Err(WindowRuleError::ClosesWhenItOpens));
    }

    #[test]
    fn an_instant_beyond_chronos_range_is_closed_rather_than_a_panic() {
        let rule = WindowRule::default();
        assert_eq!(
            rule.window_at(DateTime::<Utc>::MAX_UTC),
            WindowState::Closed {
                next_opens: DateTime::<Utc>::MAX_UTC,
                last: None,
            }
        );
        assert!(
            rule.accept(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC)
                .is_err()
        );
    }

    #[test]
    fn rules_states_and_window_ids_serialize_readably() {
        let rule = WindowRule::default();
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(
            json,
            r#"{"opens_on":"Sat","opens_at":"00:00:00","closes_on":"Tue","closes_at":"23:59:00","grace_hours":24}"#
        );
        assert_eq!(serde_json::from_str::<WindowRule>(&json).unwrap(), rule);
        assert_eq!(
            serde_json::to_string(&window(2026, 11, 21)).unwrap(),
            r#""2026-11-21""#
        );
        assert_eq!(window(2026, 11, 21).to_string(), "2026-11-21");
        let state = rule.window_at(sat_open());
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(
            json,
            r#"{"state":"open","window":"2026-11-21","closes":"2026-11-24T20:30:00Z"}"#
        );
        assert_eq!(serde_json::from_str::<WindowState>(&json).unwrap(), state);
        let error = WindowError::Closed {
            next_opens: sat_open(),
        };
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"closed","next_opens":"2026-11-20T20:30:00Z"}"#
        );
        assert_eq!(serde_json::from_str::<WindowError>(&json).unwrap(), error);
    }

    #[test]
    fn every_window_error_reads_back_as_written_and_a_closed_one_needs_its_date() {
        let errors = [
            WindowError::Closed {
                next_opens: sat_open(),
            },
            WindowError::TooLate {
                next_opens: sat_open(),
            },
            WindowError::ClockAhead,
        ];
        for error in errors {
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(
                serde_json::from_str::<WindowError>(&json).unwrap(),
                error,
                "{json}"
            );
        }
        assert_eq!(
            serde_json::to_string(&WindowError::ClockAhead).unwrap(),
            r#"{"kind":"clock_ahead"}"#
        );
        for json in [
            r#"{"kind":"closed"}"#,
            r#"{"kind":"too_late","next_opens":null}"#,
            r#"{"kind":"opened","next_opens":"2026-11-20T20:30:00Z"}"#,
            r#"{"next_opens":"2026-11-20T20:30:00Z"}"#,
        ] {
            assert!(serde_json::from_str::<WindowError>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn every_error_has_a_unique_key_and_a_sentence_in_each_language() {
        let at = sat_open();
        let errors: Vec<Box<dyn Localized>> = vec![
            Box::new(WindowError::Closed { next_opens: at }),
            Box::new(WindowError::TooLate { next_opens: at }),
            Box::new(WindowError::ClockAhead),
            Box::new(WindowRuleError::GraceTooLong),
            Box::new(WindowRuleError::ClosesWhenItOpens),
            Box::new(WindowRuleError::NotWholeMinute),
        ];
        let mut keys: Vec<&str> = errors.iter().map(|e| e.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), errors.len());
        for error in &errors {
            let fa = error.message(Lang::Fa);
            let en = error.message(Lang::En);
            assert!(fa.ends_with('.') && en.ends_with('.'), "{}", error.key());
            assert!(en.is_ascii(), "{}", error.key());
            assert!(
                !fa.chars().any(|c| matches!(c, 'ي' | 'ك' | '0'..='9')),
                "{}",
                error.key()
            );
        }
    }

    fn any_rule() -> impl Strategy<Value = WindowRule> {
        let weekday = (0u8..7).prop_map(|n| Weekday::try_from(n).unwrap());
        let minute = (0u32..24, 0u32..60).prop_map(|(h, m)| time(h, m));
        (weekday.clone(), minute.clone(), weekday, minute, 0u32..=168)
            .prop_map(
                |(opens_on, opens_at, closes_on, closes_at, grace_hours)| WindowRule {
                    opens_on,
                    opens_at,
                    closes_on,
                    closes_at,
                    grace_hours,
                },
            )
            .prop_filter("valid", |rule| rule.validate().is_ok())
    }

    /// Instants from 2015 to 2035, across the daylight-saving years.
    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        (1_420_070_400i64..2_051_222_400).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    proptest! {
        #[test]
        fn an_open_window_contains_the_instant_and_a_closed_one_opens_later(
            rule in any_rule(),
            at in any_instant(),
        ) {
            match rule.window_at(at) {
                WindowState::Open { window, closes } => {
                    let (opens, closes_too) = rule.bounds(window).unwrap();
                    prop_assert_eq!(closes, closes_too);
                    prop_assert!(opens <= at && at < closes);
                    prop_assert_eq!(window.opens_on_date().weekday(), rule.opens_on);
                    prop_assert_eq!(rule.accept(at, at), Ok(window));
                }
                WindowState::Closed { next_opens, last } => {
                    prop_assert!(next_opens > at);
                    let opened = rule.window_at(next_opens);
                    prop_assert!(matches!(opened, WindowState::Open { .. }), "{:?}", opened);
                    let last = last.unwrap();
                    let (_, last_closed) = rule.bounds(last).unwrap();
                    prop_assert!(last_closed <= at);
                    // Nothing opens between the last window's close and the
                    // instant.
                    prop_assert_eq!(
                        rule.window_at(last_closed),
                        WindowState::Closed { next_opens, last: Some(last) }
                    );
                    let was_open = rule.window_at(last_closed - TimeDelta::seconds(1));
                    prop_assert!(
                        matches!(was_open, WindowState::Open { window, .. } if window == last),
                        "{:?}", was_open
                    );
                }
            }
        }
    }
}
