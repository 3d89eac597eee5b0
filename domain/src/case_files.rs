//! The district's existing case files (پرونده), which the executive
//! committee links requests to so old cases come back on the agenda
//! (DESIGN §2 step 2): imported by an administrator from the district's
//! spreadsheet, synced to the committees' devices without the owner's
//! national ID, and suggested beside each request they may belong to.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::district::DistrictId;
use crate::ids::PersonKey;
use crate::import::{Column, RowProblem, Sheet, refuse_repeats};
use crate::jalali::JalaliDate;
use crate::person::NationalId;
use crate::registration::CaseNumber;
use crate::sync::{LastDigits, RegistrationRecord};
use crate::text::normalize_for_search;

/// A case file as the committees' devices hold it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    pub district: DistrictId,
    pub number: CaseNumber,
    pub subject: String,
    #[serde(default)]
    pub address: String,
    pub owner_name: String,
    /// The owner's key (`PersonKey`) when the file names their national
    /// ID: what matches it to the owner's requests.
    #[serde(default)]
    pub owner: Option<PersonKey>,
    #[serde(default)]
    pub owner_national_id_last4: Option<LastDigits>,
    /// The district's word for where the file stands ("در جریان", …).
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub last_activity: Option<JalaliDate>,
}

// The columns of the district's spreadsheet.
const NUMBER: Column = Column {
    key: "number",
    fa: "شمارهٔ پرونده",
    en: "Case number",
    required: true,
};
const SUBJECT: Column = Column {
    key: "subject",
    fa: "موضوع",
    en: "Subject",
    required: true,
};
const ADDRESS: Column = Column {
    key: "address",
    fa: "نشانی",
    en: "Address",
    required: false,
};
const OWNER_NAME: Column = Column {
    key: "owner_name",
    fa: "نام مالک",
    en: "Owner's name",
    required: true,
};
const OWNER_NATIONAL_ID: Column = Column {
    key: "owner_national_id",
    fa: "کد ملی مالک",
    en: "Owner's national ID",
    required: false,
};
const STATUS: Column = Column {
    key: "status",
    fa: "وضعیت",
    en: "Status",
    required: false,
};
const LAST_ACTIVITY: Column = Column {
    key: "last_activity",
    fa: "آخرین اقدام",
    en: "Last activity",
    required: false,
};

/// Every column, in the template's order.
pub const COLUMNS: &[Column] = &[
    NUMBER,
    SUBJECT,
    ADDRESS,
    OWNER_NAME,
    OWNER_NATIONAL_ID,
    STATUS,
    LAST_ACTIVITY,
];

/// One row of an imported spreadsheet: a case file with the owner's full
/// national ID, which only the server holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFileRow {
    pub number: CaseNumber,
    pub subject: String,
    pub address: String,
    pub owner_name: String,
    pub owner_national_id: Option<NationalId>,
    pub status: String,
    pub last_activity: Option<JalaliDate>,
}

impl CaseFileRow {
    /// The record devices get: the owner's key in place of the national
    /// ID, and its last four digits.
    pub fn into_record(self, district: DistrictId, owner: Option<PersonKey>) -> CaseFile {
        CaseFile {
            district,
            owner_national_id_last4: self
                .owner_national_id
                .as_ref()
                .map(LastDigits::of_national_id),
            number: self.number,
            subject: self.subject,
            address: self.address,
            owner_name: self.owner_name,
            owner,
            status: self.status,
            last_activity: self.last_activity,
        }
    }
}

/// A file's case files: every row, or every problem (a case number twice
/// in one file is one, reported on its second line).
pub fn read_spreadsheet(text: &str) -> Result<Vec<CaseFileRow>, Vec<RowProblem>> {
    let rows = Sheet::read(text, COLUMNS)?.parse(|line| {
        let number = line.value(&NUMBER, CaseNumber::parse);
        let subject = line.free_text(&SUBJECT, 200);
        let address = line.free_text(&ADDRESS, 300);
        let owner_name = line.free_text(&OWNER_NAME, 120);
        let owner_national_id = line.value(&OWNER_NATIONAL_ID, NationalId::parse);
        let status = line.free_text(&STATUS, 60);
        let last_activity = line.value(&LAST_ACTIVITY, JalaliDate::parse);
        Some(CaseFileRow {
            number: number??,
            subject: subject?,
            address: address?,
            owner_name: owner_name?,
            owner_national_id: owner_national_id?,
            status: status?,
            last_activity: last_activity?,
        })
    });
    refuse_repeats(rows, &NUMBER, |row| row.number.clone())
}

