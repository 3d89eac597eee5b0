//! `TestApp`: the real server, started the way `main` starts it, on port 0
//! with a fresh data directory. Logs are shown only when `TEST_LOG` is set.

use std::path::{Path, PathBuf};

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use chrono::{DateTime, TimeZone, Utc};
use domain::auth::{Grant, Role};
use domain::district::DistrictId;
use domain::ids::UserId;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use crate::staff::{Session, create_user_in, session_at};
use server::Application;
use server::clock::Clock;
use server::config::Config;
use tempfile::TempDir;

/// The password of the tests' staff accounts.
pub const PASSWORD: &str = "a long enough pass phrase";

pub const HASHED_JS: &str = "didar-0123456789abcdef.js";
pub const HASHED_WASM: &str = "didar_bg-0123456789abcdef.wasm";
pub const INDEX_HTML: &str =
    "<!doctype html><html lang=\"fa\" dir=\"rtl\"><title>دیدار</title></html>";
pub const STAFF_HTML: &str = "<!doctype html><html data-bundle=\"staff\" lang=\"fa\" dir=\"rtl\"><title>دیدار</title></html>";
pub const FIELD_HTML: &str = "<!doctype html><html data-bundle=\"field\" lang=\"fa\" dir=\"rtl\"><title>دیدار</title></html>";
/// The magic number and version of an empty WebAssembly module.
pub const WASM_BYTES: &[u8] = b"\0asm\x01\0\0\0";

/// Sunday 2026-11-22, 12:30 in Tehran: inside the default weekly window,
/// whatever day the tests run on.
pub fn sunday_noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
        .single()
        .expect("a valid instant")
}

/// A typed id from a test's text (a registration's, a meeting's…).
pub fn id<T: std::str::FromStr>(text: &str) -> T {
    text.parse().unwrap_or_else(|_| panic!("{text:?} is an id"))
}

pub fn grant(role: Role, district: Option<u8>) -> Grant {
    Grant {
        role,
        district: district.map(|n| DistrictId::new(n).expect("district")),
    }
}

pub struct TestApp {
    pub address: String,
    /// The server's clock, standing still until a test moves it.
    pub clock: Clock,
    pub client: reqwest::Client,
    /// Kept so a test can restart a server on the same database.
    pub dir: PathBuf,
    pub registrations: std::sync::Arc<server::registration::Registrations>,
    _temp: Option<TempDir>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    /// A server with some settings of its own (`DIDAR_…` variables).
    pub async fn spawn_with(settings: &[(&str, &str)]) -> TestApp {
        let temp = tempfile::tempdir().expect("a temporary directory");
        write_bundle(&temp.path().join("dist"));
        let dir = temp.path().to_path_buf();
        let mut app = Self::start_with(&dir, settings).await;
        app._temp = Some(temp);
        app
    }

    /// Starts a server on an existing directory (its database and bundle).
    pub async fn start_in(dir: &Path) -> TestApp {
        Self::start_with(dir, &[]).await
    }

    /// As `start_in`, with some settings of its own.
    pub async fn start_with(dir: &Path, settings: &[(&str, &str)]) -> TestApp {
        init_logs();
        let dir_text = dir.to_string_lossy().to_string();
        let config = Config::from_lookup(|name| {
            if let Some((_, value)) = settings.iter().find(|(key, _)| *key == name) {
                return Some((*value).to_string());
            }
            match name {
                "DIDAR_LISTEN" => Some("127.0.0.1:0".into()),
                "DIDAR_DATA_DIR" => Some(format!("{dir_text}/data")),
                "DIDAR_DIST_DIR" => Some(format!("{dir_text}/dist")),
                _ => None,
            }
        })
        .expect("test configuration");
        let clock = Clock::fixed(sunday_noon());
        let app = Application::build_with_clock(config, clock.clone())
            .await
            .expect("the server starts");
        let address = format!("http://{}", app.address());
        let registrations = app.registrations();
        let server = tokio::spawn(async move {
            let _ = app.run_until_stopped().await;
        });
        TestApp {
            address,
            clock,
            client: reqwest::Client::new(),
            dir: dir.to_path_buf(),
            registrations,
            _temp: None,
            server,
        }
    }

    /// A request to `path` on this server; `.await` sends it.
    pub fn call(&self, method: Method, path: &str) -> Call {
        Call {
            request: self
                .client
                .request(method, format!("{}{path}", self.address)),
        }
    }

    pub fn get(&self, path: &str) -> Call {
        self.call(Method::GET, path)
    }

    pub fn post(&self, path: &str, body: &impl Serialize) -> Call {
        self.call(Method::POST, path).json(body)
    }

    pub fn put(&self, path: &str, body: &impl Serialize) -> Call {
        self.call(Method::PUT, path).json(body)
    }

    /// `GET /api/auth/me`: who the session is, or why it is refused.
    pub async fn me(&self, session: &Session) -> Answer {
        self.get("/api/auth/me").by(session).await
    }

    /// A staff account stored through the server's own insert; returns
    /// its id.
    pub async fn create_user(&self, username: &str, password: &str, grants: &[Grant]) -> String {
        create_user_in(&self.db().await, username, password, grants).await
    }

    /// A staff account with `grants` and the tests' [`PASSWORD`], signed
    /// in from a device of its own.
    pub async fn staff(&self, username: &str, grants: &[Grant]) -> Session {
        self.create_user(username, PASSWORD, grants).await;
        self.session(username, PASSWORD).await
    }

