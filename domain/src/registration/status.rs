//! The status of a registration and the one state machine that decides how
//! it may change (DESIGN §2): every command that moves a request, in the
//! browser or on the server, asks [`Status::can_become`].
//!
//! Each status also carries what the citizen reads on the status page: a
//! short label and one honest sentence about where the request stands and
//! what happens next.
//!
//! Who may make a transition (a committee, the call centre, the citizen
//! withdrawing) is decided by roles, not here.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// Where a registration stands.
///
/// The normal path is submitted → reviewed → screened → invited → confirmed
/// → attended → referred → answered → resolved. Besides it: `rejected` by a
/// committee (with a reason the citizen sees), `withdrawn` by the citizen,
/// `no_show` instead of `attended`, and `deferred` to a later meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received, waiting for the executive committee.
    Submitted,
    /// The executive committee linked it to any existing case files.
    Reviewed,
    /// The screening committee routed it to a deputy domain; waiting for a
    /// meeting.
    Screened,
    /// Selected for a meeting; the call centre is inviting the citizen.
    Invited,
    /// The citizen confirmed they will come.
    Confirmed,
    /// Checked in at the meeting.
    Attended,
    /// Invited and confirmed but not checked in.
    NoShow,
    /// Referred to a deputy; a result is due within a month.
    Referred,
    /// An answer was given (which may be "not possible, because …").
    Answered,
    /// Done.
    Resolved,
    /// Not suitable for a public meeting, with a reason.
    Rejected,
    /// Withdrawn by the citizen.
    Withdrawn,
    /// Moved to a later meeting; nobody is silently dropped.
    Deferred,
}

impl Status {
    /// Every status, in the order of the normal path, then the others.
    pub const ALL: [Status; 13] = [
        Status::Submitted,
        Status::Reviewed,
        Status::Screened,
        Status::Invited,
        Status::Confirmed,
        Status::Attended,
        Status::NoShow,
        Status::Referred,
        Status::Answered,
        Status::Resolved,
        Status::Rejected,
        Status::Withdrawn,
        Status::Deferred,
    ];

