//! Tables an administrator imports from a spreadsheet (the district's case
//! files, its local trustees): columns found by their headers in either
//! language, every row checked with the domain's parsers, and every
//! problem reported with its line — a file with one bad row imports
//! nothing, and the person fixes them all in one pass.

use serde::{Deserialize, Serialize};

use crate::csv;
use crate::i18n::{Bilingual, Lang, Localized};
use crate::text::normalize_for_search;

/// A column an import reads.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Its name in error reports and in the API.
    pub key: &'static str,
    /// The header a template writes, in each language.
    pub fa: &'static str,
    pub en: &'static str,
    pub required: bool,
}

impl Column {
    fn name(&self) -> Bilingual {
        Bilingual {
            fa: self.fa.to_owned(),
            en: self.en.to_owned(),
        }
    }

    /// Whether a header names this column: either language's header or
    /// the key, folded (so "شمارهٔ پرونده", "شماره پرونده" and
    /// "Number" all name the case number).
    fn named_by(&self, header: &str) -> bool {
        let header = fold_header(header);
        [self.fa, self.en, self.key]
            .iter()
            .any(|name| fold_header(name) == header)
    }
}

fn fold_header(text: &str) -> String {
    normalize_for_search(&text.replace('_', " ")).replace(' ', "")
}

/// One problem of an imported file: where, and why, in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    /// The column's header in both languages; empty for the whole row.
    #[serde(default)]
    pub column: Bilingual,
    pub code: String,
    pub message: Bilingual,
}

/// Problems with a file's shape rather than one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file has no rows under its header")]
    Empty,
    #[error("a required column is missing")]
    MissingColumn,
    #[error("a header names no known column")]
    UnknownColumn,
    #[error("two headers name the same column")]
    RepeatedColumn,
    #[error("the row has more fields than the header")]
    ExtraFields,
    #[error("the file has too many rows for one import")]
    TooManyRows,
    #[error("a required value is missing")]
    Required,
    #[error("the value is too long")]
    TooLong,
}

impl Localized for SheetError {
    fn key(&self) -> &'static str {
        match self {
            SheetError::Empty => "import.empty",
            SheetError::MissingColumn => "import.missing_column",
            SheetError::UnknownColumn => "import.unknown_column",
            SheetError::RepeatedColumn => "import.repeated_column",
            SheetError::ExtraFields => "import.extra_fields",
            SheetError::TooManyRows => "import.too_many_rows",
            SheetError::Required => "import.required",
            SheetError::TooLong => "import.too_long",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SheetError::Empty, Lang::Fa) => "فایل زیر سطر عنوان‌ها هیچ سطری ندارد.",
            (SheetError::Empty, Lang::En) => "The file has no rows under its header line.",
            (SheetError::MissingColumn, Lang::Fa) => {
                "این ستون لازم است و در سطر عنوان‌ها نیست؛ نام ستون‌ها را با نمونه مقایسه کنید."
            }
            (SheetError::MissingColumn, Lang::En) => {
                "This column is required and missing from the header line; compare the headers with the template."
            }
            (SheetError::UnknownColumn, Lang::Fa) => {
                "این عنوان با هیچ ستونی جور نیست؛ آن را با نمونه مقایسه یا ستون را حذف کنید."
            }
            (SheetError::UnknownColumn, Lang::En) => {
                "This header names no known column; compare it with the template or remove the column."
            }
            (SheetError::RepeatedColumn, Lang::Fa) => "این ستون دو بار در سطر عنوان‌ها آمده است.",
            (SheetError::RepeatedColumn, Lang::En) => {
                "This column appears twice in the header line."
            }
            (SheetError::ExtraFields, Lang::Fa) => {
                "این سطر بیش از ستون‌های سطر عنوان خانه دارد؛ شاید متنی ویرگول داشته و در گیومه نیامده است."
            }
            (SheetError::ExtraFields, Lang::En) => {
                "This row has more fields than the header; a text with a comma may be missing its quotes."
            }
            (SheetError::TooManyRows, Lang::Fa) => {
                "این فایل بیش از ۱۰۰٬۰۰۰ سطر دارد؛ آن را در چند فایل وارد کنید."
            }
            (SheetError::TooManyRows, Lang::En) => {
                "The file has more than 100,000 rows; import it in several files."
            }
            (SheetError::Required, Lang::Fa) => "این خانه خالی است و پر کردن آن لازم است.",
            (SheetError::Required, Lang::En) => "This field is empty and is required.",
            (SheetError::TooLong, Lang::Fa) => "این متن از اندازهٔ مجاز این ستون بلندتر است.",
            (SheetError::TooLong, Lang::En) => "This text is longer than the column allows.",
        }
    }
}

