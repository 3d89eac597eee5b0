//! The app shell: language, layout, routes, and the device status every
//! screen shares (online or not, a new version ready).

mod layout;
mod pages;
mod status;

use domain::i18n::Lang;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::i18n::{self, tr};
use crate::registration;

pub use layout::now;
pub use pages::{Coming, NotFound};

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(i18n::remembered());
    provide_context(lang);
    Effect::new(move || apply_lang(lang.get()));
    status::provide();
    crate::sync::provide();
    #[cfg(feature = "staff")]
    crate::auth::provide();
    registration::prefetch_options();

    view! {
        <Router>
            <a class="skip-link" href="#main">{tr("پرش به محتوای اصلی", "Skip to main content")}</a>
            <layout::TopBar/>
            <status::OfflineBanner/>
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=pages::Home/>
                    <Route path=path!("/register") view=registration::RegisterPage/>
                    <Route path=path!("/track") view=registration::TrackPage/>
                    <StaffRoutes/>
                </Routes>
            </main>
            <status::UpdateToast/>
            <layout::Footer/>
        </Router>
    }
}

/// The staff screens, in the staff bundle only; the citizens' bundle sends
/// /staff links to the server, which serves the staff bundle there.
#[cfg(feature = "staff")]
#[component(transparent)]
fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/staff/sign-in") view=crate::auth::SignInPage/>
        <Route path=path!("/staff") view=crate::staff::StaffHome/>
        <Route path=path!("/staff/:area") view=crate::staff::AreaPage/>
    }
    .into_inner()
}

#[cfg(not(feature = "staff"))]
#[component(transparent)]
fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/staff/*any") view=pages::StaffElsewhere/> }.into_inner()
}

/// The document follows the chosen language: `lang` for screen readers and
/// fonts, `dir` for the layout (all CSS uses logical properties).
fn apply_lang(lang: Lang) {
    i18n::remember(lang);
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = root.set_attribute("lang", lang.code());
    let _ = root.set_attribute("dir", lang.dir());
}
