//! The Jalali (Solar Hijri) calendar: dates, conversion to and from the
//! Gregorian calendar, and month and weekday names.
//!
//! Iran's official calendar is Jalali, so every date a citizen sees is shown
//! in it; Gregorian dates exist only at the edges (storage is UTC, chrono
//! does the arithmetic). The conversion is a faithful port of jalaali-js
//! (Kazimierz M. Borkowski's method with its `breaks` table), the algorithm
//! behind most Persian date libraries, so our dates agree with theirs. A
//! small module of our own keeps the wasm bundle lighter than a general
//! calendar crate would.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};
use crate::text::localize_digits;

/// The first Jalali year the algorithm is valid for.
pub const MIN_YEAR: i32 = -61;
/// The last Jalali year the algorithm is valid for.
pub const MAX_YEAR: i32 = 3177;

/// Jalali years that start a new 33-year cycle pattern (Borkowski). The last
/// entry is one past the last supported year.
const BREAKS: [i64; 20] = [
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324,
    2394, 2456, 3178,
];

/// Why a Jalali date could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JalaliError {
    #[error("a date is written year/month/day")]
    Malformed,
    #[error("the month must be between 1 and 12")]
    MonthOutOfRange,
    #[error("the day does not exist in that month")]
    DayOutOfRange,
    #[error("the year is outside the supported range -61..=3177")]
    YearOutOfRange,
}

impl Localized for JalaliError {
    fn key(&self) -> &'static str {
        match self {
            JalaliError::Malformed => "jalali.malformed",
            JalaliError::MonthOutOfRange => "jalali.month_out_of_range",
            JalaliError::DayOutOfRange => "jalali.day_out_of_range",
            JalaliError::YearOutOfRange => "jalali.year_out_of_range",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (JalaliError::Malformed, Lang::Fa) => {
                "تاریخ را به‌شکل سال/ماه/روز بنویسید، مانند ۱۴۰۳/۰۵/۱۲."
            }
            (JalaliError::Malformed, Lang::En) => {
                "Write the date as year/month/day, such as 1403/05/12."
            }
            (JalaliError::MonthOutOfRange, Lang::Fa) => "ماه باید عددی بین ۱ تا ۱۲ باشد.",
            (JalaliError::MonthOutOfRange, Lang::En) => "The month must be between 1 and 12.",
            (JalaliError::DayOutOfRange, Lang::Fa) => {
                "این روز در ماه انتخاب‌شده وجود ندارد. لطفاً تاریخ را دوباره بررسی کنید."
            }
            (JalaliError::DayOutOfRange, Lang::En) => {
                "That day does not exist in the chosen month. Please check the date."
            }
            (JalaliError::YearOutOfRange, Lang::Fa) => {
                "این سال پشتیبانی نمی‌شود. لطفاً سال را دوباره بررسی کنید."
            }
            (JalaliError::YearOutOfRange, Lang::En) => {
                "That year is outside the supported range. Please check the year."
            }
        }
    }
}

/// A valid day of the Jalali calendar. Fields are private so that every
/// value went through [`JalaliDate::new`]; deserialization checks too.
/// The field order makes the derived ordering chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawJalaliDate")]
pub struct JalaliDate {
    year: i32,
    month: u8,
    day: u8,
}

/// The unchecked shape of a serialized [`JalaliDate`].
#[derive(Deserialize)]
struct RawJalaliDate {
    year: i32,
    month: u8,
    day: u8,
}

impl TryFrom<RawJalaliDate> for JalaliDate {
    type Error = JalaliError;

    fn try_from(raw: RawJalaliDate) -> Result<Self, Self::Error> {
        JalaliDate::new(raw.year, raw.month, raw.day)
    }
}

impl JalaliDate {
    /// The earliest supported date, 1 Farvardin -61 = 20 March 560.
    pub const MIN: JalaliDate = JalaliDate {
        year: MIN_YEAR,
        month: 1,
        day: 1,
    };
    /// The latest supported date, 11 Dey 3177 = 31 December 3798.
    ///
    /// Not the end of Jalali 3177: jalaali-js converts a Gregorian day by
    /// looking up the Jalali year that begins in the same Gregorian year,
    /// and for January to March 3799 that is 3178, past the breaks table.
    /// Ending the range here keeps every date convertible both ways.
    pub const MAX: JalaliDate = JalaliDate {
        year: MAX_YEAR,
        month: 10,
        day: 11,
    };

