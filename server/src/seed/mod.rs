//! Data for a new, empty database: the city's districts and deputy domains
//! (Isfahan by default; an administrator edits them afterwards), and in
//! development mode one demo account per staff role, whose passwords are
//! printed once to the console and never stored in clear.

mod demo_requests;

use chrono::Utc;
use domain::auth::Role;
use rand::Rng;
use rand::distributions::Alphanumeric;

use crate::auth::password::{self, PasswordError};
use crate::config::Mode;
use crate::db::Db;

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
    #[error("demo requests: {0}")]
    Demo(String),
}

pub struct DemoAccount {
    pub username: &'static str,
    pub password: String,
    pub role: Role,
}

/// Seeds what an empty database lacks; returns the demo accounts it created
/// (none on later starts, none in production).
pub async fn seed(db: &Db, mode: Mode) -> Result<Vec<DemoAccount>, SeedError> {
    seed_city(db).await?;
    if mode == Mode::Development && count(db, "users").await? == 0 {
        let accounts = seed_demo_accounts(db).await?;
        demo_requests::seed(db, Utc::now()).await?;
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
        let persian = domain::text::to_persian_digits(&number.to_string());
        sqlx::query("INSERT INTO districts (id, name_fa, name_en) VALUES (?, ?, ?)")
            .bind(i64::from(number))
            .bind(format!("منطقهٔ {persian}"))
            .bind(format!("District {number}"))
            .execute(&mut *tx)
            .await?;
    }
    for (position, (slug, name_fa, name_en)) in DEPUTIES.iter().enumerate() {
        sqlx::query("INSERT INTO deputies (slug, name_fa, name_en, position) VALUES (?, ?, ?, ?)")
            .bind(slug)
            .bind(name_fa)
            .bind(name_en)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
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
        sqlx::query(
            "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(username)
        .bind(display_name)
        .bind(password::hash(password.clone()).await?)
        .bind(Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?;
        let district = (!role.spans_all_districts()).then_some(i64::from(DEMO_DISTRICT));
        sqlx::query("INSERT INTO user_grants (user_id, role, district_id) VALUES (?, ?, ?)")
            .bind(&id)
            .bind(role.code())
            .bind(district)
            .execute(&mut *tx)
            .await?;
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
