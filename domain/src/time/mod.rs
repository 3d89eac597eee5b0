//! Tehran wall-clock time: converting stored UTC instants to what people in
//! Isfahan read on their clocks, and back.
//!
//! Instants are stored in UTC. The offset comes from the tz database through
//! chrono-tz, never from a constant: Iran observed daylight saving time until
//! 2022, so past meetings need the offset of their own day. Nothing here
//! reads the clock; callers pass the instant.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::i18n::Lang;
use crate::jalali::JalaliDate;
use crate::text::to_persian_digits;

pub mod wire;

/// The time zone of Isfahan (all of Iran keeps Tehran time).
pub const TEHRAN: Tz = chrono_tz::Asia::Tehran;

/// The Tehran wall-clock time of an instant.
pub fn tehran_local(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&TEHRAN)
}

/// The Jalali date a person in Tehran would call "today" at `at`.
///
/// An instant whose Tehran date lies outside the calendar's supported range
/// (Gregorian 560 to 3798) gives the nearest supported date;
/// no clock the app will run on reads such a time, and a total function
/// keeps every caller free of an error branch that cannot happen.
pub fn jalali_today(at: DateTime<Utc>) -> JalaliDate {
    let local = tehran_local(at).date_naive();
    JalaliDate::from_gregorian(local).unwrap_or(if local < JalaliDate::MIN.to_gregorian() {
        JalaliDate::MIN
    } else {
        JalaliDate::MAX
    })
}

/// A date and time as shown to people: Tehran wall-clock time, Jalali date,
/// 24-hour clock. "۵ آذر ۱۴۰۵، ساعت ۱۴:۳۰" in Persian, "5 Azar 1405, 14:30"
/// in English. An instant outside the Jalali range falls back to
/// [`format_gregorian`] rather than showing a wrong date.
pub fn format_datetime(at: DateTime<Utc>, lang: Lang) -> String {
    let local = tehran_local(at);
    let Ok(date) = JalaliDate::from_gregorian(local.date_naive()) else {
        return format_gregorian(at);
    };
    let clock = format!("{:02}:{:02}", local.hour(), local.minute());
    match lang {
        Lang::Fa => format!("{}، ساعت {}", date.format(lang), to_persian_digits(&clock)),
        Lang::En => format!("{}, {}", date.format(lang), clock),
    }
}

/// The Tehran time of day alone, "۱۴:۳۰" in Persian, "14:30" in English:
/// for the times of one day (a meeting's slots and check-ins).
pub fn format_clock(at: DateTime<Utc>, lang: Lang) -> String {
    let local = tehran_local(at);
    let clock = format!("{:02}:{:02}", local.hour(), local.minute());
    match lang {
        Lang::Fa => to_persian_digits(&clock),
        Lang::En => clock,
    }
}

/// The Gregorian Tehran time, "2026-11-25 14:30 (Tehran)", for a hover title
/// that helps visitors and staff who think in Gregorian dates. Written out by
/// hand rather than with chrono's formatter, which would add weight to the
/// wasm bundle.
pub fn format_gregorian(at: DateTime<Utc>) -> String {
    let local = tehran_local(at);
    format!(
        "{}-{:02}-{:02} {:02}:{:02} (Tehran)",
        chrono::Datelike::year(&local),
        chrono::Datelike::month(&local),
        chrono::Datelike::day(&local),
        local.hour(),
        local.minute()
    )
}

/// The instant at which Tehran clocks show `hour:minute` on `date`, for
/// turning a time staff typed into the UTC value that is stored.
///
/// `None` when that wall-clock time does not exist: an invalid hour or
/// minute, or a time skipped when clocks went forward in the years Iran
/// observed daylight saving. When clocks went back and the time happened
/// twice, the earlier instant is chosen.
pub fn tehran_to_utc(date: JalaliDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0)?;
    tehran_wall_clock(date.to_gregorian(), time)
}

/// The same, from what a browser's date and time pickers give:
/// `YYYY-MM-DD` (Gregorian) and `HH:MM` (or `HH:MM:SS`).
pub fn tehran_picked(date: &str, time: &str) -> Option<DateTime<Utc>> {
    tehran_wall_clock(wire::parse_date(date)?, picked_time(time)?)
}

/// The time picked (`HH:MM` or `HH:MM:SS`) on the Tehran day of `day`: a
/// slot on a meeting's day.
pub fn tehran_same_day(day: DateTime<Utc>, time: &str) -> Option<DateTime<Utc>> {
    tehran_wall_clock(tehran_local(day).date_naive(), picked_time(time)?)
}

fn picked_time(time: &str) -> Option<NaiveTime> {
    match time.len() {
        5 => wire::parse_time(&format!("{time}:00")),
        _ => wire::parse_time(time),
    }
}

