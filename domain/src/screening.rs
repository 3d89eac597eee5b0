//! The screening committee (DESIGN §2 step 3): the priority it gives a
//! request, and the meeting's agenda — the citizens given a place, per
//! deputy's table, in the order they are expected, with their summaries
//! and case files, and the local trustees: the sheet the mayor's table is
//! run from, printed and exported as CSV. The routings and selections
//! themselves are `sync` commands.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::ids::DeputySlug;
use crate::sync::{Attendee, AttendeeKind};
use crate::time::format_clock;

/// One deputy's table: who sits with them, in slot order.
#[derive(Debug, PartialEq)]
pub struct AgendaTable<'a> {
    /// `None`: requests not routed to a deputy (shown last).
    pub deputy: Option<&'a DeputySlug>,
    pub attendees: Vec<&'a Attendee>,
}

/// A meeting's agenda from its roster as synced.
#[derive(Debug, PartialEq)]
pub struct Agenda<'a> {
    pub tables: Vec<AgendaTable<'a>>,
    pub trustees: Vec<&'a Attendee>,
}

impl<'a> Agenda<'a> {
    /// The citizens selected for the meeting who still have their place
    /// (not walk-ins: the agenda is made before the day), by deputy in the
    /// city's slug order, then slot, then name; the trustees by name.
    pub fn of(roster: &'a [Attendee]) -> Agenda<'a> {
        let mut citizens: Vec<&Attendee> = roster
            .iter()
            .filter(|a| a.attendee_kind == AttendeeKind::Citizen && !a.walk_in && a.expected())
            .collect();
        // Unrouted last: `None` sorts first, so compare "is none" first.
        citizens.sort_by(|a, b| {
            let order =
                |p: &'a Attendee| (p.deputy.is_none(), p.deputy.as_ref(), p.slot, &p.full_name);
            order(a).cmp(&order(b))
        });
        let mut tables: Vec<AgendaTable> = Vec::new();
        for attendee in citizens {
            match tables.last_mut() {
                Some(table) if table.deputy == attendee.deputy.as_ref() => {
                    table.attendees.push(attendee);
                }
                _ => tables.push(AgendaTable {
                    deputy: attendee.deputy.as_ref(),
                    attendees: vec![attendee],
                }),
            }
        }
        let mut trustees: Vec<&Attendee> = roster
            .iter()
            .filter(|a| a.attendee_kind == AttendeeKind::Trustee && a.expected())
            .collect();
        trustees.sort_by(|a, b| a.full_name.cmp(&b.full_name));
        Agenda { tables, trustees }
    }

    /// The agenda as CSV (RFC 4180, CRLF), one row per citizen, headed in
    /// `lang`; `deputy_name` names each table as the screen does.
    pub fn csv(&self, deputy_name: impl Fn(Option<&DeputySlug>) -> String, lang: Lang) -> String {
        let header: [&str; 7] = match lang {
            Lang::Fa => [
                "میز معاونت",
                "ساعت",
                "نام",
                "کد رهگیری",
                "خلاصه",
                "پرونده‌ها",
                "تماس ۱۳۷",
            ],
            Lang::En => [
                "Deputy's table",
                "Time",
                "Name",
                "Tracking code",
                "Summary",
                "Case files",
                "137 call",
            ],
        };
        let mut out = crate::csv::line(header.iter().map(|h| h.to_string()));
        for table in &self.tables {
            let deputy = deputy_name(table.deputy);
            for attendee in &table.attendees {
                let files: Vec<&str> = attendee.case_files.iter().map(|c| c.as_str()).collect();
                out.push_str(&crate::csv::line([
                    deputy.clone(),
                    attendee
                        .slot
                        .map(|slot| format_clock(slot, lang))
                        .unwrap_or_default(),
                    attendee.full_name.clone(),
                    attendee
                        .tracking_code
                        .map(|code| code.display())
                        .unwrap_or_default(),
                    attendee.summary.clone(),
                    files.join(" ، "),
                    attendee.call_state().label(lang),
                ]));
            }
        }
        out
    }
}

/// How soon a request should reach the mayor, as the screening
/// committee judged it: the waiting list is ordered by it, so "choose the
/// first on the list" picks the most pressing.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Normal, Priority::High, Priority::Urgent];

