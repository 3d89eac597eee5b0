//! Which screen the address names, and moving between screens without a
//! page load.
//!
//! Didar has a handful of fixed addresses, so this is a match on the path,
//! not a routing library: `leptos_router`'s generic matching cost the
//! citizens' bundle 34 KB (brotli) of the 200 KB it may weigh (BENCHMARKS.md).
//! Links are plain `<a href="/…">`; one click listener on the window turns a
//! click on an internal link into a history entry, as a router would, and
//! leaves everything else (new tabs, downloads, `rel="external"`, other
//! origins, in-page anchors) to the browser.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MouseEvent};

/// A screen, named by its address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    #[cfg(not(feature = "field"))]
    Home,
    #[cfg(not(feature = "field"))]
    Register,
    #[cfg(not(feature = "field"))]
    Track,
    #[cfg(feature = "field")]
    SignIn,
    #[cfg(feature = "field")]
    StaffHome,
    /// `/staff/{area}[/{section}[/{id}]]`: a place in a staff area.
    #[cfg(feature = "field")]
    StaffArea(AreaPath),
    /// A screen of the other bundle, which the server — or offline, the
    /// service worker — serves at its address: any `/staff` address in
    /// the citizens' bundle; the citizens' pages in a staff bundle (a
    /// staff device has the citizens' bundle cached too, and leaving the
    /// pages out saves it a fifth of its download).
    Elsewhere,
    NotFound,
}

impl Page {
    /// The screen for a path (`location.pathname`); a trailing slash names
    /// the same screen.
    pub fn of(path: &str) -> Page {
        let path = path.strip_suffix('/').unwrap_or(path);
        match path {
            "" | "/register" | "/track" => citizens_page(path),
            _ => match path.strip_prefix("/staff") {
                Some(rest) if rest.is_empty() || rest.starts_with('/') => staff_page(rest),
                _ => Page::NotFound,
            },
        }
    }
}

#[cfg(not(feature = "field"))]
fn citizens_page(path: &str) -> Page {
    match path {
        "" => Page::Home,
        "/register" => Page::Register,
        _ => Page::Track,
    }
}

#[cfg(feature = "field")]
fn citizens_page(_path: &str) -> Page {
    Page::Elsewhere
}

/// A place in a staff area: the area's slug, then — for areas with more
/// than one screen — a section's slug, and a record's id for a detail
/// page (`/staff/admin/meetings`, `/staff/checkin/roster/{meeting}`).
#[cfg(feature = "field")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaPath {
    pub area: String,
    pub section: Option<String>,
    pub id: Option<String>,
}

#[cfg(feature = "field")]
impl AreaPath {
    /// The address of a section of `area`.
    #[cfg(feature = "staff")]
    pub fn href(area: &str, section: &str) -> String {
        format!("/staff/{area}/{section}")
    }
}

#[cfg(feature = "field")]
fn staff_page(rest: &str) -> Page {
    match rest {
        "" => Page::StaffHome,
        "/sign-in" => Page::SignIn,
        _ => {
            let mut parts = rest.split('/').skip(1).map(str::to_string);
            let (Some(area), section, id) = (parts.next(), parts.next(), parts.next()) else {
                return Page::NotFound;
            };
            let empty = |part: &Option<String>| part.as_ref().is_some_and(String::is_empty);
            if area.is_empty() || empty(&section) || empty(&id) || parts.next().is_some() {
                return Page::NotFound;
            }
            Page::StaffArea(AreaPath { area, section, id })
        }
    }
}

#[cfg(not(feature = "field"))]
fn staff_page(_rest: &str) -> Page {
    Page::Elsewhere
}

/// The current path, shared by every screen.
#[derive(Clone, Copy)]
pub struct Location {
    path: RwSignal<String>,
}

impl Location {
    /// Whether `href` is the current screen (the top bar marks its link).
    pub fn is(&self, href: &str) -> bool {
        self.path.with(|path| Page::of(path) == Page::of(href))
    }

    /// Shows the screen at `path`, as a click on a link to it would.
    pub fn navigate(self, path: &str) {
        if self.path.with_untracked(|current| current != path) {
            let _ = window()
                .history()
                .and_then(|history| history.push_state_with_url(&JsValue::NULL, "", Some(path)));
            self.path.set(path.to_string());
        }
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    pub fn page(&self) -> Memo<Page> {
        let path = self.path;
        Memo::new(move |_| path.with(|path| Page::of(path)))
    }
}

/// Starts following the address: the back and forward buttons, and clicks
/// on internal links.
pub fn provide() -> Location {
    let location = Location {
        path: RwSignal::new(current_path()),
    };
    provide_context(location);
    let _ = window_event_listener(ev::popstate, move |_| location.path.set(current_path()));
    let _ = window_event_listener(ev::click, move |event| {
        if let Some(path) = internal_link_target(&event) {
            event.prevent_default();
            location.navigate(&path);
        }
    });
    location
}

pub fn use_location() -> Location {
    expect_context::<Location>()
}

fn current_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".into())
}

/// The path a click should show in place, or `None` where the browser
/// should do what it always does.
fn internal_link_target(event: &MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.ctrl_key()
        || event.meta_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let anchor = event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    let left_to_browser = ["target", "download", "rel"]
        .iter()
        .any(|attribute| anchor.has_attribute(attribute));
    let href = anchor.get_attribute("href")?;
    // Only our own absolute paths: not `//host`, not `#anchor`, no query;
    // and a screen of this bundle (the other bundle is a page load).
    let ours = href.starts_with('/') && !href.starts_with("//") && !href.contains(['#', '?']);
    (ours && !left_to_browser && Page::of(&href) != Page::Elsewhere).then_some(href)
}
