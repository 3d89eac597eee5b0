//! Didar's browser app. `main` only mounts the shell; everything else lives
//! in a module per capability, named as in the domain crate and the server.
//!
//! Two bundles come from this crate: the citizens' (no features) and the
//! whole app (`staff`); what only staff screens use is behind that feature,
//! so dead code is checked in both.

#[cfg(feature = "staff")]
mod admin;
mod api;
#[cfg(feature = "field")]
mod auth;
#[cfg(feature = "staff")]
mod calls;
#[cfg(feature = "field")]
mod checkin;
mod clock;
#[cfg(feature = "staff")]
mod followup;
mod i18n;
mod nav;
mod random;
mod registration;
#[cfg(feature = "staff")]
mod review;
#[cfg(feature = "staff")]
mod screening;
#[cfg(feature = "field")]
mod session;
mod shell;
#[cfg(feature = "field")]
mod staff;
mod store;
mod sync;
mod ui;

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