    /// A date, if it exists in the calendar and lies in the supported range
    /// [`JalaliDate::MIN`]..=[`JalaliDate::MAX`].
    pub fn new(year: i32, month: u8, day: u8) -> Result<JalaliDate, JalaliError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(JalaliError::YearOutOfRange);
        }
        if !(1..=12).contains(&month) {
            return Err(JalaliError::MonthOutOfRange);
        }
        if day < 1 || day > month_length(year, month) {
            return Err(JalaliError::DayOutOfRange);
        }
        let date = JalaliDate { year, month, day };
        if date > JalaliDate::MAX {
            return Err(JalaliError::YearOutOfRange);
        }
        Ok(date)
    }

    /// A date as people write it: year/month/day with slashes or
    /// hyphens, digits in any script ("1403/05/12", "۱۴۰۳-۵-۱۲").
    pub fn parse(text: &str) -> Result<JalaliDate, JalaliError> {
        let text = crate::text::fold_digits(text.trim());
        let mut parts = text
            .split(['/', '-'])
            .map(|part| part.trim().parse::<i32>());
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Ok(year)), Some(Ok(month)), Some(Ok(day)), None) => JalaliDate::new(
                year,
                u8::try_from(month).map_err(|_| JalaliError::MonthOutOfRange)?,
                u8::try_from(day).map_err(|_| JalaliError::DayOutOfRange)?,
            ),
            _ => Err(JalaliError::Malformed),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The same day `months` months later, or the last day of that month
    /// when it is shorter (30 Bahman plus one month is 29 Esfand in a
    /// common year, 30 in a leap year); [`JalaliDate::MAX`] past the range.
    pub fn months_later(self, months: u32) -> JalaliDate {
        let index = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(months);
        let Ok(year) = i32::try_from(index.div_euclid(12)) else {
            return JalaliDate::MAX;
        };
        // In 1..=12 by construction.
        let month = index.rem_euclid(12) as u8 + 1;
        if year > MAX_YEAR {
            return JalaliDate::MAX;
        }
        let day = self.day.min(month_length(year, month));
        JalaliDate::new(year, month, day).unwrap_or(JalaliDate::MAX)
    }

    /// The Jalali date of a Gregorian day. Fails only for days outside the
    /// supported range, 20 March 560 to 31 December 3798.
    pub fn from_gregorian(date: NaiveDate) -> Result<JalaliDate, JalaliError> {
        let jdn = g2d(
            i64::from(date.year()),
            i64::from(date.month()),
            i64::from(date.day()),
        );
        let (year, month, day) = d2j(jdn).ok_or(JalaliError::YearOutOfRange)?;
        let year = i32::try_from(year).map_err(|_| JalaliError::YearOutOfRange)?;
        let month = u8::try_from(month).map_err(|_| JalaliError::MonthOutOfRange)?;
        let day = u8::try_from(day).map_err(|_| JalaliError::DayOutOfRange)?;
        // d2j can step back to the year before MIN_YEAR; `new` refuses it.
        JalaliDate::new(year, month, day)
    }

    /// The Gregorian day of this date.
    pub fn to_gregorian(self) -> NaiveDate {
        let date = j2d(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
        .map(d2g)
        .and_then(|(gy, gm, gd)| {
            NaiveDate::from_ymd_opt(
                i32::try_from(gy).ok()?,
                u32::try_from(gm).ok()?,
                u32::try_from(gd).ok()?,
            )
        });
        match date {
            Some(date) => date,
            // A JalaliDate only exists from MIN to MAX, where j2d is defined
            // and lands in Gregorian 560..=3798, well inside chrono's range,
            // so there is always a Gregorian day.
            None => unreachable!("a valid Jalali date has a Gregorian day"),
        }
    }

    /// The day of the week. Iranian weeks run Saturday to Friday.
    pub fn weekday(self) -> Weekday {
        self.to_gregorian().weekday()
    }

    /// Day, month name and year, the way dates are written in running text:
    /// "۵ آذر ۱۴۰۵" in Persian, "5 Azar 1405" in English.
    pub fn format(self, lang: Lang) -> String {
        let text = format!(
            "{} {} {}",
            self.day,
            month_name(self.month, lang),
            self.year
        );
        localize_digits(&text, lang)
    }

    /// The compact numeric form used in tables and forms: "۱۴۰۵/۰۹/۰۵" in
    /// Persian, "1405/09/05" in English. Year first, as Iranian forms write
    /// it.
    pub fn format_numeric(self, lang: Lang) -> String {
        let text = format!("{}/{:02}/{:02}", self.year, self.month, self.day);
        localize_digits(&text, lang)
    }
}

