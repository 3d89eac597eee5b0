//! Meeting day at the door (DESIGN §2 step 5): finding a person on the
//! roster as the door staff type, in the order they are expected, and the
//! counts every door device shows. The same code runs wherever a roster is
//! searched; the check-ins themselves are `sync` commands.

use std::collections::BTreeMap;

use crate::ids::{AttendeeId, DeviceId};
use crate::sync::{Attendee, CheckInFact, RequestForm};
use crate::text::normalize_for_search;

/// A roster entry with what a search compares against: the name, the
/// tracking code with and without its hyphens, and the last digits of the
/// mobile and national ID — all folded (DESIGN §9), so Arabic ي/ك, ZWNJ,
/// diacritics and digits in any script find the same person.
#[derive(Clone, Debug, PartialEq)]
pub struct Searchable {
    pub attendee: Attendee,
    key: String,
}

impl Searchable {
    pub fn new(attendee: Attendee) -> Searchable {
        let mut key = normalize_for_search(&attendee.full_name);
        if let Some(code) = &attendee.tracking_code {
            for form in [code.as_str().to_string(), code.display()] {
                key.push('\u{1F}');
                key.push_str(&normalize_for_search(&form));
            }
        }
        for digits in [&attendee.mobile_last4, &attendee.national_id_last4]
            .into_iter()
            .flatten()
        {
            key.push('\u{1F}');
            key.push_str(digits.as_str());
        }
        Searchable { attendee, key }
    }

    /// Whether the folded `query` is in this entry's key.
    pub fn matches(&self, query: &Query) -> bool {
        query
            .words
            .iter()
            .all(|word| self.key.contains(word.as_str()))
    }
}

/// What the door typed, folded once per keystroke. Every word must match
/// (a first name and the last digits of a mobile, say); a word typed as a
/// tracking code with spaces or hyphens matches the code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    words: Vec<String>,
}

impl Query {
    pub fn new(typed: &str) -> Query {
        let folded = normalize_for_search(typed);
        // "bpp 2zx" and "bpp-2zx" are one code.
        let compact: String = folded.chars().filter(|c| *c != ' ' && *c != '-').collect();
        let looks_like_code = compact.len() >= 3
            && compact.chars().all(|c| c.is_ascii_alphanumeric())
            && compact.chars().any(|c| c.is_ascii_alphabetic());
        let words = if looks_like_code {
            vec![compact]
        } else {
            folded
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Query { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The order people are expected in: by slot (no slot last), then by
/// name; the id breaks ties so every device lists the same way.
fn expected(a: &Attendee, b: &Attendee) -> std::cmp::Ordering {
    let key = |s: &'_ Attendee| (s.slot.is_none(), s.slot);
    key(a)
        .cmp(&key(b))
        .then_with(|| a.full_name.cmp(&b.full_name))
        .then_with(|| a.id.cmp(&b.id))
}

/// Puts the roster in the order people are expected.
pub fn in_expected_order(roster: &mut [Searchable]) {
    roster.sort_unstable_by(|a, b| expected(&a.attendee, &b.attendee));
}

/// Replaces (or adds, or with `None` removes) the entry of `id` in a
/// roster kept in expected order, keeping the order: one changed person
/// costs a search, not a sort of thousands.
pub fn replace(roster: &mut Vec<Searchable>, id: &AttendeeId, by: Option<Attendee>) {
    roster.retain(|entry| &entry.attendee.id != id);
    if let Some(attendee) = by {
        let at = roster.partition_point(|entry| expected(&entry.attendee, &attendee).is_lt());
        roster.insert(at, Searchable::new(attendee));
    }
}

/// At most `limit` entries matching `query`, in roster order, and how many
/// matched in all (the door is told to type more when there are more).
pub fn search<'a>(
    roster: &'a [Searchable],
    query: &Query,
    limit: usize,
) -> (Vec<&'a Searchable>, usize) {
    let mut shown = Vec::with_capacity(limit.min(roster.len()));
    let mut total = 0;
    for entry in roster.iter().filter(|entry| entry.matches(query)) {
        total += 1;
        if shown.len() < limit {
            shown.push(entry);
        }
    }
    (shown, total)
}

/// The counts a door device shows, from the roster as it holds it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// People on the roster who were not added at the door, less those
    /// who gave their place up (and did not come after all).
    pub expected: usize,
    /// Present: a check-in not undone, from any device.
    pub present: usize,
    /// Added at the door (all present when added).
    pub walk_ins: usize,
    /// People whose first standing check-in was made on this device.
    pub by_this_device: usize,
}

impl Counts {
    pub fn of<'a>(roster: impl IntoIterator<Item = &'a Attendee>, device: &DeviceId) -> Counts {
        let mut counts = Counts::default();
        for attendee in roster {
            let present = attendee.present_since();
            if attendee.walk_in {
                counts.walk_ins += 1;
            } else if attendee.expected() || present.is_some() {
                // One who gave the place up and came all the same counts
                // as expected, so present never exceeds expected.
                counts.expected += 1;
            }
            if let Some(first) = present {
                counts.present += 1;
                if &first.device == device {
                    counts.by_this_device += 1;
                }
            }
        }
        counts
    }
}

/// What happened at a meeting's doors and tables, for the committee after
/// the day (and the door lead during it): per door, who was admitted more
/// than once before the devices could know, the walk-ins to confirm, the
/// check-ins undone and why; the request forms whose versions disagree,
/// and those edited on several devices. Built from the roster and forms as
/// synced, so every device and the server say the same.
#[derive(Debug, Default, PartialEq)]
pub struct Reconciliation<'a> {
    pub counts: Counts,
    /// Per door (device and the name it gave itself), in order of name.
    pub doors: Vec<DoorCount>,
    /// People with more than one standing check-in.
    pub admitted_twice: Vec<&'a Attendee>,
    pub walk_ins: Vec<&'a Attendee>,
    /// Check-ins undone, with the person.
    pub undone: Vec<(&'a Attendee, &'a CheckInFact)>,
    /// Forms with more than one version standing: someone must choose.
    pub forms_in_conflict: Vec<&'a RequestForm>,
    /// Forms edited on more than one device (whether or not they agree
    /// now): worth a second look.
    pub forms_shared: Vec<&'a RequestForm>,
    /// Forms written, and how many of them refer the request to a deputy.
    pub forms: usize,
    pub referrals: usize,
}

