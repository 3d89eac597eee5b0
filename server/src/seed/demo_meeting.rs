//! A demo meeting day for development mode (issue 12): a meeting today in
//! the demo district with 100 selected citizens and 30 local trustees,
//! assigned to the demo field-staff account, so a newcomer can open the
//! door screen at once; and the district's next meeting, a week later,
//! with its places still to give (issue 13). The citizens register through the form's code and
//! are reviewed, screened and selected by the same `domain::sync::apply`
//! the committees' devices use; the district's list of 40 trustees is
//! imported as an administrator's spreadsheet would be, and 30 of them
//! are invited the same way.

use chrono::{DateTime, TimeDelta, Utc};
use domain::auth::Username;
use domain::district::DistrictId;
use domain::ids::{DeviceId, MeetingId, UserId};
use domain::meeting::{Meeting, MeetingPlan};
use domain::sync::{Command, CommandId, Envelope, apply};
use domain::trustees::read_spreadsheet;

use super::demo_requests::{self, DemoCitizen};
use super::{DEMO_DISTRICT, SeedError};
use crate::db::{self, Conn, Db};
use crate::sync::records;
use crate::{admin, auth, checkin, registration, trustees};

const FIRST_NAMES: [&str; 10] = [
    "محمد",
    "زهرا",
    "علی",
    "فاطمه",
    "حسین",
    "مریم",
    "رضا",
    "سارا",
    "مهدی",
    "نرگس",
];
/// None of the six demo requests' surnames: every demo name is one person.
const LAST_NAMES: [&str; 10] = [
    "کریمی",
    "حسینی",
    "رحیمی",
    "صادقی",
    "جعفری",
    "نوروزی",
    "یزدانی",
    "اکبری",
    "طاهری",
    "شریفی",
];
const TRUSTEE_NAMES: [&str; 6] = ["حاج", "استاد", "دکتر", "مهندس", "سید", "آقای"];
const NEIGHBOURHOODS: [&str; 4] = ["جلفا", "مرداویج", "بزرگمهر", "کوی امام"];
const GROUPS: [&str; 4] = [
    "هیئت امنای مسجد",
    "شورایاری محله",
    "اتحادیهٔ صنف",
    "انجمن اولیا",
];
/// The district's list, and how many of it today's meeting invites.
const LISTED_TRUSTEES: usize = 40;
const TRUSTEES: usize = 30;
/// Citizens are expected in groups of ten, a quarter of an hour apart.
const PER_SLOT: usize = 10;
/// The demo citizens' national IDs and mobiles start here, after the
/// demo requests'.
const FIRST_INDEX: usize = 100;

pub async fn seed(
    db: &Db,
    now: DateTime<Utc>,
    citizens: usize,
    waiting: usize,
) -> Result<(), SeedError> {
    let district = DistrictId::new(DEMO_DISTRICT)
        .map_err(|_| SeedError::Demo("the demo district is out of range".into()))?;
    let topics = registration::queries::topic_slugs(db).await?;
    let mut tx = db::begin_write(db).await?;
    // At the stress size (`DIDAR_DEMO_CITIZENS=10000`) the room is as
    // large as the roster: past any real plan, so not checked as one.
    let citizen_quota = u16::try_from(citizens.max(100)).unwrap_or(u16::MAX);
    let meeting = Meeting {
        id: MeetingId::new_v7(now, rand::random()),
        plan: MeetingPlan {
            district,
            starts_at: this_morning(now),
            venue: "سالن اجتماعات منطقهٔ ۶".into(),
            capacity: citizen_quota.saturating_add(50),
            citizen_quota,
            trustee_quota: 30,
        },
    };
    admin::queries::insert_meeting(&mut tx, &meeting, now).await?;
    records::publish_meeting(&mut tx, &meeting).await?;
    plan_next_week(&mut tx, &meeting, now).await?;
    let committee = user_named(&mut tx, "screening6").await?;
    // The first `citizens` get places today; the `waiting` after them are
    // routed and wait for a meeting (the next week's, in the E2E tests).
    for index in 0..citizens + waiting {
        let citizen = DemoCitizen {
            index: FIRST_INDEX + index,
            name: &citizen_name(index),
            topic: &topics[index % topics.len()],
            description: "درخواست نمونه برای روز دیدار.",
            case_number: "",
        };
        let Some(request) = demo_requests::register(&mut tx, &topics, &citizen, now).await? else {
            continue;
        };
        let slot = meeting.plan.starts_at + TimeDelta::minutes(15 * (index / PER_SLOT) as i64);
        let mut steps = vec![
            Command::ReviewRegistration {
                registration: request.clone(),
                case_files: Vec::new(),
                note: String::new(),
            },
            Command::ScreenRegistration {
                registration: request.clone(),
                deputy: topics[index % topics.len()].clone(),
                summary: format!("خلاصهٔ درخواست نمونهٔ {}", index + 1),
                priority: domain::screening::Priority::Normal,
            },
        ];
        if index < citizens {
            steps.push(Command::SelectForMeeting {
                registration: request,
                meeting: meeting.id.clone(),
                slot: Some(slot),
            });
        }
        for command in steps {
            apply_as(&mut tx, &committee, command, now).await?;
        }
    }
    let listed = read_spreadsheet(&trustee_list()).map_err(|problems| {
        SeedError::Demo(format!("the demo trustees do not read: {problems:?}"))
    })?;
    trustees::queries::import(&mut tx, district, listed, now)
        .await
        .map_err(|error| SeedError::Demo(error.to_string()))?;
    let invited = trustees::queries::ids_in(&mut tx, district)
        .await
        .map_err(|error| SeedError::Demo(error.to_string()))?;
    for trustee in invited.into_iter().take(TRUSTEES) {
        let invite = Command::InviteTrustee {
            trustee,
            meeting: meeting.id.clone(),
            slot: Some(meeting.plan.starts_at),
        };
        apply_as(&mut tx, &committee, invite, now).await?;
    }
    let field = user_named(&mut tx, "field6").await?;
    checkin::queries::assign(&mut tx, &meeting.id, &[field], now).await?;
    tx.commit().await?;
    tracing::info!(citizens, trustees = TRUSTEES, "seeded a demo meeting today");
    Ok(())
}

