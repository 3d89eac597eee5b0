//! The server binary as a separate process, for what needs a real process:
//! `kill -9`, and benchmarks against the release build. Shared by the
//! integration tests and the benchmarks (included with `#[path]`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A registration window open all week, so runs pass on any day.
pub const ALWAYS_OPEN: &str = r#"{"opens_on":"Sat","opens_at":"00:00:00","closes_on":"Fri","closes_at":"23:59:00","grace_hours":24}"#;

pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:port`
    pub address: String,
    /// Its data directory (the SQLite file is `didar.db` in it).
    pub data: PathBuf,
}

impl ServerProcess {
    /// Starts `binary` on a free port with its data under `dir`; returns
    /// once it printed its address.
    pub fn start(binary: &str, dir: &Path, settings: &[(&str, &str)]) -> ServerProcess {
        let data = dir.join("data");
        let mut command = Command::new(binary);
        command
            .env("DIDAR_LISTEN", "127.0.0.1:0")
            .env("DIDAR_DATA_DIR", &data)
            .env("DIDAR_DIST_DIR", dir.join("dist"))
            .env("DIDAR_REGISTRATIONS_PER_HOUR", "100000000")
            // Benchmarks sign many devices in from one address.
            .env("DIDAR_SIGN_INS_PER_QUARTER_HOUR", "100000")
            .env("DIDAR_REGISTRATION_WINDOW", ALWAYS_OPEN)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in settings {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {binary}: {error}"));
        let address = read_address(&mut child);
        ServerProcess {
            child,
            address,
            data,
        }
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}/didar.db", self.data.display())
    }

    /// SIGKILL: no shutdown, no flush — as when the power goes.
    pub fn kill(self) {
        drop(self);
    }
}

/// A run that panics half-way must not leave a server behind.
impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_address(child: &mut Child) -> String {
    let stdout = child.stdout.take().expect("server stdout");
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .expect("a line");
        if let Some(rest) = line.split("running at ").nth(1) {
            return rest.trim().trim_end_matches('/').to_string();
        }
    }
}
