//! Didar's browser app. `main` only mounts the shell; everything else lives
//! in a module per capability, named as in the domain crate and the server.

// The citizens' bundle is a subset of the whole app: what only the staff
// screens use is unused there. Dead code is checked on the whole app.
#![cfg_attr(not(feature = "staff"), allow(dead_code, unused_imports))]

#[cfg(feature = "staff")]
mod admin;
mod api;
#[cfg(feature = "staff")]
mod auth;
mod clock;
mod i18n;
mod random;
mod registration;
#[cfg(feature = "staff")]
mod review;
mod shell;
#[cfg(feature = "staff")]
mod staff;
mod store;
mod sync;

fn main() {
    report_panics();
    leptos::mount::mount_to_body(shell::App);
}

/// A panic aborts (the size profile), so the page stops responding; its
/// message and place go to the console, where remote devtools show them
/// (the console adds the stack). A few lines instead of the
/// console_error_panic_hook crate, whose own stack capture weighs 1 KB of a
/// citizen's download.
fn report_panics() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}