/// Whether Esfand of `year` has 30 days. Years outside `MIN_YEAR..=MAX_YEAR`
/// are outside the algorithm's validity and are reported as common years.
pub fn is_leap_year(year: i32) -> bool {
    jal_cal_leap(i64::from(year)) == Some(0)
}

/// The number of days in a month: 31 for months 1–6, 30 for 7–11, 29 or 30
/// for Esfand. A month outside 1..=12 has no days, so 0.
pub fn month_length(year: i32, month: u8) -> u8 {
    match month {
        1..=6 => 31,
        7..=11 => 30,
        12 if is_leap_year(year) => 30,
        12 => 29,
        _ => 0,
    }
}

const MONTHS_FA: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

const MONTHS_EN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// The name of Jalali month 1..=12; empty for any other number, which no
/// valid [`JalaliDate`] has.
pub fn month_name(month: u8, lang: Lang) -> &'static str {
    let names = match lang {
        Lang::Fa => &MONTHS_FA,
        Lang::En => &MONTHS_EN,
    };
    usize::from(month)
        .checked_sub(1)
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or_default()
}

/// The name of a weekday. English keeps the usual names; the Persian ones are
/// counted from Saturday (شنبه), the first day of the Iranian week.
pub fn weekday_name(weekday: Weekday, lang: Lang) -> &'static str {
    match (weekday, lang) {
        (Weekday::Sat, Lang::Fa) => "شنبه",
        (Weekday::Sun, Lang::Fa) => "یکشنبه",
        (Weekday::Mon, Lang::Fa) => "دوشنبه",
        (Weekday::Tue, Lang::Fa) => "سه\u{200C}شنبه",
        (Weekday::Wed, Lang::Fa) => "چهارشنبه",
        (Weekday::Thu, Lang::Fa) => "پنجشنبه",
        (Weekday::Fri, Lang::Fa) => "جمعه",
        (Weekday::Sat, Lang::En) => "Saturday",
        (Weekday::Sun, Lang::En) => "Sunday",
        (Weekday::Mon, Lang::En) => "Monday",
        (Weekday::Tue, Lang::En) => "Tuesday",
        (Weekday::Wed, Lang::En) => "Wednesday",
        (Weekday::Thu, Lang::En) => "Thursday",
        (Weekday::Fri, Lang::En) => "Friday",
    }
}

// The port of jalaali-js follows. Its `div` and `mod` truncate toward zero,
// which is exactly Rust's `/` and `%` on integers, so they are written as
// operators. JavaScript numbers hold these values exactly; i64 does too.

/// The result of jalaali-js `jalCal`.
struct JalCal {
    /// Years since the last leap year (0 to 4); 0 means `jy` is leap.
    leap: i64,
    /// The Gregorian year in which `jy` begins.
    gy: i64,
    /// The day in March of 1 Farvardin.
    march: i64,
}

/// jalaali-js `jalCal`: whether `jy` is leap and on which March day it
/// begins. `None` outside the breaks table, where jalaali-js throws.
fn jal_cal(jy: i64) -> Option<JalCal> {
    let gy = jy + 621;
    let mut leap_j = -14;
    let mut jp = BREAKS[0];
    if jy < jp || jy >= BREAKS[BREAKS.len() - 1] {
        return None;
    }
    // Find the limiting years for the Jalali year jy.
    let mut jump = 0;
    for &jm in &BREAKS[1..] {
        jump = jm - jp;
        if jy < jm {
            break;
        }
        leap_j = leap_j + jump / 33 * 8 + (jump % 33) / 4;
        jp = jm;
    }
    let mut n = jy - jp;

    // Leap years from AD 621 to the start of jy in the Persian calendar...
    leap_j = leap_j + n / 33 * 8 + (n % 33 + 3) / 4;
    if jump % 33 == 4 && jump - n == 4 {
        leap_j += 1;
    }
    // ...and in the Gregorian calendar until gy.
    let leap_g = gy / 4 - (gy / 100 + 1) * 3 / 4 - 150;
    // The Gregorian date of 1 Farvardin.
    let march = 20 + leap_j - leap_g;

    // Years since the last leap year.
    if jump - n < 6 {
        n = n - jump + (jump + 4) / 33 * 33;
    }
    let mut leap = ((n + 1) % 33 - 1) % 4;
    if leap == -1 {
        leap = 4;
    }
    Some(JalCal { leap, gy, march })
}

