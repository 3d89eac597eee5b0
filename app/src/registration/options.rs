//! What the form offers (districts, topics, the window) as the server last
//! said, kept on the device so the form also works offline, and how far the
//! device's clock is from the server's.

use domain::registration::RegistrationOptions;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use crate::api;
use crate::clock::now;

pub(super) const STORAGE_KEY: &str = "didar.registration.options";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnownOptions {
    pub options: RegistrationOptions,
}

/// Fetched at every start, whatever the screen: a phone that was online
/// once can then open the form offline (a door-side device taking a
/// walk-in's request, a citizen who first looked at the home page).
pub fn prefetch() {
    leptos::task::spawn_local(async {
        fetch().await;
    });
}

pub(super) async fn fetch() -> Option<KnownOptions> {
    let asked_at = now();
    let options = api::get::<RegistrationOptions>("/api/registrations/options")
        .await
        .ok()?;
    crate::clock::measured(asked_at, now(), options.server_time);
    let fresh = KnownOptions { options };
    let _ = LocalStorage::set(STORAGE_KEY, &fresh);
    Some(fresh)
}

/// A topic's name as the form offered it: the deputy domain's name from
/// the kept options, or "not sure". Staff screens only: the citizen's
/// status page reads words the server wrote.
#[cfg(feature = "field")]
pub fn topic_name(topic: &str, lang: domain::i18n::Lang) -> String {
    if topic == domain::registration::Topic::NOT_SURE {
        return match lang {
            domain::i18n::Lang::Fa => "نامشخص".into(),
            domain::i18n::Lang::En => "Not sure".into(),
        };
    }
    LocalStorage::get::<KnownOptions>(STORAGE_KEY)
        .ok()
        .and_then(|known| {
            known
                .options
                .deputies
                .iter()
                .find(|deputy| deputy.slug == topic)
                .map(|deputy| deputy.name(lang).to_string())
        })
        .unwrap_or_else(|| topic.to_string())
}

/// The city's deputies as last fetched, as a select's choices (slug and
/// name): empty on a device that never reached the server.
#[cfg(feature = "field")]
pub fn deputy_choices(lang: domain::i18n::Lang) -> Vec<(String, String)> {
    LocalStorage::get::<KnownOptions>(STORAGE_KEY)
        .map(|known| known.options.deputies)
        .unwrap_or_default()
        .into_iter()
        .map(|deputy| (deputy.slug.clone(), deputy.name(lang).to_string()))
        .collect()
}
