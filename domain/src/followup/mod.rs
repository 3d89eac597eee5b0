//! Follow-up (پیگیری, DESIGN §2 step 6): after the meeting, the district
//! manager reports what came of each referral, and the follow-up committee
//! watches what is due and what is late.
//!
//! Statuses stay honest (DESIGN §9): "resolved" and "answered: not
//! possible" are different outcomes everywhere, and "on time" has one
//! definition, [`timeliness`], used by every list, count and chart.

mod report;

pub use report::{MayorReport, ReportRow};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::{Bilingual, Lang};
use crate::ids::UserId;
use crate::jalali::JalaliDate;
use crate::registration::{Status, TrackingCode};
use crate::sync::{CommandId, Referral};

/// The most reports one referral keeps: a few postponements and a result,
/// with room for corrections; a broken device cannot grow it without bound.
pub const MAX_REPORTS: usize = 20;

/// What the district manager reports on a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The deputy answered; the citizen reads the answer.
    Answered,
    /// What the citizen asked for was done.
    Resolved,
    /// Answered: it cannot be done, for the reason the citizen reads.
    NotPossible,
    /// No result yet: the deputy needs until a later date, and says why.
    MoreTime,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Answered,
        Outcome::Resolved,
        Outcome::NotPossible,
        Outcome::MoreTime,
    ];

    /// The stable name on the wire and in forms.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Resolved => "resolved",
            Outcome::NotPossible => "not_possible",
            Outcome::MoreTime => "more_time",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether it ends the wait: every outcome but a postponement.
    pub fn is_result(self) -> bool {
        self != Outcome::MoreTime
    }

    /// The citizen's request's status after it; a postponement leaves the
    /// request referred.
    pub fn status(self) -> Status {
        match self {
            Outcome::Answered | Outcome::NotPossible => Status::Answered,
            Outcome::Resolved => Status::Resolved,
            Outcome::MoreTime => Status::Referred,
        }
    }

    /// Whether the reporter must say why: the citizen reads why it cannot
    /// be done, and the committee why it takes longer.
    pub fn needs_note(self) -> bool {
        matches!(self, Outcome::NotPossible | Outcome::MoreTime)
    }

    /// Whether a report of `self` may follow the standing result, if any:
    /// anything while nothing is settled; a result may be corrected by
    /// another result until the matter is resolved, which is final (as
    /// the request's status machine has it); a postponement only while
    /// there is no result.
    pub fn may_follow(self, standing: Option<Outcome>) -> bool {
        match standing {
            None => true,
            Some(Outcome::Resolved) => false,
            Some(_) => self.is_result(),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Outcome::Answered, Lang::Fa) => "پاسخ داده شد",
            (Outcome::Answered, Lang::En) => "Answered",
            (Outcome::Resolved, Lang::Fa) => "به نتیجه رسید",
            (Outcome::Resolved, Lang::En) => "Resolved",
            (Outcome::NotPossible, Lang::Fa) => "پاسخ: انجام‌شدنی نیست",
            (Outcome::NotPossible, Lang::En) => "Answered: not possible",
            (Outcome::MoreTime, Lang::Fa) => "نیاز به زمان بیشتر",
            (Outcome::MoreTime, Lang::En) => "Needs more time",
        }
    }
}

/// One report on a referral, as its author recorded it. Every report is
/// kept: the history is the follow-up committee's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The command that recorded it: a replay changes nothing.
    pub id: CommandId,
    pub outcome: Outcome,
    /// The answer, the reason it is not possible, or why it takes longer.
    pub note: String,
    /// A postponement's new date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<JalaliDate>,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
}

impl Report {
    /// The report in a line of plain words: the outcome, a postponement's
    /// date, and the day it was reported — "Answered: not possible (12
    /// Dey 1405)".
    pub fn summary(&self, lang: Lang) -> String {
        let outcome = self.outcome.label(lang);
        let on = crate::time::jalali_today(self.at).format(lang);
        match (self.until, lang) {
            (Some(until), Lang::Fa) => format!("{outcome}، تا {} ({on})", until.format(lang)),
            (Some(until), Lang::En) => format!("{outcome}, until {} ({on})", until.format(lang)),
            (None, _) => format!("{outcome} ({on})"),
        }
    }

