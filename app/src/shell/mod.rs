//! The app shell: language, layout, routes, and the device status every
//! screen shares (online or not, a new version ready).

mod layout;
#[cfg(not(feature = "field"))]
mod pages;
mod status;

use domain::i18n::Lang;
use leptos::prelude::*;

use crate::i18n::{self, tr};
use crate::nav::{self, Page};
use crate::registration;
use crate::ui::NotFound;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(i18n::remembered());
    provide_context(lang);
    Effect::new(move || apply_lang(lang.get()));
    status::provide();
    crate::sync::provide(registration::settle);
    #[cfg(feature = "field")]
    crate::auth::provide();
    registration::prefetch_options();
    let page = nav::provide().page();

    view! {
        <a class="skip-link" href="#main">{tr("پرش به محتوای اصلی", "Skip to main content")}</a>
        <layout::TopBar/>
        <status::OfflineBanner/>
        <main id="main" class="page" tabindex="-1">
            {move || screen(page.get())}
        </main>
        <layout::Footer/>
    }
}

fn screen(page: Page) -> AnyView {
    match page {
        #[cfg(not(feature = "field"))]
        Page::Home => view! { <pages::Home/> }.into_any(),
        #[cfg(not(feature = "field"))]
        Page::Register => view! { <registration::RegisterPage/> }.into_any(),
        #[cfg(not(feature = "field"))]
        Page::Track => view! { <registration::TrackPage/> }.into_any(),
        #[cfg(feature = "field")]
        Page::SignIn => view! { <crate::auth::SignInPage/> }.into_any(),
        #[cfg(feature = "field")]
        Page::StaffHome => view! { <crate::staff::StaffHome/> }.into_any(),
        #[cfg(feature = "field")]
        Page::StaffArea(path) => view! { <crate::staff::AreaPage path/> }.into_any(),
        Page::Elsewhere => view! { <crate::ui::Elsewhere/> }.into_any(),
        Page::NotFound => view! { <NotFound/> }.into_any(),
    }
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
