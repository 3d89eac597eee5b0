//! Data for a new, empty database: the city's districts and deputy domains
//! (Isfahan by default; an administrator edits them afterwards), and in
//! development mode one demo account per staff role, whose passwords are
//! printed once to the console and never stored in clear.

mod demo_case_files;
mod demo_follow_up;
mod demo_meeting;
mod demo_requests;

use chrono::Utc;
use domain::auth::{Grant, Role};
use domain::district::DistrictId;
use rand::Rng;
use rand::distributions::Alphanumeric;

use crate::auth::password::{self, PasswordError};
use crate::auth::queries::NewAccount;
use crate::config::{Config, Mode};
use crate::db::Db;
use crate::{admin, auth, registration};

/// Isfahan has 15 municipal districts.
const DISTRICT_COUNT: u8 = 15;

/// The deputy mayors' domains requests are routed to (DESIGN §1).
const DEPUTIES: [(&str, &str, &str); 6] = [
    (
        "urban_planning",
        "معاونت شهرسازی و معماری",
        "Urban planning and architecture",
    ),
    ("services", "معاونت خدمات شهری", "Urban services"),
    (
        "transport",
        "معاونت حمل‌ونقل و ترافیک",
        "Transport and traffic",
    ),
    ("civil_works", "معاونت عمران شهری", "Civil works"),
    ("finance", "معاونت مالی و اقتصادی", "Finance and economy"),
    (
        "culture_social",
        "معاونت فرهنگی و اجتماعی",
        "Culture and social affairs",
    ),
];

/// The demo district for every district-scoped demo account.
const DEMO_DISTRICT: u8 = 6;

const DEMO_ACCOUNTS: [(&str, &str, Role); 7] = [
    ("admin", "مدیر سامانهٔ نمونه", Role::Administrator),
    ("review6", "عضو نمونهٔ کمیتهٔ اجرایی", Role::ReviewCommittee),
    (
        "screening6",
        "عضو نمونهٔ کمیتهٔ تشخیص",
        Role::ScreeningCommittee,
    ),
    ("calls6", "کارشناس نمونهٔ ۱۳۷", Role::CallCenter),
    ("field6", "کارشناس نمونهٔ پذیرش", Role::FieldStaff),
    (
        "followup6",
        "عضو نمونهٔ کمیتهٔ پیگیری",
        Role::FollowupCommittee,
    ),
    ("manager6", "مدیر نمونهٔ منطقهٔ ۶", Role::DistrictManager),
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("password: {0}")]
    Password(#[from] PasswordError),
    #[error("storing: {0}")]
    Store(#[from] crate::error::ApiError),
    #[error("demo data: {0}")]
    Demo(String),
}

pub struct DemoAccount {
    pub username: &'static str,
    pub password: String,
    pub role: Role,
}

/// Seeds what an empty database lacks; returns the demo accounts it created
/// (none on later starts, none in production).
pub async fn seed(db: &Db, config: &Config) -> Result<Vec<DemoAccount>, SeedError> {
    seed_city(db).await?;
    if config.mode == Mode::Development && count(db, "users").await? == 0 {
        let accounts = seed_demo_accounts(db).await?;
        demo_requests::seed(db, Utc::now()).await?;
        demo_case_files::seed(db).await?;
        demo_meeting::seed(db, Utc::now(), config.demo_citizens, config.demo_waiting).await?;
        demo_follow_up::seed(db, Utc::now(), config.demo_referrals).await?;
        return Ok(accounts);
    }
    Ok(Vec::new())
}

async fn count(db: &Db, table: &'static str) -> Result<i64, sqlx::Error> {
    // `table` is one of our constants, never input.
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(db)
        .await
}

async fn seed_city(db: &Db) -> Result<(), sqlx::Error> {
    if count(db, "districts").await? > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for number in 1..=DISTRICT_COUNT {
        let Ok(district) = DistrictId::new(number) else {
            continue;
        };
        let persian = domain::text::to_persian_digits(&number.to_string());
        let name_fa = format!("منطقهٔ {persian}");
        let name_en = format!("District {number}");
        admin::queries::insert_district(&mut tx, district, &name_fa, &name_en).await?;
    }
    for (position, (slug, name_fa, name_en)) in DEPUTIES.into_iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        registration::queries::insert_deputy(&mut tx, slug, name_fa, name_en, position).await?;
    }
    sqlx::query("INSERT INTO settings (key, value) VALUES ('city_name_fa', 'اصفهان'), ('city_name_en', 'Isfahan')")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        districts = DISTRICT_COUNT,
        deputies = DEPUTIES.len(),
        "seeded the city"
    );
    Ok(())
}

async fn seed_demo_accounts(db: &Db) -> Result<Vec<DemoAccount>, SeedError> {
    let mut accounts = Vec::new();
    let mut tx = db.begin().await?;
    for (username, display_name, role) in DEMO_ACCOUNTS {
        let password = random_password();
        let id = uuid::Uuid::now_v7().to_string();
        let district = if role.spans_all_districts() {
            None
        } else {
            let district = DistrictId::new(DEMO_DISTRICT)
                .map_err(|_| SeedError::Demo("the demo district is out of range".into()))?;
            Some(district)
        };
        let grant = Grant { role, district };
        let account = NewAccount {
            id: &id,
            username,
            display_name,
            password_hash: &password::hash(password.clone()).await?,
            grants: &[grant],
            created_at: Utc::now(),
        };
        auth::queries::insert_user(&mut tx, &account).await?;
        accounts.push(DemoAccount {
            username,
            password,
            role,
        });
    }
    tx.commit().await?;
    Ok(accounts)
}

/// 16 letters and digits: about 95 bits, above the 12-character minimum.
fn random_password() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// Shown once on the console (stdout, not the log), in development only.
pub fn print_demo_accounts(accounts: &[DemoAccount]) {
    if accounts.is_empty() {
        return;
    }
    println!("\nDemo staff accounts (development mode; shown only now, keep them):");
    for account in accounts {
        let scope = if account.role.spans_all_districts() {
            "all districts".to_string()
        } else {
            format!("district {DEMO_DISTRICT}")
        };
        println!(
            "  {:<12} {}  {} — {scope}",
            account.username,
            account.password,
            account.role.name(domain::i18n::Lang::En)
        );
    }
    println!();
}
