//! The server's integration tests: one binary, each test with its own
//! server on port 0, its own SQLite file and its own client bundle.

#[path = "../support/citizens.rs"]
mod citizens;
mod helpers;
#[path = "../support/process.rs"]
mod process;
#[path = "../support/staff.rs"]
mod staff;

mod access;
mod admin;
mod auth;
mod calls;
mod case_files;
mod chaos;
mod checkin;
mod followup;
mod fuzz;
mod health;
mod limits;
mod logs;
mod migrations;
mod registration;
mod security;
mod sms;
mod static_files;
mod sync;
mod sync_bounds;
mod sync_faults;
mod sync_scope;
mod trustees;