/// Why a case file is suggested for a request, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Match {
    /// The citizen wrote its number on the request.
    Number,
    /// Its owner has the citizen's national ID (matched by the server).
    Owner,
    /// Its owner's name is the citizen's, as folded for search.
    Name,
}

impl Match {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang;
        match (self, lang) {
            (Match::Number, Lang::Fa) => "همان شماره‌ای که شهروند نوشته",
            (Match::Number, Lang::En) => "the number the citizen gave",
            (Match::Owner, Lang::Fa) => "مالک همان کد ملی را دارد",
            (Match::Owner, Lang::En) => "the owner has the same national ID",
            (Match::Name, Lang::Fa) => "نام مالک با نام شهروند یکی است",
            (Match::Name, Lang::En) => "the owner's name is the citizen's",
        }
    }
}

/// The most suggestions shown beside one request.
pub const MAX_SUGGESTIONS: usize = 8;

/// A district's case files, indexed by what a request can match them on:
/// built once when the files change, asked for every request on screen.
#[derive(Clone, Debug, Default)]
pub struct CaseFileIndex {
    files: Vec<CaseFile>,
    by_number: HashMap<String, Vec<usize>>,
    by_owner: HashMap<PersonKey, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

impl CaseFileIndex {
    pub fn new(files: Vec<CaseFile>) -> CaseFileIndex {
        let mut index = CaseFileIndex::default();
        for (at, file) in files.iter().enumerate() {
            for tail in number_tails(file.number.as_str()) {
                index.by_number.entry(tail.to_owned()).or_default().push(at);
            }
            if let Some(owner) = &file.owner {
                index.by_owner.entry(owner.clone()).or_default().push(at);
            }
            let name = fold_name(&file.owner_name);
            if !name.is_empty() {
                index.by_name.entry(name).or_default().push(at);
            }
        }
        index.files = files;
        index
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The case files of `request`'s district that may belong to it,
    /// strongest match first, each once.
    pub fn suggest(&self, request: &RegistrationRecord) -> Vec<(Match, &CaseFile)> {
        let at = |map: Option<&Vec<usize>>| map.cloned().unwrap_or_default();
        let by_number = request
            .case_number
            .as_ref()
            .map(|number| at(self.by_number.get(number.as_str())))
            .unwrap_or_default();
        let by_owner = request
            .citizen
            .as_ref()
            .map(|citizen| at(self.by_owner.get(citizen)))
            .unwrap_or_default();
        let by_name = at(self.by_name.get(&fold_name(&request.full_name)));
        let mut found: Vec<(Match, &CaseFile)> = Vec::new();
        for (why, positions) in [
            (Match::Number, by_number),
            (Match::Owner, by_owner),
            (Match::Name, by_name),
        ] {
            let mut files: Vec<&CaseFile> = positions
                .into_iter()
                .map(|at| &self.files[at])
                .filter(|file| file.district == request.district)
                .filter(|file| found.iter().all(|(_, seen)| seen.number != file.number))
                .collect();
            files.sort_by(|a, b| a.number.cmp(&b.number));
            found.extend(files.into_iter().map(|file| (why, file)));
        }
        found.truncate(MAX_SUGGESTIONS);
        found
    }
}

/// The texts a citizen may write for a file's number: the number, and the
/// number without its leading parts, keeping at least two ("1403/77" for
/// "6/1403/77": citizens often leave out the district; "77" alone would
/// match too many).
fn number_tails(number: &str) -> impl Iterator<Item = &str> {
    let starts = number
        .char_indices()
        .filter(|(_, c)| matches!(c, '/' | '-'))
        .map(|(at, c)| at + c.len_utf8());
    std::iter::once(number).chain(
        starts
            .map(move |at| &number[at..])
            .filter(|tail| tail.contains(['/', '-'])),
    )
}

fn fold_name(name: &str) -> String {
    normalize_for_search(name).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "شماره پرونده,موضوع,نشانی,نام مالک,کد ملی مالک,وضعیت,آخرین اقدام\r\n";

    fn district() -> DistrictId {
        DistrictId::new(6).unwrap_or_else(|_| unreachable!("district 6 exists"))
    }

    #[test]
    fn a_spreadsheet_in_persian_digits_with_a_bom_reads() {
        let text = format!(
            "\u{FEFF}{TEMPLATE}۶/۱۴۰۲/۱۲,تخلف ساختمانی,\"خیابان چهارباغ، کوچه ۳\",مریم کاظمی,۰۰۸۴۵۷۵۹۴۸,در جریان,۱۴۰۳/۰۵/۱۲\r\n6/1401/7,پسماند,,شرکت نمونه,,,\r\n"
        );
        let rows = read_spreadsheet(&text).expect("a good file");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number.as_str(), "6/1402/12");
        assert_eq!(rows[0].address, "خیابان چهارباغ، کوچه ۳");
        assert_eq!(
            rows[0].last_activity,
            Some(JalaliDate::new(1403, 5, 12).expect("a date"))
        );
        let record = rows[0].clone().into_record(district(), Some("p1".into()));
        assert_eq!(
            record
                .owner_national_id_last4
                .as_ref()
                .map(LastDigits::as_str),
            Some("5948")
        );
        assert_eq!(rows[1].owner_national_id, None);
        assert_eq!(rows[1].status, "");
    }