    /// The statuses this one may become.
    ///
    /// - A committee may reject a request until it has been screened;
    ///   after that it has been promised a meeting.
    /// - The citizen may withdraw at any point before the meeting, including
    ///   while deferred.
    /// - A request may be deferred from the moment it is screened until the
    ///   meeting, and after a no-show; a deferred request goes back to
    ///   `screened`, onto a later meeting's agenda.
    /// - At the meeting the mayor may answer or settle a request on the spot
    ///   (the request form has an "on-site answer"), so `attended` leads to
    ///   `answered` and `resolved` as well as to `referred`.
    /// - An answer may later be followed by the case being resolved.
    /// - An invited citizen who comes without having confirmed the call is
    ///   attended all the same, or a no-show when the meeting closes. (A
    ///   check-in undone as a mistake takes its transition back: that is
    ///   a correction, not a step of the workflow, and `sync::apply` makes
    ///   it.)
    pub fn successors(self) -> &'static [Status] {
        use Status::*;
        match self {
            Submitted => &[Reviewed, Rejected, Withdrawn],
            Reviewed => &[Screened, Rejected, Withdrawn],
            Screened => &[Invited, Deferred, Rejected, Withdrawn],
            Invited => &[Confirmed, Attended, NoShow, Deferred, Withdrawn],
            Confirmed => &[Attended, NoShow, Deferred, Withdrawn],
            Attended => &[Referred, Answered, Resolved],
            NoShow => &[Deferred],
            Referred => &[Answered, Resolved],
            Answered => &[Resolved],
            Deferred => &[Screened, Withdrawn],
            Resolved | Rejected | Withdrawn => &[],
        }
    }

    /// Whether a request in this status may move to `next`. Staying in the
    /// same status is not a transition.
    pub fn can_become(self, next: Status) -> bool {
        self.successors().contains(&next)
    }

    /// Whether the executive committee decides on it now: it may be
    /// reviewed (again — a second review replaces the links) or rejected.
    /// `sync::apply` accepts a review exactly then.
    pub fn is_with_review_committee(self) -> bool {
        self == Status::Reviewed || self.can_become(Status::Reviewed)
    }

    /// Whether nothing can follow: resolved, rejected or withdrawn.
    pub fn is_terminal(self) -> bool {
        self.successors().is_empty()
    }

    /// The stable name used in the database and on the wire, the same as
    /// the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Reviewed => "reviewed",
            Status::Screened => "screened",
            Status::Invited => "invited",
            Status::Confirmed => "confirmed",
            Status::Attended => "attended",
            Status::NoShow => "no_show",
            Status::Referred => "referred",
            Status::Answered => "answered",
            Status::Resolved => "resolved",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
            Status::Deferred => "deferred",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.code() == code)
    }

    /// A short label for lists and badges.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Submitted, Lang::Fa) => "ثبت شده",
            (Status::Submitted, Lang::En) => "Submitted",
            (Status::Reviewed, Lang::Fa) => "بررسی شده",
            (Status::Reviewed, Lang::En) => "Reviewed",
            (Status::Screened, Lang::Fa) => "در نوبت دیدار",
            (Status::Screened, Lang::En) => "Waiting for a meeting",
            (Status::Invited, Lang::Fa) => "دعوت شده",
            (Status::Invited, Lang::En) => "Invited",
            (Status::Confirmed, Lang::Fa) => "حضور تأیید شده",
            (Status::Confirmed, Lang::En) => "Attendance confirmed",
            (Status::Attended, Lang::Fa) => "حاضر در دیدار",
            (Status::Attended, Lang::En) => "Attended",
            (Status::NoShow, Lang::Fa) => "غایب در دیدار",
            (Status::NoShow, Lang::En) => "Did not attend",
            (Status::Referred, Lang::Fa) => "ارجاع شده",
            (Status::Referred, Lang::En) => "Referred",
            (Status::Answered, Lang::Fa) => "پاسخ داده شده",
            (Status::Answered, Lang::En) => "Answered",
            (Status::Resolved, Lang::Fa) => "به نتیجه رسیده",
            (Status::Resolved, Lang::En) => "Resolved",
            (Status::Rejected, Lang::Fa) => "رد شده",
            (Status::Rejected, Lang::En) => "Not accepted",
            (Status::Withdrawn, Lang::Fa) => "لغو شده",
            (Status::Withdrawn, Lang::En) => "Withdrawn",
            (Status::Deferred, Lang::Fa) => "موکول به دیدار بعدی",
            (Status::Deferred, Lang::En) => "Moved to a later meeting",
        }
    }

    /// One plain sentence telling the citizen where their request stands
    /// and what happens next. It promises nothing the process does not
    /// guarantee.
    pub fn explanation(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Submitted, Lang::Fa) => {
                "درخواست شما ثبت شده و در نوبت بررسی کمیتهٔ اجرایی است."
            }
            (Status::Submitted, Lang::En) => {
                "Your request has been registered and is waiting to be reviewed by the executive committee."
            }
            (Status::Reviewed, Lang::Fa) => {
                "کمیتهٔ اجرایی درخواست شما را بررسی کرده و اکنون در نوبت بررسی کمیتهٔ تشخیص است."
            }
            (Status::Reviewed, Lang::En) => {
                "The executive committee has reviewed your request, and it is now waiting for the screening committee."
            }
            (Status::Screened, Lang::Fa) => {
                "کمیتهٔ تشخیص درخواست شما را به حوزهٔ تخصصی مربوط سپرده و هر زمان برای یکی از دیدارها انتخاب شود، برای دعوت با شما تماس گرفته می‌شود."
            }
            (Status::Screened, Lang::En) => {
                "The screening committee has assigned your request to the relevant department, and you will be called with an invitation when it is chosen for a meeting."
            }
            (Status::Invited, Lang::Fa) => {
                "برای دیدار مردمی دعوت شده‌اید و همکاران سامانهٔ ۱۳۷ برای هماهنگی روز و ساعت دیدار با شما تماس می‌گیرند."
            }
            (Status::Invited, Lang::En) => {
                "You have been invited to a public meeting, and the 137 call centre will phone you to arrange the day and time."
            }
            (Status::Confirmed, Lang::Fa) => {
                "حضور شما در دیدار تأیید شده است؛ لطفاً در روز و ساعتی که با پیامک اعلام شده به محل دیدار بیایید."
            }
            (Status::Confirmed, Lang::En) => {
                "Your attendance is confirmed; please come to the meeting on the day and at the time given in the SMS."
            }
            (Status::Attended, Lang::Fa) => {
                "شما در دیدار حضور داشتید و نتیجهٔ رسیدگی به درخواستتان در همین صفحه اعلام می‌شود."
            }
            (Status::Attended, Lang::En) => {
                "You attended the meeting, and the outcome of your request will be shown on this page."
            }
            (Status::NoShow, Lang::Fa) => {
                "حضور شما در دیدار ثبت نشده است؛ ممکن است درخواستتان برای دیداری دیگر در نظر گرفته شود و اگر هنوز به دیدار نیاز دارید، می‌توانید در نوبت بعدی هم ثبت‌نام کنید."
            }
            (Status::NoShow, Lang::En) => {
                "You were not recorded as present at the meeting; your request may be considered for another meeting, and if you still need one you can also register again next time."
            }
            (Status::Referred, Lang::Fa) => {
                "درخواست شما به معاونت مربوط ارجاع شده و نتیجه حداکثر تا یک ماه پس از دیدار اعلام می‌شود."
            }
            (Status::Referred, Lang::En) => {
                "Your request has been referred to the responsible deputy mayor, and the result will be announced within one month of the meeting."
            }
            (Status::Answered, Lang::Fa) => {
                "به درخواست شما پاسخ داده شده است و متن پاسخ را در همین صفحه می‌بینید."
            }
            (Status::Answered, Lang::En) => {
                "Your request has been answered, and you can read the answer on this page."
            }
            (Status::Resolved, Lang::Fa) => {
                "رسیدگی به درخواست شما به نتیجه رسیده و پروندهٔ آن بسته شده است."
            }
            (Status::Resolved, Lang::En) => {
                "Your request has been dealt with and its case is closed."
            }
            (Status::Rejected, Lang::Fa) => {
                "درخواست شما به دلیلی که در همین صفحه آمده است، برای طرح در دیدار مردمی پذیرفته نشد."
            }
            (Status::Rejected, Lang::En) => {
                "Your request was not accepted for a public meeting, for the reason shown on this page."
            }
            (Status::Withdrawn, Lang::Fa) => "این درخواست به خواست شما لغو شده است.",
            (Status::Withdrawn, Lang::En) => "This request was withdrawn at your request.",
            (Status::Deferred, Lang::Fa) => {
                "درخواست شما به دیداری در آینده موکول شده و هر زمان در برنامهٔ آن دیدار قرار گیرد، برای دعوت با شما تماس گرفته می‌شود."
            }
            (Status::Deferred, Lang::En) => {
                "Your request has been moved to a later meeting, and you will be called with an invitation when it is placed on that meeting's agenda."
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::{HashSet, VecDeque};

    use super::Status::*;
    use super::*;

    /// Every allowed transition, written out from DESIGN §2 independently of
    /// the table in `successors`.
    const ALLOWED: [(Status, Status); 28] = [
        (Submitted, Reviewed),
        (Reviewed, Screened),
        (Screened, Invited),
        (Invited, Confirmed),
        (Confirmed, Attended),
        (Confirmed, NoShow),
        (Invited, Attended),
        (Invited, NoShow),
        (Attended, Referred),
        (Attended, Answered),
        (Attended, Resolved),
        (Referred, Answered),
        (Referred, Resolved),
        (Answered, Resolved),
        (Submitted, Rejected),
        (Reviewed, Rejected),
        (Screened, Rejected),
        (Submitted, Withdrawn),
        (Reviewed, Withdrawn),
        (Screened, Withdrawn),
        (Invited, Withdrawn),
        (Confirmed, Withdrawn),
        (Deferred, Withdrawn),
        (Screened, Deferred),
        (Invited, Deferred),
        (Confirmed, Deferred),
        (NoShow, Deferred),
        (Deferred, Screened),
    ];

    #[test]
    fn every_transition_of_the_workflow_is_allowed_and_no_other() {
        let allowed: HashSet<(Status, Status)> = ALLOWED.into_iter().collect();
        assert_eq!(allowed.len(), 28);
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn shortcuts_backward_steps_and_late_rejections_are_refused() {
        for (from, to) in [
            (Submitted, Invited),
            (Submitted, Attended),
            (Reviewed, Confirmed),
            (Attended, Invited),
            (Confirmed, Referred),
            (NoShow, Attended),
            (NoShow, Referred),
            (Attended, NoShow),
            (Referred, Attended),
            (Answered, Referred),
            (Screened, Reviewed),
            (Invited, Rejected),
            (Attended, Rejected),
            (Attended, Withdrawn),
            (Referred, Withdrawn),
            (Reviewed, Deferred),
            (Deferred, Invited),
            (Submitted, Submitted),
        ] {
            assert!(!from.can_become(to), "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn resolved_rejected_and_withdrawn_are_final() {
        let terminal: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(terminal, vec![Resolved, Rejected, Withdrawn]);
        for from in terminal {
            assert!(Status::ALL.into_iter().all(|to| !from.can_become(to)));
        }
    }

    #[test]
    fn every_status_is_reachable_from_submitted_and_every_path_can_end() {
        let mut seen = HashSet::from([Submitted]);
        let mut queue = VecDeque::from([Submitted]);
        while let Some(status) = queue.pop_front() {
            for &next in status.successors() {
                if seen.insert(next) {
                    queue.push_back(next);
                }
            }
        }
        assert_eq!(seen.len(), Status::ALL.len());
        // And from every status some final status can be reached: no
        // request is stuck for good.
        for start in Status::ALL {
            let mut seen = HashSet::from([start]);
            let mut queue = VecDeque::from([start]);
            while let Some(status) = queue.pop_front() {
                for &next in status.successors() {
                    if seen.insert(next) {
                        queue.push_back(next);
                    }
                }
            }
            assert!(seen.iter().any(|s| s.is_terminal()), "{start:?}");
        }
    }

    #[test]
    fn nothing_leads_back_to_submitted() {
        assert!(Status::ALL.into_iter().all(|s| !s.can_become(Submitted)));
    }

    #[test]
    fn codes_match_the_json_names_and_read_back() {
        for status in Status::ALL {
            assert_eq!(Status::from_code(status.code()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.code())
            );
        }
        assert_eq!(Status::from_code("lost"), None);
        assert_eq!(Status::NoShow.code(), "no_show");
    }

    #[test]
    fn every_status_has_a_distinct_label_and_a_sentence_in_each_language() {
        for lang in Lang::ALL {
            let labels: HashSet<&str> = Status::ALL.iter().map(|s| s.label(lang)).collect();
            assert_eq!(labels.len(), Status::ALL.len());
        }
        for status in Status::ALL {
            let fa = status.explanation(Lang::Fa);
            let en = status.explanation(Lang::En);
            assert!(fa.ends_with('.') && en.ends_with('.'), "{status:?}");
            assert!(
                en.is_ascii() && status.label(Lang::En).is_ascii(),
                "{status:?}"
            );
            for text in [fa, status.label(Lang::Fa)] {
                assert!(
                    !text.chars().any(|c| matches!(c, 'ي' | 'ك' | '0'..='9')),
                    "{status:?}"
                );
            }
        }
    }
}
