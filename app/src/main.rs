//! Didar's browser app. `main` only mounts the shell; everything else lives
//! in a module per capability, named as in the domain crate and the server.

mod admin;
mod api;
mod auth;
mod clock;
mod i18n;
mod random;
mod registration;
mod review;
mod shell;
mod staff;
mod store;
mod sync;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(shell::App);
}