/// One door's work: its standing check-ins, and how many of them were the
/// person's first (the one that counts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoorCount {
    pub device: DeviceId,
    pub door: String,
    pub check_ins: usize,
    pub first: usize,
}

pub fn reconcile<'a>(
    roster: &'a [Attendee],
    forms: &'a [RequestForm],
    device: &DeviceId,
) -> Reconciliation<'a> {
    let mut report = Reconciliation {
        counts: Counts::of(roster, device),
        ..Reconciliation::default()
    };
    // By door name, then device: the order the report lists them in.
    let mut doors: BTreeMap<(&str, &DeviceId), DoorCount> = BTreeMap::new();
    for attendee in roster {
        let standing = attendee
            .check_ins
            .iter()
            .filter(|fact| fact.undone.is_none());
        for (index, fact) in standing.clone().enumerate() {
            let door = doors
                .entry((fact.door.as_str(), &fact.device))
                .or_insert_with(|| DoorCount {
                    device: fact.device.clone(),
                    door: fact.door.clone(),
                    check_ins: 0,
                    first: 0,
                });
            door.check_ins += 1;
            if index == 0 {
                door.first += 1;
            }
        }
        if standing.count() > 1 {
            report.admitted_twice.push(attendee);
        }
        if attendee.walk_in {
            report.walk_ins.push(attendee);
        }
        for fact in attendee
            .check_ins
            .iter()
            .filter(|fact| fact.undone.is_some())
        {
            report.undone.push((attendee, fact));
        }
    }
    report.doors = doors.into_values().collect();
    report.forms = forms.len();
    report.referrals = forms.iter().filter(|f| f.referral.is_some()).count();
    report.forms_in_conflict = forms.iter().filter(|f| f.is_conflicted()).collect();
    report.forms_shared = forms.iter().filter(|f| f.devices().len() > 1).collect();
    report
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::ids::AttendeeId;
    use crate::registration::TrackingCode;
    use crate::sync::{CheckInFact, CommandId, FormContent, FormVersion, LastDigits};

    fn entry(id: &str, name: &str, slot_minute: Option<i64>) -> Attendee {
        let nine = Utc
            .with_ymd_and_hms(2026, 12, 5, 5, 30, 0)
            .single()
            .expect("an instant");
        Attendee {
            slot: slot_minute.map(|m| nine + chrono::TimeDelta::minutes(m)),
            ..Attendee::sample(id, name)
        }
    }

    fn names(found: &[&Searchable]) -> Vec<String> {
        found.iter().map(|s| s.attendee.full_name.clone()).collect()
    }

    #[test]
    fn a_name_is_found_however_its_letters_and_digits_were_typed() {
        let mut kazemi = entry("a1", "مریم كاظمي", Some(15));
        kazemi.mobile_last4 = LastDigits::parse("4567").ok();
        kazemi.national_id_last4 = LastDigits::parse("0123").ok();
        let roster = vec![
            Searchable::new(kazemi),
            Searchable::new(entry("a2", "علی رضایی", Some(0))),
        ];
        for typed in ["کاظمی", "مريم", "مریم  کاظ", "۴۵۶۷", "٠١٢٣", "مریم 4567"]
        {
            let (found, total) = search(&roster, &Query::new(typed), 10);
            assert_eq!(
                (names(&found), total),
                (vec!["مریم كاظمي".to_string()], 1),
                "{typed}"
            );
        }
        let (found, _) = search(&roster, &Query::new("مریم 9999"), 10);
        assert!(found.is_empty(), "every word must match");
    }

    #[test]
    fn a_tracking_code_is_found_with_or_without_hyphens_and_in_any_case() {
        let mut with_code = entry("a1", "فاطمه موسوی", None);
        let code = TrackingCode::from_random([9; 16]);
        with_code.tracking_code = Some(code);
        let roster = vec![
            Searchable::new(with_code),
            Searchable::new(entry("a2", "رضا", None)),
        ];
        let display = code.display();
        for typed in [
            code.as_str().to_string(),
            display.clone(),
            display.to_lowercase(),
            display.replace('-', " "),
            code.as_str()[..4].to_string(),
        ] {
            let (found, _) = search(&roster, &Query::new(&typed), 10);
            assert_eq!(names(&found), ["فاطمه موسوی"], "{typed}");
        }
    }

    #[test]
    fn results_come_in_the_order_people_are_expected_and_are_capped() {
        let mut roster: Vec<Searchable> = [
            ("a1", "بهرام", None),
            ("a2", "آرش", Some(30)),
            ("a3", "بابک", Some(0)),
            ("a4", "آزاده", Some(30)),
        ]
        .into_iter()
        .map(|(id, name, slot)| Searchable::new(entry(id, name, slot)))
        .collect();
        in_expected_order(&mut roster);
        let (all, total) = search(&roster, &Query::new(""), 10);
        assert_eq!(names(&all), ["بابک", "آرش", "آزاده", "بهرام"]);
        assert_eq!(total, 4);
        let (first, total) = search(&roster, &Query::new(""), 2);
        assert_eq!((first.len(), total), (2, 4));
    }

    #[test]
    fn a_replaced_entry_keeps_the_roster_in_order() {
        let mut roster: Vec<Searchable> = [
            ("a1", "ب", Some(0)),
            ("a2", "د", Some(30)),
            ("a3", "الف", None),
        ]
        .into_iter()
        .map(|(id, name, slot)| Searchable::new(entry(id, name, slot)))
        .collect();
        in_expected_order(&mut roster);
        let a2 = AttendeeId::parse("a2").expect("an id");
        replace(&mut roster, &a2, Some(entry("a2", "آ", Some(0))));
        let (all, _) = search(&roster, &Query::new(""), 10);
        assert_eq!(names(&all), ["آ", "ب", "الف"]);
        replace(
            &mut roster,
            &AttendeeId::parse("w9").expect("an id"),
            Some(entry("w9", "ج", Some(15))),
        );
        replace(&mut roster, &a2, None);
        let (all, _) = search(&roster, &Query::new(""), 10);
        assert_eq!(names(&all), ["ب", "ج", "الف"]);
    }

    #[test]
    fn the_reconciliation_tells_each_door_the_double_admissions_walk_ins_and_undos() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 5, 6, 0, 0)
            .single()
            .expect("an instant");
        let fact = |byte: u8, device: &str, minute: i64, undone: bool| CheckInFact {
            id: CommandId::new_v7(at, [byte; 10]),
            device: device.parse().expect("an id"),
            by: "field6".parse().expect("an id"),
            door: device.to_string(),
            at: at + chrono::TimeDelta::minutes(minute),
            undone: undone.then(|| crate::sync::Undo {
                reason: "اشتباه".into(),
                by: "field6".parse().expect("an id"),
                at,
            }),
        };
        let mut twice = entry("a1", "الف", None);
        twice.check_ins = vec![fact(1, "door1", 2, false), fact(2, "door2", 5, false)];
        let mut undone = entry("a2", "ب", None);
        undone.check_ins = vec![fact(3, "door3", 1, true)];
        let mut walk_in = entry("w1", "پ", None);
        walk_in.walk_in = true;
        walk_in.check_ins = vec![fact(4, "door1", 9, false)];
        let roster = [twice, undone, walk_in, entry("a3", "ت", None)];
        let version = |byte: u8, device: &str, referral: Option<&str>| FormVersion {
            id: CommandId::new_v7(at, [byte; 10]),
            device: device.parse().expect("an id"),
            by: "field6".parse().expect("an id"),
            at,
            content: FormContent {
                asked: "آسفالت".into(),
                decision: String::new(),
                referral: referral.map(|slug| slug.parse().expect("a slug")),
                answer: String::new(),
            },
        };
        let form = |place: &Attendee, versions: &[FormVersion]| {
            let mut form = RequestForm::for_attendee(place);
            for version in versions {
                form.record(version.clone(), &[]).expect("kept");
            }
            form.settle_referral(at).expect("not followed up");
            form
        };
        let forms = [
            form(&roster[0], &[version(5, "table1", Some("services"))]),
            form(
                &roster[1],
                &[version(6, "table1", None), version(7, "table2", None)],
            ),
        ];
        let report = reconcile(&roster, &forms, &"door1".parse().expect("an id"));
        assert_eq!((report.forms, report.referrals), (2, 1));
        assert_eq!(report.forms_in_conflict, [&forms[1]]);
        assert_eq!(report.forms_shared, [&forms[1]]);
        let doors: Vec<(&str, usize, usize)> = report
            .doors
            .iter()
            .map(|d| (d.door.as_str(), d.check_ins, d.first))
            .collect();
        assert_eq!(doors, [("door1", 2, 2), ("door2", 1, 0)]);
        let names =
            |list: &[&Attendee]| list.iter().map(|a| a.full_name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&report.admitted_twice), ["الف"]);
        assert_eq!(names(&report.walk_ins), ["پ"]);
        assert_eq!(report.undone.len(), 1);
        assert_eq!(report.undone[0].0.full_name, "ب");
        assert_eq!((report.counts.present, report.counts.expected), (2, 3));
    }

    #[test]
    fn counts_tell_expected_present_walk_ins_and_this_devices_work() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 5, 6, 0, 0)
            .single()
            .expect("an instant");
        let fact = |device: &str, undone: bool| CheckInFact {
            id: CommandId::new_v7(at, [1; 10]),
            device: device.parse().expect("an id"),
            by: "field6".parse().expect("an id"),
            door: "در ۱".into(),
            at,
            undone: undone.then(|| crate::sync::Undo {
                reason: "اشتباه".into(),
                by: "field6".parse().expect("an id"),
                at,
            }),
        };
        let mut here = entry("a1", "الف", None);
        here.check_ins.push(fact("door1", false));
        let mut there = entry("a2", "ب", None);
        there.check_ins.push(fact("door2", false));
        let mut undone = entry("a3", "پ", None);
        undone.check_ins.push(fact("door1", true));
        let mut walk_in = entry("w1", "ت", None);
        walk_in.walk_in = true;
        walk_in.check_ins.push(fact("door1", false));
        // Gave the place up on the phone: not expected, unless they came.
        let release = crate::sync::Release {
            reason: crate::sync::ReleaseReason::Reschedule,
            by: "calls6".parse().expect("an id"),
            at,
        };
        let mut stayed_away = entry("a5", "ج", None);
        stayed_away.released = Some(release.clone());
        let mut came_anyway = entry("a6", "چ", None);
        came_anyway.released = Some(release);
        came_anyway.check_ins.push(fact("door2", false));
        let roster = [
            here,
            there,
            undone,
            walk_in,
            entry("a4", "ث", None),
            stayed_away,
            came_anyway,
        ];
        let counts = Counts::of(&roster, &"door1".parse().expect("an id"));
        assert_eq!(
            counts,
            Counts {
                expected: 5,
                present: 4,
                walk_ins: 1,
                by_this_device: 2
            }
        );
    }
}
