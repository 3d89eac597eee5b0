//! Staff accounts: passwords now; sessions, roles and devices build on it.

pub mod password;
