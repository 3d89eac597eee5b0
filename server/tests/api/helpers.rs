//! `TestApp`: the real server, started the way `main` starts it, on port 0
//! with a fresh data directory. Logs are shown only when `TEST_LOG` is set.

use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use domain::auth::{Grant, Role};

pub use crate::staff::{Session, create_user_in, session_at};
use domain::district::DistrictId;
use server::Application;
use server::clock::Clock;
use server::config::Config;
use tempfile::TempDir;

pub const HASHED_JS: &str = "didar-0123456789abcdef.js";
pub const HASHED_WASM: &str = "didar_bg-0123456789abcdef.wasm";
pub const INDEX_HTML: &str =
    "<!doctype html><html lang=\"fa\" dir=\"rtl\"><title>دیدار</title></html>";
pub const STAFF_HTML: &str = "<!doctype html><html data-bundle=\"staff\" lang=\"fa\" dir=\"rtl\"><title>دیدار</title></html>";
/// The magic number and version of an empty WebAssembly module.
pub const WASM_BYTES: &[u8] = b"\0asm\x01\0\0\0";

/// Sunday 2026-11-22, 12:30 in Tehran: inside the default weekly window,
/// whatever day the tests run on.
pub fn sunday_noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
        .single()
        .expect("a valid instant")
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

    async fn start_with(dir: &Path, settings: &[(&str, &str)]) -> TestApp {
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

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the request is answered")
    }

    pub async fn post_json(&self, path: &str, body: &impl serde::Serialize) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .json(body)
            .send()
            .await
            .expect("the request is answered")
    }

    /// A staff account made directly in the database (the admin API has
    /// its own tests); returns its id.
    pub async fn create_user(&self, username: &str, password: &str, grants: &[Grant]) -> String {
        create_user_in(&self.sqlite().await, username, password, grants).await
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/auth/sign-in",
            &serde_json::json!({ "username": username, "password": password, "device_name": "میز ۱" }),
        )
        .await
    }

    /// Signs in and returns the session as a browser would hold it.
    pub async fn session(&self, username: &str, password: &str) -> Session {
        session_at(&self.client, &self.address, username, password).await
    }

    /// A request as the app sends it: the cookie, and the CSRF token on
    /// unsafe methods.
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        session: Option<&Session>,
    ) -> reqwest::RequestBuilder {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address));
        if let Some(session) = session {
            request = request
                .header("cookie", &session.cookie)
                .header("x-csrf-token", &session.profile.csrf_token);
        }
        request
    }

    pub async fn sqlite(&self) -> server::db::Db {
        let url = format!("sqlite://{}/data/didar.db", self.dir.display());
        server::db::Db::connect(&url)
            .await
            .expect("the test database opens")
    }
}

/// A small client bundle shaped like `cargo xtask dist` output.
fn write_bundle(dist: &Path) {
    std::fs::create_dir_all(dist).expect("dist directory");
    let files: [(&str, &[u8]); 6] = [
        ("index.html", INDEX_HTML.as_bytes()),
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
