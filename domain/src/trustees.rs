//! A district's local trustees (معتمدین محلی, DESIGN §2 step 3): a list
//! administrators keep — imported from the district's spreadsheet under
//! the case files' rules — from which the screening committee invites
//! about 30 to each meeting, within its trustees' quota. Devices hold a
//! trustee's name, neighbourhood and group, and only the last digits of
//! the mobile; the SMS invitation is the server's.

use serde::{Deserialize, Serialize};

use crate::district::DistrictId;
use crate::ids::TrusteeId;
use crate::import::{Column, RowProblem, Sheet, refuse_repeats};
use crate::person::{Mobile, PersonName};
use crate::sync::LastDigits;

/// A trustee as the committees' devices hold them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trustee {
    pub id: TrusteeId,
    pub district: DistrictId,
    pub full_name: String,
    pub mobile_last4: LastDigits,
    #[serde(default)]
    pub neighbourhood: String,
    /// The group they speak for (a mosque's board, the neighbourhood
    /// council, the guild, …), as the district writes it.
    #[serde(default)]
    pub group: String,
}

const FULL_NAME: Column = Column {
    key: "full_name",
    fa: "نام و نام خانوادگی",
    en: "Full name",
    required: true,
};
const MOBILE: Column = Column {
    key: "mobile",
    fa: "شمارهٔ همراه",
    en: "Mobile",
    required: true,
};
const NEIGHBOURHOOD: Column = Column {
    key: "neighbourhood",
    fa: "محله",
    en: "Neighbourhood",
    required: false,
};
const GROUP: Column = Column {
    key: "group",
    fa: "گروه",
    en: "Group",
    required: false,
};

/// Every column, in the template's order.
pub const COLUMNS: &[Column] = &[FULL_NAME, MOBILE, NEIGHBOURHOOD, GROUP];

/// One row of an imported list: a trustee with the full mobile, which only
/// the server holds. The mobile is who they are: importing the list again
/// updates each trustee it finds by mobile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrusteeRow {
    pub full_name: PersonName,
    pub mobile: Mobile,
    pub neighbourhood: String,
    pub group: String,
}

impl TrusteeRow {
    /// The record devices get, under the id the server keeps for them.
    pub fn into_record(self, id: TrusteeId, district: DistrictId) -> Trustee {
        Trustee {
            id,
            district,
            mobile_last4: LastDigits::of_mobile(&self.mobile),
            full_name: self.full_name.as_str().to_owned(),
            neighbourhood: self.neighbourhood,
            group: self.group,
        }
    }
}

/// A list's trustees: every row, or every problem (a mobile twice in one
/// file is one, reported on its second line).
pub fn read_spreadsheet(text: &str) -> Result<Vec<TrusteeRow>, Vec<RowProblem>> {
    let rows = Sheet::read(text, COLUMNS)?.parse(|line| {
        let full_name = line.value(&FULL_NAME, PersonName::parse);
        let mobile = line.value(&MOBILE, Mobile::parse);
        let neighbourhood = line.free_text(&NEIGHBOURHOOD, 80);
        let group = line.free_text(&GROUP, 80);
        Some(TrusteeRow {
            full_name: full_name??,
            mobile: mobile??,
            neighbourhood: neighbourhood?,
            group: group?,
        })
    });
    refuse_repeats(rows, &MOBILE, |row| row.mobile.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "نام و نام خانوادگی,شماره همراه,محله,گروه\r\n";

    #[test]
    fn a_list_reads_in_persian_digits_and_a_mobile_twice_is_refused() {
        let text = format!(
            "\u{FEFF}{HEADER}حاج رضا صالحی,۰۹۱۳۱۲۳۴۵۶۷,جلفا,هیئت امنای مسجد\r\nمعصومه رحیمی,+98 913 765 4321,,شورایاری\r\n"
        );
        let rows = read_spreadsheet(&text).expect("a good list");
        assert_eq!(rows.len(), 2);
        let record = rows[0]
            .clone()
            .into_record("t1".into(), DistrictId::new(6).expect("district 6"));
        assert_eq!(record.mobile_last4.as_str(), "4567");
        assert_eq!(record.neighbourhood, "جلفا");
        assert_eq!(rows[1].neighbourhood, "");

        let text = format!(
            "{HEADER}حاج رضا صالحی,09131234567,,\r\nرضا,0913,,\r\nکسی دیگر,۰۹۱۳۱۲۳۴۵۶۷,,\r\n"
        );
        let problems = read_spreadsheet(&text).expect_err("bad rows");
        let found: Vec<(usize, &str)> =
            problems.iter().map(|p| (p.line, p.code.as_str())).collect();
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.starts_with("person_name."), "{found:?}");
        assert_eq!(found[1].0, 3);
        assert!(found[1].1.starts_with("mobile."), "{found:?}");
        // The repeat among the rows that read is one more bad row.
        assert_eq!(found[2], (4, "import.repeated"));
        assert_eq!(found.len(), 3);
        let text = format!("{HEADER}حاج رضا صالحی,09131234567,,\r\nکسی دیگر,۰۹۱۳۱۲۳۴۵۶۷,,\r\n");
        let problems = read_spreadsheet(&text).expect_err("a repeat");
        assert_eq!(
            (problems[0].line, problems[0].code.as_str()),
            (3, "import.repeated")
        );
    }
}