fn tehran_wall_clock(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let naive = date.and_time(time);
    match TEHRAN.from_local_datetime(&naive) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Some(at.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::Offset;

    #[test]
    fn a_time_picked_in_the_browser_is_read_as_tehran_wall_clock() {
        // 10 Azar 1405, 10:00 in Tehran (UTC+3:30, no daylight saving).
        assert_eq!(
            tehran_picked("2026-12-01", "10:00"),
            Some(utc(2026, 12, 1, 6, 30))
        );
        assert_eq!(
            tehran_picked("2026-12-01", "10:00:00"),
            Some(utc(2026, 12, 1, 6, 30))
        );
        assert_eq!(tehran_picked("2026-12-01", ""), None);
        assert_eq!(tehran_picked("", "10:00"), None);
        assert_eq!(tehran_picked("2026-02-30", "10:00"), None);
        assert_eq!(tehran_picked("2026-12-01", "25:00"), None);
    }

    #[test]
    fn a_slot_is_on_the_tehran_day_of_its_meeting() {
        // A meeting at 09:00 in Tehran on 1 December (05:30 UTC); a slot
        // at 02:00 Tehran is still that Tehran day, the evening before in
        // UTC.
        let meeting = utc(2026, 12, 1, 5, 30);
        assert_eq!(
            tehran_same_day(meeting, "10:15"),
            Some(utc(2026, 12, 1, 6, 45))
        );
        assert_eq!(
            tehran_same_day(meeting, "02:00"),
            Some(utc(2026, 11, 30, 22, 30))
        );
        // 21:00 UTC on 30 November is already 1 December in Tehran.
        assert_eq!(
            tehran_same_day(utc(2026, 11, 30, 21, 0), "08:00"),
            Some(utc(2026, 12, 1, 4, 30))
        );
        assert_eq!(tehran_same_day(meeting, "8"), None);
    }

    #[test]
    fn a_time_of_day_is_tehrans_in_the_readers_digits() {
        assert_eq!(format_clock(utc(2026, 12, 1, 6, 5), Lang::Fa), "۰۹:۳۵");
        assert_eq!(format_clock(utc(2026, 12, 1, 6, 5), Lang::En), "09:35");
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
    }

    fn offset_seconds(at: DateTime<Utc>) -> i32 {
        tehran_local(at).offset().fix().local_minus_utc()
    }

    #[test]
    fn tehran_is_three_and_a_half_hours_ahead_of_utc_in_november_2026() {
        let local = tehran_local(utc(2026, 11, 25, 12, 0));
        assert_eq!((local.hour(), local.minute()), (15, 30));
    }

    #[test]
    fn summer_2022_still_had_daylight_saving_time() {
        assert_eq!(offset_seconds(utc(2022, 7, 1, 12, 0)), 4 * 3600 + 1800);
    }

    #[test]
    fn summer_2024_has_no_daylight_saving_time() {
        assert_eq!(offset_seconds(utc(2024, 7, 1, 12, 0)), 3 * 3600 + 1800);
    }

    #[test]
    fn today_changes_at_tehran_midnight_not_utc_midnight() {
        // Nowruz 1405 starts at 00:00 Tehran on 21 March 2026, 20:30 UTC
        // the evening before.
        assert_eq!(
            jalali_today(utc(2026, 3, 20, 20, 29)),
            JalaliDate::new(1404, 12, 29).unwrap()
        );
        assert_eq!(
            jalali_today(utc(2026, 3, 20, 20, 30)),
            JalaliDate::new(1405, 1, 1).unwrap()
        );
    }

    #[test]
    fn today_outside_the_calendar_range_is_the_nearest_supported_day() {
        assert_eq!(jalali_today(utc(100, 1, 1, 0, 0)), JalaliDate::MIN);
        assert_eq!(jalali_today(utc(5000, 1, 1, 0, 0)), JalaliDate::MAX);
    }

    #[test]
    fn date_and_time_are_shown_in_tehran_time_in_both_languages() {
        let at = utc(2026, 11, 26, 11, 0);
        assert_eq!(format_datetime(at, Lang::Fa), "۵ آذر ۱۴۰۵، ساعت ۱۴:۳۰");
        assert_eq!(format_datetime(at, Lang::En), "5 Azar 1405, 14:30");
        assert_eq!(format_gregorian(at), "2026-11-26 14:30 (Tehran)");
    }

    #[test]
    fn the_hour_is_padded_and_shown_on_a_24_hour_clock() {
        let at = utc(2026, 11, 25, 5, 5);
        assert_eq!(format_datetime(at, Lang::En), "4 Azar 1405, 08:35");
        assert_eq!(
            format_gregorian(utc(2026, 11, 25, 20, 0)),
            "2026-11-25 23:30 (Tehran)"
        );
    }

    #[test]
    fn an_instant_outside_the_jalali_range_is_shown_in_gregorian() {
        let far = utc(5000, 1, 1, 0, 0);
        assert_eq!(format_datetime(far, Lang::Fa), format_gregorian(far));
    }

    #[test]
    fn a_tehran_wall_clock_time_converts_to_utc() {
        let date = JalaliDate::new(1405, 9, 5).unwrap();
        assert_eq!(tehran_to_utc(date, 14, 30), Some(utc(2026, 11, 26, 11, 0)));
        assert_eq!(tehran_to_utc(date, 24, 0), None);
        assert_eq!(tehran_to_utc(date, 10, 60), None);
    }

    #[test]
    fn wall_clock_times_of_the_daylight_saving_years_use_their_own_offset() {
        // 1 Tir 1401 = 22 June 2022, during daylight saving time.
        let date = JalaliDate::new(1401, 4, 1).unwrap();
        assert_eq!(tehran_to_utc(date, 12, 0), Some(utc(2022, 6, 22, 7, 30)));
    }

    #[test]
    fn a_skipped_wall_clock_time_has_no_instant_and_a_repeated_one_takes_the_first() {
        // In 2022 clocks went from 00:00 to 01:00 on 22 March (2 Farvardin
        // 1401), and at the midnight ending 21 September (30 Shahrivar)
        // back to 23:00, so 23:00-24:00 of that day happened twice.
        let spring = JalaliDate::new(1401, 1, 2).unwrap();
        assert_eq!(tehran_to_utc(spring, 0, 30), None);
        let autumn = JalaliDate::new(1401, 6, 30).unwrap();
        assert_eq!(tehran_to_utc(autumn, 23, 30), Some(utc(2022, 9, 21, 19, 0)));
    }
}