    /// What the citizen reads of it on the status page: the summary and
    /// the manager's words — written on the server in both languages, so
    /// the citizen's download carries none of the labels and dates. Never
    /// who wrote it.
    pub fn for_citizen(&self) -> Bilingual {
        let line = |lang| match self.note.as_str() {
            "" => self.summary(lang),
            note => format!("{}: {note}", self.summary(lang)),
        };
        Bilingual {
            fa: line(Lang::Fa),
            en: line(Lang::En),
        }
    }

    /// The SMS that tells the citizen of it: the outcome in plain words,
    /// and the tracking code to read the rest by.
    pub fn sms_text(&self, code: &TrackingCode, lang: Lang) -> String {
        let code = code.display();
        let summary = self.summary(lang);
        match lang {
            Lang::Fa => format!(
                "شهروند گرامی، دربارهٔ درخواست شما (کد رهگیری {code}): {summary}. شرح آن را با کد رهگیری در سامانه ببینید."
            ),
            Lang::En => format!(
                "Dear citizen, about your request (tracking code {code}): {summary}. Read more with your tracking code."
            ),
        }
    }
}

/// What the citizen reads of their referral on the status page: the
/// deputy it went to and when, then the district manager's latest word
/// (`Report::for_citizen`), if any — "At the meeting, referred to the
/// urban-planning deputy (14 Azar 1405). Answered: not possible (…): …".
/// Written on the server in both languages, like its error messages, so
/// the citizen's download carries none of the labels and dates.
pub fn referral_for_citizen(
    deputy: &Bilingual,
    at: DateTime<Utc>,
    follow_up: Option<&Bilingual>,
) -> Bilingual {
    let line = |lang: Lang| {
        let on = crate::time::jalali_today(at).format(lang);
        let deputy = deputy.get(lang);
        let referred = match lang {
            Lang::Fa => format!("در دیدار، به {deputy} ارجاع شد ({on})."),
            Lang::En => format!("At the meeting, referred to {deputy} ({on})."),
        };
        match follow_up {
            Some(said) => format!("{referred} {}", said.get(lang)),
            None => referred,
        }
    };
    Bilingual {
        fa: line(Lang::Fa),
        en: line(Lang::En),
    }
}

/// Whether a referral's result came in time — one definition for every
/// list, count and chart (DESIGN §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// A result by the due date.
    OnTime,
    /// A result after the due date, or none and the due date passed.
    Late,
    /// No result, and the due date has not passed: neither on time nor
    /// late (counting it as late is a known mistake of city dashboards).
    NotYetDue,
}

/// How a referral due on `due` stands on `today` (both in Tehran's
/// calendar), given the day its first result came, if it did. The due
/// day itself is in time: the month runs to its end.
pub fn timeliness(due: JalaliDate, result_on: Option<JalaliDate>, today: JalaliDate) -> Timeliness {
    match result_on {
        Some(day) if day <= due => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if today > due => Timeliness::Late,
        None => Timeliness::NotYetDue,
    }
}

/// Whole days from `due` to `today`: how late an open referral is (zero
/// or less while it is not).
pub fn days_past(due: JalaliDate, today: JalaliDate) -> i64 {
    (today.to_gregorian() - due.to_gregorian()).num_days()
}

/// Where one referral stands on a day, by the one definition of on time:
/// the classes the committee's list shows and `Tally` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Standing {
    /// No result, the due day passed.
    Overdue,
    /// No result, due within the days the caller calls soon (today
    /// included).
    DueSoon,
    /// No result, due later.
    NotYetDue,
    AnsweredOnTime,
    AnsweredLate,
}

impl Standing {
    /// Whether it still waits for a result.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Standing::Overdue | Standing::DueSoon | Standing::NotYetDue
        )
    }
}

/// Referrals counted by where they stand: what the follow-up committee
/// reads first, by the one definition of on time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// No result, the due day passed.
    pub overdue: usize,
    /// No result, due within `soon` days (today included).
    pub due_soon: usize,
    /// No result, due later.
    pub not_yet_due: usize,
    pub answered_on_time: usize,
    pub answered_late: usize,
}