    /// Its wire name (a form's option value).
    pub fn code(self) -> &'static str {
        match self {
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn from_code(code: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Priority::Normal, Lang::Fa) => "عادی",
            (Priority::Normal, Lang::En) => "Normal",
            (Priority::High, Lang::Fa) => "مهم",
            (Priority::High, Lang::En) => "High",
            (Priority::Urgent, Lang::Fa) => "فوری",
            (Priority::Urgent, Lang::En) => "Urgent",
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, TimeZone, Utc};

    use super::*;
    use crate::calls::{CallAttempt, CallOutcome};
    use crate::sync::{CommandId, Release};

    fn nine() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 5, 30, 0)
            .single()
            .expect("an instant")
    }

    fn citizen(id: &str, name: &str, deputy: Option<&str>, minute: i64) -> Attendee {
        Attendee {
            registration: Some("r".parse().expect("an id")),
            deputy: deputy.map(|d| d.parse().expect("a slug")),
            slot: Some(nine() + TimeDelta::minutes(minute)),
            ..Attendee::sample(id, name)
        }
    }

    fn names(attendees: &[&Attendee]) -> Vec<String> {
        attendees.iter().map(|a| a.full_name.clone()).collect()
    }

    #[test]
    fn citizens_sit_at_their_deputys_table_in_slot_order_and_the_released_are_not_on_it() {
        let mut gone = citizen("a5", "رفته", Some("services"), 0);
        gone.released = Some(Release {
            reason: crate::sync::ReleaseReason::Reschedule,
            by: "calls6".parse().expect("an id"),
            at: nine(),
        });
        let mut walk_in = citizen("w1", "بی‌نوبت", Some("services"), 0);
        walk_in.walk_in = true;
        let mut trustee = citizen("t1", "حاج رضا", None, 0);
        trustee.attendee_kind = AttendeeKind::Trustee;
        let roster = [
            citizen("a1", "زهرا", Some("transport"), 15),
            citizen("a2", "علی", Some("services"), 30),
            citizen("a3", "مریم", Some("services"), 0),
            citizen("a4", "بی‌ارجاع", None, 0),
            gone,
            walk_in,
            trustee,
        ];
        let agenda = Agenda::of(&roster);
        let tables: Vec<(Option<&str>, Vec<String>)> = agenda
            .tables
            .iter()
            .map(|t| (t.deputy.map(DeputySlug::as_str), names(&t.attendees)))
            .collect();
        assert_eq!(
            tables,
            [
                (Some("services"), vec!["مریم".to_string(), "علی".into()]),
                (Some("transport"), vec!["زهرا".to_string()]),
                (None, vec!["بی‌ارجاع".to_string()]),
            ]
        );
        assert_eq!(names(&agenda.trustees), ["حاج رضا"]);
    }

    #[test]
    fn the_csv_quotes_what_it_must_and_keeps_formulas_as_text() {
        let mut maryam = citizen("a1", "مریم \"کاظمی\"", Some("services"), 0);
        maryam.summary = "=HYPERLINK(\"x\"), آسفالت".into();
        maryam.case_files = vec![
            "6/1402/12".parse().expect("a case number"),
            "6/1403/77".parse().expect("a case number"),
        ];
        maryam.calls.push(CallAttempt {
            id: CommandId::new_v7(nine(), [1; 10]),
            by: "calls6".parse().expect("an id"),
            at: nine(),
            outcome: CallOutcome::Confirmed,
            note: String::new(),
        });
        let roster = [maryam];
        let csv = Agenda::of(&roster).csv(
            |d| d.map(|d| d.as_str().to_owned()).unwrap_or_default(),
            Lang::En,
        );
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Deputy's table,Time,Name,Tracking code,Summary,Case files,137 call"
        );
        assert_eq!(
            lines[1],
            "services,09:00,\"مریم \"\"کاظمی\"\"\",,\"'=HYPERLINK(\"\"x\"\"), آسفالت\",6/1402/12 ، 6/1403/77,\"Reached, will come\""
        );
        assert_eq!(lines[2], "", "every row ends with CRLF");
    }
}
