//! Storing imported case files: each is a synced record (kind
//! `case_file`), written only when it changed, so importing the same
//! spreadsheet again adds nothing and sends devices nothing.

use domain::case_files::CaseFileRow;
use domain::district::DistrictId;
use domain::import::ImportReport;
use domain::sync::{Record, RecordKind};

use crate::db::Conn;
use crate::error::ApiError;
use crate::people;
use crate::sync::records;

/// Adds or updates `rows` as `district`'s case files.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn import(
    conn: &mut Conn,
    district: DistrictId,
    rows: Vec<CaseFileRow>,
) -> Result<ImportReport, ApiError> {
    let mut known = records::of_kind_in(conn, RecordKind::CaseFile, district).await?;
    let mut report = ImportReport::default();
    for row in rows {
        let owner = match &row.owner_national_id {
            Some(national_id) => Some(people::key_of(conn, national_id).await?),
            None => None,
        };
        let record = Record::CaseFile(row.into_record(district, owner));
        match known.remove(&record.key().id) {
            Some(earlier) if earlier == record => report.unchanged += 1,
            Some(_) => {
                records::put(conn, &record).await?;
                report.updated += 1;
            }
            None => {
                records::put(conn, &record).await?;
                report.added += 1;
            }
        }
    }
    Ok(report)
}