/// jalaali-js `jalCalLeap`: only the leap part of [`jal_cal`].
fn jal_cal_leap(jy: i64) -> Option<i64> {
    jal_cal(jy).map(|r| r.leap)
}

/// jalaali-js `j2d`: the Julian Day Number of a Jalali date.
fn j2d(jy: i64, jm: i64, jd: i64) -> Option<i64> {
    let r = jal_cal(jy)?;
    Some(g2d(r.gy, 3, r.march) + (jm - 1) * 31 - jm / 7 * (jm - 7) + jd - 1)
}

/// jalaali-js `d2j`: the Jalali date of a Julian Day Number, as
/// (year, month, day). `None` where jalaali-js throws.
fn d2j(jdn: i64) -> Option<(i64, i64, i64)> {
    let (gy, _, _) = d2g(jdn);
    let mut jy = gy - 621;
    let r = jal_cal(jy)?;
    let jdn1f = g2d(gy, 3, r.march);

    // Days since 1 Farvardin.
    let mut k = jdn - jdn1f;
    if k >= 0 {
        if k <= 185 {
            // The first six months, of 31 days.
            return Some((jy, 1 + k / 31, k % 31 + 1));
        }
        k -= 186;
    } else {
        // The end of the previous Jalali year.
        jy -= 1;
        k += 179;
        if r.leap == 1 {
            k += 1;
        }
    }
    Some((jy, 7 + k / 30, k % 30 + 1))
}

/// jalaali-js `g2d`: the Julian Day Number of a proleptic Gregorian date.
fn g2d(gy: i64, gm: i64, gd: i64) -> i64 {
    let d =
        (gy + (gm - 8) / 6 + 100100) * 1461 / 4 + (153 * ((gm + 9) % 12) + 2) / 5 + gd - 34840408;
    d - (gy + 100100 + (gm - 8) / 6) / 100 * 3 / 4 + 752
}

