//! Follow-up on the server (DESIGN §2 step 6). The district manager's
//! reports are sync commands (`ReportFollowUp`, applied by
//! `domain::sync::apply`); what only the server can do lives here: the
//! SMS that tells the citizen (`notify_by_sms`, sent by `sms`).

use chrono::{DateTime, Utc};
use domain::i18n::Lang;
use domain::sync::{CommandId, Effect, Record};

use crate::calls;
use crate::db::Conn;
use crate::error::ApiError;
use crate::sms::outbox::{self, NewSms};

/// Queues the SMS that tells the citizen what the report `id` said of
/// their request: once per report, whatever retries follow. A walk-in's
/// form has no request behind it, and no message.
pub async fn notify_by_sms(
    conn: &mut Conn,
    id: &CommandId,
    effect: &Effect,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<(), ApiError> {
    let Some((request, report)) = effect.changes.iter().find_map(|record| match record {
        Record::Registration(request) => request
            .referral
            .as_ref()
            .and_then(|referral| referral.reports.iter().find(|report| &report.id == id))
            .map(|report| (request, report)),
        _ => None,
    }) else {
        return Ok(());
    };
    let Some(mobile) = calls::queries::mobile_of(conn, &request.id).await? else {
        return Ok(());
    };
    let key = format!("follow-up/{id}");
    let body = report.sms_text(&request.tracking_code, lang);
    let sms = NewSms {
        dedupe_key: &key,
        registration: Some(&request.id),
        mobile: &mobile,
        body: &body,
    };
    outbox::queue(conn, &sms, now).await?;
    Ok(())
}
