//! Staff accounts: passwords, sessions, the `Staff` guard every staff
//! endpoint takes, and the sign-in endpoints (DESIGN §3, §6).

pub mod guard;
mod http;
pub mod password;
pub mod queries;
pub mod session;

pub use http::router;
