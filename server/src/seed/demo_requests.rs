//! Demo citizens' requests for development mode, so the committee screens
//! have work on a fresh database. They enter through the same code path as
//! a real registration (validation, storage, sync record); the names are
//! invented and the national IDs are made up with valid check digits.

use chrono::{DateTime, Utc};
use domain::ids::RegistrationId;
use domain::person::national_id_check_digit;
use domain::registration::{Receipt, RegistrationForm, Submission, TrackingCode, WindowId};
use rand::RngCore;

use super::{DEMO_DISTRICT, SeedError};
use crate::db::{self, Conn, Db};
use crate::registration::queries;

/// Name, topic, description, and the case number the citizen remembers.
const DEMO_REQUESTS: [(&str, &str, &str, &str); 6] = [
    (
        "مریم کاظمی",
        "urban_planning",
        "پروانهٔ ساخت ملک ما دو سال است در کمیسیون ماده صد مانده و پاسخی نگرفته‌ایم.",
        "",
    ),
    (
        "علی رضایی",
        "services",
        "جمع‌آوری زباله در کوچهٔ ما هفته‌ای یک بار انجام می‌شود و بوی بد همه جا را گرفته است.",
        "",
    ),
    (
        "فاطمه موسوی",
        "transport",
        "تقاطع نزدیک مدرسهٔ دخترانه چراغ راهنمایی ندارد و هر هفته تصادف می‌شود.",
        "1400/310",
    ),
    (
        "حسین احمدی",
        "not_sure",
        "درخت‌های کهنسال خیابان را بدون اطلاع اهالی قطع کرده‌اند و کسی پاسخ نمی‌دهد.",
        "",
    ),
    (
        "زهرا نوری",
        "civil_works",
        "پیاده‌روی خیابان اصلی محله پس از حفاری دوباره ساخته نشده و سالمندان زمین می‌خورند.",
        "",
    ),
    (
        "رضا قاسمی",
        "culture_social",
        "سالن فرهنگسرای محله سال‌هاست تعطیل است و جوانان جایی برای فعالیت ندارند.",
        "",
    ),
];

pub async fn seed(db: &Db, now: DateTime<Utc>) -> Result<(), SeedError> {
    let topics = queries::topic_slugs(db).await?;
    let mut tx = db::begin_write(db).await?;
    for (index, (name, topic, description, case_number)) in DEMO_REQUESTS.into_iter().enumerate() {
        let citizen = DemoCitizen {
            index,
            name,
            topic,
            description,
            case_number,
        };
        // The deputies were renamed before the demo was seeded: skipped.
        register(&mut tx, &topics, &citizen, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An invented citizen; `index` makes their national ID and mobile.
pub struct DemoCitizen<'a> {
    pub index: usize,
    pub name: &'a str,
    pub topic: &'a str,
    pub description: &'a str,
    pub case_number: &'a str,
}

/// Registers `citizen` as the form would, in this week's window; the new
/// request's id, or `None` if the form's rules refuse it.
pub async fn register(
    conn: &mut Conn,
    topics: &[String],
    citizen: &DemoCitizen<'_>,
    now: DateTime<Utc>,
) -> Result<Option<RegistrationId>, SeedError> {
    let topics: Vec<&str> = topics.iter().map(String::as_str).collect();
    let window = WindowId::new(domain::time::tehran_local(now).date_naive());
    let form = RegistrationForm {
        full_name: citizen.name.into(),
        national_id: demo_national_id(citizen.index),
        mobile: format!("0913{:07}", 1_000_000 + citizen.index),
        district: Some(DEMO_DISTRICT),
        topic: citizen.topic.into(),
        description: citizen.description.into(),
        case_number: citizen.case_number.into(),
        consent: true,
    };
    let Ok(registration) = form.validate(&topics, u8::MAX) else {
        return Ok(None);
    };
    let mut random = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let submission = Submission {
        request_id: uuid::Uuid::now_v7().to_string(),
        tracking_code: TrackingCode::from_random(random),
        made_at: now,
        form,
    };
    let answer = queries::record(conn, &submission, &registration, window, now)
        .await
        .map_err(|error| SeedError::Demo(error.to_string()))?;
    let receipt: Receipt =
        serde_json::from_str(&answer.body).map_err(|error| SeedError::Demo(error.to_string()))?;
    Ok(queries::id_of(conn, &receipt.tracking_code).await?)
}

/// `index` in nine digits plus its check digit: valid, and obviously not
/// a person's (seven leading zeros for the first thousand).
pub fn demo_national_id(index: usize) -> String {
    let mut digits = [0u8; 9];
    let mut rest = 1000 + index;
    for digit in digits.iter_mut().rev() {
        *digit = u8::try_from(rest % 10).unwrap_or(0);
        rest /= 10;
    }
    let check = national_id_check_digit(digits);
    digits
        .iter()
        .chain(std::iter::once(&check))
        .map(|digit| char::from(b'0' + digit))
        .collect()
}
