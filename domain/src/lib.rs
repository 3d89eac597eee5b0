//! Didar's domain: the rules of the mayor's public meetings, written once and
//! run in two places — compiled to wasm in the citizen's and staff's browser,
//! and natively in the server, which re-checks everything it receives.
//!
//! No I/O lives here: no clock, no storage, no network. Functions that need
//! the time take it as an argument.

pub mod auth;
pub mod district;
pub mod i18n;
pub mod jalali;
pub mod person;
pub mod registration;
pub mod text;
pub mod time;