/// Why a file's bytes are not text an import can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the file is not UTF-8 or UTF-16 text")]
pub struct EncodingError;

impl Localized for EncodingError {
    fn key(&self) -> &'static str {
        "import.not_unicode"
    }

    fn message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fa => {
                "این فایل با کدگذاری UTF-8 ذخیره نشده است؛ در Excel هنگام ذخیره «CSV UTF-8» را برگزینید."
            }
            Lang::En => {
                "This file is not saved as UTF-8; in Excel, choose \"CSV UTF-8\" when saving."
            }
        }
    }
}

/// The text of an uploaded file: UTF-8 (with or without a byte-order
/// mark), or UTF-16 with one (Excel's "Unicode text"). Anything else —
/// most often a Windows-1256 export, which would turn every Persian
/// letter into a wrong one — is refused rather than guessed.
pub fn decode(bytes: &[u8]) -> Result<String, EncodingError> {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        if !rest.len().is_multiple_of(2) {
            return Err(EncodingError);
        }
        let units = rest.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| EncodingError)
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8(bytes.to_vec()).map_err(|_| EncodingError),
    }
}

/// What an import did: rows new to the district, rows that changed a
/// file it had, and rows that were already so (importing the same file
/// twice adds nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The most rows one import takes.
pub const MAX_ROWS: usize = 100_000;

/// A file's rows under its header, the header's columns found.
pub struct Sheet {
    columns: &'static [Column],
    /// For each of `columns`, the position of its field in a row.
    positions: Vec<Option<usize>>,
    rows: Vec<csv::Row>,
}

impl Sheet {
    /// Reads `text` as a table of `columns`: the first row is the header.
    pub fn read(text: &str, columns: &'static [Column]) -> Result<Sheet, Vec<RowProblem>> {
        let mut rows = csv::read(text).map_err(|error| {
            let csv::CsvError::UnclosedQuote { line } = error;
            vec![RowProblem::of_row(line, &error)]
        })?;
        if rows.is_empty() {
            return Err(vec![RowProblem::of_row(1, &SheetError::Empty)]);
        }
        let header = rows.remove(0);
        let positions = find_columns(&header, columns)?;
        if rows.is_empty() {
            return Err(vec![RowProblem::of_row(header.line, &SheetError::Empty)]);
        }
        if rows.len() > MAX_ROWS {
            return Err(vec![RowProblem::of_row(
                rows[MAX_ROWS].line,
                &SheetError::TooManyRows,
            )]);
        }
        Ok(Sheet {
            columns,
            positions,
            rows,
        })
    }

    /// Every row through `parse`: the rows that read, and every problem
    /// of every row that did not.
    pub fn parse<T>(&self, parse: impl Fn(&mut Line<'_>) -> Option<T>) -> Read<T> {
        let mut parsed = Vec::with_capacity(self.rows.len());
        let mut problems = Vec::new();
        for row in &self.rows {
            let mut line = Line {
                sheet: self,
                row,
                problems: Vec::new(),
            };
            if row.fields.len() > self.header_width() {
                line.problems
                    .push(RowProblem::of_row(row.line, &SheetError::ExtraFields));
            }
            let value = parse(&mut line);
            match value {
                Some(value) if line.problems.is_empty() => parsed.push(Parsed {
                    line: row.line,
                    value,
                }),
                _ => problems.append(&mut line.problems),
            }
        }
        Read {
            rows: parsed,
            problems,
        }
    }

    fn header_width(&self) -> usize {
        self.positions.iter().flatten().max().map_or(0, |p| p + 1)
    }
}

/// Where each column is in the header, or every problem with the header.
fn find_columns(
    header: &csv::Row,
    columns: &'static [Column],
) -> Result<Vec<Option<usize>>, Vec<RowProblem>> {
    let mut positions: Vec<Option<usize>> = vec![None; columns.len()];
    let mut problems = Vec::new();
    for (position, text) in header.fields.iter().enumerate() {
        if text.trim().is_empty() {
            continue;
        }
        match columns.iter().position(|column| column.named_by(text)) {
            None => problems.push(RowProblem {
                line: header.line,
                column: Bilingual {
                    fa: text.clone(),
                    en: text.clone(),
                },
                code: SheetError::UnknownColumn.key().to_owned(),
                message: Bilingual::of(&SheetError::UnknownColumn),
            }),
            Some(found) if positions[found].is_some() => problems.push(RowProblem::of_field(
                header.line,
                &columns[found],
                &SheetError::RepeatedColumn,
            )),
            Some(found) => positions[found] = Some(position),
        }
    }
    for (column, position) in columns.iter().zip(&positions) {
        if column.required && position.is_none() {
            problems.push(RowProblem::of_field(
                header.line,
                column,
                &SheetError::MissingColumn,
            ));
        }
    }
    if problems.is_empty() {
        Ok(positions)
    } else {
        Err(problems)
    }
}

impl RowProblem {
    pub fn of_row(line: usize, problem: &impl Localized) -> RowProblem {
        RowProblem {
            line,
            column: Bilingual::default(),
            code: problem.key().to_owned(),
            message: Bilingual::of(problem),
        }
    }