impl Tally {
    /// Counts `referrals` on `today`; "soon" is within `soon` days.
    pub fn of<'a>(
        referrals: impl IntoIterator<Item = &'a Referral>,
        today: JalaliDate,
        soon: i64,
    ) -> Tally {
        let mut tally = Tally::default();
        for referral in referrals {
            let count = match referral.standing(today, soon) {
                Standing::AnsweredOnTime => &mut tally.answered_on_time,
                Standing::AnsweredLate => &mut tally.answered_late,
                Standing::Overdue => &mut tally.overdue,
                Standing::DueSoon => &mut tally.due_soon,
                Standing::NotYetDue => &mut tally.not_yet_due,
            };
            *count += 1;
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> JalaliDate {
        JalaliDate::new(year, month, day).unwrap()
    }

    #[test]
    fn a_result_by_the_due_day_is_on_time_and_after_it_late() {
        let due = day(1405, 10, 14);
        let today = day(1405, 11, 20);
        assert_eq!(
            timeliness(due, Some(day(1405, 10, 14)), today),
            Timeliness::OnTime
        );
        assert_eq!(
            timeliness(due, Some(day(1405, 9, 20)), today),
            Timeliness::OnTime
        );
        assert_eq!(
            timeliness(due, Some(day(1405, 10, 15)), today),
            Timeliness::Late
        );
    }

    #[test]
    fn an_open_referral_is_late_only_once_its_due_day_has_passed() {
        let due = day(1405, 10, 14);
        assert_eq!(
            timeliness(due, None, day(1405, 10, 1)),
            Timeliness::NotYetDue
        );
        assert_eq!(timeliness(due, None, due), Timeliness::NotYetDue);
        assert_eq!(timeliness(due, None, day(1405, 10, 15)), Timeliness::Late);
    }

    #[test]
    fn a_tally_counts_each_referral_once_by_the_one_definition() {
        use chrono::TimeZone;
        let at = |day| {
            Utc.with_ymd_and_hms(2026, 12, day, 8, 0, 0)
                .single()
                .unwrap()
        };
        let referral = |due: JalaliDate, answered_on: Option<u32>| Referral {
            deputy: "services".parse().unwrap(),
            at: at(1),
            due,
            reports: answered_on
                .map(|d| Report {
                    id: CommandId::new_v7(at(d), [d as u8; 10]),
                    outcome: Outcome::Answered,
                    note: String::new(),
                    until: None,
                    by: "manager6".into(),
                    at: at(d),
                })
                .into_iter()
                .collect(),
        };
        // 14 Azar 1405 is 5 December 2026.
        let today = day(1405, 9, 14);
        let referrals = [
            referral(day(1405, 9, 13), None),    // overdue
            referral(day(1405, 9, 14), None),    // due today: soon
            referral(day(1405, 9, 20), None),    // due in 6 days: soon
            referral(day(1405, 9, 21), None),    // in 7: not yet due
            referral(day(1405, 9, 12), Some(3)), // answered 12 Azar: on time
            referral(day(1405, 9, 11), Some(3)), // answered after: late
        ];
        let tally = Tally::of(&referrals, today, 7);
        assert_eq!(
            tally,
            Tally {
                overdue: 1,
                due_soon: 2,
                not_yet_due: 1,
                answered_on_time: 1,
                answered_late: 1,
            }
        );
    }

    #[test]
    fn days_past_counts_across_month_ends_and_a_leap_esfand() {
        // 1403 is a leap year: Esfand has 30 days.
        assert_eq!(days_past(day(1403, 12, 29), day(1404, 1, 1)), 2);
        assert_eq!(days_past(day(1404, 12, 29), day(1405, 1, 1)), 1);
        assert_eq!(days_past(day(1405, 6, 31), day(1405, 7, 1)), 1);
        assert_eq!(days_past(day(1405, 7, 1), day(1405, 6, 31)), -1);
    }

    #[test]
    fn resolved_is_final_and_a_postponement_only_comes_before_a_result() {
        use Outcome::*;
        for next in Outcome::ALL {
            assert!(next.may_follow(None));
            assert!(!next.may_follow(Some(Resolved)));
            assert_eq!(next.may_follow(Some(Answered)), next != MoreTime);
            assert_eq!(next.may_follow(Some(NotPossible)), next != MoreTime);
        }
    }

    #[test]
    fn not_possible_is_an_answer_and_never_counts_as_resolved() {
        assert_eq!(Outcome::NotPossible.status(), Status::Answered);
        assert_eq!(Outcome::Resolved.status(), Status::Resolved);
        assert_eq!(Outcome::MoreTime.status(), Status::Referred);
        assert!(Outcome::NotPossible.needs_note());
        assert!(!Outcome::Answered.needs_note());
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_code(outcome.code()), Some(outcome));
        }
    }
}
