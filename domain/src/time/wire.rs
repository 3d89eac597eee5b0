//! How times travel in JSON and in the device's storage: the text chrono
//! writes — RFC 3339 for instants (`2026-12-02T08:30:00Z`), ISO 8601 for
//! dates (`2026-11-28`) and times of day (`23:59:00`) — read back by a
//! small parser of exactly those forms.
//!
//! Why not chrono's own `Deserialize`: it goes through chrono's general
//! format-string parser, which is most of chrono's weight in the citizens'
//! download (BENCHMARKS.md). Writing stays chrono's; every time field of a
//! wire or storage type names one of these modules with `#[serde(with)]`,
//! so both sides read and write the same text.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// An instant (`DateTime<Utc>`), as RFC 3339.
pub mod instant {
    use super::*;

    const EXPECTED: &str = "expected an RFC 3339 date and time";

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        at.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        read(&String::deserialize(deserializer)?, parse_instant, EXPECTED)
    }

    /// An instant that may be missing or `null` (with `#[serde(default)]`).
    pub fn deserialize_option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| read(&text, parse_instant, EXPECTED))
            .transpose()
    }
}

/// A calendar date (`NaiveDate`), as `YYYY-MM-DD`.
pub mod date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        date.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        read(
            &String::deserialize(deserializer)?,
            parse_date,
            "expected a date YYYY-MM-DD",
        )
    }
}

/// A time of day (`NaiveTime`), as `HH:MM:SS` with an optional fraction.
pub mod time_of_day {
    use super::*;

    pub fn serialize<S: Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
        time.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
        read(
            &String::deserialize(deserializer)?,
            parse_time,
            "expected a time HH:MM:SS",
        )
    }
}

/// `text` read by `parse`, or a deserialisation error saying what was
/// expected.
fn read<T, E: de::Error>(text: &str, parse: fn(&str) -> Option<T>, expected: &str) -> Result<T, E> {
    parse(text).ok_or_else(|| E::custom(expected))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, as chrono writes it (a
/// lower-case `t`/`z` or a space for the `T` are accepted, as RFC 3339
/// allows).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let (date, rest) = (text.get(..10)?, text.get(10..)?);
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (time, zone) = rest.split_at(zone_at);
    let local = parse_date(date)?.and_time(parse_time(time)?);
    let offset = match zone {
        "Z" | "z" => TimeDelta::zero(),
        _ => parse_offset(zone)?,
    };
    Some(local.checked_sub_signed(offset)?.and_utc())
}

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let [year, month, day] = fields(text, '-', [4, 2, 2])?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// `HH:MM:SS` or `HH:MM:SS.fraction` (one to nine digits).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let [hour, minute, second] = fields(whole, ':', [2, 2, 2])?;
    let nanos = match fraction.len() {
        0 if !text.ends_with('.') => 0,
        1..=9 => number(fraction)? * 10u32.pow(9 - fraction.len() as u32),
        _ => return None,
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

/// `+HH:MM` or `-HH:MM`: how far the local time is ahead of UTC.
fn parse_offset(text: &str) -> Option<TimeDelta> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let [hours, minutes] = fields(text.get(1..)?, ':', [2, 2])?;
    if minutes >= 60 {
        return None;
    }
    TimeDelta::try_minutes(sign * i64::from(hours * 60 + minutes))
}

/// Fixed-width decimal fields joined by `separator`.
fn fields<const N: usize>(text: &str, separator: char, widths: [usize; N]) -> Option<[u32; N]> {
    let mut parts = text.split(separator);
    let mut values = [0; N];
    for (value, width) in values.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != width {
            return None;
        }
        *value = number(part)?;
    }
    parts.next().is_none().then_some(values)
}

/// ASCII digits only: no sign, no spaces (`str::parse` would take `+1`).
fn number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Times {
        #[serde(with = "instant")]
        at: DateTime<Utc>,
        #[serde(with = "date")]
        on: NaiveDate,
        #[serde(with = "time_of_day")]
        from: NaiveTime,
    }

    proptest! {
        #[test]
        fn what_chrono_writes_is_read_back_unchanged(
            seconds in -2_000_000_000i64..8_000_000_000,
            nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000, (0u32..1000).prop_map(|ms| ms * 1_000_000)],
        ) {
            let at = Utc.timestamp_opt(seconds, nanos).unwrap();
            let times = Times { at, on: at.date_naive(), from: at.time() };
            let text = serde_json::to_string(&times).unwrap();
            prop_assert_eq!(serde_json::from_str::<Times>(&text).unwrap(), times);
        }
    }

    #[test]
    fn an_instant_with_an_offset_is_the_same_instant_in_utc() {
        let tehran = parse_instant("2026-11-28T00:00:00+03:30").unwrap();
        assert_eq!(
            tehran,
            Utc.with_ymd_and_hms(2026, 11, 27, 20, 30, 0).unwrap()
        );
        let west = parse_instant("2026-11-28T00:00:00-05:00").unwrap();
        assert_eq!(west, Utc.with_ymd_and_hms(2026, 11, 28, 5, 0, 0).unwrap());
        assert_eq!(
            parse_instant("2026-11-28 08:30:00.5z").unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 28, 8, 30, 0).unwrap() + TimeDelta::milliseconds(500)
        );
    }

    #[test]
    fn malformed_times_are_refused_not_guessed() {
        for text in [
            "",
            "2026-11-28",
            "2026-11-28T08:30:00",
            "2026-11-28T08:30Z",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-11-28T24:00:00Z",
            "2026-11-28T08:30:00.Z",
            "2026-11-28T08:30:00.1234567890Z",
            "2026-11-28T08:30:00+0330",
            "2026-11-28T08:30:00+03:60",
            "+026-11-28T08:30:00Z",
            "2026-1-028T08:30:00Z",
            "۲۰۲۶-11-28T08:30:00Z",
        ] {
            assert_eq!(parse_instant(text), None, "{text:?}");
        }
        for text in ["", "2026-11", "2026-11-28-01", "26-11-28", "2026-+1-28"] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
        for text in [
            "",
            "23:59",
            "23:59:00:00",
            "7:00:00",
            "23:60:00",
            "23:59:00.",
        ] {
            assert_eq!(parse_time(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_bad_time_in_json_is_a_deserialisation_error() {
        let text = r#"{"at":"yesterday","on":"2026-11-28","from":"00:00:00"}"#;
        assert!(serde_json::from_str::<Times>(text).is_err());
    }
}