    fn of_field(line: usize, column: &Column, problem: &impl Localized) -> RowProblem {
        RowProblem {
            line,
            column: column.name(),
            code: problem.key().to_owned(),
            message: Bilingual::of(problem),
        }
    }
}

/// A row read, with its line (for the problems found across rows, such as
/// the same case number twice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    pub line: usize,
    pub value: T,
}

/// A sheet's rows as read: those that read, and the problems of the
/// others.
pub struct Read<T> {
    pub rows: Vec<Parsed<T>>,
    pub problems: Vec<RowProblem>,
}

impl<T> Read<T> {
    /// Every row, or every problem.
    pub fn all(self) -> Result<Vec<T>, Vec<RowProblem>> {
        if self.problems.is_empty() {
            Ok(self.rows.into_iter().map(|row| row.value).collect())
        } else {
            Err(self.problems)
        }
    }
}

/// Every row, or every problem — counting as one a row whose `key` (the
/// case number, the mobile) an earlier row that read has too, reported
/// with the earlier one's line.
pub fn refuse_repeats<T, K: std::hash::Hash + Eq>(
    read: Read<T>,
    column: &Column,
    key: impl Fn(&T) -> K,
) -> Result<Vec<T>, Vec<RowProblem>> {
    let Read { rows, mut problems } = read;
    let mut first_line = std::collections::HashMap::with_capacity(rows.len());
    for row in &rows {
        let first = *first_line.entry(key(&row.value)).or_insert(row.line);
        if first != row.line {
            problems.push(RowProblem {
                line: row.line,
                column: column.name(),
                code: "import.repeated".to_owned(),
                message: Bilingual {
                    fa: format!(
                        "همین مقدار در سطر {} هم آمده است؛ هر سطر باید یکتا باشد.",
                        crate::text::to_persian_digits(&first.to_string())
                    ),
                    en: format!("The same value is also on line {first}; each row must be unique."),
                },
            });
        }
    }
    problems.sort_by_key(|problem| problem.line);
    Read { rows, problems }.all()
}

/// One row being read: its fields by column, and the problems found so far.
pub struct Line<'a> {
    sheet: &'a Sheet,
    row: &'a csv::Row,
    problems: Vec<RowProblem>,
}

