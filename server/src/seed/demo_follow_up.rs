//! Last month's demo meeting for development mode (issue 14): a meeting
//! five weeks ago in the demo district whose citizens came, were referred
//! at the tables, and whose results the district manager has partly
//! reported — some on time, some late, some postponed, the rest overdue —
//! so the follow-up screens have something to show at once. Every step is
//! the command the staff's devices send, applied by `domain::sync::apply`
//! at the time it would have been made.

use chrono::{DateTime, TimeDelta, Utc};
use domain::district::DistrictId;
use domain::followup::Outcome;
use domain::ids::{AttendeeId, MeetingId};
use domain::meeting::{Meeting, MeetingPlan};
use domain::sync::Command;
use domain::time::jalali_today;

use super::demo_meeting::{apply_at, citizen_name, this_morning, user_named};
use super::demo_requests::{self, DemoCitizen};
use super::{DEMO_DISTRICT, SeedError};
use crate::db::{self, Db};
use crate::sync::records;
use crate::{admin, registration};

/// How long ago the meeting was: its month for results has passed.
const WEEKS_AGO: i64 = 5;
/// The demo citizens' national IDs and mobiles start here, far from
/// today's meeting's (even at its stress size).
const FIRST_INDEX: usize = 50_000;

/// What the district manager reported on the `index`-th referral, and how
/// many days after the meeting; none for the rest.
fn report_of(index: usize) -> Option<(Outcome, &'static str, i64)> {
    match index % 6 {
        0 => Some((
            Outcome::Answered,
            "در برنامهٔ اجرایی امسال منطقه قرار گرفت.",
            12,
        )),
        1 => Some((Outcome::Resolved, "کار انجام شد و محل بازدید شد.", 20)),
        2 => Some((
            Outcome::NotPossible,
            "ملک در طرح تفصیلی است و مجوز داده نمی‌شود.",
            33,
        )),
        3 => Some((
            Outcome::MoreTime,
            "نیاز به بازدید کارشناس راه و ترابری دارد.",
            25,
        )),
        _ => None,
    }
}

pub async fn seed(db: &Db, now: DateTime<Utc>, referrals: usize) -> Result<(), SeedError> {
    if referrals == 0 {
        return Ok(());
    }
    let district = DistrictId::new(DEMO_DISTRICT)
        .map_err(|_| SeedError::Demo("the demo district is out of range".into()))?;
    let topics = registration::queries::topic_slugs(db).await?;
    let starts_at = this_morning(now) - TimeDelta::weeks(WEEKS_AGO);
    let mut tx = db::begin_write(db).await?;
    let meeting = Meeting {
        id: MeetingId::new_v7(starts_at - TimeDelta::days(14), rand::random()),
        plan: MeetingPlan {
            district,
            starts_at,
            venue: "سالن اجتماعات منطقهٔ ۶".into(),
            capacity: 120,
            citizen_quota: 80,
            trustee_quota: 30,
        },
    };
    admin::queries::insert_meeting(&mut tx, &meeting, now).await?;
    records::publish_meeting(&mut tx, &meeting).await?;
    let committee = user_named(&mut tx, "screening6").await?;
    let field = user_named(&mut tx, "field6").await?;
    let manager = user_named(&mut tx, "manager6").await?;
    let registered = starts_at - TimeDelta::days(10);
    for index in 0..referrals {
        let topic = &topics[index % topics.len()];
        let citizen = DemoCitizen {
            index: FIRST_INDEX + index,
            name: &citizen_name(index * 3 + 1),
            topic,
            description: "درخواست نمونه از دیدار ماه گذشته.",
            case_number: "",
        };
        let Some(request) = demo_requests::register(&mut tx, &topics, &citizen, registered).await?
        else {
            continue;
        };
        let place = AttendeeId::of_citizen(&meeting.id, &request);
        let day = |days: i64| starts_at + TimeDelta::days(days);
        let minutes = |minutes: i64| starts_at + TimeDelta::minutes(minutes);
        let mut steps = vec![
            (
                &committee,
                day(-9),
                Command::ReviewRegistration {
                    registration: request.clone(),
                    case_files: Vec::new(),
                    note: String::new(),
                },
            ),
            (
                &committee,
                day(-8),
                Command::ScreenRegistration {
                    registration: request.clone(),
                    deputy: topic.clone(),
                    summary: format!("خلاصهٔ درخواست ماه گذشته {}", index + 1),
                    priority: domain::screening::Priority::Normal,
                },
            ),
            (
                &committee,
                day(-7),
                Command::SelectForMeeting {
                    registration: request.clone(),
                    meeting: meeting.id.clone(),
                    slot: Some(starts_at),
                },
            ),
            (
                &field,
                minutes(10),
                Command::CheckIn {
                    attendee: place.clone(),
                    door: "ورودی اصلی".into(),
                },
            ),
            (
                &field,
                minutes(40),
                Command::RecordRequestForm {
                    attendee: place.clone(),
                    seen: Vec::new(),
                    asked: "رسیدگی به درخواست مطرح‌شده در دیدار".into(),
                    decision: "به معاونت مربوط ارجاع شود".into(),
                    referral: topic.clone(),
                    answer: String::new(),
                },
            ),
        ];
        if let Some((outcome, note, days)) = report_of(index) {
            let until =
                (outcome == Outcome::MoreTime).then(|| jalali_today(now + TimeDelta::days(10)));
            steps.push((
                &manager,
                day(days),
                Command::ReportFollowUp {
                    attendee: place,
                    outcome,
                    note: note.into(),
                    until,
                },
            ));
        }
        for (author, at, command) in steps {
            apply_at(&mut tx, author, command, at, now).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(referrals, "seeded last month's demo meeting");
    Ok(())
}