/// The district's next meeting, a week after the demo day, with every
/// place still to give: where the screening committee tries selecting.
async fn plan_next_week(
    conn: &mut Conn,
    today: &Meeting,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let meeting = Meeting {
        id: MeetingId::new_v7(now, rand::random()),
        plan: MeetingPlan {
            starts_at: today.plan.starts_at + TimeDelta::days(7),
            venue: "فرهنگسرای منطقهٔ ۶".into(),
            capacity: 120,
            citizen_quota: 80,
            trustee_quota: 30,
            ..today.plan.clone()
        },
    };
    admin::queries::insert_meeting(&mut *conn, &meeting, now).await?;
    records::publish_meeting(conn, &meeting).await?;
    Ok(())
}

/// Today at 09:00 in Tehran (the demo is seeded on its day).
pub(super) fn this_morning(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = domain::time::tehran_local(now).date_naive();
    domain::time::tehran_picked(&today.to_string(), "09:00").unwrap_or(now)
}

pub(super) fn citizen_name(index: usize) -> String {
    format!(
        "{} {}",
        FIRST_NAMES[index % FIRST_NAMES.len()],
        LAST_NAMES[(index / FIRST_NAMES.len()) % LAST_NAMES.len()]
    )
}

/// The district's list of trustees as its spreadsheet would have it.
fn trustee_list() -> String {
    let mut text =
        domain::csv::line(["نام و نام خانوادگی", "شمارهٔ همراه", "محله", "گروه"].map(String::from));
    for index in 0..LISTED_TRUSTEES {
        text.push_str(&domain::csv::line([
            format!(
                "{} {}",
                TRUSTEE_NAMES[index % TRUSTEE_NAMES.len()],
                citizen_name(index * 7 + 3)
            ),
            format!("0913{:07}", 2_002_000 + index),
            NEIGHBOURHOODS[index % NEIGHBOURHOODS.len()].to_owned(),
            GROUPS[(index / NEIGHBOURHOODS.len()) % GROUPS.len()].to_owned(),
        ]));
    }
    text
}

pub(super) async fn user_named(conn: &mut Conn, username: &str) -> Result<UserId, SeedError> {
    let name = Username::parse(username).map_err(|e| SeedError::Demo(e.to_string()))?;
    let account = auth::queries::account_named(conn, &name)
        .await?
        .ok_or_else(|| SeedError::Demo(format!("no demo account {username}")))?;
    account
        .id
        .parse()
        .map_err(|_| SeedError::Demo(format!("{username}'s id does not parse")))
}

/// A committee's command applied as the push would apply it.
async fn apply_as(
    conn: &mut Conn,
    author: &UserId,
    command: Command,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    apply_at(conn, author, command, now, now).await
}

/// A staff member's command made at `at`, applied as the push would
/// apply it at `now`.
pub(super) async fn apply_at(
    conn: &mut Conn,
    author: &UserId,
    command: Command,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let envelope = Envelope {
        id: CommandId::new_v7(at, rand::random()),
        device: DeviceId::new_v7(at, rand::random()),
        author: author.clone(),
        made_at: at,
        clock_offset_ms: 0,
        command,
    };
    let mut loaded = records::load(&mut *conn, &envelope.command.reads()).await?;
    let more = envelope.command.reads_after(&loaded);
    loaded.extend(records::load(&mut *conn, &more).await?);
    let effect = apply(&loaded, &envelope)
        .map_err(|e| SeedError::Demo(format!("{}: {e}", envelope.command.name())))?;
    records::keep(conn, &effect, now).await?;
    Ok(())
}