impl Line<'_> {
    pub fn number(&self) -> usize {
        self.row.line
    }

    /// The field of `column`, trimmed; empty when the column is absent or
    /// the row ends before it.
    pub fn text(&self, column: &Column) -> &str {
        self.sheet
            .columns
            .iter()
            .position(|c| c.key == column.key)
            .and_then(|index| self.sheet.positions[index])
            .and_then(|position| self.row.fields.get(position))
            .map_or("", |field| field.trim())
    }

    /// The field of `column` through `parse`, or `None` with the problem
    /// noted. An empty optional field is `Some(None)` without calling
    /// `parse`; an empty required one is a problem.
    pub fn value<T, E: Localized>(
        &mut self,
        column: &Column,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        let text = self.text(column);
        if text.is_empty() {
            if column.required {
                self.problem(column, &SheetError::Required);
                return None;
            }
            return Some(None);
        }
        match parse(text) {
            Ok(value) => Some(Some(value)),
            Err(problem) => {
                self.problem(column, &problem);
                None
            }
        }
    }

    /// A free text field of at most `max_chars` characters, made canonical
    /// (`text::clean_text`); empty when optional and absent.
    pub fn free_text(&mut self, column: &Column, max_chars: usize) -> Option<String> {
        self.value(column, |text| {
            let text = crate::text::clean_text(text);
            if text.chars().count() > max_chars {
                Err(SheetError::TooLong)
            } else {
                Ok(text)
            }
        })
        .map(Option::unwrap_or_default)
    }

    pub fn problem(&mut self, column: &Column, problem: &impl Localized) {
        self.problems
            .push(RowProblem::of_field(self.row.line, column, problem));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::NationalId;

    const NAME: Column = Column {
        key: "name",
        fa: "نام",
        en: "Name",
        required: true,
    };
    const ID: Column = Column {
        key: "national_id",
        fa: "کد ملی",
        en: "National ID",
        required: false,
    };
    const COLUMNS: &[Column] = &[NAME, ID];

    type Person = (String, Option<NationalId>);

    fn people(text: &str) -> Result<Vec<Parsed<Person>>, Vec<RowProblem>> {
        let read = Sheet::read(text, COLUMNS)?.parse(|line| {
            let name = line.free_text(&NAME, 10);
            let id = line.value(&ID, NationalId::parse);
            Some((name?, id?))
        });
        if read.problems.is_empty() {
            Ok(read.rows)
        } else {
            Err(read.problems)
        }
    }

    fn lines_and_codes(problems: &[RowProblem]) -> Vec<(usize, &str)> {
        problems.iter().map(|p| (p.line, p.code.as_str())).collect()
    }

    #[test]
    fn utf8_and_utf16_decode_and_a_legacy_code_page_is_refused() {
        assert_eq!(decode("نام".as_bytes()).as_deref(), Ok("نام"));
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("نام".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&le).as_deref(), Ok("نام"));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("نام".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&be).as_deref(), Ok("نام"));
        // "نام" in Windows-1256.
        assert_eq!(decode(&[0xE4, 0xC7, 0xE3]), Err(EncodingError));
    }

    #[test]
    fn columns_are_found_by_either_languages_header_in_any_order() {
        let parsed = people("کد ملی,نام\r\n۰۰۸۴۵۷۵۹۴۸,علی\r\n,مریم\r\n").expect("a good file");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].line, 2);
        assert_eq!(parsed[0].value.0, "علی");
        assert_eq!(
            parsed[0].value.1.as_ref().map(NationalId::as_str),
            Some("0084575948")
        );
        assert_eq!(parsed[1].value.1, None);
        assert!(people("NAME,national_id\nAli,\n").is_ok());
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_column() {
        let problems = people("name,national id\nعلی,1234567890\n,۰۰۸۴۵۷۵۹۴۸\nبسیار بسیار بلند,\nمریم,۰۰۸۴۵۷۵۹۴۸,اضافه\n")
            .expect_err("bad rows");
        assert_eq!(
            lines_and_codes(&problems),
            vec![
                (2, "national_id.bad_checksum"),
                (3, "import.required"),
                (4, "import.too_long"),
                (5, "import.extra_fields"),
            ]
        );
        assert_eq!(problems[1].column.fa, "نام");
    }

    #[test]
    fn a_bad_header_is_reported_before_any_row() {
        let problems = people("نام خانوادگی,کد ملی,کد ملی\nعلی,,\n").expect_err("bad header");
        assert_eq!(
            lines_and_codes(&problems),
            vec![
                (1, "import.unknown_column"),
                (1, "import.repeated_column"),
                (1, "import.missing_column"),
            ]
        );
        assert_eq!(problems[0].column.fa, "نام خانوادگی");
        assert_eq!(
            lines_and_codes(&people("نام\n\n").expect_err("no rows")),
            vec![(1, "import.empty")]
        );
        assert_eq!(
            lines_and_codes(&people("نام\n\"علی\n").expect_err("open quote")),
            vec![(2, "csv.unclosed_quote")]
        );
    }
}
