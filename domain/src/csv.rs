//! CSV as district offices exchange it with spreadsheets: read with every
//! row's line number (an import names the lines it refuses), written so a
//! spreadsheet opens it as text (RFC 4180 quoting, formulas defused).

use serde::Serialize;

use crate::i18n::{Lang, Localized};

/// One row of a file, with the line it starts on (1-based, as an editor
/// counts: a quoted field's line breaks count).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why a text is not CSV at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvError {
    /// A quoted field that never closes: everything after it would be
    /// one field, so nothing after it can be trusted.
    #[error("a quoted field opened on line {line} never closes")]
    UnclosedQuote { line: usize },
}

impl Localized for CsvError {
    fn key(&self) -> &'static str {
        match self {
            CsvError::UnclosedQuote { .. } => "csv.unclosed_quote",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fa => {
                "یک گیومه («\"») در این سطر باز شده و بسته نشده است؛ فایل را در صفحه‌گسترده باز و دوباره با قالب CSV ذخیره کنید."
            }
            Lang::En => {
                "A quote (\") opened on this line never closes; open the file in a spreadsheet and save it again as CSV."
            }
        }
    }
}

/// The rows of `text`: a leading byte-order mark dropped, the separator
/// the first line uses (comma, semicolon or tab — spreadsheets in
/// Persian locales write all three), blank lines skipped.
pub fn read(text: &str) -> Result<Vec<Row>, CsvError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let separator = separator_of(text.lines().next().unwrap_or_default());
    let mut rows = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => {
                    if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                push_row(&mut rows, row_line, std::mem::take(&mut fields));
                line += 1;
                row_line = line;
            }
            c if c == separator => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if quoted {
        return Err(CsvError::UnclosedQuote { line: row_line });
    }
    fields.push(field);
    push_row(&mut rows, row_line, fields);
    Ok(rows)
}

/// The separator a header line uses: the most frequent of the three.
fn separator_of(header: &str) -> char {
    [',', ';', '\t']
        .into_iter()
        .max_by_key(|&s| (header.matches(s).count(), s == ','))
        .unwrap_or(',')
}

/// Keeps a row unless it is blank (one empty field, or only separators).
fn push_row(rows: &mut Vec<Row>, line: usize, fields: Vec<String>) {
    if fields.iter().any(|field| !field.trim().is_empty()) {
        rows.push(Row { line, fields });
    }
}

/// One line of a file to download, fields quoted where they must be.
pub fn line(fields: impl IntoIterator<Item = String>) -> String {
    let mut row = fields
        .into_iter()
        .map(|f| field(&f))
        .collect::<Vec<_>>()
        .join(",");
    row.push_str("\r\n");
    row
}

/// One field, quoted where it must be; one a spreadsheet would read as a
/// formula (a citizen's summary starting with "=") is kept as text.
pub fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(usize, Vec<&str>)> {
        // Leaked for the test's brevity: a few short strings.
        read(text)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|row| {
                let fields = row
                    .fields
                    .into_iter()
                    .map(|f| &*Box::leak(f.into_boxed_str()))
                    .collect();
                (row.line, fields)
            })
            .collect()
    }

    #[test]
    fn rows_carry_the_line_they_start_on_across_quoted_line_breaks() {
        let text = "\u{FEFF}a,b\r\n\"x\r\ny\",2\r\n\r\n\"say \"\"hi\"\"\",3\n";
        assert_eq!(
            rows(text),
            vec![
                (1, vec!["a", "b"]),
                (2, vec!["x\r\ny", "2"]),
                (5, vec!["say \"hi\"", "3"]),
            ]
        );
    }

    #[test]
    fn the_separator_is_the_one_the_header_uses() {
        assert_eq!(
            rows("a;b\n1,5;2\n"),
            vec![(1, vec!["a", "b"]), (2, vec!["1,5", "2"])]
        );
        assert_eq!(
            rows("a\tb\n1\t2"),
            vec![(1, vec!["a", "b"]), (2, vec!["1", "2"])]
        );
        assert_eq!(rows("a\n1"), vec![(1, vec!["a"]), (2, vec!["1"])]);
    }

    #[test]
    fn an_unclosed_quote_is_refused_with_its_line() {
        assert_eq!(
            read("a,b\n1,2\n\"3,4\n5,6\n"),
            Err(CsvError::UnclosedQuote { line: 3 })
        );
    }

    #[test]
    fn what_is_written_reads_back() {
        let fields = [
            "plain",
            "with, comma",
            "with \"quotes\"",
            "two\nlines",
            "=1+1",
        ];
        let text = line(fields.iter().map(|f| f.to_string()));
        let back = rows(&text);
        assert_eq!(
            back,
            vec![(
                1,
                vec![
                    "plain",
                    "with, comma",
                    "with \"quotes\"",
                    "two\nlines",
                    "'=1+1"
                ]
            )]
        );
    }
}