/// jalaali-js `d2g`: the proleptic Gregorian date of a Julian Day Number, as
/// (year, month, day).
fn d2g(jdn: i64) -> (i64, i64, i64) {
    let mut j = 4 * jdn + 139361631;
    j = j + (4 * jdn + 183187720) / 146097 * 3 / 4 * 4 - 3908;
    let i = (j % 1461) / 4 * 5 + 308;
    let gd = (i % 153) / 5 + 1;
    let gm = (i / 153) % 12 + 1;
    let gy = j / 1461 - 100100 + (8 - gm) / 6;
    (gy, gm, gd)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn g(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn j(y: i32, m: u8, d: u8) -> JalaliDate {
        JalaliDate::new(y, m, d).unwrap()
    }

    #[test]
    fn a_month_later_keeps_the_day_or_takes_the_months_last() {
        assert_eq!(j(1405, 9, 13).months_later(1), j(1405, 10, 13));
        assert_eq!(j(1405, 6, 31).months_later(1), j(1405, 7, 30));
        // Esfand: 30 days in leap 1403, 29 in 1404.
        assert_eq!(j(1403, 11, 30).months_later(1), j(1403, 12, 30));
        assert_eq!(j(1404, 11, 30).months_later(1), j(1404, 12, 29));
        assert_eq!(j(1404, 12, 15).months_later(1), j(1405, 1, 15));
        assert_eq!(j(1404, 12, 29).months_later(13), j(1406, 1, 29));
        assert_eq!(JalaliDate::MAX.months_later(1), JalaliDate::MAX);
        assert_eq!(j(1405, 1, 1).months_later(u32::MAX), JalaliDate::MAX);
    }

    #[test]
    fn nowruz_falls_on_the_known_gregorian_days() {
        let nowruz = [
            (1396, g(2017, 3, 21)),
            (1399, g(2020, 3, 20)),
            (1402, g(2023, 3, 21)),
            (1403, g(2024, 3, 20)),
            (1404, g(2025, 3, 21)),
            (1405, g(2026, 3, 21)),
        ];
        for (year, gregorian) in nowruz {
            assert_eq!(j(year, 1, 1).to_gregorian(), gregorian, "Nowruz {year}");
            assert_eq!(JalaliDate::from_gregorian(gregorian), Ok(j(year, 1, 1)));
        }
    }

    #[test]
    fn known_dates_inside_the_year_convert_both_ways() {
        // 5 Azar 1405: 250 days after Nowruz on 21 March 2026.
        assert_eq!(j(1405, 9, 5).to_gregorian(), g(2026, 11, 26));
        assert_eq!(
            JalaliDate::from_gregorian(g(2026, 11, 25)),
            Ok(j(1405, 9, 4))
        );
        // The 30th of Esfand exists in the leap year 1403: the day before
        // Nowruz 1404.
        assert_eq!(j(1403, 12, 30).to_gregorian(), g(2025, 3, 20));
        assert_eq!(
            JalaliDate::from_gregorian(g(2000, 1, 1)),
            Ok(j(1378, 10, 11))
        );
        assert_eq!(
            JalaliDate::from_gregorian(g(1979, 2, 11)),
            Ok(j(1357, 11, 22))
        );
    }

    #[test]
    fn leap_years_have_thirty_days_in_esfand() {
        for year in [1399, 1403, 1408] {
            assert!(is_leap_year(year), "{year} is leap");
            assert_eq!(month_length(year, 12), 30);
            assert!(JalaliDate::new(year, 12, 30).is_ok());
        }
        for year in [1400, 1401, 1402, 1404] {
            assert!(!is_leap_year(year), "{year} is common");
            assert_eq!(month_length(year, 12), 29);
            assert_eq!(
                JalaliDate::new(year, 12, 30),
                Err(JalaliError::DayOutOfRange)
            );
        }
    }

    #[test]
    fn the_first_six_months_have_31_days_and_the_next_five_30() {
        for month in 1..=6 {
            assert_eq!(month_length(1404, month), 31);
        }
        for month in 7..=11 {
            assert_eq!(month_length(1404, month), 30);
        }
        assert_eq!(month_length(1404, 0), 0);
        assert_eq!(month_length(1404, 13), 0);
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(
            JalaliDate::new(1404, 0, 1),
            Err(JalaliError::MonthOutOfRange)
        );
        assert_eq!(
            JalaliDate::new(1404, 13, 1),
            Err(JalaliError::MonthOutOfRange)
        );
        assert_eq!(JalaliDate::new(1404, 1, 0), Err(JalaliError::DayOutOfRange));
        assert_eq!(
            JalaliDate::new(1404, 1, 32),
            Err(JalaliError::DayOutOfRange)
        );
        assert_eq!(
            JalaliDate::new(1404, 7, 31),
            Err(JalaliError::DayOutOfRange)
        );
        assert_eq!(
            JalaliDate::new(3178, 1, 1),
            Err(JalaliError::YearOutOfRange)
        );
        assert_eq!(JalaliDate::new(-62, 1, 1), Err(JalaliError::YearOutOfRange));
    }

    #[test]
    fn the_supported_range_ends_convert_and_beyond_them_conversion_fails() {
        assert_eq!(JalaliDate::new(MIN_YEAR, 1, 1), Ok(JalaliDate::MIN));
        assert_eq!(JalaliDate::new(MAX_YEAR, 10, 11), Ok(JalaliDate::MAX));
        assert_eq!(JalaliDate::MIN.to_gregorian(), g(560, 3, 20));
        assert_eq!(JalaliDate::MAX.to_gregorian(), g(3798, 12, 31));
        assert_eq!(
            JalaliDate::new(MAX_YEAR, 10, 12),
            Err(JalaliError::YearOutOfRange)
        );
        assert_eq!(
            JalaliDate::new(MAX_YEAR, 12, 29),
            Err(JalaliError::YearOutOfRange)
        );
        // The leap rule itself still covers all of 3177.
        assert!(!is_leap_year(MAX_YEAR));
        assert_eq!(month_length(MAX_YEAR, 12), 29);
        for end in [JalaliDate::MIN, JalaliDate::MAX] {
            assert_eq!(JalaliDate::from_gregorian(end.to_gregorian()), Ok(end));
        }
        let before = JalaliDate::MIN.to_gregorian().pred_opt().unwrap();
        let after = JalaliDate::MAX.to_gregorian().succ_opt().unwrap();
        assert_eq!(
            JalaliDate::from_gregorian(before),
            Err(JalaliError::YearOutOfRange)
        );
        assert_eq!(
            JalaliDate::from_gregorian(after),
            Err(JalaliError::YearOutOfRange)
        );
        assert_eq!(
            JalaliDate::from_gregorian(NaiveDate::MIN),
            Err(JalaliError::YearOutOfRange)
        );
        assert_eq!(
            JalaliDate::from_gregorian(NaiveDate::MAX),
            Err(JalaliError::YearOutOfRange)
        );
        assert!(!is_leap_year(MAX_YEAR + 1));
        assert!(!is_leap_year(MIN_YEAR - 1));
    }

    #[test]
    fn the_julian_day_number_agrees_with_chrono() {
        // JDN 2451545 is 1 January 2000; chrono counts days from 1 January
        // of year 1, which is JDN 1721426.
        assert_eq!(g2d(2000, 1, 1), 2451545);
        let mut day = g(1900, 1, 1);
        while day.year() < 2100 {
            let jdn = g2d(
                i64::from(day.year()),
                i64::from(day.month()),
                i64::from(day.day()),
            );
            assert_eq!(jdn, i64::from(day.num_days_from_ce()) + 1721425);
            assert_eq!(
                d2g(jdn),
                (
                    i64::from(day.year()),
                    i64::from(day.month()),
                    i64::from(day.day())
                )
            );
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn every_day_from_1900_to_2100_round_trips_and_follows_the_day_before() {
        let mut day = g(1900, 1, 1);
        let mut previous = JalaliDate::from_gregorian(day).unwrap();
        assert_eq!(previous, j(1278, 10, 11));
        while day < g(2100, 12, 31) {
            day = day.succ_opt().unwrap();
            let jalali = JalaliDate::from_gregorian(day).unwrap();
            assert_eq!(jalali.to_gregorian(), day);
            assert_eq!(jalali.weekday(), day.weekday());
            let expected_next = if previous.day < month_length(previous.year, previous.month) {
                j(previous.year, previous.month, previous.day + 1)
            } else if previous.month < 12 {
                j(previous.year, previous.month + 1, 1)
            } else {
                j(previous.year + 1, 1, 1)
            };
            assert_eq!(jalali, expected_next, "the day after {previous:?}");
            previous = jalali;
        }
    }

    #[test]
    fn from_1300_to_1500_leap_years_follow_the_33_year_rule() {
        // The breaks table has no break between 1210 and 1635, so the
        // 33-year rule of DESIGN §9 holds over this whole span.
        for year in 1300..=1500_i32 {
            let by_rule = [1, 5, 9, 13, 17, 22, 26, 30].contains(&year.rem_euclid(33));
            assert_eq!(is_leap_year(year), by_rule, "year {year}");
        }
    }

    #[test]
    fn a_year_has_366_days_exactly_when_it_is_leap() {
        for year in 1200..=1700 {
            let start = j(year, 1, 1).to_gregorian();
            let next = j(year + 1, 1, 1).to_gregorian();
            let days = (next - start).num_days();
            assert_eq!(days == 366, is_leap_year(year), "year {year}");
            assert!(days == 365 || days == 366);
        }
    }

    #[test]
    fn dates_are_written_with_the_month_name_and_localized_digits() {
        assert_eq!(j(1405, 9, 5).format(Lang::Fa), "۵ آذر ۱۴۰۵");
        assert_eq!(j(1405, 9, 5).format(Lang::En), "5 Azar 1405");
        assert_eq!(j(1405, 9, 5).format_numeric(Lang::Fa), "۱۴۰۵/۰۹/۰۵");
        assert_eq!(j(1405, 9, 5).format_numeric(Lang::En), "1405/09/05");
        assert_eq!(j(1404, 12, 29).format(Lang::En), "29 Esfand 1404");
    }

    #[test]
    fn months_and_weekdays_have_persian_and_english_names() {
        assert_eq!(month_name(1, Lang::Fa), "فروردین");
        assert_eq!(month_name(12, Lang::En), "Esfand");
        assert_eq!(month_name(0, Lang::Fa), "");
        assert_eq!(month_name(13, Lang::En), "");
        assert_eq!(weekday_name(Weekday::Tue, Lang::Fa), "سه\u{200C}شنبه");
        assert_eq!(weekday_name(Weekday::Sat, Lang::En), "Saturday");
        // Nowruz 1405 is a Saturday.
        assert_eq!(weekday_name(j(1405, 1, 1).weekday(), Lang::Fa), "شنبه");
    }

    #[test]
    fn dates_order_chronologically() {
        assert!(j(1404, 12, 29) < j(1405, 1, 1));
        assert!(j(1405, 1, 31) < j(1405, 2, 1));
        assert!(j(1405, 2, 1) < j(1405, 2, 2));
    }

    #[test]
    fn a_date_round_trips_through_json_and_an_impossible_one_is_refused() {
        let date = j(1403, 12, 30);
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, r#"{"year":1403,"month":12,"day":30}"#);
        assert_eq!(serde_json::from_str::<JalaliDate>(&json).unwrap(), date);
        assert!(
            serde_json::from_str::<JalaliDate>(r#"{"year":1404,"month":12,"day":30}"#).is_err()
        );
        assert!(serde_json::from_str::<JalaliDate>(r#"{"year":1404,"month":13,"day":1}"#).is_err());
    }

    #[test]
    fn a_written_date_parses_in_any_digits_and_separator() {
        assert_eq!(JalaliDate::parse("1403/05/12"), Ok(j(1403, 5, 12)));
        assert_eq!(JalaliDate::parse(" ۱۴۰۳-۵-۱۲ "), Ok(j(1403, 5, 12)));
        assert_eq!(JalaliDate::parse("1403/5"), Err(JalaliError::Malformed));
        assert_eq!(
            JalaliDate::parse("1403/05/12/1"),
            Err(JalaliError::Malformed)
        );
        assert_eq!(
            JalaliDate::parse("1403/13/01"),
            Err(JalaliError::MonthOutOfRange)
        );
        assert_eq!(
            JalaliDate::parse("1403/300/01"),
            Err(JalaliError::MonthOutOfRange)
        );
        assert_eq!(
            JalaliDate::parse("1404/12/30"),
            Err(JalaliError::DayOutOfRange)
        );
    }

    #[test]
    fn every_calendar_error_has_a_persian_and_an_english_sentence() {
        use JalaliError::*;
        for error in [Malformed, MonthOutOfRange, DayOutOfRange, YearOutOfRange] {
            assert!(error.key().starts_with("jalali."));
            assert!(error.message(Lang::Fa).ends_with('.'));
            assert!(error.message(Lang::En).ends_with('.'));
        }
    }

    fn supported_span_in_days() -> u64 {
        let span = JalaliDate::MAX.to_gregorian() - JalaliDate::MIN.to_gregorian();
        u64::try_from(span.num_days()).unwrap()
    }

    proptest! {
        #[test]
        fn any_gregorian_day_in_range_round_trips(days in 0..=supported_span_in_days()) {
            let start = JalaliDate::MIN.to_gregorian();
            let day = start + chrono::Days::new(days);
            let jalali = JalaliDate::from_gregorian(day).unwrap();
            prop_assert_eq!(jalali.to_gregorian(), day);
        }

        #[test]
        fn any_valid_jalali_date_round_trips(year in MIN_YEAR..=MAX_YEAR, month in 1u8..=12, day in 1u8..=31) {
            match JalaliDate::new(year, month, day) {
                Ok(date) => {
                    prop_assert_eq!(JalaliDate::from_gregorian(date.to_gregorian()), Ok(date));
                }
                Err(JalaliError::DayOutOfRange) => prop_assert!(day > month_length(year, month)),
                Err(error) => {
                    prop_assert_eq!(error, JalaliError::YearOutOfRange);
                    prop_assert!((year, month, day) > (MAX_YEAR, 10, 11));
                }
            }
        }
    }
}
