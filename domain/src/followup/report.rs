//! The report to the mayor's office (گزارش به دفتر شهردار, DESIGN §2 step
//! 6): per meeting, every referral with its deputy, its result and
//! whether it came in time, with the totals — printed on A4 or downloaded
//! as CSV by the follow-up committee, from the forms its device holds.

use super::{Outcome, Tally, Timeliness};
use crate::i18n::Lang;
use crate::ids::DeputySlug;
use crate::jalali::JalaliDate;
use crate::sync::{Referral, RequestForm};
use crate::time::jalali_today;

/// One referral as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRow {
    pub full_name: String,
    pub deputy: DeputySlug,
    pub due: JalaliDate,
    /// The result standing, if any, and the day it came.
    pub result: Option<(Outcome, JalaliDate)>,
    pub timeliness: Timeliness,
    /// While open, the date the deputy asked for.
    pub postponed_to: Option<JalaliDate>,
    /// The result's words (or the postponement's reason while open).
    pub note: String,
}

/// A meeting's referrals, by deputy then name, and their totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MayorReport {
    pub rows: Vec<ReportRow>,
    pub tally: Tally,
}

impl MayorReport {
    /// The report of `forms` (one meeting's) as it stands on `today`.
    pub fn of<'a>(
        forms: impl IntoIterator<Item = &'a RequestForm>,
        today: JalaliDate,
    ) -> MayorReport {
        let referrals: Vec<(&RequestForm, &Referral)> = forms
            .into_iter()
            .filter_map(|form| form.referral.as_ref().map(|referral| (form, referral)))
            .collect();
        let tally = Tally::of(referrals.iter().map(|(_, referral)| *referral), today, 0);
        let mut rows: Vec<ReportRow> = referrals
            .into_iter()
            .map(|(form, referral)| ReportRow {
                full_name: form.full_name.clone(),
                deputy: referral.deputy.clone(),
                due: referral.due,
                result: referral
                    .result()
                    .map(|result| (result.outcome, jalali_today(result.at))),
                timeliness: referral.timeliness(today),
                postponed_to: referral.postponed_to(),
                note: referral
                    .reports
                    .last()
                    .map(|report| report.note.clone())
                    .unwrap_or_default(),
            })
            .collect();
        rows.sort_by(|a, b| (&a.deputy, &a.full_name).cmp(&(&b.deputy, &b.full_name)));
        MayorReport { rows, tally }
    }

    /// The report as CSV, headed in `lang`, the deputies named by
    /// `deputy_name`.
    pub fn csv(&self, deputy_name: impl Fn(&DeputySlug) -> String, lang: Lang) -> String {
        let header: [&str; 6] = match lang {
            Lang::Fa => ["معاونت", "نام", "مهلت", "نتیجه", "در مهلت", "شرح"],
            Lang::En => ["Deputy", "Name", "Due", "Result", "On time", "Note"],
        };
        let mut out = crate::csv::line(header.iter().map(|h| h.to_string()));
        for row in &self.rows {
            out.push_str(&crate::csv::line([
                deputy_name(&row.deputy),
                row.full_name.clone(),
                row.due.format_numeric(lang),
                row.result_text(lang),
                row.timeliness.label(lang).to_string(),
                row.note.clone(),
            ]));
        }
        out
    }
}

impl ReportRow {
    /// "Answered: not possible (1405/10/12)", "Needs more time, until
    /// 1405/11/15", or "no result yet".
    pub fn result_text(&self, lang: Lang) -> String {
        match (self.result, self.postponed_to, lang) {
            (Some((outcome, on)), _, lang) => {
                format!("{} ({})", outcome.label(lang), on.format_numeric(lang))
            }
            (None, Some(until), Lang::Fa) => {
                format!(
                    "{}، تا {}",
                    Outcome::MoreTime.label(lang),
                    until.format_numeric(lang)
                )
            }
            (None, Some(until), Lang::En) => {
                format!(
                    "{}, until {}",
                    Outcome::MoreTime.label(lang),
                    until.format_numeric(lang)
                )
            }
            (None, None, Lang::Fa) => "بی‌نتیجه".into(),
            (None, None, Lang::En) => "No result yet".into(),
        }
    }
}

impl Timeliness {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Timeliness::OnTime, Lang::Fa) => "در مهلت",
            (Timeliness::OnTime, Lang::En) => "On time",
            (Timeliness::Late, Lang::Fa) => "دیر",
            (Timeliness::Late, Lang::En) => "Late",
            (Timeliness::NotYetDue, Lang::Fa) => "هنوز سررسید نشده",
            (Timeliness::NotYetDue, Lang::En) => "Not yet due",
        }
    }
}
