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

/// A staff account stored in a server's database through the server's own
/// insert (`auth::queries::insert_user`); returns its id.
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
    let account = server::auth::queries::NewAccount {
        id: &id,
        username,
        display_name: "کارمند آزمایشی",
        password_hash: &hash,
        grants,
        created_at: chrono::Utc::now(),
    };
    let mut tx = db.begin().await.expect("a transaction");
    server::auth::queries::insert_user(&mut tx, &account)
        .await
        .expect("the account is stored");
    tx.commit().await.expect("committed");
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