    /// Adds a grant to an account, as an administrator's change would.
    pub async fn add_grant(&self, user_id: &UserId, grant: Grant) {
        let mut conn = self.db().await.acquire().await.expect("a connection");
        server::auth::queries::insert_grant(&mut conn, user_id.as_str(), &grant)
            .await
            .expect("the grant is stored");
    }

    /// Adds a district to the city, as the seed does.
    pub async fn add_district(&self, number: u8) {
        let district = DistrictId::new(number).expect("a district number");
        let mut conn = self.db().await.acquire().await.expect("a connection");
        let name = format!("District {number}");
        server::admin::queries::insert_district(&mut conn, district, &name, &name)
            .await
            .expect("the district is stored");
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Answer {
        self.post(
            "/api/auth/sign-in",
            &serde_json::json!({ "username": username, "password": password, "device_name": "میز ۱" }),
        )
        .await
    }

    /// Signs in and returns the session as a browser would hold it.
    pub async fn session(&self, username: &str, password: &str) -> Session {
        session_at(&self.client, &self.address, username, password).await
    }

    /// The server's database, opened beside it (for what no endpoint shows).
    pub async fn db(&self) -> server::db::Db {
        let url = format!("sqlite://{}/data/didar.db", self.dir.display());
        server::db::Db::connect(&url)
            .await
            .expect("the test database opens")
    }
}

/// A request being built; `.await` sends it and expects an answer (a test
/// of a broken link uses reqwest itself).
pub struct Call {
    request: reqwest::RequestBuilder,
}

impl Call {
    /// As the app sends it for a signed-in user: the session cookie, and
    /// the CSRF token (which safe methods ignore).
    pub fn by(self, session: &Session) -> Call {
        Call {
            request: self
                .request
                .header("cookie", &session.cookie)
                .header("x-csrf-token", &session.profile.csrf_token),
        }
    }

    pub fn json(self, body: &impl Serialize) -> Call {
        Call {
            request: self.request.json(body),
        }
    }

    /// A body sent as JSON whatever it holds (malformed on purpose).
    pub fn raw_json(self, text: &'static str) -> Call {
        Call {
            request: self
                .request
                .header("content-type", "application/json")
                .body(text),
        }
    }

    /// Raw bytes, as a device uploads a photo.
    pub fn body(self, content_type: &str, bytes: Vec<u8>) -> Call {
        Call {
            request: self
                .request
                .header("content-type", content_type)
                .body(bytes),
        }
    }

    pub fn header(self, name: &str, value: &str) -> Call {
        Call {
            request: self.request.header(name, value),
        }
    }
}

impl IntoFuture for Call {
    type Output = Answer;
    type IntoFuture = Pin<Box<dyn Future<Output = Answer> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { Answer(self.request.send().await.expect("the request is answered")) })
    }
}

/// The server's answer, read the way the tests need it.
pub struct Answer(reqwest::Response);

impl Answer {
    pub fn status(&self) -> StatusCode {
        self.0.status()
    }

    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.0.headers()
    }

    /// The response itself, for a body that may not be what a test expects.
    pub fn into_inner(self) -> reqwest::Response {
        self.0
    }

    /// The body of a successful answer (any 2xx), as `T`.
    #[track_caller]
    pub fn good<T: DeserializeOwned>(self) -> impl Future<Output = T> {
        let status = self.status();
        assert!(status.is_success(), "a success, not {status}");
        self.json()
    }

    /// The body, as `T`, whatever the status.
    pub async fn json<T: DeserializeOwned>(self) -> T {
        self.0.json().await.expect("a body of the expected JSON")
    }

    pub async fn text(self) -> String {
        self.0.text().await.expect("a text body")
    }

    pub async fn bytes(self) -> Vec<u8> {
        self.0.bytes().await.expect("a body").to_vec()
    }

    /// Asserts a refusal with `status` and the error code `code` in the
    /// one error shape; returns the error's body for further checks.
    #[track_caller]
    pub fn refused(self, status: u16, code: &str) -> impl Future<Output = Value> {
        let got = self.status();
        assert_eq!(got, status, "refused with {status}");
        let code = code.to_string();
        async move {
            let body: Value = self.json().await;
            assert_eq!(body["error"]["code"], code.as_str(), "{body}");
            body["error"].clone()
        }
    }
}

/// The fields an `invalid_input` error names, in order.
pub fn fields_of(error: &Value) -> Vec<&str> {
    error["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|field| field["field"].as_str().expect("a field name"))
        .collect()
}

/// A small client bundle shaped like `cargo xtask dist` output.
fn write_bundle(dist: &Path) {
    std::fs::create_dir_all(dist).expect("dist directory");
    let files: [(&str, &[u8]); 7] = [
        ("index.html", INDEX_HTML.as_bytes()),
        ("field.html", FIELD_HTML.as_bytes()),
        ("staff.html", STAFF_HTML.as_bytes()),
        (HASHED_JS, b"export default function init() {}"),
        (HASHED_WASM, WASM_BYTES),
        ("sw.js", b"self.addEventListener('fetch', () => {});"),
        // Precompressed copy: marked so a test can tell which was sent.
        ("didar-0123456789abcdef.js.br", b"brotli bytes"),
    ];
    for (name, bytes) in files {
        std::fs::write(dist.join(name), bytes).expect("bundle file");
    }
}

fn init_logs() {
    if std::env::var_os("TEST_LOG").is_some() {
        server::telemetry::init();
    }
}
