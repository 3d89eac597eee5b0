//! What the registration form can offer right now: the options kept on
//! the phone at once, then the server's when it answers.

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

use super::options::{KnownOptions, STORAGE_KEY, fetch};

impl KnownOptions {
    /// The device's time corrected by the last offset seen: what the
    /// window is judged by, even offline.
    pub fn server_now(&self) -> DateTime<Utc> {
        crate::clock::server_now()
    }
}

/// What the form can offer right now.
#[derive(Clone, Debug, PartialEq)]
pub enum Offer {
    /// Never seen on this device, and the server has not answered yet.
    Asking,
    Known(KnownOptions),
    /// Never seen on this device, and the server cannot be reached.
    Unavailable,
}

/// The options: the stored copy at once, then the server's when it answers.
/// An answer that offers the same form (only the server's clock moved)
/// leaves the signal alone, so the form is not drawn twice.
pub fn load() -> RwSignal<Offer> {
    let offer = RwSignal::new(
        LocalStorage::get::<KnownOptions>(STORAGE_KEY)
            .map(Offer::Known)
            .unwrap_or(Offer::Asking),
    );
    leptos::task::spawn_local(async move {
        let fresh = fetch().await;
        offer.maybe_update(|offer| match (offer, fresh) {
            (Offer::Known(known), Some(fresh)) if known.options.offers_same(&fresh.options) => {
                false
            }
            (offer, Some(fresh)) => {
                *offer = Offer::Known(fresh);
                true
            }
            (offer @ Offer::Asking, None) => {
                *offer = Offer::Unavailable;
                true
            }
            (_, None) => false,
        });
    });
    offer
}
