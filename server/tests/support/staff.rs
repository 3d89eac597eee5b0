//! Staff accounts for tests and benchmarks: made directly in a server's
//! database, and signed in over HTTP as a browser would.

use domain::auth::{Grant, Profile};

/// A signed-in session as a browser holds it.
pub struct Session {
    /// `name=value` of the session cookie.
    pub cookie: String,
    pub profile: Profile,
}

impl Session {
    /// A request with the cookie and, for unsafe methods, the CSRF token.
    pub fn request(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        url: &str,
    ) -> reqwest::RequestBuilder {
        client
            .request(method, url)
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.profile.csrf_token)
    }
}

/// A staff account made directly in a server's database; returns its id.
pub async fn create_user_in(
    db: &server::db::Db,
    username: &str,
    password: &str,
    grants: &[Grant],
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let hash = server::auth::password::hash(password.to_string())
        .await
        .expect("hash");
    sqlx::query("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(&id)
        .bind(username)
        .bind("کارمند آزمایشی")
        .bind(hash)
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(db)
        .await
        .expect("user");
    for grant in grants {
        sqlx::query("INSERT INTO user_grants (user_id, role, district_id) VALUES (?, ?, ?)")
            .bind(&id)
            .bind(grant.role.code())
            .bind(grant.district.map(|d| i64::from(d.number())))
            .execute(db)
            .await
            .expect("grant");
    }
    id
}

/// Signs in at a server's address and returns the session as a browser
/// would hold it.
pub async fn session_at(
    client: &reqwest::Client,
    address: &str,
    username: &str,
    password: &str,
) -> Session {
    let response = client
        .post(format!("{address}/api/auth/sign-in"))
        .json(&serde_json::json!({ "username": username, "password": password, "device_name": "میز ۱" }))
        .send()
        .await
        .expect("the sign-in is answered");
    assert_eq!(response.status(), 200, "sign-in of {username}");
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("name=value")
        .to_string();
    let profile: Profile = response.json().await.expect("profile");
    Session { cookie, profile }
}