    #[test]
    fn every_bad_row_is_refused_with_its_line_and_a_repeat_names_the_first() {
        let text = format!(
            "{TEMPLATE}6/1402/12,تخلف,,مریم کاظمی,,,\r\n!!,تخلف,,علی,,,\r\n6/1402/13,,,علی,0084575941,,1403/13/01\r\n6/1402/12,تکرار,,علی,,,\r\n"
        );
        let problems = read_spreadsheet(&text).expect_err("bad rows");
        let found: Vec<(usize, &str)> =
            problems.iter().map(|p| (p.line, p.code.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (3, "case_number.invalid_characters"),
                (4, "import.required"),
                (4, "national_id.bad_checksum"),
                (4, "jalali.month_out_of_range"),
                (5, "import.repeated"),
            ]
        );
        // A repeat alone names the first line.
        let text =
            format!("{TEMPLATE}6/1402/12,تخلف,,مریم کاظمی,,,\r\n۶/۱۴۰۲/۱۲,تکرار,,علی,,,\r\n");
        let problems = read_spreadsheet(&text).expect_err("a repeat");
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].line, problems[0].code.as_str()),
            (3, "import.repeated")
        );
        assert!(problems[0].message.fa.contains("سطر ۲"));
    }

    fn file(number: &str, owner_name: &str, owner: Option<&str>) -> CaseFile {
        CaseFile {
            district: district(),
            number: CaseNumber::parse(number).expect("a case number"),
            subject: "تخلف ساختمانی".into(),
            address: String::new(),
            owner_name: owner_name.into(),
            owner: owner.map(PersonKey::from),
            owner_national_id_last4: None,
            status: String::new(),
            last_activity: None,
        }
    }

    #[test]
    fn suggestions_come_by_number_then_owner_then_folded_name() {
        let files = [
            file("6/1400/1", "مريم كاظمي", None),
            file("6/1402/12", "کسی دیگر", None),
            file("6/1399/5", "کسی دیگر", Some("p-maryam")),
            file("6/1398/2", "کسی دیگر", Some("p-other")),
            file("6/1402/120", "کسی دیگر", None),
        ];
        let mut request = RegistrationRecord::sample("r1", "مریم  کاظمی");
        request.case_number = Some(CaseNumber::parse("1402/12").expect("a case number"));
        request.citizen = Some("p-maryam".into());
        let index = CaseFileIndex::new(files.to_vec());
        let found: Vec<(Match, &str)> = index
            .suggest(&request)
            .into_iter()
            .map(|(why, file)| (why, file.number.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Match::Number, "6/1402/12"),
                (Match::Owner, "6/1399/5"),
                (Match::Name, "6/1400/1"),
            ]
        );
        let mut elsewhere = files[0].clone();
        elsewhere.district = DistrictId::new(7).expect("district 7");
        request.case_number = None;
        request.citizen = None;
        assert!(
            CaseFileIndex::new(vec![elsewhere])
                .suggest(&request)
                .is_empty()
        );
        // A name alone is no match, nor a number's last part alone.
        request.full_name = "کاظمی".into();
        request.case_number = Some(CaseNumber::parse("12").expect("a case number"));
        assert!(index.suggest(&request).is_empty());
    }
}
